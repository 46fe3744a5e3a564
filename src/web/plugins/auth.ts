import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Actor } from '../../domain/actor.js'
import type { Clock } from '../../domain/clock.js'
import type { Services } from '../../services/index.js'
import { ForbiddenError } from '../../services/errors.js'

const LAST_SEEN_RESOLUTION_MS = 60_000

/** Puts the signed-in person (if any) on the request; ends sessions past the idle or absolute limit. */
export function setUpAuth(app: FastifyInstance, services: Services, clock: Clock): void {
  app.addHook('preHandler', async request => {
    if (request.url.startsWith('/api/') || request.url.startsWith('/assets/')) return
    const userId = request.session.get('userId')
    if (!userId) return
    if (
      services.sessions.isStale({
        signedInAt: request.session.get('signedInAt'),
        lastSeenAt: request.session.get('lastSeenAt'),
      })
    ) {
      await request.session.destroy()
      return
    }
    const actor = await services.users.actorFor(userId)
    if (!actor) {
      await request.session.destroy()
      return
    }
    request.actor = actor
    // Touch the session at most once a minute: enough for a 30-minute idle limit without a write per request.
    const now = clock.now()
    const last = request.session.get('lastSeenAt')
    if (!last || now.getTime() - Date.parse(last) > LAST_SEEN_RESOLUTION_MS)
      request.session.set('lastSeenAt', now.toISOString())
  })
}

/** The caller of a service: who (from the session or token) and from where (request id and address). */
export function callerOf(request: FastifyRequest): { actor: Actor; request: FastifyRequest['context'] } {
  if (!request.actor) throw new ForbiddenError('sign-in')
  return { actor: request.actor, request: request.context }
}
