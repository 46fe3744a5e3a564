import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { isIsoDate } from '../../domain/dates.js'
import { callerOf } from '../plugins/auth.js'
import { formErrors } from '../forms.js'
import type { RouteOptions } from './index.js'

const optional = z
  .string()
  .trim()
  .optional()
  .transform(v => (v === '' ? undefined : v))

const auditQuery = z.object({ actorId: optional, caseReference: optional, from: optional, to: optional })

/** The audit search: by person, case reference and date. No names go in the address. */
export async function auditRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  app.get('/audit', { config: { access: 'audit:view' } }, async (request, reply) => {
    const caller = callerOf(request)
    const parsed = auditQuery.safeParse(request.query)
    const filter: Partial<z.infer<typeof auditQuery>> = parsed.success ? parsed.data : {}
    const problems = [
      ...(filter.from && !isIsoDate(filter.from)
        ? [{ field: 'from', message: 'Enter the start date as YYYY-MM-DD, like 2026-11-01' }]
        : []),
      ...(filter.to && !isIsoDate(filter.to)
        ? [{ field: 'to', message: 'Enter the end date as YYYY-MM-DD, like 2026-11-30' }]
        : []),
      ...(filter.from && filter.to && isIsoDate(filter.from) && isIsoDate(filter.to) && filter.to < filter.from
        ? [{ field: 'to', message: 'The end date must be the same as or after the start date' }]
        : []),
    ]
    const users = await services.users.peopleInLa(caller)
    if (problems.length > 0)
      return reply
        .code(400)
        .view('pages/audit/search.njk', { ...formErrors(problems), values: filter, users, searched: false })
    const searched = [filter.actorId, filter.caseReference, filter.from, filter.to].some(Boolean)
    const result = searched ? await services.audit.search(caller, filter) : { events: [], caseNotFound: false }
    return reply.view('pages/audit/search.njk', { values: filter, users, searched, ...result })
  })
}
