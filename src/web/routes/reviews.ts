import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ValidationError } from '../../services/errors.js'
import { callerOf } from '../plugins/auth.js'
import { pageErrors, readDate, typedDate, typedFromIso, type TypedDate } from '../dateInput.js'
import { asList, formBody, pathId } from '../forms.js'
import type { RouteOptions } from './index.js'

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/** Recording the review of a case closed as not found, from the review task the job set. */
export async function reviewRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  const work = { config: { access: 'case:work' as const } }

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    form?: {
      values: { sources: string[]; reviewedOn: TypedDate; findings?: string | undefined; decision?: string | undefined }
    } & ReturnType<typeof pageErrors>,
  ) {
    const params = request.params
    const review = await services.unfoundReviews.show(callerOf(request), pathId(params), pathId(params, 'taskId'))
    return reply.code(form ? 400 : 200).view('pages/cases/review.njk', {
      ...review,
      taskId: pathId(params, 'taskId'),
      values: { sources: [], reviewedOn: typedFromIso(review.today) },
      ...form,
    })
  }

  app.get('/reviews', work, async (request, reply) =>
    reply.view('pages/cases/reviews.njk', { reviews: await services.unfoundReviews.waiting(callerOf(request)) }),
  )

  app.get('/cases/:id/reviews/:taskId', work, async (request, reply) => page(request, reply))

  app.post('/cases/:id/reviews/:taskId', work, async (request, reply) => {
    const body = formBody(request.body)
    const typed = typedDate(body, 'reviewedOn')
    const reading = readDate(typed, 'Date of the review', true)
    const values = {
      sources: asList(body.sources),
      reviewedOn: typed,
      findings: str(body.findings),
      decision: str(body.decision),
    }
    const id = pathId(request.params)
    try {
      await services.unfoundReviews.record(callerOf(request), id, pathId(request.params, 'taskId'), {
        sources: values.sources,
        reviewedOn: reading.ok ? reading.value : undefined,
        findings: values.findings,
        decision: values.decision,
      })
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      // The boxes' own message ("Date of the review must include a month") says more than the service's.
      const problems = err.problems.map(p =>
        p.field === 'reviewedOn' && !reading.ok ? { ...p, message: reading.message } : p,
      )
      return page(request, reply, { ...pageErrors(problems, ['reviewedOn']), values })
    }
    return reply.redirect(`/cases/${id}`)
  })
}
