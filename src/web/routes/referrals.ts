import type { FastifyInstance, FastifyReply } from 'fastify'
import {
  REFERRAL_SECTIONS,
  SAFEGUARDING_PROMPTS,
  isSectionKey,
  needsSocialWorkerContact,
  type Problem,
  type SectionKey,
} from '../../domain/referral.js'
import {
  ACTION_KINDS,
  EDUCATION_STATUSES,
  ETHNICITIES,
  GENDERS,
  PROFESSIONAL_KINDS,
  RECEIVED_HOW,
  UK_PORTS,
} from '../../domain/referralCodes.js'
import { callerOf } from '../plugins/auth.js'
import { formBody, formErrors, pathId } from '../forms.js'
import { flatten, itemCount, removeItem, toInput, typedFrom, type Typed } from '../formState.js'
import type { RouteOptions } from './index.js'

const DATE_FIELDS = /(dateOfBirth|date|departureDate|\.on)$/
const LISTS: Record<string, string[]> = {
  siblings: ['siblings.list'],
  address: ['address.responsibleAdults.list'],
  actions: ['actions.list'],
  professionals: ['professionals.list'],
}

const codes = {
  genderChoices: Object.entries(GENDERS).map(([value, text]) => ({ value, text })),
  ethnicities: ETHNICITIES,
  educationStatuses: EDUCATION_STATUSES,
  actionKinds: ACTION_KINDS,
  professionalKinds: PROFESSIONAL_KINDS,
  receivedHow: RECEIVED_HOW,
  ports: { ...UK_PORTS, other: { label: 'Other' } },
  promptText: SAFEGUARDING_PROMPTS,
}

/** A sibling's date of birth is a date or "not known"; the page asks with a date and a tick box. */
function sectionInput(key: SectionKey, typed: Typed): unknown {
  const input = toInput(typed, key)
  if (key !== 'siblings') return input
  const list = (input as { list?: Record<string, unknown>[] } | undefined)?.list
  list?.forEach(s => {
    if (s.dateOfBirthNotKnown === 'yes') s.dateOfBirth = 'not-known'
  })
  return input
}

/** Problems on list fields of short strings (other names, phones) belong to the textarea that holds them. */
function pageProblems(problems: Problem[]): Problem[] {
  return problems.map(p => ({ ...p, field: p.field.replace(/\.(otherNames|phones)\.\d+$/, '.$1') }))
}

