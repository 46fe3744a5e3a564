import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { can } from '../../domain/access.js'
import { CHECK_RESULTS, OUTCOME_KINDS, STAGE_TWO_SOURCES } from '../../domain/case.js'
import { PRIORITIES } from '../../domain/caseStatus.js'
import { REFERRAL_SECTIONS } from '../../domain/referral.js'
import { TASK_KINDS } from '../../domain/tasks.js'
import { callerOf } from '../plugins/auth.js'
import { formBody, pathId, tryForm, type FormErrors } from '../forms.js'
import { joinDate, typedFrom } from '../formState.js'
import type { RouteOptions } from './index.js'

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/** The version the form was read at; a missing or garbled one skips the check rather than failing. */
const versionOf = (body: Record<string, unknown>): number | undefined => {
  const v = Number(body.version)
  return Number.isInteger(v) && v > 0 ? v : undefined
}

/** GOV.UK date inputs (name-day, name-month, name-year) as one ISO date; a plain `name` field is taken as it is. */
function dateFrom(body: Record<string, unknown>, name: string): string | undefined {
  const [d, m, y] = ['day', 'month', 'year'].map(p => str(body[`${name}-${p}`]) ?? '')
  if (!d?.trim() && !m?.trim() && !y?.trim()) return str(body[name])
  return joinDate(d ?? '', m ?? '', y ?? '')
}

