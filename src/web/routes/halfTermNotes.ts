import type { FastifyInstance } from 'fastify'
import { callerOf } from '../plugins/auth.js'
import { pathId } from '../forms.js'
import type { RouteOptions } from './index.js'

/** The half-termly notes of closed cases, for the EWS Operational Manager and the directors. */
export async function halfTermNoteRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  const access = { config: { access: 'oversight:view' as const } }

  app.get('/oversight/notes', access, async (request, reply) =>
    reply.view('pages/oversight/notes.njk', { notes: await services.halfTermNotes.list(callerOf(request)) }),
  )

  app.get('/oversight/notes/:id', access, async (request, reply) =>
    reply.view('pages/oversight/note.njk', {
      note: await services.halfTermNotes.show(callerOf(request), pathId(request.params)),
    }),
  )
}
