import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Config } from '../../config.js'
import type { Services } from '../../services/index.js'
import { enforceAccess, requireAccessDeclarations, type RouteEntry } from '../access.js'
import { caseApiRoutes } from './cases.js'
import { referralApiRoutes } from './referrals.js'
import { rulesApiRoutes } from './rules.js'

export interface ApiOptions {
  services: Services
  config: Config
  routeTable: RouteEntry[]
}

const BEARER = /^Bearer\s+(\S+)$/i

/**
 * The JSON API for other systems (a school MIS, another LA). Callers authenticate with an API token
 * (`Authorization: Bearer …`) made by an administrator for one organisation and set of roles.
 */
export async function apiRoutes(app: FastifyInstance, { services, config, routeTable }: ApiOptions): Promise<void> {
  requireAccessDeclarations(app, routeTable)
  await app.register(rateLimit, {
    max: config.production ? 300 : 5000,
    timeWindow: '1 minute',
    keyGenerator: request => request.headers.authorization ?? request.ip,
  })
  app.addHook('onRequest', async request => {
    const header = request.headers.authorization
    const token = header ? BEARER.exec(header)?.[1] : undefined
    if (token) request.actor = (await services.admin.actorForToken(token)) ?? null
  })
  // Before validation, so an anonymous caller gets 401, not a 400 that reveals what the body should be.
  app.addHook('preValidation', enforceAccess)

  const api = app.withTypeProvider<ZodTypeProvider>()

  api.get(
    '/me',
    {
      config: { access: 'signed-in' },
      schema: {
        summary: 'Who this token acts as',
        tags: ['tokens'],
        security: [{ bearer: [] }],
        response: {
          200: z.object({
            name: z.string(),
            organisation: z.object({ id: z.string(), name: z.string(), kind: z.string() }),
            roles: z.array(z.string()),
          }),
        },
      },
    },
    async request => {
      const actor = request.actor
      if (!actor) throw new Error('unreachable: access is enforced before the handler')
      return {
        name: actor.name,
        organisation: { id: actor.organisationId, name: actor.organisationName, kind: actor.organisationKind },
        roles: [...actor.roles],
      }
    },
  )

  await app.register(rulesApiRoutes, { services, config, routeTable })
  await app.register(referralApiRoutes, { services, config, routeTable })
  await app.register(caseApiRoutes, { services, config, routeTable })
}
