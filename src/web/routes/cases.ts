import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import { isCaseStatus, type CaseStatus } from '../../domain/caseStatus.js'
import type { ListFlag, ListSort } from '../../data/repositories/caseRepository.js'
import {
  COUNT_CAP,
  DEFAULT_FILTERS,
  EXPORT_LIMIT,
  SEARCH_CHILD_CAP,
  LIST_FLAGS,
  LIST_SORTS,
  LIST_VIEWS,
  PRIORITY_FILTERS,
  STAGE_FILTERS,
  parseSearch,
  type ListFilters,
  type ListSearch,
  type ListView,
  type PriorityFilter,
  type SingleListPage,
} from '../../services/singleListService.js'
import type { Caller } from '../../services/deps.js'
import { callerOf } from '../plugins/auth.js'
import { asList, formBody, formErrors } from '../forms.js'
import type { RouteOptions } from './index.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const isIn =
  <K extends string>(labels: Partial<Record<K, string>>) =>
  (v: string): v is K =>
    Object.hasOwn(labels, v)
const one = (v: unknown): string | undefined => asList(v)[0]

/**
 * The filters from a query string or a form. A value that is not one of the choices is ignored rather
 * than refused, so an old bookmark or a hand-edited address still shows a list.
 */
const filterInput = z.object({
  view: z.enum(Object.keys(LIST_VIEWS) as [ListView, ...ListView[]]).catch(DEFAULT_FILTERS.view),
  sort: z.enum(Object.keys(LIST_SORTS) as [ListSort, ...ListSort[]]).catch(DEFAULT_FILTERS.sort),
  dir: z.enum(['asc', 'desc']).catch(DEFAULT_FILTERS.dir),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
})

export function parseFilters(input: unknown): { filters: ListFilters; page: number } {
  const raw = formBody(input)
  const basic = filterInput.parse({ view: one(raw.view), sort: one(raw.sort), dir: one(raw.dir), page: one(raw.page) })
  const worker = one(raw.worker)
  const school = one(raw.school)
  return {
    page: basic.page,
    filters: {
      view: basic.view,
      stages: [...new Set(asList(raw.stage).filter((s): s is CaseStatus => isCaseStatus(s) && isIn(STAGE_FILTERS)(s)))],
      priorities: [...new Set(asList(raw.priority).filter(isIn<PriorityFilter>(PRIORITY_FILTERS)))],
      workerId: basic.view === 'all' && worker && UUID.test(worker) ? worker : undefined,
      schoolId: school && UUID.test(school) ? school : undefined,
      overdue: one(raw.overdue) === '1',
      flags: [...new Set(asList(raw.flag).filter(isIn<ListFlag>(LIST_FLAGS)))],
      sort: basic.sort,
      dir: basic.dir,
    },
  }
}

/** The filters as name/value pairs, defaults left out: for links, and for hidden fields in the search forms. */
export function filterFields(f: ListFilters): [string, string][] {
  const fields: [string, string][] = []
  if (f.view !== DEFAULT_FILTERS.view) fields.push(['view', f.view])
  for (const s of f.stages) fields.push(['stage', s])
  for (const p of f.priorities) fields.push(['priority', p])
  if (f.workerId) fields.push(['worker', f.workerId])
  if (f.schoolId) fields.push(['school', f.schoolId])
  if (f.overdue) fields.push(['overdue', '1'])
  for (const flag of f.flags) fields.push(['flag', flag])
  if (f.sort !== DEFAULT_FILTERS.sort) fields.push(['sort', f.sort])
  if (f.dir !== DEFAULT_FILTERS.dir) fields.push(['dir', f.dir])
  return fields
}

/** A link to the list with these filters. Filters are codes and ids, never a name: see docs/security.md. */
export function listHref(path: string, f: ListFilters, page = 1): string {
  const fields = filterFields(f)
  if (page > 1) fields.push(['page', String(page)])
  const query = new URLSearchParams(fields)
  const text = query.toString()
  return text ? `${path}?${text}` : path
}

