import { CASEWORK_ROLES, hasAnyRole } from '../../../src/domain/roles.js'
import type { SampleFactory } from './index.js'

/** Case work on one case: checks, tasks, notes, outcomes, closure. Any open case of the LA will do. */
export const caseWorkSamples: SampleFactory = async rt => {
  const c = await rt.db
    .selectFrom('cases')
    .select('id')
    .where('la_code', '=', '317')
    .where('status', '=', 'stage-one')
    .executeTakeFirstOrThrow()
  const task = '00000000-0000-4000-8000-000000000001'
  return {
    params: {
      '/cases/:id/actions/:action': { id: c.id, action: 'start-stage-two' },
      '/cases/:id/checks': { id: c.id },
      '/cases/:id/tasks': { id: c.id },
      '/cases/:id/tasks/:taskId/done': { id: c.id, taskId: task },
      '/cases/:id/tasks/:taskId/reassign': { id: c.id, taskId: task },
      '/cases/:id/notes': { id: c.id },
      '/cases/:id/facts': { id: c.id },
      '/api/v1/cases/:id': { id: c.id },
      '/api/v1/cases/:id/checks': { id: c.id },
      '/api/v1/cases/:id/notes': { id: c.id },
    },
    // Case actions are open to anyone signed in at the route; the service lets only the CME team act.
    recordRules: {
      '/cases/:id/actions/:action': actor => actor.laCode === '317' && hasAnyRole(actor.roles, CASEWORK_ROLES),
    },
  }
}
