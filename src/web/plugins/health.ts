import type { FastifyInstance } from 'fastify'
import type { Services } from '../../services/index.js'

/** Probes for load balancers and orchestrators; registered before sessions so a probe never makes one. */
export function setUpHealth(app: FastifyInstance, services: Services): void {
  app.get('/health/live', { config: { access: 'public' } }, async () => ({ status: 'up' }))
  app.get('/health/ready', { config: { access: 'public' } }, async (_request, reply) => {
    const components = await services.health.ready()
    const up = components.database === 'up'
    return reply.code(up ? 200 : 503).send({ status: up ? 'up' : 'down', components })
  })
}
