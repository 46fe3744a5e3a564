import { can } from '../domain/access.js'
import { CASE_STATUSES, OPEN_STATUSES, PRIORITIES, type CaseStatus, type Priority } from '../domain/caseStatus.js'
import { ageOn, type IsoDate } from '../domain/dates.js'
import { normaliseName } from '../domain/names.js'
import { yearGroupLabel, yearGroupOn } from '../domain/schoolAge.js'
import type { Answer, SchoolDays } from '../domain/schoolDays.js'
import { normaliseUpn } from '../domain/upn.js'
import {
  casesChanges,
  countChildrenFound,
  countOpenCases,
  listCaseworkers,
  listOpenCases,
  listSchools,
  schoolsWithOwnCalendar,
  type CaseListFilter,
  type ChildSearch,
  type ListFlag,
  type ListSort,
  type SingleListRow,
} from '../data/repositories/caseRepository.js'
import { audit, auditShown } from './audit.js'
import { createCalendarService } from './calendarService.js'
import { priorityLabel, stageLabel } from './caseService.js'
import type { Caller, Deps } from './deps.js'
import { ForbiddenError, NotFoundError } from './errors.js'

export const PAGE_SIZE = 25
/** Counting stops here: the page says "more than 10,000" and offers 400 pages, which is the most anyone reads. */
export const COUNT_CAP = 10_000
/** An export bigger than this is refused with a request to filter, rather than cut short without saying. */
export const EXPORT_LIMIT = 10_000
/** A name that begins more children's names than this is too short to search by: type more of it. */
export const SEARCH_CHILD_CAP = 2_000
const SEARCH_MAX_WORDS = 5

export const LIST_VIEWS = { all: 'All open cases', mine: 'My cases', unassigned: 'Unassigned' } as const
export type ListView = keyof typeof LIST_VIEWS

export const LIST_SORTS: Record<ListSort, string> = {
  priority: 'Priority',
  referred: 'Referred on',
  due: 'Due',
  name: 'Child',
}

export const LIST_FLAGS: Record<ListFlag, string> = {
  'cp-plan': 'CP plan',
  'looked-after': 'Looked after',
  ehcp: 'EHCP',
  'believed-abroad': 'Believed abroad',
  'lead-professional': 'Lead professional',
  'possible-duplicate': 'Possible duplicate',
}

/** Shown on a row while a school's admission that may be this child waits for the CME team to confirm. */
export const POSSIBLY_LOCATED = 'Possibly located'

export type PriorityFilter = Priority | 'none'
export const PRIORITY_FILTERS: Record<PriorityFilter, string> = { none: 'Awaiting triage', ...PRIORITIES }

/** The stages a filter may ask for: the open ones. */
export const STAGE_FILTERS: Partial<Record<CaseStatus, string>> = Object.fromEntries(
  OPEN_STATUSES.map(s => [s, CASE_STATUSES[s]]),
)

/** What the person chose: none of it is personal data, so all of it may travel in the address. */
export interface ListFilters {
  view: ListView
  stages: CaseStatus[]
  priorities: PriorityFilter[]
  workerId?: string | undefined
  schoolId?: string | undefined
  overdue: boolean
  flags: ListFlag[]
  sort: ListSort
  dir: 'asc' | 'desc'
}

export const DEFAULT_FILTERS: ListFilters = {
  view: 'all',
  stages: [],
  priorities: [],
  overdue: false,
  flags: [],
  sort: 'priority',
  dir: 'asc',
}

export type SearchKind = 'name' | 'reference' | 'upn'
export type ListSearch =
  { kind: 'name'; words: string[] } | { kind: 'reference'; reference: string } | { kind: 'upn'; upn: string }

const UPN_SHAPE = /^[A-Z][0-9]{11}[0-9A-Z]$/
const REFERENCE_SHAPE = /^[A-Z0-9]+(-[A-Z0-9]+)+$/

/**
 * What a search box's text asks for: a UPN (13 characters in the UPN's shape, spaces ignored), a case
 * reference (letters and digits in hyphenated groups, any case), else a name.
 */
