import cookie from '@fastify/cookie'
import csrf from '@fastify/csrf-protection'
import session from '@fastify/session'
import type { FastifyInstance, Session } from 'fastify'
import type { Config } from '../../config.js'
import type { Services } from '../../services/index.js'

type Callback = (err?: unknown) => void

/** Cookie sessions held in the database (see sessionService); CSRF tokens checked on every unsafe request. */
export async function setUpSession(app: FastifyInstance, config: Config, services: Services): Promise<void> {
  await app.register(cookie, { secret: config.sessionSecret })
  await app.register(session, {
    secret: config.sessionSecret,
    cookieName: 'onroll_session',
    saveUninitialized: false,
    // Not rolling: that would write the session row on every request. The idle limit is enforced on the
    // server instead (plugins/auth.ts touches lastSeenAt at most once a minute, which saves the row and
    // pushes its expiry on); the cookie itself lives as long as the absolute limit.
    rolling: false,
    cookie: {
      path: '/',
      httpOnly: true,
      secure: config.production,
      sameSite: 'lax',
      maxAge: config.sessionAbsoluteSeconds * 1000,
    },
    store: {
      set(sessionId: string, data: Session, callback: Callback) {
        services.sessions.write(sessionId, data.userId ?? null, JSON.stringify(data)).then(() => {
          callback()
        }, callback)
      },
      get(sessionId: string, callback: (err: unknown, result?: Session | null) => void) {
        services.sessions.read(sessionId).then(
          data => {
            callback(null, data === undefined ? null : (JSON.parse(data) as Session))
          },
          (err: unknown) => {
            callback(err)
          },
        )
      },
      destroy(sessionId: string, callback: Callback) {
        services.sessions.destroy(sessionId).then(() => {
          callback()
        }, callback)
      },
    },
  })
  await app.register(csrf, {
    cookieKey: 'onroll_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.production, signed: true },
    getToken: request => {
      const body = request.body as Record<string, unknown> | undefined
      const token = body?._csrf
      return typeof token === 'string' ? token : undefined
    },
  })
  // Registered as a preHandler, not onRequest: the form body has to be parsed before the token can be read.
  app.addHook('preHandler', (request, reply, done) => {
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(request.method)
    if (!unsafe || request.url.startsWith('/api/')) {
      done()
      return
    }
    app.csrfProtection(request, reply, done)
  })
}
