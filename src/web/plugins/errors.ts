import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../services/errors.js'
import { problem, sendProblem } from '../problem.js'

const isApi = (request: FastifyRequest) => request.url.startsWith('/api/')

/**
 * Every failure becomes a GOV.UK error page or an RFC 9457 problem: never a stack trace,
 * never personal data. Denials are logged as security events.
 */
export function setUpErrors(app: FastifyInstance): void {
  app.setNotFoundHandler(async (request, reply) => {
    if (isApi(request)) return sendProblem(reply, problem(404, 'Not found', 'There is nothing at this address.'))
    return reply.code(404).view('pages/errors/not-found.njk', {})
  })

  app.setErrorHandler(async (error: FastifyError, request, reply: FastifyReply) => {
    if (error instanceof ForbiddenError) {
      request.log.warn(
        { security: 'access-denied', permission: error.permission, actor: request.actor?.id },
        'access denied',
      )
      if (isApi(request))
        return sendProblem(reply, problem(403, 'Forbidden', 'Your organisation or role does not allow this.'))
      return reply.code(403).view('pages/errors/forbidden.njk', {})
    }
    if (error instanceof NotFoundError) {
      if (isApi(request)) return sendProblem(reply, problem(404, 'Not found', `${error.what} was not found.`))
      return reply.code(404).view('pages/errors/not-found.njk', {})
    }
    if (error instanceof ValidationError) {
      return sendProblem(
        reply,
        problem(400, 'Invalid request', error.message, {
          errors: error.problems.map(p => ({ pointer: p.field, detail: p.message })),
        }),
      )
    }
    if (error instanceof ConflictError) {
      return sendProblem(reply, problem(409, 'Conflict', error.message))
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      return sendProblem(
        reply,
        problem(400, 'Invalid request', 'Some of the information given is not valid.', {
          errors: error.validation.map(v => ({
            // A problem with the whole body or query has instancePath '/': point at it as '/body', not '/body/'.
            pointer: `/${error.validationContext ?? ''}${v.instancePath === '/' ? '' : v.instancePath}`,
            detail: v.message ?? 'is not valid',
          })),
        }),
      )
    }
    const status = error.statusCode ?? 500
    if (status === 403 && error.code.startsWith('FST_CSRF_')) {
      request.log.warn({ security: 'csrf-rejected' }, 'form with a missing or wrong CSRF token')
      return reply.code(403).view('pages/errors/session-expired.njk', {})
    }
    if (status === 429) {
      if (isApi(request))
        return sendProblem(reply, problem(429, 'Too many requests', 'Slow down and try again shortly.'))
      return reply.code(429).view('pages/errors/too-many-requests.njk', {})
    }
    if (status >= 400 && status < 500) {
      if (isApi(request))
        return sendProblem(reply, problem(status, 'Bad request', 'The request could not be understood.'))
      return reply.code(status).view('pages/errors/bad-request.njk', {})
    }
    request.log.error({ err: error }, 'unhandled error')
    if (isApi(request)) return sendProblem(reply, problem(500, 'Internal error', 'Something went wrong on our side.'))
    return reply.code(500).view('pages/errors/problem.njk', {})
  })
}