export function parseSearch(text: string): { ok: true; value: ListSearch } | { ok: false; problem: string } {
  const trimmed = text.trim()
  if (trimmed === '') return { ok: false, problem: 'Enter a name, case reference or UPN' }
  if (trimmed.length > 100) return { ok: false, problem: 'Enter no more than 100 characters' }
  const upn = normaliseUpn(trimmed)
  if (UPN_SHAPE.test(upn)) return { ok: true, value: { kind: 'upn', upn } }
  if (REFERENCE_SHAPE.test(trimmed.toUpperCase()) && /[0-9]/.test(trimmed))
    return { ok: true, value: { kind: 'reference', reference: trimmed.toUpperCase() } }
  const words = normaliseName(trimmed).split(' ').filter(Boolean)
  if (words.length === 0) return { ok: false, problem: 'Enter a name using letters, or a case reference or UPN' }
  if (words.length > SEARCH_MAX_WORDS) return { ok: false, problem: 'Enter no more than 5 words of the name' }
  return { ok: true, value: { kind: 'name', words } }
}

export interface SingleListEntry {
  caseId: string
  reference: string
  childName: string
  age: number
  yearGroup: string
  schoolName: string | null
  referredOn: IsoDate
  status: string
  stage: string
  priority: string | null
  /** School days from referral to today on the school's calendar (else the LA's), or why it cannot be said. */
  schoolDaysOpen: Answer<number>
  nextAction: string | null
  dueOn: IsoDate | null
  overdue: boolean
  workerName: string | null
  flags: string[]
}

export interface SingleListPage {
  entries: SingleListEntry[]
  /** Matching cases, counted up to COUNT_CAP + 1. */
  total: number
  /** True when there are more than COUNT_CAP and `total` is not the whole count. */
  moreThan: boolean
  page: number
  pageCount: number
  pageSize: number
  filters: ListFilters
  /** The kind of search made (never its text), when the list is a search's results. */
  search?: SearchKind
  /** A name search that matched too many children to list: the person should type more of it. */
  tooBroad?: boolean
}

export type ExportResult =
  { ok: true; csv: string; rows: number; filename: string } | { ok: false; reason: 'too-many'; total: number }

/** The filters in an audit event's detail: ids and codes only, never a search's text. */
function filterDetail(filters: ListFilters, search: ListSearch | undefined): Record<string, unknown> {
  return {
    view: filters.view,
    stages: filters.stages,
    priorities: filters.priorities,
    workerId: filters.workerId ?? null,
    schoolId: filters.schoolId ?? null,
    overdue: filters.overdue,
    flags: filters.flags,
    sort: filters.sort,
    dir: filters.dir,
    search: search?.kind ?? null,
  }
}

const CSV_FORMULA = /^[=+\-@\t\r]/

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would run as a formula (starting = + - @, tab or
 * carriage return) is prefixed with a single quote, so opening the export cannot run anything.
 */
export function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value)
  const safe = CSV_FORMULA.test(text) ? `'${text}` : text
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

const CSV_HEADER = [
  'Reference',
  'Child',
  'Age',
  'Year group',
  'School',
  'Referred on',
  'Priority',
  'Stage',
  'School days open',
  'Next action',
  'Due',
  'Overdue',
  'Assigned to',
  'Flags',
]

/** How long the worker and school choices are kept (real time: it bounds staleness, not a rule). */
export const FILTER_OPTIONS_TTL_MS = 30_000

type FilterOptions = { workers: { id: string; name: string }[]; schools: { id: string; name: string }[] }

/** Counts kept (one per set of filters) before the oldest are forgotten. */
const COUNTS_KEPT = 500