export async function referralRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  const create = { config: { access: 'referral:create' as const } }
  const own = { config: { access: 'signed-in' as const } }

  async function renderSection(
    reply: FastifyReply,
    caller: ReturnType<typeof callerOf>,
    id: string,
    key: SectionKey,
    typed: Typed,
    problems: Problem[] = [],
  ) {
    const { row, draft, prompts } = await services.referrals.get(caller, id)
    if (!['draft', 'returned'].includes(row.status)) return reply.redirect(`/referrals/${id}`)
    const section = REFERRAL_SECTIONS.find(s => s.key === key) ?? REFERRAL_SECTIONS[0]
    const counts = Object.fromEntries(
      Object.entries(LISTS).flatMap(([, paths]) => paths.map(p => [p, itemCount(typed, p)])),
    ) as Record<string, number>
    const { errorList, errors } = formErrors(pageProblems(problems))
    return reply.code(problems.length > 0 ? 400 : 200).view('pages/referrals/section.njk', {
      ...codes,
      referral: { id, reference: row.reference },
      section: { key, title: section.title },
      f: { values: typed, errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v.text])) },
      errorList,
      prompts: key === 'safeguarding' ? [] : prompts,
      needsSocialWorker: needsSocialWorkerContact(draft.sections),
      onBehalf: row.channel === 'on-behalf',
      siblingCount: counts['siblings.list'] ?? 0,
      adultCount: counts['address.responsibleAdults.list'] ?? 0,
      actionCount: counts['actions.list'] ?? 0,
      professionalCount: counts['professionals.list'] ?? 0,
    })
  }

  app.get('/referrals', create, async (request, reply) => {
    const referrals = await services.referrals.listMine(callerOf(request))
    return reply.view('pages/referrals/list.njk', { referrals })
  })

  app.post('/referrals', create, async (request, reply) => {
    const onBehalf = formBody(request.body).onBehalf === 'yes'
    const id = await services.referrals.start(callerOf(request), { onBehalf })
    return reply.redirect(`/referrals/${id}`)
  })

  app.get('/referrals/:id', own, async (request, reply) => {
    const caller = callerOf(request)
    const id = pathId(request.params)
    const referral = await services.referrals.get(caller, id)
    return reply.view('pages/referrals/task-list.njk', {
      referral: referral.row,
      states: referral.states,
      sections: REFERRAL_SECTIONS.map(s => ({ key: s.key, title: s.title })),
      editable: referral.editable,
      versions: referral.versions,
      completed: Object.values(referral.states).filter(s => s === 'completed').length,
      submitted: (request.query as Record<string, unknown>).submitted === '1',
    })
  })

  app.get('/referrals/:id/check', own, async (request, reply) => {
    const caller = callerOf(request)
    const id = pathId(request.params)
    const { row, draft } = await services.referrals.get(caller, id)
    const { problems } = await services.referrals.check(caller, id)
    return reply.view('pages/referrals/check.njk', {
      ...codes,
      referral: row,
      r: draft.sections,
      sections: REFERRAL_SECTIONS.map(s => ({ key: s.key, title: s.title })),
      problems: problems.map(p => ({ text: p.message, href: `/referrals/${id}/${p.field.split('.')[0] ?? ''}` })),
    })
  })

  app.post('/referrals/:id/submit', own, async (request, reply) => {
    const caller = callerOf(request)
    const id = pathId(request.params)
    const result = await services.referrals.submit(caller, id, formBody(request.body).declaration === 'yes')
    if (result.ok) return reply.redirect(`/referrals/${id}/confirmation`)
    const { row, draft } = await services.referrals.get(caller, id)
    const declarationProblem = result.problems.find(p => p.field === 'declaration')
    return reply.code(400).view('pages/referrals/check.njk', {
      ...codes,
      referral: row,
      r: draft.sections,
      sections: REFERRAL_SECTIONS.map(s => ({ key: s.key, title: s.title })),
      declarationError: declarationProblem?.message,
      errorList: declarationProblem ? [{ text: declarationProblem.message, href: '#declaration' }] : [],
      problems: result.problems
        .filter(p => p.field !== 'declaration')
        .map(p => ({ text: p.message, href: `/referrals/${id}/${p.field.split('.')[0] ?? ''}` })),
    })
  })

  app.get('/referrals/:id/confirmation', own, async (request, reply) => {
    const { row } = await services.referrals.get(callerOf(request), pathId(request.params))
    if (!row.reference) return reply.redirect(`/referrals/${row.id}`)
    return reply.view('pages/referrals/confirmation.njk', { referral: row })
  })

  app.get('/referrals/:id/:section', own, async (request, reply) => {
    const caller = callerOf(request)
    const id = pathId(request.params)
    const key = (request.params as Record<string, string>).section ?? ''
    if (!isSectionKey(key)) return reply.code(404).view('pages/errors/not-found.njk', {})
    const { draft } = await services.referrals.get(caller, id)
    const typed = draft.typed[key] as Typed | undefined
    return renderSection(reply, caller, id, key, typed ?? flatten(draft.sections[key], key, DATE_FIELDS))
  })

  app.post('/referrals/:id/:section', own, async (request, reply) => {
    const caller = callerOf(request)
    const id = pathId(request.params)
    const key = (request.params as Record<string, string>).section ?? ''
    if (!isSectionKey(key)) return reply.code(404).view('pages/errors/not-found.njk', {})
    const body = formBody(request.body)
    let typed = typedFrom(body)
    const action = typeof body._action === 'string' ? body._action : 'continue'
    const add = /^add:([\w.]+)$/.exec(action)
    const remove = /^remove:([\w.]+):(\d+)$/.exec(action)
    if (add?.[1] || remove?.[1]) {
      // Adding or removing an item re-shows the page; what was typed so far is saved first.
      if (remove?.[1]) typed = removeItem(typed, remove[1], Number(remove[2]))
      if (add?.[1]) typed = { ...typed, [`${add[1]}.${String(itemCount(typed, add[1]))}.__new`]: '' }
      await services.referrals.saveSection(caller, id, key, typed, sectionInput(key, typed))
      return renderSection(reply, caller, id, key, typed)
    }
    const result = await services.referrals.saveSection(caller, id, key, typed, sectionInput(key, typed))
    if (action === 'later') return reply.redirect('/referrals')
    if (!result.ok) return renderSection(reply, caller, id, key, typed, result.problems)
    const next = REFERRAL_SECTIONS[REFERRAL_SECTIONS.findIndex(s => s.key === key) + 1]
    return reply.redirect(next ? `/referrals/${id}/${next.key}` : `/referrals/${id}/check`)
  })
}
