import type { SampleFactory } from './index.js'

/**
 * Escalations, reviews of cases not found and half-term notes. The escalation sits at the first level
 * of the chain so that every level may answer it; the review task is on a case closed as not found.
 */
export const escalationSamples: SampleFactory = async rt => {
  const open = await rt.db
    .selectFrom('cases')
    .select('id')
    .where('la_code', '=', '317')
    .where('status', '=', 'stage-one')
    .executeTakeFirstOrThrow()
  const closed = await rt.db
    .selectFrom('cases')
    .select(['id', 'assigned_to'])
    .where('la_code', '=', '317')
    .where('status', '=', 'closed')
    .where('outcome', '=', 'not-found')
    .executeTakeFirstOrThrow()
  const escalationId = '00000000-0000-4000-8000-00000000e5c1'
  const taskId = '00000000-0000-4000-8000-00000000e5c2'
  const reportId = '00000000-0000-4000-8000-00000000e5c3'
  const now = rt.clock.now().toISOString()
  await rt.db
    .insertInto('escalations')
    .values({
      id: escalationId,
      la_code: '317',
      case_id: open.id,
      level: 'cme-information-officer',
      reason: 'Sample escalation',
      raised_by: null,
      raised_by_name: 'Sample',
      automatic_reason: null,
      alert_id: null,
      previous_id: null,
      raised_at: now,
      status: 'open',
      decision: null,
      instruction: null,
      answered_by: null,
      answered_by_name: null,
      answered_at: null,
    })
    .onConflict(oc => oc.column('id').doNothing())
    .execute()
  const officer = await rt.db.selectFrom('users').select('id').orderBy('created_at').executeTakeFirstOrThrow()
  await rt.db
    .insertInto('tasks')
    .values({
      id: taskId,
      case_id: closed.id,
      la_code: '317',
      kind: 'review',
      description: 'Review of a case closed as not found',
      due_on: rt.clock.today(),
      assigned_to: closed.assigned_to ?? officer.id,
      done_on: null,
      done_by: null,
      created_by: 'system',
      created_at: now,
    })
    .onConflict(oc => oc.column('id').doNothing())
    .execute()
  await rt.db
    .insertInto('reports')
    .values({
      id: reportId,
      la_code: '317',
      kind: 'half-term-note',
      period_from: '2026-09-01',
      period_to: '2026-10-23',
      created_at: now,
      body: JSON.stringify({ total: 1, byOutcome: { 'not-found': 1 } }),
    })
    .onConflict(oc => oc.column('id').doNothing())
    .execute()
  return {
    params: {
      '/cases/:id/escalate': { id: open.id },
      '/escalations/:id': { id: escalationId },
      '/cases/:id/reviews/:taskId': { id: closed.id, taskId },
      '/oversight/notes/:id': { id: reportId },
    },
    recordRules: {},
  }
}