export function createSingleListService(deps: Deps, calendars = createCalendarService(deps)) {
  const { db, clock } = deps
  const filterOptionsCache = new Map<string, { at: number; options: FilterOptions }>()
  const countsTaken = new Map<string, { changes: number; total: number }>()

  const require = (caller: Caller): void => {
    if (!can(caller.actor, 'single-list:view')) throw new ForbiddenError('single-list:view')
  }

  const repositoryFilter = (caller: Caller, f: ListFilters, search: ListSearch | undefined): CaseListFilter => ({
    laCode: caller.actor.laCode,
    today: clock.today(),
    statuses: f.stages,
    priorities: f.priorities,
    // "My cases" and "Unassigned" decide the worker; the worker filter applies to all open cases.
    assignedTo: f.view === 'mine' ? caller.actor.id : f.view === 'unassigned' ? null : f.workerId,
    schoolId: f.schoolId,
    overdue: f.overdue,
    flags: f.flags,
    ...(search?.kind === 'reference' ? { reference: search.reference } : {}),
  })

  const childSearch = (search: ListSearch | undefined): ChildSearch | undefined =>
    search?.kind === 'name' ? { words: search.words } : search?.kind === 'upn' ? { upn: search.upn } : undefined

  /**
   * School days open for each row, on the school's own calendar where it keeps one and the LA default
   * otherwise: one query for which schools keep one, then one calendar per such school (each cached by
   * the calendar service), however many rows there are.
   */
  async function schoolDaysOpen(laCode: string, rows: readonly SingleListRow[]): Promise<Answer<number>[]> {
    const today = clock.today()
    const schoolIds = [...new Set(rows.flatMap(r => (r.schoolId ? [r.schoolId] : [])))]
    const own = await schoolsWithOwnCalendar(db, laCode, schoolIds)
    const laDefault = await calendars.schoolDaysForSchool(laCode)
    const bySchool = new Map<string, Answer<SchoolDays>>()
    for (const id of own) {
      try {
        bySchool.set(id, { ok: true, value: await calendars.schoolDaysForSchool(laCode, { id }) })
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err
        bySchool.set(id, { ok: false, problem: 'The school is not one of this LA’s schools' })
      }
    }
    return rows.map(r => {
      const days = (r.schoolId ? bySchool.get(r.schoolId) : undefined) ?? { ok: true, value: laDefault }
      return days.ok ? days.value.count(r.referredOn, today) : days
    })
  }

  /**
   * The capped count of open cases matching `f`, reused while no case has been written since it was
   * taken (casesChanges): the count reads up to COUNT_CAP index entries, the costliest part of a page,
   * and the list is read far more often than cases change. The counter is read first, so a case
   * written between the two reads makes the next page count again rather than keep a stale total. A
   * name or UPN search also depends on the children's names, which the counter does not watch: it is
   * always counted.
   *
   * A count taken is kept only once its transaction has committed (`keep`, called after it): on SQLite a
   * transaction may read the work of others in its commit group, and if that group failed, the counter
   * would go back and later come round to the same value over different cases.
   */
  async function countOpen(
    trx: Deps['db'],
    f: CaseListFilter,
    cap: number,
    children: ChildSearch | undefined,
  ): Promise<{ total: number; keep: () => void }> {
    const nothing = () => {}
    if (children) return { total: await countOpenCases(trx, f, cap, children), keep: nothing }
    const changes = await casesChanges(trx)
    const key = JSON.stringify([f, cap])
    const taken = countsTaken.get(key)
    if (changes !== undefined && taken?.changes === changes) {
      // The most recently used are kept longest.
      countsTaken.delete(key)
      countsTaken.set(key, taken)
      return { total: taken.total, keep: nothing }
    }
    const total = await countOpenCases(trx, f, cap)
    if (changes === undefined) return { total, keep: nothing }
    return {
      total,
      keep: () => {
        countsTaken.delete(key)
        if (countsTaken.size >= COUNTS_KEPT) countsTaken.delete(countsTaken.keys().next().value ?? key)
        countsTaken.set(key, { changes, total })
      },
    }
  }

  /*
   * A referral awaiting triage shows its triage deadline (cases.triage_due, set on receipt) and is
   * overdue the day after it. A case received before deadlines were stored has none and is never shown
   * overdue: a deadline guessed here (its priority is not yet decided) could not be the one the filter
   * uses in SQL, and the two must agree.
   */
  function entry(r: SingleListRow, today: IsoDate, open: Answer<number>): SingleListEntry {
    const awaitingTriage = r.status === 'received'
    const dueOn = awaitingTriage && r.triageDue ? r.triageDue : r.nextActionDue
    return {
      caseId: r.caseId,
      reference: r.reference,
      childName: `${r.firstName} ${r.lastName}`,
      age: ageOn(r.dateOfBirth, today),
      yearGroup: yearGroupLabel(yearGroupOn(r.dateOfBirth, today)),
      schoolName: r.schoolName,
      referredOn: r.referredOn,
      status: r.status,
      stage: stageLabel(r.status),
      priority: priorityLabel(r.priority),
      schoolDaysOpen: open,
      nextAction: r.nextAction ?? (awaitingTriage ? 'Triage the referral' : null),
      dueOn,
      // The same rule as the overdue filter (caseRepository.caseFilter), so the two never disagree.
      overdue:
        (r.nextActionDue !== null && r.nextActionDue < today) ||
        (awaitingTriage && r.triageDue !== null && r.triageDue < today),
      workerName: r.workerName,
      flags: [
        ...(r.possibleDuplicate ? [LIST_FLAGS['possible-duplicate']] : []),
        // exists() is 0/1 on SQLite and a boolean on PostgreSQL.
        ...(r.possiblyLocated === 1 || r.possiblyLocated === true ? [POSSIBLY_LOCATED] : []),
        ...(r.cpPlan ? [LIST_FLAGS['cp-plan']] : []),
        ...(r.lookedAfter ? [LIST_FLAGS['looked-after']] : []),
        ...(r.ehcp ? [LIST_FLAGS.ehcp] : []),
        ...(r.believedAbroad ? [LIST_FLAGS['believed-abroad']] : []),
        ...(r.leadProfessional ? [LIST_FLAGS['lead-professional']] : []),
      ],
    }
  }

  return {
    /**
     * One page of the LA's open cases, filtered, sorted, and (when `search` is given) searched. Every
     * row shown is a look at a child's record, so the page is audited in the transaction that read it,
     * as one event naming each case and child on it; a search also records its kind (never its text). The work is bounded: a capped count, one page
     * query, and school-day counts for the rows on the page only.
     */
    async list(
      caller: Caller,
      options: { filters?: ListFilters; page?: number; pageSize?: number; search?: ListSearch },
    ): Promise<SingleListPage> {
      require(caller)
      const filters = options.filters ?? DEFAULT_FILTERS
      const pageSize = options.pageSize ?? PAGE_SIZE
      const search = options.search
      const today = clock.today()
      const f = repositoryFilter(caller, filters, search)
      const children = childSearch(search)
      const read = await db.transaction().execute(async trx => {
        if (children && (await countChildrenFound(trx, f.laCode, children, SEARCH_CHILD_CAP)) > SEARCH_CHILD_CAP) {
          await audit(trx, clock, caller.actor, caller.request, 'single-list.search', [
            { detail: { ...filterDetail(filters, search), results: null, tooBroad: true } },
          ])
          return { rows: [], total: 0, page: 1, pageCount: 1, tooBroad: true }
        }
        const { total, keep } = await countOpen(trx, f, COUNT_CAP, children)
        const pageCount = Math.max(1, Math.ceil(Math.min(total, COUNT_CAP) / pageSize))
        const page = Math.min(pageCount, Math.max(1, Math.floor(options.page ?? 1)))
        const rows =
          total === 0
            ? []
            : await listOpenCases(
                trx,
                f,
                { sort: filters.sort, dir: filters.dir },
                { limit: pageSize, offset: (page - 1) * pageSize, small: total <= COUNT_CAP },
                children,
              )
        await auditShown(
          trx,
          clock,
          caller.actor,
          caller.request,
          'single-list.view',
          rows.map(r => ({ caseId: r.caseId, childId: r.childId })),
        )
        if (search)
          await audit(trx, clock, caller.actor, caller.request, 'single-list.search', [
            { detail: { ...filterDetail(filters, search), results: Math.min(total, COUNT_CAP + 1) } },
          ])
        return { rows, total, page, pageCount, tooBroad: false, keep }
      })
      read.keep?.()
      // After the transaction: on SQLite the calendar service's own reads would wait for its connection.
      const open = await schoolDaysOpen(caller.actor.laCode, read.rows)
      return {
        entries: read.rows.map((r, i) => entry(r, today, open[i] ?? { ok: false, problem: 'Not counted' })),
        total: Math.min(read.total, COUNT_CAP),
        moreThan: read.total > COUNT_CAP,
        page: read.page,
        pageCount: read.pageCount,
        pageSize,
        filters,
        ...(search ? { search: search.kind } : {}),
        ...(read.tooBroad ? { tooBroad: true } : {}),
      }
    },

    /**
     * The choices for the worker and school filters. They hold no child data and change rarely (a new
     * caseworker, a new school), and the list asks for them on every page, so they are kept for
     * FILTER_OPTIONS_TTL_MS: a new choice appears within that time.
     */
    async filterOptions(caller: Caller) {
      require(caller)
      const laCode = caller.actor.laCode
      const cached = filterOptionsCache.get(laCode)
      if (cached && performance.now() - cached.at < FILTER_OPTIONS_TTL_MS) return cached.options
      const options = { workers: await listCaseworkers(db, laCode), schools: await listSchools(db, laCode) }
      filterOptionsCache.set(laCode, { at: performance.now(), options })
      return options
    },

    /**
     * The list as CSV, with the same filters (and search). Every exported row is audited as
     * 'single-list.export', with one more event recording the export itself (its filters and size).
     * More than EXPORT_LIMIT rows is refused, so an export is never silently cut short.
     */
    async exportCsv(caller: Caller, options: { filters?: ListFilters; search?: ListSearch }): Promise<ExportResult> {
      require(caller)
      const filters = options.filters ?? DEFAULT_FILTERS
      const search = options.search
      const today = clock.today()
      const f = repositoryFilter(caller, filters, search)
      const children = childSearch(search)
      const read = await db.transaction().execute(async trx => {
        if (children && (await countChildrenFound(trx, f.laCode, children, EXPORT_LIMIT)) > EXPORT_LIMIT)
          return { ok: false as const, total: EXPORT_LIMIT + 1 }
        const { total } = await countOpen(trx, f, EXPORT_LIMIT, children)
        if (total > EXPORT_LIMIT) return { ok: false as const, total }
        const rows = await listOpenCases(
          trx,
          f,
          { sort: filters.sort, dir: filters.dir },
          { limit: EXPORT_LIMIT, offset: 0, small: true },
          children,
        )
        await auditShown(
          trx,
          clock,
          caller.actor,
          caller.request,
          'single-list.export',
          rows.map(r => ({ caseId: r.caseId, childId: r.childId })),
          { ...filterDetail(filters, search), rows: rows.length },
        )
        return { ok: true as const, rows }
      })
      if (!read.ok) return { ok: false, reason: 'too-many', total: read.total }
      const open = await schoolDaysOpen(caller.actor.laCode, read.rows)
      const lines = [CSV_HEADER.map(csvCell).join(',')]
      read.rows.forEach((r, i) => {
        const e = entry(r, today, open[i] ?? { ok: false, problem: 'Not counted' })
        lines.push(
          [
            e.reference,
            e.childName,
            e.age,
            e.yearGroup,
            e.schoolName,
            e.referredOn,
            e.priority ?? 'Awaiting triage',
            e.stage,
            e.schoolDaysOpen.ok ? e.schoolDaysOpen.value : '',
            e.nextAction,
            e.dueOn,
            e.overdue ? 'Yes' : 'No',
            e.workerName,
            e.flags.join('; '),
          ]
            .map(csvCell)
            .join(','),
        )
      })
      // A byte-order mark, so that spreadsheets read the names' accents as UTF-8; CRLF as RFC 4180 says.
      return {
        ok: true,
        csv: `\uFEFF${lines.join('\r\n')}\r\n`,
        rows: read.rows.length,
        filename: `single-list-${today}.csv`,
      }
    },
  }
}
