import type { FastifyInstance } from 'fastify'

/** Every request carries an id (echoed in X-Request-Id, on every log line and audit event) and its client address. */
export function setUpRequestContext(app: FastifyInstance): void {
  app.decorateRequest('actor', null)
  app.decorateRequest('context', {
    getter() {
      return { requestId: this.id, clientIp: this.ip }
    },
  })
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id)
  })
}
