import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { callerOf, requirePermission } from '../plugins/auth.js'
import type { RouteOptions } from './index.js'

const listQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) })

export async function caseRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  app.get('/cases', { preHandler: requirePermission('single-list:view') }, async (request, reply) => {
    const { page } = listQuery.parse(request.query)
    const caller = callerOf(request)
    const list = await services.singleList.list(caller, { page })
    return reply.view('pages/cases/single-list.njk', { list })
  })
}
