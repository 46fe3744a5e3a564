import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { PRIORITIES } from '../../domain/caseStatus.js'
import { REFERRAL_SECTIONS } from '../../domain/referral.js'
import { callerOf } from '../plugins/auth.js'
import { formBody, pathId, tryForm, type FormErrors } from '../forms.js'
import type { RouteOptions } from './index.js'

/** One case: the whole file for the CME team and managers, its progress for the referrer. */
export async function caseFileRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  const work = { config: { access: 'case:work' as const } }

  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    form?: FormErrors & { values: Record<string, unknown>; status?: number },
  ) {
    const caller = callerOf(request)
    const view = await services.cases.view(caller, pathId(request.params))
    if (view.view === 'status') return reply.view('pages/cases/status.njk', { c: view })
    const viewers = await services.audit.viewersOf(caller, view.caseId)
    return reply.code(form?.status ?? 200).view('pages/cases/show.njk', {
      c: view,
      viewers,
      priorities: PRIORITIES,
      sections: REFERRAL_SECTIONS.map(s => ({ key: s.key, title: s.title })),
      canWork: caller.actor.roles.some(r =>
        ['cme-information-officer', 'vulnerable-childrens-officer', 'ews-operational-manager'].includes(r),
      ),
      ...(form ?? { values: {} }),
    })
  }

  app.get('/cases/:id', { config: { access: 'signed-in' } }, async (request, reply) => show(request, reply))

  app.post('/cases/:id/triage', work, async (request, reply) => {
    const id = pathId(request.params)
    const body = formBody(request.body)
    const values = { priority: body.priority, reason: body.reason }
    const result = await tryForm(() =>
      services.cases.triage(callerOf(request), id, {
        priority: typeof body.priority === 'string' ? body.priority : undefined,
        reason: typeof body.reason === 'string' ? body.reason : undefined,
        version: Number(body.version),
      }),
    )
    if (result.ok) return reply.redirect(`/cases/${id}`)
    return show(request, reply, { ...result.form, values, status: 400 })
  })

  app.post('/cases/:id/return', work, async (request, reply) => {
    const id = pathId(request.params)
    const reasons = formBody(request.body).reasons
    const result = await tryForm(() =>
      services.referrals.returnIncomplete(callerOf(request), id, typeof reasons === 'string' ? reasons : ''),
    )
    if (result.ok) return reply.redirect(`/cases/${id}`)
    return show(request, reply, { ...result.form, values: { reasons }, status: 400 })
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
