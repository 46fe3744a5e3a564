import type { FastifyInstance } from 'fastify'
import { callerOf } from '../plugins/auth.js'
import { pathId } from '../forms.js'
import type { RouteOptions } from './index.js'

/** One case: the whole file for the CME team and managers, its progress for the referrer. */
export async function caseFileRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  app.get('/cases/:id', { config: { access: 'signed-in' } }, async (request, reply) => {
    const caller = callerOf(request)
    const view = await services.cases.view(caller, pathId(request.params))
    if (view.view === 'status') return reply.view('pages/cases/status.njk', { c: view })
    const viewers = await services.audit.viewersOf(caller, view.caseId)
    return reply.view('pages/cases/show.njk', { c: view, viewers })
  })
}
