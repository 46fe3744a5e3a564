import type { FastifyInstance } from 'fastify'
import { can } from '../../domain/access.js'
import type { Actor } from '../../domain/actor.js'
import type { RouteOptions } from './index.js'

/** Where each person starts: the page their role works from. */
export function homeFor(actor: Actor): string {
  if (can(actor, 'single-list:view')) return '/cases'
  if (can(actor, 'admin:users')) return '/admin'
  return '/start'
}

export async function homeRoutes(app: FastifyInstance, _options: RouteOptions): Promise<void> {
  app.get('/', { config: { access: 'public' } }, async (request, reply) => {
    if (!request.actor) return reply.redirect('/sign-in')
    return reply.redirect(homeFor(request.actor))
  })

  app.get('/start', { config: { access: 'signed-in' } }, async (_request, reply) => reply.view('pages/start.njk', {}))

  app.get('/accessibility', { config: { access: 'public' } }, async (_request, reply) =>
    reply.view('pages/accessibility.njk', {}),
  )
  app.get('/privacy', { config: { access: 'public' } }, async (_request, reply) => reply.view('pages/privacy.njk', {}))
}