/** One case: the whole file for the CME team and managers, its progress for the referrer. */
export async function caseFileRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  const work = { config: { access: 'case:work' as const } }
  const act = { config: { access: 'signed-in' as const } }

  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    form?: FormErrors & { values: Record<string, unknown>; status?: number; formName?: string },
  ) {
    const caller = callerOf(request)
    const view = await services.cases.view(caller, pathId(request.params))
    if (view.view === 'status') return reply.view('pages/cases/status.njk', { c: view })
    const viewers = await services.audit.viewersOf(caller, view.caseId)
    // The SAO section and the letters, for those who may run one (issue 7).
    const sao = can(caller.actor, 'sao:work') ? await services.sao.casePanel(caller, view.caseId) : null
    const escalations = await services.escalations.forCase(caller, view.caseId)
    const reviews = await services.unfoundReviews.dueOn(caller, view.caseId)
    return reply.code(form?.status ?? 200).view('pages/cases/show.njk', {
      c: view,
      w: view.work,
      viewers,
      priorities: PRIORITIES,
      outcomeKinds: OUTCOME_KINDS,
      checkResults: CHECK_RESULTS,
      sources: STAGE_TWO_SOURCES,
      taskKinds: TASK_KINDS,
      sections: REFERRAL_SECTIONS.map(s => ({ key: s.key, title: s.title })),
      canWork: services.caseWork.isCaseworker(caller),
      sao,
      escalations,
      reviews,
      ...(form ?? { values: {} }),
    })
  }

  /** Runs a case action; a refusal re-renders the case with the problems and what was typed. */
  async function handle(
    request: FastifyRequest,
    reply: FastifyReply,
    formName: string,
    action: () => Promise<unknown>,
  ) {
    const id = pathId(request.params)
    const result = await tryForm(action)
    if (result.ok) return reply.redirect(`/cases/${id}#${formName}`)
    return show(request, reply, { ...result.form, values: typedFrom(request.body), status: 400, formName })
  }

  app.get('/cases/:id', { config: { access: 'signed-in' } }, async (request, reply) => show(request, reply))

  app.post('/cases/:id/triage', work, async (request, reply) => {
    const body = formBody(request.body)
    return handle(request, reply, 'triage', () =>
      services.caseWork.triage(
        callerOf(request),
        pathId(request.params),
        { priority: str(body.priority), reason: str(body.reason) },
        versionOf(body),
      ),
    )
  })

  app.post('/cases/:id/return', work, async (request, reply) => {
    const reasons = str(formBody(request.body).reasons) ?? ''
    return handle(request, reply, 'return', () =>
      services.referrals.returnIncomplete(callerOf(request), pathId(request.params), reasons),
    )
  })

  // Authorising closure is the manager's; every other action the CME team's. The lifecycle table decides.
  app.post('/cases/:id/actions/:action', act, async (request, reply) => {
    const body = formBody(request.body)
    const raw: Record<string, string | undefined> = {}
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') raw[k] = v
    for (const key of Object.keys(body))
      if (key.endsWith('-day')) {
        const name = key.slice(0, -'-day'.length)
        raw[name] = dateFrom(body, name)
      }
    const action = (request.params as Record<string, string>).action ?? ''
    return handle(request, reply, `action-${action}`, () =>
      services.caseWork.act(callerOf(request), pathId(request.params), action, raw, versionOf(body)),
    )
  })

  app.post('/cases/:id/checks', work, async (request, reply) => {
    const body = formBody(request.body)
    const stage = str(body.stage)
    return handle(request, reply, `checks-${stage ?? ''}`, () =>
      services.caseWork.addCheck(callerOf(request), pathId(request.params), {
        stage,
        item: str(body.item),
        result: str(body.result),
        details: str(body.details),
        checkedOn: dateFrom(body, 'checkedOn'),
      }),
    )
  })

  app.post('/cases/:id/tasks', work, async (request, reply) => {
    const body = formBody(request.body)
    return handle(request, reply, 'tasks', () =>
      services.caseWork.addTask(callerOf(request), pathId(request.params), {
        kind: str(body.kind),
        dueOn: dateFrom(body, 'dueOn'),
        assignee: str(body.assignee),
        description: str(body.description),
      }),
    )
  })

  app.post('/cases/:id/tasks/:taskId/done', work, async (request, reply) =>
    handle(request, reply, 'tasks', () =>
      services.caseWork.completeTask(callerOf(request), pathId(request.params), pathId(request.params, 'taskId')),
    ),
  )

  app.post('/cases/:id/tasks/:taskId/reassign', work, async (request, reply) =>
    handle(request, reply, 'tasks', () =>
      services.caseWork.reassignTask(
        callerOf(request),
        pathId(request.params),
        pathId(request.params, 'taskId'),
        str(formBody(request.body).assignee),
      ),
    ),
  )

  app.post('/cases/:id/notes', work, async (request, reply) =>
    handle(request, reply, 'notes', () =>
      services.caseWork.addNote(callerOf(request), pathId(request.params), str(formBody(request.body).note)),
    ),
  )

  app.post('/cases/:id/facts', work, async (request, reply) => {
    const body = formBody(request.body)
    return handle(request, reply, 'facts', () =>
      services.caseWork.recordFacts(
        callerOf(request),
        pathId(request.params),
        {
          ...(str(body.residency) !== undefined ? { residency: str(body.residency) } : {}),
          ...(str(body.safeguardingConcern) !== undefined
            ? { safeguardingConcern: str(body.safeguardingConcern) }
            : {}),
          ...(str(body.safeguardingConclusion) !== undefined
            ? { safeguardingConclusion: str(body.safeguardingConclusion) }
            : {}),
          ...(str(body.leadProfessional) !== undefined ? { leadProfessional: str(body.leadProfessional) } : {}),
        },
        versionOf(body),
      ),
    )
  })

  app.post('/cases/:id/matches/:matchId/link', work, async (request, reply) => {
    const id = pathId(request.params)
    await services.cases.linkMatch(callerOf(request), id, pathId(request.params, 'matchId'))
    return reply.redirect(`/cases/${id}`)
  })

  app.post('/cases/:id/matches/:matchId/dismiss', work, async (request, reply) => {
    const id = pathId(request.params)
    await services.cases.dismissMatch(callerOf(request), id, pathId(request.params, 'matchId'))
    return reply.redirect(`/cases/${id}`)
  })
}
