import fastifyStatic from '@fastify/static'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import formbody from '@fastify/formbody'
import rateLimit from '@fastify/rate-limit'
import Fastify, { type FastifyInstance } from 'fastify'
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type { Config } from '../config.js'
import type { Clock } from '../domain/clock.js'
import type { Services } from '../services/index.js'
import { enforceAccess, requireAccessDeclarations, type RouteEntry } from './access.js'
import { apiRoutes } from './api/index.js'
import { setUpAuth } from './plugins/auth.js'
import { setUpErrors } from './plugins/errors.js'
import { setUpHealth } from './plugins/health.js'
import { setUpRequestContext } from './plugins/requestContext.js'
import { setUpSecurity } from './plugins/security.js'
import { setUpSession } from './plugins/session.js'
import { projectRoot, setUpViews, setUpViewLocals } from './plugins/views.js'
import { webRoutes } from './routes/index.js'
import './types.js'

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/

export interface AppOptions {
  config: Config
  services: Services
  clock: Clock
  logger?: boolean
}

/**
 * The web application: plugins in a fixed, readable order, then routes. Health probes and the
 * API sit outside the browser context, so they never create a session or need a CSRF token.
 */
declare module 'fastify' {
  interface FastifyInstance {
    /** Every page and API route with its access rule, as registered. */
    routeTable: RouteEntry[]
  }
}

export async function buildApp({ config, services, clock, logger = true }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger
      ? {
          level: config.logLevel,
          // URLs carry ids and references only, never names; bodies and cookies are never logged.
          redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
        }
      : false,
    genReqId: request => {
      const given = request.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    trustProxy: config.production,
    bodyLimit: 1_048_576,
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
  })
  const routeTable: RouteEntry[] = []
  app.decorate('routeTable', { getter: () => routeTable })
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)

  setUpRequestContext(app)
  setUpHealth(app, services)
  await setUpSecurity(app, config)
  await app.register(fastifyStatic, {
    root: join(projectRoot, 'dist/public'),
    prefix: '/assets/',
    maxAge: config.production ? '1d' : 0,
    index: false,
  })
  await app.register(fastifyStatic, {
    root: join(projectRoot, 'node_modules/govuk-frontend/dist/govuk/assets/images'),
    prefix: '/assets/govuk/images/',
    decorateReply: false,
    index: false,
  })
  await setUpViews(app, config)
  setUpErrors(app)

  // The OpenAPI document is generated from the API routes' zod schemas.
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'onroll API',
        description: 'Children missing education: referrals, cases and the rules engine. See docs/api.md.',
        version: '1',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  })

  // The API context: Bearer tokens, rate limits, problem+json. No session, no CSRF.
  await app.register(apiRoutes, { prefix: '/api/v1', services, config, routeTable })
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { deepLinking: false } })

  // The browser context: sessions, CSRF, the signed-in person, pages.
  await app.register(async web => {
    requireAccessDeclarations(web, routeTable)
    // Only the sign-in routes opt in (config.rateLimit): guessing and flooding happen there.
    await web.register(rateLimit, { global: false })
    await web.register(formbody)
    await setUpSession(web, config, services)
    setUpAuth(web, services, clock)
    web.addHook('preHandler', enforceAccess)
    setUpViewLocals(web)
    await web.register(webRoutes, { services, config })
  })

  return app
}
