/**
 * Monthly oversight by the EWS Operational Manager (protocol Appendix E): the figures the manager
 * reviews, each a way into the Single List, the escalations waiting, the half-term notes, and the
 * record that oversight was done. Figures only: no child is named on this page.
 */
import { can } from '../domain/access.js'
import { CASE_STATUSES, OPEN_STATUSES, PRIORITIES, isPriority } from '../domain/caseStatus.js'
import { isIsoDate } from '../domain/dates.js'
import { ESCALATION_LABELS, isEscalationLevel } from '../domain/escalation.js'
import { monthlyOversightDue } from '../domain/schedule.js'
import { newId } from '../data/ids.js'
import { audit } from './audit.js'
import type { Caller, Deps } from './deps.js'
import { ForbiddenError, ValidationError } from './errors.js'

export interface OversightInput {
  /** YYYY-MM-DD, or a problem message from reading the date boxes. */
  recordedOn: { ok: true; value: string | undefined } | { ok: false; message: string }
  notes: string
}

const NOTES_MAX = 5000

export function createOversightService({ db, clock }: Deps) {
  const require = (caller: Caller) => {
    if (!can(caller.actor, 'oversight:view')) throw new ForbiddenError('oversight:view')
  }

  return {
    async summary(caller: Caller) {
      require(caller)
      const laCode = caller.actor.laCode
      const today = clock.today()
      return db.transaction().execute(async trx => {
        const byStage = await trx
          .selectFrom('cases')
          .select(['status', 'priority', eb => eb.fn.countAll<number>().as('n')])
          .where('la_code', '=', laCode)
          .where('status', 'in', [...OPEN_STATUSES])
          .groupBy(['status', 'priority'])
          .execute()
        const overdueTasks = await trx
          .selectFrom('tasks')
          .innerJoin('cases', 'cases.id', 'tasks.case_id')
          .select(eb => eb.fn.count<number>('tasks.id').as('n'))
          .where('tasks.la_code', '=', laCode)
          .where('tasks.done_on', 'is', null)
          .where('tasks.due_on', '<', today)
          .where('cases.status', 'in', [...OPEN_STATUSES])
          .executeTakeFirst()
        const unassigned = await trx
          .selectFrom('cases')
          .select(eb => eb.fn.countAll<number>().as('n'))
          .where('la_code', '=', laCode)
          .where('status', 'in', [...OPEN_STATUSES])
          .where('assigned_to', 'is', null)
          .executeTakeFirst()
        // Escalations waiting at any level of the chain, automatic ones included (escalationService).
        const alerts = await trx
          .selectFrom('escalations')
          .innerJoin('cases', 'cases.id', 'escalations.case_id')
          .select([
            'escalations.id',
            'escalations.case_id',
            'cases.reference',
            'escalations.level',
            'escalations.reason',
            'escalations.raised_at',
          ])
          .where('escalations.la_code', '=', laCode)
          .where('escalations.status', '=', 'open')
          .orderBy('escalations.raised_at')
          .execute()
        const reports = await trx
          .selectFrom('reports')
          .selectAll()
          .where('la_code', '=', laCode)
          .orderBy('period_to', 'desc')
          .limit(6)
          .execute()
        const records = await trx
          .selectFrom('oversight_records')
          .selectAll()
          .where('la_code', '=', laCode)
          .orderBy('recorded_on', 'desc')
          .orderBy('created_at', 'desc')
          .limit(12)
          .execute()
        await audit(trx, clock, caller.actor, caller.request, 'oversight.view', [
          { detail: { openAlerts: alerts.length } },
        ])

        const stages = OPEN_STATUSES.map(status => {
          const rows = byStage.filter(r => r.status === status)
          const count = (p: string | null) =>
            rows
              .filter(r => r.priority === p || (p === null && !isPriority(r.priority ?? '')))
              .reduce((a, r) => a + r.n, 0)
          return {
            status,
            label: CASE_STATUSES[status],
            total: rows.reduce((a, r) => a + r.n, 0),
            byPriority: [
              ...Object.keys(PRIORITIES).map(p => ({ priority: p, count: count(p) })),
              { priority: 'none', count: count(null) },
            ],
          }
        })
        const last = records[0]
        return {
          today,
          stages,
          priorities: [
            ...Object.entries(PRIORITIES).map(([value, text]) => ({ value, text })),
            { value: 'none', text: 'Awaiting triage' },
          ],
          overdueTasks: overdueTasks?.n ?? 0,
          closuresWaiting: stages.find(s => s.status === 'closure-requested')?.total ?? 0,
          unassigned: unassigned?.n ?? 0,
          escalationsWaiting: alerts.length,
          alerts: alerts.slice(0, 100).map(a => ({
            id: a.id,
            caseId: a.case_id,
            reference: a.reference,
            level: isEscalationLevel(a.level) ? ESCALATION_LABELS[a.level] : a.level,
            message: a.reason,
            raisedAt: a.raised_at,
          })),
          reports: reports.map(r => ({
            id: r.id,
            kind: r.kind,
            from: r.period_from,
            to: r.period_to,
            createdAt: r.created_at,
            body: JSON.parse(r.body) as { total: number; byOutcome: Record<string, number> },
          })),
          records: records.map(r => ({
            recordedOn: r.recorded_on,
            notes: r.notes,
            by: r.recorded_by_name,
            at: r.created_at,
          })),
          state: monthlyOversightDue(last?.recorded_on, today),
        }
      })
    },

    /** Records that this month's oversight was done; the date cannot be in the future. */
    async record(caller: Caller, input: OversightInput): Promise<void> {
      require(caller)
      const problems: { field: string; message: string }[] = []
      const today = clock.today()
      let recordedOn: string | undefined
      if (!input.recordedOn.ok) problems.push({ field: 'recordedOn', message: input.recordedOn.message })
      else {
        recordedOn = input.recordedOn.value
        if (recordedOn === undefined || !isIsoDate(recordedOn))
          problems.push({ field: 'recordedOn', message: 'Enter the date oversight was done' })
        else if (recordedOn > today)
          problems.push({ field: 'recordedOn', message: 'The date oversight was done must be today or in the past' })
      }
      const notes = input.notes.trim()
      if (notes.length > NOTES_MAX)
        problems.push({ field: 'notes', message: `Notes must be ${String(NOTES_MAX)} characters or fewer` })
      if (problems.length > 0 || recordedOn === undefined) throw new ValidationError(problems)
      const on = recordedOn
      await db.transaction().execute(async trx => {
        const id = newId()
        await trx
          .insertInto('oversight_records')
          .values({
            id,
            la_code: caller.actor.laCode,
            recorded_on: on,
            notes: notes === '' ? null : notes,
            recorded_by: caller.actor.id,
            recorded_by_name: caller.actor.name,
            created_at: clock.now().toISOString(),
          })
          .execute()
        await audit(trx, clock, caller.actor, caller.request, 'oversight.record', [
          { detail: { oversightId: id, recordedOn: on } },
        ])
      })
    },
  }
}

export type OversightService = ReturnType<typeof createOversightService>
