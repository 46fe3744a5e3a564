import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { referralShape } from '../../domain/referral.js'
import { callerOf } from '../plugins/auth.js'
import { stageLabel } from '../../services/caseService.js'
import type { ApiOptions } from './index.js'

const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
})

const REFERENCE = /^CME-\d{4}-\d{6}$/

/** Referrals from other systems (a school MIS, a police system): the same schema and rules as the pages. */
export async function referralApiRoutes(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>()

  api.post(
    '/referrals',
    {
      config: { access: 'referral:create' },
      // The schema documents the body; the service validates it (shape and cross-field rules) so that every
      // problem comes back at once, with its JSON pointer, in the same words the pages use.
      validatorCompiler: () => (data: unknown) => ({ value: data }),
      schema: {
        summary: 'Make a CME referral (Appendix A)',
        description:
          'All sections must be answered, with data or with an explicit "not known" and why. Send an Idempotency-Key header so that a retry returns the first result instead of a duplicate.',
        tags: ['referrals'],
        security: [{ bearer: [] }],
        headers: z.object({ 'idempotency-key': z.string().max(200).optional() }),
        body: referralShape,
        response: {
          201: z.object({ reference: z.string(), status: z.string() }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key']
      const result = await services.referrals.submitFromApi(
        callerOf(request),
        request.body,
        typeof key === 'string' && key !== '' ? key.slice(0, 200) : undefined,
      )
      if (result.replayed) reply.header('Idempotent-Replayed', 'true')
      return reply.code(201).send({ reference: result.reference, status: result.status })
    },
  )

  api.get(
    '/referrals/:reference',
    {
      config: { access: 'referral:create' },
      schema: {
        summary: "A referral's progress, for the organisation that made it",
        tags: ['referrals'],
        security: [{ bearer: [] }],
        params: z.object({ reference: z.string().regex(REFERENCE, 'reference must look like CME-2026-000123') }),
        response: {
          200: z.object({
            reference: z.string(),
            status: z.string(),
            version: z.number(),
            submittedAt: z.string().nullable(),
            returnReasons: z.string().nullable(),
            progress: z.string().nullable(),
            closedOn: z.string().nullable(),
          }),
          404: problemSchema,
        },
      },
    },
    async request => {
      const row = await services.referrals.statusByReference(callerOf(request), request.params.reference)
      return {
        reference: row.reference ?? request.params.reference,
        status: row.status,
        version: row.current_version,
        submittedAt: row.submitted_at,
        returnReasons: row.return_reasons,
        progress: row.case_status ? stageLabel(row.case_status) : null,
        closedOn: row.closed_on,
      }
    },
  )
}
