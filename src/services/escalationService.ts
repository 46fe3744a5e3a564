/**
 * Escalation up the chain of the protocol's Appendix E (domain/escalation.ts decides where a matter
 * goes and who may answer it; this service records it). A worker escalates a case with a reason; it
 * lands in the queue of the level above; whoever holds that level (or a higher one) answers with a
 * decision and an instruction, which returns to the case, or escalates it further. Each call
 * authorises, runs in one transaction, lands on the case's timeline and writes its audit events.
 */
import type { Selectable, Transaction } from 'kysely'
import { can } from '../domain/access.js'
import { applyAction, transitionFor } from '../domain/case.js'
import { CASE_STATUSES, isCaseStatus } from '../domain/caseStatus.js'
import { daysBetween, londonDate } from '../domain/dates.js'
import {
  ESCALATION_CHAIN,
  ESCALATION_DECISIONS,
  ESCALATION_LABELS,
  canAnswerEscalation,
  escalationTarget,
  isEscalationDecision,
  isEscalationLevel,
  validateEscalationAnswer,
  type EscalationLevel,
  type EscalationTarget,
} from '../domain/escalation.js'
import type { SchoolDays } from '../domain/schoolDays.js'
import { newId } from '../data/ids.js'
import type { Case, Database, EscalationTable } from '../data/schema.js'
import { audit } from './audit.js'
import { loadWorkspace } from './caseWorkService.js'
import { recordCaseEvent } from './caseEvents.js'
import type { Caller, Deps } from './deps.js'
import { ForbiddenError, NotFoundError, ValidationError } from './errors.js'
import { openEscalation } from './escalationRecords.js'
import type { MailService } from './mailService.js'

type CalendarLookup = (laCode: string, schoolId: string | null) => Promise<SchoolDays>

export const REASON_MAX = 2000
/** An instruction becomes a task for the case's worker, due this many school days after the answer. */
export const INSTRUCTION_TASK_SCHOOL_DAYS = 5

export interface EscalationRecord {
  id: string
  caseId: string
  level: EscalationLevel
  levelLabel: string
  reason: string
  raisedBy: string
  automatic: boolean
  raisedAt: string
  status: 'open' | 'answered' | 'escalated'
  decision: string | null
  decisionLabel: string | null
  instruction: string | null
  answeredBy: string | null
  answeredAt: string | null
  previousId: string | null
}

type Row = Selectable<EscalationTable>

const rank = (level: string): number => ESCALATION_CHAIN.indexOf(level as EscalationLevel)

function toRecord(r: Row): EscalationRecord {
  const level = isEscalationLevel(r.level) ? r.level : 'cme-information-officer'
  return {
    id: r.id,
    caseId: r.case_id,
    level,
    levelLabel: ESCALATION_LABELS[level],
    reason: r.reason,
    raisedBy: r.raised_by_name,
    automatic: r.automatic_reason !== null,
    raisedAt: r.raised_at,
    status: r.status === 'answered' ? 'answered' : r.status === 'escalated' ? 'escalated' : 'open',
    decision: r.decision,
    decisionLabel: r.decision && isEscalationDecision(r.decision) ? ESCALATION_DECISIONS[r.decision] : null,
    instruction: r.instruction,
    answeredBy: r.answered_by_name,
    answeredAt: r.answered_at,
    previousId: r.previous_id,
  }
}

/** The open escalation that holds the case highest in the chain, if any. */
export async function openEscalationOf(trx: Transaction<Database>, caseId: string): Promise<Row | undefined> {
  const open = await trx
    .selectFrom('escalations')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('status', '=', 'open')
    .orderBy('raised_at')
    .execute()
  return open.sort((a, b) => rank(b.level) - rank(a.level))[0]
}

