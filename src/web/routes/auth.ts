import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { ORGANISATION_KINDS } from '../../domain/roles.js'
import { createOidcClient } from '../../integrations/oidc.js'
import type { UserWithAccess } from '../../data/repositories/userRepository.js'
import { homeFor } from './home.js'
import type { RouteOptions } from './index.js'

const refusalReasons = ['unknown', 'deactivated', 'no-email', 'failed'] as const
const refusedQuery = z.object({ reason: z.enum(refusalReasons).catch('failed') })

/** Only a path on this service may be a return address, never another site. */
const safeReturn = (value: string | undefined): string | undefined =>
  value && value.startsWith('/') && !value.startsWith('//') ? value : undefined

export async function authRoutes(app: FastifyInstance, { services, config }: RouteOptions): Promise<void> {
  const signInLimit = { max: config.production ? 20 : 1000, timeWindow: '1 minute' }
  const oidc = config.oidc
    ? createOidcClient({ ...config.oidc, redirectUri: `${config.serviceUrl}/sign-in/callback` })
    : undefined

  /** Starts a fresh session for the person (a new id, so a planted session id is worthless). */
  async function establish(request: FastifyRequest, user: UserWithAccess): Promise<string> {
    const returnTo = safeReturn(request.session.get('returnTo'))
    await request.session.regenerate()
    const now = services.sessions.now().toISOString()
    request.session.set('userId', user.id)
    request.session.set('signedInAt', now)
    request.session.set('lastSeenAt', now)
    const actor = await services.users.actorFor(user.id)
    return returnTo ?? (actor ? homeFor(actor) : '/')
  }

  app.get('/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    if (request.actor) return reply.redirect(homeFor(request.actor))
    const demoUsers = config.demoSignIn ? await services.users.demoUsers() : []
    return reply.view('pages/auth/sign-in.njk', {
      oidcEnabled: Boolean(oidc),
      demoEnabled: config.demoSignIn,
      demoGroups: groupByOrganisation(demoUsers),
    })
  })

  app.get('/sign-in/oidc', { config: { access: 'public', rateLimit: signInLimit } }, async (request, reply) => {
    if (!oidc) return reply.redirect('/sign-in')
    try {
      const { url, pending } = await oidc.start()
      request.session.set('oidc', { ...pending, returnTo: safeReturn(request.session.get('returnTo')) ?? '' })
      return await reply.redirect(url)
    } catch (err) {
      request.log.error({ err }, 'identity provider unavailable')
      return reply.redirect('/sign-in/refused?reason=failed')
    }
  })

  app.get('/sign-in/callback', { config: { access: 'public', rateLimit: signInLimit } }, async (request, reply) => {
    const pending = request.session.get('oidc')
    if (!oidc || !pending) return reply.redirect('/sign-in')
    request.session.set('oidc', undefined)
    let email: string | undefined
    try {
      ;({ email } = await oidc.finish(new URL(request.url, config.serviceUrl), pending))
    } catch (err) {
      request.log.warn({ err, security: 'sign-in-failed' }, 'OIDC sign-in failed')
      return reply.redirect('/sign-in/refused?reason=failed')
    }
    if (!email) return reply.redirect('/sign-in/refused?reason=no-email')
    const result = await services.users.signIn(email, request.context, 'oidc')
    if (!result.ok) {
      request.log.warn({ security: 'sign-in-refused', reason: result.reason }, 'sign-in refused')
      return reply.redirect(`/sign-in/refused?reason=${result.reason}`)
    }
    if (pending.returnTo) request.session.set('returnTo', pending.returnTo)
    return reply.redirect(await establish(request, result.user))
  })

  app.post('/sign-in/demo', { config: { access: 'public', rateLimit: signInLimit } }, async (request, reply) => {
    if (!config.demoSignIn) return reply.code(404).view('pages/errors/not-found.njk', {})
    const body = z.object({ userId: z.string().min(1) }).safeParse(request.body)
    const users = await services.users.demoUsers()
    const user = body.success ? users.find(u => u.id === body.data.userId) : undefined
    if (!user) {
      return reply.code(400).view('pages/auth/sign-in.njk', {
        oidcEnabled: Boolean(oidc),
        demoEnabled: true,
        demoGroups: groupByOrganisation(users),
        error: 'Select a demo user to sign in as',
      })
    }
    const result = await services.users.signIn(user.email, request.context, 'demo')
    if (!result.ok) return reply.redirect(`/sign-in/refused?reason=${result.reason}`)
    return reply.redirect(await establish(request, result.user))
  })

  app.get('/sign-in/refused', { config: { access: 'public' } }, async (request, reply) => {
    const { reason } = refusedQuery.parse(request.query)
    return reply.view('pages/auth/refused.njk', { reason })
  })

  app.post('/sign-out', { config: { access: 'public' } }, async (request, reply) => {
    const everywhere = (request.body as Record<string, unknown> | undefined)?.everywhere === 'yes'
    if (request.actor) {
      await services.users.recordSignOut(request.actor, request.context, everywhere)
      if (everywhere) await services.sessions.endAllFor(request.actor.id)
    }
    await request.session.destroy()
    return reply.redirect('/signed-out')
  })

  app.get('/signed-out', { config: { access: 'public' } }, async (_request, reply) =>
    reply.view('pages/auth/signed-out.njk', {}),
  )
}

function groupByOrganisation(users: UserWithAccess[]) {
  const groups = new Map<string, { name: string; kind: string; users: UserWithAccess[] }>()
  for (const u of users) {
    const g = groups.get(u.organisationId) ?? {
      name: u.organisationName,
      kind: ORGANISATION_KINDS[u.organisationKind],
      users: [],
    }
    g.users.push(u)
    groups.set(u.organisationId, g)
  }
  return [...groups.values()]
}