/** Page numbers to offer: the first, the last, and two either side of the current one. */
function pageNumbers(page: number, pageCount: number): (number | 'gap')[] {
  const shown = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pageCount])]
    .filter(p => p >= 1 && p <= pageCount)
    .sort((a, b) => a - b)
  return shown.flatMap((p, i) => (i > 0 && p - (shown[i - 1] ?? p) > 1 ? ['gap' as const, p] : [p]))
}

/** Everything the page's links need, worked out here so the template only lays them out. */
function listLinks(list: SingleListPage) {
  const f = list.filters
  const sortable = (sort: ListSort) => {
    const current = f.sort === sort
    const dir = current && f.dir === 'asc' ? 'desc' : 'asc'
    return {
      href: listHref('/cases', { ...f, sort, dir }),
      ariaSort: current ? (f.dir === 'asc' ? 'ascending' : 'descending') : 'none',
    }
  }
  const count = list.moreThan
    ? `More than ${COUNT_CAP.toLocaleString('en-GB')} open cases`
    : `${list.total.toLocaleString('en-GB')} open ${list.total === 1 ? 'case' : 'cases'}`
  return {
    count,
    sortedBy: `${LIST_SORTS[f.sort].toLowerCase()}, ${f.dir === 'asc' ? 'ascending' : 'descending'}`,
    views: (Object.keys(LIST_VIEWS) as ListView[]).map(view => ({
      text: LIST_VIEWS[view],
      href: listHref('/cases', { ...f, view, workerId: undefined }),
      current: f.view === view,
    })),
    sort: {
      name: sortable('name'),
      referred: sortable('referred'),
      priority: sortable('priority'),
      due: sortable('due'),
    },
    clearFilters: listHref('/cases', { ...DEFAULT_FILTERS, view: f.view }),
    clearSearch: listHref('/cases', f),
    exportCsv: listHref('/cases/export.csv', f),
    pages: pageNumbers(list.page, list.pageCount).map(p =>
      p === 'gap' ? { ellipsis: true } : { number: p, href: listHref('/cases', f, p), current: p === list.page },
    ),
    previous: list.page > 1 ? { href: listHref('/cases', f, list.page - 1) } : undefined,
    next: list.page < list.pageCount ? { href: listHref('/cases', f, list.page + 1) } : undefined,
    hidden: filterFields(f),
  }
}

const SHORT_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
})

/** "28 Nov 2026": GOV.UK style abbreviates months where space is short, as in a ten-column table. */
export const shortDate = (date: string | null): string => (date ? SHORT_DATE.format(new Date(`${date}T00:00:00Z`)) : '')

function choices<K extends string>(labels: Partial<Record<K, string>>, chosen: readonly string[]) {
  return (Object.entries(labels) as [K, string][]).map(([value, text]) => ({
    value,
    text,
    checked: chosen.includes(value),
  }))
}

/** Any filter chosen beyond the view and the order. */
const filtersActive = (f: ListFilters): boolean =>
  f.stages.length + f.priorities.length + f.flags.length > 0 ||
  f.workerId !== undefined ||
  f.schoolId !== undefined ||
  f.overdue

