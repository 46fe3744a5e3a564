import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { callerOf } from '../plugins/auth.js'
import type { RouteOptions } from './index.js'

const listQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) })

export async function caseRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  app.get('/cases', { config: { access: 'single-list:view' } }, async (request, reply) => {
    const { page } = listQuery.parse(request.query)
    const list = await services.singleList.list(callerOf(request), { page })
    return reply.view('pages/cases/single-list.njk', { list })
  })
}
