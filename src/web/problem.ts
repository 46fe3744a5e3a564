import type { FastifyReply } from 'fastify'

/** RFC 9457 problem details. `errors` lists field-level problems with a JSON pointer to each field. */
export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  errors?: { pointer: string; detail: string }[]
  [extension: string]: unknown
}

export function problem(status: number, title: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: 'about:blank', title, status, detail, ...extra }
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type('application/problem+json').send(p)
}
