/**
 * Demo escalations, reviews and a half-term note (issue 7), so that each person in the Appendix E
 * chain who signs in finds something "Escalated to me": an open escalation at every level (the
 * Corporate Director's climbed there through the Operational Director), answered ones with their
 * instruction back on the case, an automatic one from an overdue alert, a review task for a case
 * closed as not found and a review already recorded, and the last half term's note. Fixed ids, so
 * loading twice changes nothing.
 */
import type { Kysely } from 'kysely'
import type { Clock } from '../domain/clock.js'
import { academicYearOf } from '../domain/calendar.js'
import { addDays } from '../domain/dates.js'
import {
  ESCALATION_DECISIONS,
  ESCALATION_LABELS,
  isEscalationDecision,
  type EscalationLevel,
} from '../domain/escalation.js'
import { halfTermNotes } from '../domain/schedule.js'
import type { Database } from '../data/schema.js'
import type { Services } from '../services/index.js'
import { demoId } from './demoData.js'

interface DemoEscalation {
  key: string
  /** Which open demo case (by reference order) it is on. */
  caseIndex: number
  level: EscalationLevel
  reason: string
  /** Email of the demo user who raised it; none for an automatic escalation. */
  by?: string
  automatic?: 'no-action'
  daysAgo: number
  previous?: string
  answer?: {
    decision: string
    instruction: string | null
    by: string
    daysAgo: number
    status: 'answered' | 'escalated'
  }
}

const EWO = 'ewo@demo.onroll.invalid'
const IO = 'cme.officer@demo.onroll.invalid'
const VCO = 'vco@demo.onroll.invalid'
const MANAGER = 'ews.manager@demo.onroll.invalid'
const OD = 'op.director@demo.onroll.invalid'

export const DEMO_ESCALATIONS: readonly DemoEscalation[] = [
  { key: 'io', caseIndex: 0, level: 'cme-information-officer', reason: 'School says the family has moved; please confirm before I close my visit log', by: EWO, daysAgo: 2 },
  { key: 'vco', caseIndex: 1, level: 'vulnerable-childrens-officer', reason: 'Parent refuses a home visit and there is a younger sibling known to social care', by: IO, daysAgo: 4 },
  { key: 'manager', caseIndex: 2, level: 'ews-operational-manager', reason: 'Housing and health checks contradict each other; need a decision on the final visit', by: VCO, daysAgo: 6 },
  { key: 'od', caseIndex: 3, level: 'operational-director', reason: 'Possible forced marriage risk abroad: needs a multi-agency decision', by: MANAGER, daysAgo: 3 },
  { key: 'cd-from', caseIndex: 4, level: 'operational-director', reason: 'Another authority disputes responsibility for the child', by: MANAGER, daysAgo: 9,
    answer: { decision: 'escalate-further', instruction: 'Needs agreement between directors of both authorities', by: OD, daysAgo: 5, status: 'escalated' } },
  { key: 'cd', caseIndex: 4, level: 'corporate-director', reason: 'Needs agreement between directors of both authorities', by: OD, daysAgo: 5, previous: 'cd-from' },
  { key: 'auto', caseIndex: 5, level: 'ews-operational-manager', reason: 'No action for 10 school days', automatic: 'no-action', daysAgo: 1 },
  { key: 'answered-vco', caseIndex: 6, level: 'vulnerable-childrens-officer', reason: 'Unsure whether a police welfare check is proportionate', by: IO, daysAgo: 12,
    answer: { decision: 'instruction', instruction: 'Ask the police for a welfare check this week and record the result', by: VCO, daysAgo: 10, status: 'answered' } },
  { key: 'answered-manager', caseIndex: 7, level: 'ews-operational-manager', reason: 'School wants the child removed from roll before our checks are finished', by: VCO, daysAgo: 15,
    answer: { decision: 'no-further-action', instruction: 'The school has agreed to wait for stage two', by: MANAGER, daysAgo: 14, status: 'answered' } },
] // prettier-ignore

const user = (email: string) => demoId(`user:${email}`)

