import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { CASE_STATUSES } from '../../domain/caseStatus.js'
import { OUTCOMES } from '../../domain/enquiryOutcome.js'
import { CIRCUMSTANCES, CONTACT_KINDS, CONTACT_RESULTS, VISIT_BY, isContactKind } from '../../domain/pupilConcern.js'
import { ValidationError } from '../../services/errors.js'
import { callerOf } from '../plugins/auth.js'
import { formBody, pathId } from '../forms.js'
import type { Typed } from '../formState.js'
import type { RouteOptions } from './index.js'
import { typedDate } from '../formState.js'
import { formState, schoolInput, str } from './schoolForms.js'

const choices = (list: Record<string, string>) => Object.entries(list).map(([value, text]) => ({ value, text }))

const codes = {
  circumstances: choices(CIRCUMSTANCES),
  contactKinds: choices(CONTACT_KINDS),
  contactResults: choices(CONTACT_RESULTS),
  visitBy: choices(VISIT_BY),
  outcomes: choices(OUTCOMES),
  circumstanceLabels: CIRCUMSTANCES,
  contactKindLabels: CONTACT_KINDS,
  contactResultLabels: CONTACT_RESULTS,
  visitByLabels: VISIT_BY,
  outcomeLabels: OUTCOMES,
  caseStatuses: CASE_STATUSES,
}

/**
 * Pupils of concern (Appendix B): the school dashboard, recording a concern, the enquiries as a task
 * list, each contact, the MARF and EWO consultation, the outcome, and the pre-filled CME referral.
 */