export async function caseRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  /**
   * The filter form, rendered once for each set of filters and reused while the choices it offers
   * (options, kept by the service for a while) are the same object: it holds no child data (codes, ids,
   * caseworkers' and schools' names), is a third of the page's rendering, and is the same for everyone
   * looking at the same filters.
   */
  const filterForms = new WeakMap<object, Map<string, string>>()
  const filterForm = async (
    f: ListFilters,
    options: Awaited<ReturnType<typeof services.singleList.filterOptions>>,
    clearFilters: string,
  ): Promise<string> => {
    let forms = filterForms.get(options)
    if (!forms) filterForms.set(options, (forms = new Map<string, string>()))
    const key = JSON.stringify(f)
    let html = forms.get(key)
    if (html === undefined) {
      const filterChoices = {
        stages: choices(STAGE_FILTERS, f.stages),
        priorities: choices(PRIORITY_FILTERS, f.priorities),
        flags: choices(LIST_FLAGS, f.flags),
        workers: [
          { value: '', text: 'Anyone' },
          ...options.workers.map(w => ({ value: w.id, text: w.name, selected: w.id === f.workerId })),
        ],
        schools: [
          { value: '', text: 'Any school' },
          ...options.schools.map(s => ({ value: s.id, text: s.name, selected: s.id === f.schoolId })),
        ],
      }
      html = await app.view('pages/cases/list-filters.njk', {
        list: { filters: f },
        filterChoices,
        filtersActive: filtersActive(f),
        links: { clearFilters },
      })
      if (forms.size >= 500) forms.clear()
      forms.set(key, html)
    }
    return html
  }

  /** The list and the filters' choices are read side by side: on PostgreSQL they overlap. */
  const render = async (
    reply: FastifyReply,
    caller: Caller,
    reading: Promise<SingleListPage>,
    extra: { q?: string; errors?: ReturnType<typeof formErrors> } = {},
  ) => {
    const [list, options] = await Promise.all([reading, services.singleList.filterOptions(caller)])
    const f = list.filters
    const links = listLinks(list)
    return reply.view('pages/cases/single-list.njk', {
      list,
      links,
      q: extra.q ?? '',
      shortDate,
      searchChildCap: SEARCH_CHILD_CAP.toLocaleString('en-GB'),
      ...extra.errors,
      filtersActive: filtersActive(f),
      filterForm: await filterForm(f, options, links.clearFilters),
    })
  }

  app.get('/cases', { config: { access: 'single-list:view' } }, async (request, reply) => {
    const caller = callerOf(request)
    const { filters, page } = parseFilters(request.query)
    return render(reply, caller, services.singleList.list(caller, { filters, page }))
  })

  /*
   * Search by name, reference or UPN. A POST, so that what was typed (often a child's name) never goes
   * into an address, a browser history, a proxy log or a Referer; its results page on with POST buttons.
   */
  app.post('/cases/search', { config: { access: 'single-list:view' } }, async (request, reply) => {
    const caller = callerOf(request)
    const body = formBody(request.body)
    const { filters, page } = parseFilters(body)
    const q = one(body.q) ?? ''
    const parsed = parseSearch(q)
    if (!parsed.ok) {
      reply.code(400)
      return render(reply, caller, services.singleList.list(caller, { filters }), {
        q,
        errors: formErrors([{ field: 'q', message: parsed.problem }]),
      })
    }
    return render(reply, caller, services.singleList.list(caller, { filters, page, search: parsed.value }), { q })
  })

  const exportCsv = async (reply: FastifyReply, caller: Caller, filters: ListFilters, search?: ListSearch) => {
    const result = await services.singleList.exportCsv(caller, { filters, ...(search ? { search } : {}) })
    if (!result.ok)
      return reply.code(422).view('pages/cases/list-export-too-large.njk', {
        limit: EXPORT_LIMIT.toLocaleString('en-GB'),
        back: listHref('/cases', filters),
      })
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${result.filename}"`)
      .header('cache-control', 'no-store')
      .send(result.csv)
  }

  app.get('/cases/export.csv', { config: { access: 'single-list:view' } }, async (request, reply) =>
    exportCsv(reply, callerOf(request), parseFilters(request.query).filters),
  )

  /** The export of a search's results: a POST for the same reason as the search. */
  app.post('/cases/export.csv', { config: { access: 'single-list:view' } }, async (request, reply) => {
    const body = formBody(request.body)
    const parsed = parseSearch(one(body.q) ?? '')
    return exportCsv(reply, callerOf(request), parseFilters(body).filters, parsed.ok ? parsed.value : undefined)
  })
}