export async function loadDemoEscalations(
  db: Kysely<Database>,
  clock: Clock,
  services: Services,
  laCode: string,
): Promise<number> {
  const today = clock.today()
  const now = clock.now()
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000).toISOString()
  // Calendars read through their own connection: before the transaction (SQLite has one connection).
  const { data, bankHolidays } = await services.calendars.calendarFor(laCode)
  const notes = [academicYearOf(today) - 1, academicYearOf(today)].flatMap(y => {
    const r = halfTermNotes(data, bankHolidays, y)
    return r.ok ? r.value : []
  })
  const lastNote = notes.filter(n => n.noteOn < today).at(-1)

  return db.transaction().execute(async trx => {
    let inserted = 0
    const open = await trx
      .selectFrom('cases')
      .select(['id', 'assigned_to'])
      .where('la_code', '=', laCode)
      .where('status', 'in', ['triaged', 'stage-one', 'stage-two', 'stage-three'])
      .orderBy('reference')
      .limit(DEMO_ESCALATIONS.length)
      .execute()
    const names = new Map(
      (await trx.selectFrom('users').select(['id', 'name']).execute()).map(u => [u.id, u.name] as const),
    )
    for (const e of DEMO_ESCALATIONS) {
      const c = open[e.caseIndex]
      if (!c) continue
      const id = demoId(`escalation:${e.key}`)
      const alertId = e.automatic ? demoId(`alert:${e.key}`) : null
      if (alertId) {
        const reasonKey = `no-action:${addDays(today, -15)}`
        await trx
          .insertInto('case_alerts')
          .values({
            id: alertId,
            la_code: laCode,
            case_id: c.id,
            reason: 'no-action',
            reason_key: reasonKey,
            message: e.reason,
            level: e.level,
            due_on: addDays(today, -e.daysAgo - 1),
            status: 'open',
            raised_at: at(e.daysAgo),
            closed_at: null,
          })
          .onConflict(oc => oc.doNothing())
          .execute()
      }
      const raisedBy = e.by ? user(e.by) : null
      const r = await trx
        .insertInto('escalations')
        .values({
          id,
          la_code: laCode,
          case_id: c.id,
          level: e.level,
          reason: e.reason,
          raised_by: raisedBy,
          raised_by_name: raisedBy ? (names.get(raisedBy) ?? 'Demo user') : 'onroll (automatic)',
          automatic_reason: e.automatic ?? null,
          alert_id: alertId,
          previous_id: e.previous ? demoId(`escalation:${e.previous}`) : null,
          raised_at: at(e.daysAgo),
          status: e.answer?.status ?? 'open',
          decision: e.answer?.decision ?? null,
          instruction: e.answer?.instruction ?? null,
          answered_by: e.answer ? user(e.answer.by) : null,
          answered_by_name: e.answer ? (names.get(user(e.answer.by)) ?? 'Demo user') : null,
          answered_at: e.answer ? at(e.answer.daysAgo) : null,
        })
        .onConflict(oc => oc.column('id').doNothing())
        .executeTakeFirst()
      if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) continue
      inserted += 1
      await trx
        .insertInto('case_events')
        .values({
          id: demoId(`event:escalation:${e.key}`),
          case_id: c.id,
          at: at(e.daysAgo),
          actor_id: raisedBy,
          actor_name: raisedBy ? (names.get(raisedBy) ?? 'Demo user') : 'onroll (scheduled job)',
          kind: 'escalation',
          summary: `${e.automatic ? 'Escalated automatically' : 'Escalated'} to the ${ESCALATION_LABELS[e.level]}: ${e.reason}`,
          detail: JSON.stringify({ escalationId: id, level: e.level }),
        })
        .execute()
      if (e.answer?.status === 'answered') {
        await trx
          .insertInto('case_events')
          .values({
            id: demoId(`event:escalation-answer:${e.key}`),
            case_id: c.id,
            at: at(e.answer.daysAgo),
            actor_id: user(e.answer.by),
            actor_name: names.get(user(e.answer.by)) ?? 'Demo user',
            kind: 'escalation.answer',
            summary: `Escalation answered by the ${ESCALATION_LABELS[e.level]}: ${isEscalationDecision(e.answer.decision) ? ESCALATION_DECISIONS[e.answer.decision] : e.answer.decision}${e.answer.instruction ? `: ${e.answer.instruction}` : ''}`,
            detail: JSON.stringify({ escalationId: id, decision: e.answer.decision }),
          })
          .execute()
        if (e.answer.decision === 'instruction' && e.answer.instruction)
          await trx
            .insertInto('tasks')
            .values({
              id: demoId(`task:escalation:${e.key}`),
              case_id: c.id,
              la_code: laCode,
              kind: 'other',
              description: `Instruction from the ${ESCALATION_LABELS[e.level]}: ${e.answer.instruction}`,
              due_on: addDays(today, 3),
              assigned_to: c.assigned_to ?? user(IO),
              done_on: null,
              done_by: null,
              created_by: user(e.answer.by),
              created_at: at(e.answer.daysAgo),
            })
            .onConflict(oc => oc.column('id').doNothing())
            .execute()
      }
    }

    // Reviews of cases closed as not found: one still to do, one recorded (closure confirmed).
    const unfound = await trx
      .selectFrom('cases')
      .select(['id', 'assigned_to'])
      .where('la_code', '=', laCode)
      .where('status', '=', 'closed')
      .where('outcome', '=', 'not-found')
      .orderBy('reference')
      .limit(2)
      .execute()
    for (const [i, c] of unfound.entries()) {
      const done = i === 1
      const r = await trx
        .insertInto('tasks')
        .values({
          id: demoId(`task:review:${String(i)}`),
          case_id: c.id,
          la_code: laCode,
          kind: 'review',
          description: 'Review of a case closed as not found (held in the school holidays)',
          due_on: done ? addDays(today, -20) : today,
          assigned_to: c.assigned_to ?? user(IO),
          done_on: done ? addDays(today, -19) : null,
          done_by: done ? user(IO) : null,
          created_by: 'system',
          created_at: at(done ? 20 : 0),
        })
        .onConflict(oc => oc.column('id').doNothing())
        .executeTakeFirst()
      if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0 || !done) continue
      inserted += 1
      for (const source of ['school-rolls', 'health', 'lost-pupil-database'])
        await trx
          .insertInto('case_checks')
          .values({
            id: demoId(`check:review:${source}`),
            case_id: c.id,
            stage: 'review',
            item_key: source,
            label: source,
            result: 'not-found',
            details: 'No trace on any source checked again',
            checked_on: addDays(today, -19),
            checked_by: user(IO),
            checked_by_name: names.get(user(IO)) ?? 'Demo user',
            created_at: at(19),
          })
          .onConflict(oc => oc.column('id').doNothing())
          .execute()
      await trx
        .insertInto('case_events')
        .values({
          id: demoId('event:review:confirmed'),
          case_id: c.id,
          at: at(19),
          actor_id: user(IO),
          actor_name: names.get(user(IO)) ?? 'Demo user',
          kind: 'case.review',
          summary:
            'Review: still not found after checking 3 sources; closure confirmed: No trace on any source checked again',
          detail: null,
        })
        .onConflict(oc => oc.column('id').doNothing())
        .execute()
    }

    // The last half term's note, as the half-term-note job would have filed it.
    if (lastNote) {
      const closed = await trx
        .selectFrom('cases')
        .select(['outcome', 'status'])
        .where('la_code', '=', laCode)
        .where('status', 'in', ['closed', 'transferred'])
        .where('closed_on', '>=', lastNote.coversFrom)
        .where('closed_on', '<=', lastNote.coversTo)
        .execute()
      const byOutcome: Record<string, number> = {}
      for (const c of closed) byOutcome[c.outcome ?? c.status] = (byOutcome[c.outcome ?? c.status] ?? 0) + 1
      const r = await trx
        .insertInto('reports')
        .values({
          id: demoId(`report:half-term:${lastNote.noteOn}`),
          la_code: laCode,
          kind: 'half-term-note',
          period_from: lastNote.coversFrom,
          period_to: lastNote.coversTo,
          created_at: `${lastNote.noteOn}T18:00:00.000Z`,
          body: JSON.stringify({ total: closed.length, byOutcome }),
        })
        .onConflict(oc => oc.doNothing())
        .executeTakeFirst()
      if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) inserted += 1
    }
    return inserted
  })
}