export function createEscalationService({ db, clock, config }: Deps, mail: MailService, schoolDaysFor: CalendarLookup) {
  async function caseOf(trx: Transaction<Database>, caller: Caller, caseId: string): Promise<Case> {
    const c = await trx.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst()
    if (!c || c.la_code !== caller.actor.laCode) throw new NotFoundError('Case')
    return c
  }

  async function daysFor(caseId: string): Promise<SchoolDays> {
    const c = await db.selectFrom('cases').select(['la_code', 'school_id']).where('id', '=', caseId).executeTakeFirst()
    return schoolDaysFor(c?.la_code ?? config.la.code, c?.school_id ?? null)
  }

  async function escalationOf(trx: Transaction<Database>, caller: Caller, id: string): Promise<Row> {
    const e = await trx.selectFrom('escalations').selectAll().where('id', '=', id).executeTakeFirst()
    if (!e || e.la_code !== caller.actor.laCode) throw new NotFoundError('Escalation')
    return e
  }

  const requireWork = (caller: Caller) => {
    if (!can(caller.actor, 'case:work')) throw new ForbiddenError('case:work')
  }
  const requireAnswer = (caller: Caller) => {
    if (!can(caller.actor, 'escalation:answer')) throw new ForbiddenError('escalation:answer')
  }

  return {
    /** What the "Escalate this case" page needs: where the escalation would land, or why it cannot. */
    async prepare(
      caller: Caller,
      caseId: string,
    ): Promise<{
      caseId: string
      reference: string
      target: EscalationTarget
      current: string | null
      /** Why the lifecycle does not offer escalation for this case now, if it does not. */
      notPossible: string | null
    }> {
      requireWork(caller)
      return db.transaction().execute(async trx => {
        const c = await caseOf(trx, caller, caseId)
        const open = await openEscalationOf(trx, c.id)
        const current = open && isEscalationLevel(open.level) ? open.level : undefined
        await audit(trx, clock, caller.actor, caller.request, 'escalation.prepare', [
          { caseId: c.id, childId: c.child_id },
        ])
        return {
          caseId: c.id,
          reference: c.reference,
          target: escalationTarget(caller.actor.roles, current),
          current: current ? ESCALATION_LABELS[current] : null,
          notPossible:
            isCaseStatus(c.status) && transitionFor('escalate').from.includes(c.status)
              ? null
              : `The case is ${isCaseStatus(c.status) ? CASE_STATUSES[c.status].toLowerCase() : c.status}: only an open case can be escalated`,
        }
      })
    },

    /**
     * A worker escalates the case with a reason. It lands at the level above the worker's own and the
     * case's open escalation; an open escalation is moved up (closed as "escalated", the new one linked).
     */
    async escalate(
      caller: Caller,
      caseId: string,
      rawReason: string | undefined,
    ): Promise<{ id: string; level: EscalationLevel }> {
      requireWork(caller)
      const reason = rawReason?.trim() ?? ''
      if (reason.length > REASON_MAX)
        throw new ValidationError([
          { field: 'reason', message: `Reason must be ${String(REASON_MAX)} characters or fewer` },
        ])
      const days = await daysFor(caseId)
      return db.transaction().execute(async trx => {
        const c = await caseOf(trx, caller, caseId)
        const today = clock.today()
        const ws = await loadWorkspace(trx, c, caller.actor, today, days)
        const allowed = applyAction(ws.facts, 'escalate', caller.actor.roles, { reason }, today)
        if (!allowed.ok) throw new ValidationError(allowed.problems.map(message => ({ field: 'reason', message })))
        const open = await openEscalationOf(trx, c.id)
        const current = open && isEscalationLevel(open.level) ? open.level : undefined
        const target = escalationTarget(caller.actor.roles, current)
        if (!target.ok) throw new ValidationError([{ field: 'reason', message: target.problem }])
        if (open) await closeAs(trx, open, 'escalated', caller, 'escalate-further', reason)
        const id = await openEscalation(
          trx,
          clock,
          mail,
          config.serviceUrl,
          {
            laCode: c.la_code,
            caseId: c.id,
            reference: c.reference,
            level: target.level,
            reason,
            by: caller.actor,
            alertId: open?.alert_id ?? null,
            previousId: open?.id ?? null,
          },
          caller.actor,
        )
        await audit(trx, clock, caller.actor, caller.request, 'case.escalate', [
          { caseId: c.id, childId: c.child_id, detail: { escalationId: id, level: target.level } },
        ])
        return { id, level: target.level }
      })
    },

    /** "Escalated to me": open escalations the caller can answer, oldest first. References only, no names. */
    async queue(caller: Caller) {
      requireAnswer(caller)
      const levels = ESCALATION_CHAIN.filter(l => canAnswerEscalation(caller.actor.roles, l))
      const today = clock.today()
      return db.transaction().execute(async trx => {
        const rows =
          levels.length === 0
            ? []
            : await trx
                .selectFrom('escalations')
                .innerJoin('cases', 'cases.id', 'escalations.case_id')
                .selectAll('escalations')
                .select(['cases.reference', 'cases.child_id'])
                .where('escalations.la_code', '=', caller.actor.laCode)
                .where('escalations.status', '=', 'open')
                .where('escalations.level', 'in', levels)
                .orderBy('escalations.raised_at')
                .orderBy('escalations.id')
                .limit(500)
                .execute()
        await audit(
          trx,
          clock,
          caller.actor,
          caller.request,
          'escalation.queue',
          rows.length === 0
            ? [{}]
            : rows.map(r => ({ caseId: r.case_id, childId: r.child_id, detail: { escalationId: r.id } })),
        )
        return rows.map(r => ({
          ...toRecord(r),
          reference: r.reference,
          daysWaiting: Math.max(0, daysBetween(londonDate(new Date(r.raised_at)), today)),
        }))
      })
    },

    /** One escalation with the history that led to it, for the answer page. */
    async show(caller: Caller, id: string) {
      requireAnswer(caller)
      return db.transaction().execute(async trx => {
        const e = await escalationOf(trx, caller, id)
        const c = await caseOf(trx, caller, e.case_id)
        const history = (
          await trx.selectFrom('escalations').selectAll().where('case_id', '=', c.id).orderBy('raised_at').execute()
        ).map(toRecord)
        await audit(trx, clock, caller.actor, caller.request, 'escalation.view', [
          { caseId: c.id, childId: c.child_id, detail: { escalationId: e.id } },
        ])
        const record = toRecord(e)
        return {
          escalation: record,
          caseId: c.id,
          reference: c.reference,
          history: history.filter(h => h.id !== e.id),
          canAnswer: record.status === 'open' && canAnswerEscalation(caller.actor.roles, record.level),
          further: escalationTarget(caller.actor.roles, record.level),
        }
      })
    },

    /**
     * Records the answer. An instruction, "no further action" or "resolved" closes the escalation (and
     * the automatic alert behind it) and returns to the case; an instruction is also a task for the
     * case's worker. "Escalate further" moves the matter up instead, with the note as its reason.
     */
    async answer(
      caller: Caller,
      id: string,
      raw: { decision?: string | undefined; note?: string | undefined },
    ): Promise<{ caseId: string; escalatedTo?: EscalationLevel }> {
      requireAnswer(caller)
      const decision = raw.decision ?? ''
      const note = raw.note?.trim() ?? ''
      if (note.length > REASON_MAX)
        throw new ValidationError([
          { field: 'note', message: `This must be ${String(REASON_MAX)} characters or fewer` },
        ])
      const first = await db.selectFrom('escalations').select('case_id').where('id', '=', id).executeTakeFirst()
      const days = first ? await daysFor(first.case_id) : undefined
      return db.transaction().execute(async trx => {
        const e = await escalationOf(trx, caller, id)
        const c = await caseOf(trx, caller, e.case_id)
        if (!isEscalationLevel(e.level)) throw new NotFoundError('Escalation')
        const level = e.level
        if (!canAnswerEscalation(caller.actor.roles, level)) throw new ForbiddenError('escalation:answer')
        if (e.status !== 'open')
          throw new ValidationError([{ field: 'decision', message: 'This escalation has already been answered' }])
        const problems = validateEscalationAnswer({ decision, note }, level, caller.actor.roles)
        if (problems.length > 0)
          throw new ValidationError(
            problems.map(message => ({ field: message === 'Choose a decision' ? 'decision' : 'note', message })),
          )
        if (!isEscalationDecision(decision))
          throw new ValidationError([{ field: 'decision', message: 'Choose a decision' }])
        const label = ESCALATION_LABELS[level]

        if (decision === 'escalate-further') {
          const target = escalationTarget(caller.actor.roles, level)
          if (!target.ok) throw new ValidationError([{ field: 'decision', message: target.problem }])
          await closeAs(trx, e, 'escalated', caller, decision, note)
          const next = await openEscalation(
            trx,
            clock,
            mail,
            config.serviceUrl,
            {
              laCode: c.la_code,
              caseId: c.id,
              reference: c.reference,
              level: target.level,
              reason: note,
              by: caller.actor,
              alertId: e.alert_id,
              previousId: e.id,
            },
            caller.actor,
          )
          await audit(trx, clock, caller.actor, caller.request, 'escalation.escalate-further', [
            { caseId: c.id, childId: c.child_id, detail: { escalationId: e.id, next, level: target.level } },
          ])
          return { caseId: c.id, escalatedTo: target.level }
        }

        await closeAs(trx, e, 'answered', caller, decision, note)
        if (e.alert_id)
          await trx
            .updateTable('case_alerts')
            .set({ status: 'closed', closed_at: clock.now().toISOString() })
            .where('id', '=', e.alert_id)
            .execute()
        await recordCaseEvent(
          trx,
          clock,
          caller.actor,
          c.id,
          'escalation.answer',
          `Escalation answered by the ${label}: ${ESCALATION_DECISIONS[decision]}${note === '' ? '' : `: ${note}`}`,
          { escalationId: e.id, decision },
        )
        const worker = c.assigned_to ?? e.raised_by
        if (decision === 'instruction' && worker) {
          const due = days?.add(clock.today(), INSTRUCTION_TASK_SCHOOL_DAYS)
          await trx
            .insertInto('tasks')
            .values({
              id: newId(),
              case_id: c.id,
              la_code: c.la_code,
              kind: 'other',
              description: `Instruction from the ${label}: ${note}`.slice(0, 500),
              due_on: due?.ok ? due.value : clock.today(),
              assigned_to: worker,
              done_on: null,
              done_by: null,
              created_by: caller.actor.id,
              created_at: clock.now().toISOString(),
            })
            .execute()
          await recordCaseEvent(trx, clock, caller.actor, c.id, 'task.added', 'Task added: act on the instruction')
        }
        const people = [...new Set([c.assigned_to, e.raised_by].filter((v): v is string => v !== null))]
        const tell =
          people.length === 0
            ? []
            : await trx.selectFrom('users').select('email').where('id', 'in', people).where('active', '=', 1).execute()
        await mail.queue(
          trx,
          c.la_code,
          tell.map(u => ({
            to: u.email,
            subject: `Case ${c.reference}: escalation answered`,
            body: `The ${label} has answered the escalation on case ${c.reference}: ${ESCALATION_DECISIONS[decision]}.\n\n${config.serviceUrl}/cases/${c.id}#escalations`,
          })),
        )
        await audit(trx, clock, caller.actor, caller.request, 'escalation.answer', [
          { caseId: c.id, childId: c.child_id, detail: { escalationId: e.id, decision } },
        ])
        return { caseId: c.id }
      })
    },

    /** The case's escalations, newest first, for the case page (the case view writes the audit event). */
    async forCase(caller: Caller, caseId: string) {
      if (!can(caller.actor, 'single-list:view')) return []
      const rows = await db
        .selectFrom('escalations')
        .selectAll()
        .where('case_id', '=', caseId)
        .where('la_code', '=', caller.actor.laCode)
        .orderBy('raised_at', 'desc')
        .execute()
      return rows.map(r => {
        const rec = toRecord(r)
        return { ...rec, canAnswer: rec.status === 'open' && canAnswerEscalation(caller.actor.roles, rec.level) }
      })
    },
  }

  async function closeAs(
    trx: Transaction<Database>,
    e: Row,
    status: 'answered' | 'escalated',
    caller: Caller,
    decision: string,
    note: string,
  ): Promise<void> {
    const r = await trx
      .updateTable('escalations')
      .set({
        status,
        decision,
        instruction: note === '' ? null : note,
        answered_by: caller.actor.id,
        answered_by_name: caller.actor.name,
        answered_at: clock.now().toISOString(),
      })
      .where('id', '=', e.id)
      .where('status', '=', 'open')
      .executeTakeFirst()
    // Someone else answered or moved it up between our read and this write.
    if (Number(r.numUpdatedRows) === 0)
      throw new ValidationError([{ field: 'decision', message: 'This escalation has already been answered' }])
  }
}

export type EscalationService = ReturnType<typeof createEscalationService>
