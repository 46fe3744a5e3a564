import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { callerOf } from '../plugins/auth.js'
import type { ApiOptions } from './index.js'

const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
})
const caseParams = z.object({ id: z.uuid('id must be a case id') })

/** The CME team's own integrations: read a case, add a check result, add a note. Same rules, same audit. */
export async function caseApiRoutes(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>()

  api.get(
    '/cases/:id',
    {
      config: { access: 'single-list:view' },
      schema: {
        summary: 'A case: its child, stage, priority, checks, tasks and timeline',
        tags: ['cases'],
        security: [{ bearer: [] }],
        params: caseParams,
        // The case file's shape follows the page's; documented as an object of named fields.
        response: { 200: z.record(z.string(), z.unknown()), 404: problemSchema, 403: problemSchema },
      },
    },
    async request => {
      const view = await services.cases.view(callerOf(request), request.params.id)
      if (view.view === 'status')
        return { reference: view.reference, stage: view.stage, referredOn: view.referredOn, closedOn: view.closedOn }
      const r = view.record
      return {
        id: view.caseId,
        reference: view.reference,
        status: view.status,
        stage: view.stage,
        priority: view.priority,
        version: view.version,
        child: { firstName: r.first_name, lastName: r.last_name, dateOfBirth: r.date_of_birth, upn: r.upn },
        referredOn: r.referred_on,
        school: r.school_name,
        assignedTo: r.worker_name,
        nextAction: r.next_action,
        actions: view.work.actions,
        stageTwo: view.work.stageTwo,
        tasks: view.work.tasks,
        timeline: view.timeline.map(e => ({ at: e.at, by: e.actorName, summary: e.summary })),
      }
    },
  )

  api.post(
    '/cases/:id/checks',
    {
      config: { access: 'case:work' },
      schema: {
        summary: 'Record a stage one, two or three check',
        tags: ['cases'],
        security: [{ bearer: [] }],
        params: caseParams,
        body: z.object({
          stage: z.enum(['one', 'two', 'three']),
          item: z.string().optional().describe('Stage one: the checklist item key; stage two: the source key'),
          result: z.string(),
          checkedOn: z.string().describe('YYYY-MM-DD'),
          details: z.string().optional(),
        }),
        response: {
          201: z.object({ recorded: z.boolean() }),
          400: problemSchema,
          403: problemSchema,
          404: problemSchema,
        },
      },
    },
    async (request, reply) => {
      await services.caseWork.addCheck(callerOf(request), request.params.id, request.body)
      return reply.code(201).send({ recorded: true })
    },
  )

  api.post(
    '/cases/:id/notes',
    {
      config: { access: 'case:work' },
      schema: {
        summary: 'Add a note to a case',
        tags: ['cases'],
        security: [{ bearer: [] }],
        params: caseParams,
        body: z.object({ note: z.string() }),
        response: {
          201: z.object({ recorded: z.boolean() }),
          400: problemSchema,
          403: problemSchema,
          404: problemSchema,
        },
      },
    },
    async (request, reply) => {
      await services.caseWork.addNote(callerOf(request), request.params.id, request.body.note)
      return reply.code(201).send({ recorded: true })
    },
  )
}
