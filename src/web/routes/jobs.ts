import type { FastifyInstance } from 'fastify'
import { callerOf } from '../plugins/auth.js'
import type { RouteOptions } from './index.js'

/** The scheduled jobs and their recent runs, for system administrators. */
export async function jobRoutes(app: FastifyInstance, { services, config }: RouteOptions): Promise<void> {
  app.get('/admin/jobs', { config: { access: 'admin:users' } }, async (request, reply) => {
    const overview = await services.jobs.overview(callerOf(request))
    return reply.view('pages/admin/jobs.njk', { ...overview, jobsEnabled: config.jobsEnabled })
  })
}
