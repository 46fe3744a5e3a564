import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ESCALATION_DECISIONS } from '../../domain/escalation.js'
import { callerOf } from '../plugins/auth.js'
import { formBody, pathId, tryForm, type FormErrors } from '../forms.js'
import type { RouteOptions } from './index.js'

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/**
 * Escalation up the Appendix E chain: the question page a worker escalates a case from, each level's
 * "Escalated to me" queue, and the page an escalation is answered (or escalated further) on.
 */
export async function escalationRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  const work = { config: { access: 'case:work' as const } }
  const answer = { config: { access: 'escalation:answer' as const } }

  async function escalatePage(
    request: FastifyRequest,
    reply: FastifyReply,
    form?: FormErrors & { values: Record<string, unknown> },
  ) {
    const page = await services.escalations.prepare(callerOf(request), pathId(request.params))
    return reply.code(form ? 400 : 200).view('pages/escalations/escalate.njk', { ...page, values: {}, ...form })
  }

  app.get('/cases/:id/escalate', work, async (request, reply) => escalatePage(request, reply))

  app.post('/cases/:id/escalate', work, async (request, reply) => {
    const id = pathId(request.params)
    const reason = str(formBody(request.body).reason)
    const result = await tryForm(() => services.escalations.escalate(callerOf(request), id, reason))
    if (result.ok) return reply.redirect(`/cases/${id}#escalations`)
    return escalatePage(request, reply, { ...result.form, values: { reason } })
  })

  app.get('/escalations', answer, async (request, reply) =>
    reply.view('pages/escalations/queue.njk', { escalations: await services.escalations.queue(callerOf(request)) }),
  )

  async function answerPage(
    request: FastifyRequest,
    reply: FastifyReply,
    form?: FormErrors & { values: Record<string, unknown> },
  ) {
    const page = await services.escalations.show(callerOf(request), pathId(request.params))
    return reply.code(form ? 400 : 200).view('pages/escalations/answer.njk', {
      ...page,
      decisions: Object.entries(ESCALATION_DECISIONS)
        .filter(([value]) => value !== 'escalate-further' || page.further.ok)
        .map(([value, text]) => ({
          value,
          text:
            value === 'escalate-further' && page.further.ok ? `Escalate further, to the ${page.further.label}` : text,
        })),
      values: {},
      ...form,
    })
  }

  app.get('/escalations/:id', answer, async (request, reply) => answerPage(request, reply))

  app.post('/escalations/:id', answer, async (request, reply) => {
    const body = formBody(request.body)
    const values = { decision: str(body.decision), note: str(body.note) }
    const result = await tryForm(() => services.escalations.answer(callerOf(request), pathId(request.params), values))
    if (result.ok) return reply.redirect(`/cases/${result.value.caseId}#escalations`)
    return answerPage(request, reply, { ...result.form, values })
  })
}