export async function schoolConcernRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  const access = { config: { access: 'school:pupils' as const } }

  app.get('/school', access, async (request, reply) => {
    const board = await services.concerns.dashboard(callerOf(request))
    return reply.view('pages/school/dashboard.njk', { ...board, ...codes })
  })

  // Choosing the pupil: the roll, searched by POST (no names in URLs).
  app.get('/school/concerns/new', access, async (request, reply) =>
    reply.view('pages/school/concern-pick.njk', { search: '', pupils: [], searched: false }),
  )

  app.post('/school/concerns/new', access, async (request, reply) => {
    const search = str(formBody(request.body).search).slice(0, 100)
    if (search.trim() === '')
      return reply.code(400).view('pages/school/concern-pick.njk', {
        search,
        pupils: [],
        searched: false,
        errorList: [{ text: 'Enter the pupil’s name', href: '#search' }],
        error: 'Enter the pupil’s name',
      })
    const { pupils } = await services.roll.list(callerOf(request), search)
    return reply.view('pages/school/concern-pick.njk', { search, pupils, searched: true })
  })

  async function concernForm(
    request: FastifyRequest,
    reply: FastifyReply,
    values?: Typed,
    problems: { field: string; message: string }[] = [],
  ) {
    const pupilId = pathId(request.params, 'pupilId')
    // The flags to start the form with, from the roll.
    const pupil = await services.roll.get(callerOf(request), pupilId)
    const start: Typed = values ?? {
      flags: [
        pupil.cp_plan ? 'cp-plan' : '',
        pupil.child_in_need ? 'child-in-need' : '',
        pupil.looked_after ? 'looked-after' : '',
        pupil.ehcp || pupil.sen_provision === 'E' || pupil.sen_provision === 'K' ? 'ehcp-sen' : '',
        pupil.social_worker ? 'social-worker' : '',
      ]
        .filter(Boolean)
        .join('\n'),
      socialWorker: pupil.social_worker ?? '',
    }
    return reply.code(problems.length > 0 ? 400 : 200).view('pages/school/concern-form.njk', {
      ...codes,
      ...formState(start, problems),
      pupil,
      flags: (start.flags ?? '').split('\n'),
    })
  }

  app.get('/school/concerns/new/:pupilId', access, async (request, reply) => await concernForm(request, reply))

  app.post('/school/concerns/new/:pupilId', access, async (request, reply) => {
    const { typed, input, list } = schoolInput(request.body)
    try {
      const id = await services.concerns.record(
        callerOf(request),
        pathId(request.params, 'pupilId'),
        input,
        list('flags'),
      )
      return await reply.redirect(`/school/concerns/${id}`)
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      return await concernForm(request, reply, typed, [...err.problems])
    }
  })

  app.get('/school/concerns/:id', access, async (request, reply) => {
    const c = await services.concerns.get(callerOf(request), pathId(request.params))
    return reply.view('pages/school/concern.njk', { c, ...codes })
  })

  /** A form page of one concern: shown with the concern, re-shown with what was typed and the problems. */
  function concernPage(view: string, defaults: (c: Awaited<ReturnType<typeof services.concerns.get>>) => Typed) {
    return async (
      request: FastifyRequest,
      reply: FastifyReply,
      values?: Typed,
      problems: { field: string; message: string }[] = [],
    ) => {
      const c = await services.concerns.get(callerOf(request), pathId(request.params))
      if (c.concern.status !== 'open') return reply.redirect(`/school/concerns/${c.concern.id}`)
      return reply
        .code(problems.length > 0 ? 400 : 200)
        .view(view, { c, ...codes, ...formState(values ?? defaults(c), problems) })
    }
  }

  const contactPage = concernPage('pages/school/contact-form.njk', () => ({}))
  app.get('/school/concerns/:id/contacts', access, async (request, reply) => {
    const kind = str((request.query as Record<string, unknown>).kind)
    return await contactPage(request, reply, {
      ...(isContactKind(kind) ? { kind } : {}),
      madeBy: request.actor?.name ?? '',
    })
  })
  app.post('/school/concerns/:id/contacts', access, async (request, reply) => {
    const { typed, input } = schoolInput(request.body)
    const id = pathId(request.params)
    try {
      const { riskOfHarm } = await services.concerns.logContact(callerOf(request), id, input)
      return await reply.redirect(riskOfHarm ? `/school/concerns/${id}/marf` : `/school/concerns/${id}#enquiries`)
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      return await contactPage(request, reply, typed, [...err.problems])
    }
  })

  const marfPage = concernPage('pages/school/marf-form.njk', c => ({
    ...typedDate('madeOn', c.concern.marf_made_on ?? undefined),
    reference: c.concern.marf_reference ?? '',
  }))
  app.get('/school/concerns/:id/marf', access, async (request, reply) => await marfPage(request, reply))
  app.post('/school/concerns/:id/marf', access, async (request, reply) => {
    const { typed, input } = schoolInput(request.body)
    const id = pathId(request.params)
    try {
      await services.concerns.recordMarf(callerOf(request), id, input)
      return await reply.redirect(`/school/concerns/${id}`)
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      return await marfPage(request, reply, typed, [...err.problems])
    }
  })

  const ewoPage = concernPage('pages/school/ewo-form.njk', c => ({
    ...typedDate('consultedOn', c.concern.ewo_consulted_on ?? undefined),
    ewoName: c.concern.ewo_name ?? '',
    advice: c.concern.ewo_advice ?? '',
  }))
  app.get('/school/concerns/:id/ewo', access, async (request, reply) => await ewoPage(request, reply))
  app.post('/school/concerns/:id/ewo', access, async (request, reply) => {
    const { typed, input } = schoolInput(request.body)
    const id = pathId(request.params)
    try {
      await services.concerns.recordEwo(callerOf(request), id, input)
      return await reply.redirect(`/school/concerns/${id}#enquiries`)
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      return await ewoPage(request, reply, typed, [...err.problems])
    }
  })

  const outcomePage = concernPage('pages/school/outcome-form.njk', () => ({}))
  app.get('/school/concerns/:id/outcome', access, async (request, reply) => await outcomePage(request, reply))
  app.post('/school/concerns/:id/outcome', access, async (request, reply) => {
    const { typed, input } = schoolInput(request.body)
    const id = pathId(request.params)
    try {
      const { decision, pupilId } = await services.concerns.recordOutcome(callerOf(request), id, input)
      if (decision.next === 'home-education') return await reply.redirect(`/school/pupils/${pupilId}/home-education`)
      return await reply.redirect(`/school/concerns/${id}`)
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      return await outcomePage(request, reply, typed, [...err.problems])
    }
  })

  // The referral pre-filled from the concern; the school finishes and submits it in the referral journey.
  app.post('/school/concerns/:id/referral', access, async (request, reply) => {
    const id = pathId(request.params)
    const referralId = await services.concerns.startReferral(callerOf(request), id)
    return reply.redirect(referralId ? `/referrals/${referralId}` : `/school/concerns/${id}`)
  })
}
