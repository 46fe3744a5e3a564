/**
 * The work the scheduled jobs do (src/jobs/): reminder digests, automatic escalations, the
 * half-termly note of closed cases and the reviews of cases closed as not found. Each call runs as
 * the system, in one transaction, and writes its audit events there; emails never name a child.
 * Calendars and policy are read before the transaction opens, because SQLite has one connection.
 */
import { sql, type Transaction } from 'kysely'
import type { Actor, RequestContext } from '../domain/actor.js'
import { systemActor } from '../domain/actor.js'
import { academicYearOf, type CalendarData } from '../domain/calendar.js'
import { OPEN_STATUSES, isCaseStatus, isPriority } from '../domain/caseStatus.js'
import { addDays, isWeekend, londonDate, type IsoDate } from '../domain/dates.js'
import {
  AUTOMATIC_ESCALATION_LEVEL,
  ESCALATION_CHAIN,
  ESCALATION_LABELS,
  automaticEscalations,
  isEscalationLevel,
  type CaseForEscalation,
  type EscalationLevel,
} from '../domain/escalation.js'
import { digestFor, halfTermNotes, isDue, unfoundReviewDates, type HalfTermNote } from '../domain/schedule.js'
import type { SchoolDays } from '../domain/schoolDays.js'
import { newId } from '../data/ids.js'
import type { Database } from '../data/schema.js'
import { audit } from './audit.js'
import type { CalendarService } from './calendarService.js'
import { recordCaseEvent } from './caseEvents.js'
import { openEscalation, roleHolderEmails } from './escalationRecords.js'
import type { Deps } from './deps.js'
import type { MailService } from './mailService.js'
import type { PolicyService } from './policyService.js'

export interface WorkResult {
  /** Counts only: this is stored in job_runs and shown to administrators. */
  summary: Record<string, number>
  /** What the calendar or policy could not answer; reported, never guessed at. */
  problems: string[]
}

const plural = (n: number, word: string) => `${String(n)} ${word}${n === 1 ? '' : 's'}`

/** The academic years a date may need: this one, and last year's for anything missed across 1 September. */
const yearsAround = (today: IsoDate) => [academicYearOf(today) - 1, academicYearOf(today)]

export function createScheduledWorkService(
  { db, clock, config }: Deps,
  mail: MailService,
  calendars: CalendarService,
  policy: PolicyService,
) {
  const laCode = config.la.code

  /** The LA's own organisation, so the system's audit events belong to it. */
  async function actor(): Promise<Actor> {
    const la = await db
      .selectFrom('organisations')
      .select('id')
      .where('la_code', '=', laCode)
      .where('kind', '=', 'la')
      .orderBy('created_at')
      .executeTakeFirst()
    return { ...systemActor(laCode, la?.id ?? 'system'), name: 'onroll (scheduled job)' }
  }

  const request = (job: string): RequestContext => ({ requestId: `job-${job}-${newId()}`, clientIp: null })

  async function managerEmails(trx: Transaction<Database>): Promise<string[]> {
    const rows = await trx
      .selectFrom('users')
      .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
      .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
      .select('users.email')
      .where('user_roles.role', '=', AUTOMATIC_ESCALATION_LEVEL)
      .where('users.active', '=', 1)
      .where('organisations.la_code', '=', laCode)
      .orderBy('users.email')
      .execute()
    return [...new Set(rows.map(r => r.email))]
  }

  /** School days per school, fetched once each before the transaction. */
  async function schoolDaysBySchool(schoolIds: readonly (string | null)[]): Promise<Map<string | null, SchoolDays>> {
    const map = new Map<string | null, SchoolDays>()
    for (const id of new Set(schoolIds))
      map.set(id, await calendars.schoolDaysForSchool(laCode, id ? { id } : undefined))
    return map
  }

  /** The dates from one schedule rule over the years around today, with each year's problem reported. */
  function datesOver<T>(
    calendar: CalendarData,
    today: IsoDate,
    rule: (year: number) => { ok: true; value: T[] } | { ok: false; problem: string },
    problems: string[],
  ): T[] {
    const out: T[] = []
    for (const year of yearsAround(today)) {
      const r = rule(year)
      if (r.ok) out.push(...r.value)
      // Last year's calendar may well be gone; only this year's gap is worth telling anyone about.
      else if (year === academicYearOf(today)) problems.push(`${calendar.name}: ${r.problem}`)
    }
    return out
  }

  return {
    /**
     * Each worker's daily email: how many of their tasks are overdue, due today or due soon, with a
     * link to their cases. Sent on working days only (not weekends or bank holidays); tasks still
     * fall due in the school holidays, because the CME team works through them.
     */
    async reminderDigest(): Promise<WorkResult> {
      const today = clock.today()
      const { bankHolidays } = await calendars.calendarFor(laCode)
      if (isWeekend(today) || bankHolidays.includes(today)) return { summary: { emails: 0 }, problems: [] }
      const days = await calendars.schoolDaysForSchool(laCode)
      const system = await actor()
      return db.transaction().execute(async trx => {
        const tasks = await trx
          .selectFrom('tasks')
          .select(['id', 'assigned_to', 'due_on'])
          .where('la_code', '=', laCode)
          .where('done_on', 'is', null)
          .execute()
        const run = digestFor(
          tasks.map(t => ({ id: t.id, assigneeId: t.assigned_to, dueOn: t.due_on })),
          today,
          days,
        )
        const ids = run.digests.map(d => d.assigneeId)
        const users =
          ids.length === 0
            ? []
            : await trx
                .selectFrom('users')
                .select(['id', 'email'])
                .where('id', 'in', ids)
                .where('active', '=', 1)
                .execute()
        const emailOf = new Map(users.map(u => [u.id, u.email]))
        const messages = run.digests.flatMap(d => {
          const to = emailOf.get(d.assigneeId)
          if (to === undefined) return []
          const n = d.overdue.length + d.dueToday.length + d.dueSoon.length
          const lines = [
            d.overdue.length > 0 ? `${plural(d.overdue.length, 'task')} overdue` : undefined,
            d.dueToday.length > 0 ? `${plural(d.dueToday.length, 'task')} due today` : undefined,
            d.dueSoon.length > 0 ? `${plural(d.dueSoon.length, 'task')} due in the next 3 school days` : undefined,
          ].filter((l): l is string => l !== undefined)
          return [
            {
              to,
              subject: `You have ${plural(n, 'task')} due or overdue`,
              body: `You have ${plural(n, 'task')} due or overdue in onroll:\n\n${lines.map(l => `- ${l}`).join('\n')}\n\nSee your cases: ${config.serviceUrl}/cases?view=mine`,
            },
          ]
        })
        await mail.queue(trx, laCode, messages)
        await audit(trx, clock, system, request('reminder-digest'), 'job.reminder-digest', [
          { detail: { emails: messages.length, tasks: tasks.length } },
        ])
        return { summary: { emails: messages.length }, problems: run.problem ? [run.problem] : [] }
      })
    },

    /**
     * Automatic escalations (domain/escalation.ts): each breach is raised once (its `case_alerts` row is the
     * key), opened as an escalation in the level's queue and on the case's timeline, and the holders of
     * that level get one email listing the cases. Answering the escalation closes the alert.
     */
    async overdueAlerts(): Promise<WorkResult> {
      const today = clock.today()
      const inForce = await policy.inForce(laCode, today)
      const cases = await db
        .selectFrom('cases')
        .select(['id', 'child_id', 'reference', 'status', 'priority', 'referred_on', 'triage_due', 'school_id'])
        .where('la_code', '=', laCode)
        .where('status', 'in', [...OPEN_STATUSES])
        .execute()
      const lastEvents = await db
        .selectFrom('case_events')
        .innerJoin('cases', 'cases.id', 'case_events.case_id')
        .select(['case_events.case_id', sql<string>`max(case_events.at)`.as('last_at')])
        .where('cases.la_code', '=', laCode)
        .groupBy('case_events.case_id')
        .execute()
      const lastAt = new Map(lastEvents.map(e => [e.case_id, e.last_at]))
      const raised = await db
        .selectFrom('case_alerts')
        .select(['case_id', 'reason_key'])
        .where('la_code', '=', laCode)
        .execute()
      const keys = new Map<string, string[]>()
      for (const r of raised) keys.set(r.case_id, [...(keys.get(r.case_id) ?? []), r.reason_key])
      // The level each case is already held at, so an automatic escalation never lands below it.
      const held = new Map<string, EscalationLevel>()
      const openEscalations = await db
        .selectFrom('escalations')
        .select(['case_id', 'level'])
        .where('la_code', '=', laCode)
        .where('status', '=', 'open')
        .execute()
      for (const o of openEscalations) {
        const before = held.get(o.case_id)
        if (
          isEscalationLevel(o.level) &&
          (before === undefined || ESCALATION_CHAIN.indexOf(o.level) > ESCALATION_CHAIN.indexOf(before))
        )
          held.set(o.case_id, o.level)
      }
      const days = await schoolDaysBySchool(cases.map(c => c.school_id))
      const system = await actor()

      const found: ReturnType<typeof automaticEscalations> = { escalations: [], problems: [] }
      for (const [schoolId, schoolDays] of days) {
        const input: CaseForEscalation[] = cases
          .filter(c => c.school_id === schoolId && isCaseStatus(c.status))
          .map(c => {
            const last = lastAt.get(c.id)
            const lastOn = last === undefined ? c.referred_on : londonDate(new Date(last))
            return {
              caseId: c.id,
              status: c.status as CaseForEscalation['status'],
              ...(c.priority && isPriority(c.priority) ? { priority: c.priority } : {}),
              receivedOn: c.referred_on,
              ...(c.triage_due ? { triageDue: c.triage_due } : {}),
              lastActionOn: lastOn > c.referred_on ? lastOn : c.referred_on,
              escalationReasonKeys: keys.get(c.id) ?? [],
              ...(held.has(c.id) ? { escalatedLevel: held.get(c.id) } : {}),
            }
          })
        const run = automaticEscalations(input, today, inForce, schoolDays)
        found.escalations.push(...run.escalations)
        found.problems.push(...run.problems)
      }

      const byId = new Map(cases.map(c => [c.id, c]))
      return db.transaction().execute(async trx => {
        const now = clock.now().toISOString()
        const raisedNow: {
          reference: string
          caseId: string
          message: string
          level: EscalationLevel
          reason: string
        }[] = []
        for (const e of found.escalations) {
          const c = byId.get(e.caseId)
          if (!c) continue
          const alertId = newId()
          const inserted = await trx
            .insertInto('case_alerts')
            .values({
              id: alertId,
              la_code: laCode,
              case_id: e.caseId,
              reason: e.reason,
              reason_key: e.reasonKey,
              message: e.message,
              level: e.toLevel,
              due_on: e.dueOn,
              status: 'open',
              raised_at: now,
              closed_at: null,
            })
            .onConflict(oc => oc.columns(['case_id', 'reason_key']).doNothing())
            .returning('id')
            .executeTakeFirst()
          // Another instance raised it first: it has opened the escalation and sent the email.
          if (!inserted) continue
          // The alert is the once-per-breach key; the escalation is what people see and answer.
          await openEscalation(
            trx,
            clock,
            mail,
            config.serviceUrl,
            {
              laCode,
              caseId: e.caseId,
              reference: c.reference,
              level: e.toLevel,
              reason: e.message,
              by: null,
              automatic: e.reason,
              alertId,
            },
            system,
            { notify: false },
          )
          raisedNow.push({
            reference: c.reference,
            caseId: c.id,
            message: e.message,
            level: e.toLevel,
            reason: e.reason,
          })
        }
        if (raisedNow.length > 0) {
          // One email per level listing its cases, to the holders of that level.
          for (const level of new Set(raisedNow.map(r => r.level))) {
            const mine = raisedNow.filter(r => r.level === level)
            const to =
              level === AUTOMATIC_ESCALATION_LEVEL
                ? await managerEmails(trx)
                : await roleHolderEmails(trx, laCode, level)
            const list = mine
              .map(r => `- ${r.reference}: ${r.message}\n  ${config.serviceUrl}/cases/${r.caseId}`)
              .join('\n')
            await mail.queue(
              trx,
              laCode,
              to.map(address => ({
                to: address,
                subject: `${plural(mine.length, 'case')} escalated automatically`,
                body: `These cases were escalated to you, the ${ESCALATION_LABELS[level]}, automatically:\n\n${list}\n\nAnswer them: ${config.serviceUrl}/escalations`,
              })),
            )
          }
          await audit(
            trx,
            clock,
            system,
            request('overdue-alerts'),
            'case.escalate-automatic',
            raisedNow.map(r => ({
              caseId: r.caseId,
              childId: byId.get(r.caseId)?.child_id ?? null,
              detail: { reason: r.reason, level: r.level },
            })),
          )
        }
        return {
          summary: { alerts: raisedNow.length },
          problems: found.problems.map(p => `Case ${byId.get(p.caseId)?.reference ?? p.caseId}: ${p.problem}`),
        }
      })
    },

    /**
     * The half-termly note of closed cases, on each half-term boundary not yet noted. With no note
     * ever filed it starts from today rather than filing notes for every past half term.
     */
    async halfTermNote(): Promise<WorkResult> {
      const today = clock.today()
      const { data, bankHolidays } = await calendars.calendarFor(laCode)
      const problems: string[] = []
      const notes = datesOver<HalfTermNote>(data, today, y => halfTermNotes(data, bankHolidays, y), problems)
      const last = await db
        .selectFrom('reports')
        .select(sql<string | null>`max(period_to)`.as('last'))
        .where('la_code', '=', laCode)
        .where('kind', '=', 'half-term-note')
        .executeTakeFirst()
      const due = isDue(
        notes.map(n => n.noteOn),
        last?.last ?? addDays(today, -1),
        today,
      )
      const system = await actor()
      return db.transaction().execute(async trx => {
        let filed = 0
        for (const noteOn of due) {
          const note = notes.find(n => n.noteOn === noteOn)
          if (!note) continue
          const closed = await trx
            .selectFrom('cases')
            .select(['outcome', 'status', sql<number>`count(*)`.as('n')])
            .where('la_code', '=', laCode)
            .where('status', 'in', ['closed', 'transferred'])
            .where('closed_on', '>=', note.coversFrom)
            .where('closed_on', '<=', note.coversTo)
            .groupBy(['outcome', 'status'])
            .execute()
          const byOutcome: Record<string, number> = {}
          for (const r of closed) {
            const key = r.outcome ?? r.status
            byOutcome[key] = (byOutcome[key] ?? 0) + r.n
          }
          const total = Object.values(byOutcome).reduce((a, b) => a + b, 0)
          const id = newId()
          const inserted = await trx
            .insertInto('reports')
            .values({
              id,
              la_code: laCode,
              kind: 'half-term-note',
              period_from: note.coversFrom,
              period_to: note.coversTo,
              created_at: clock.now().toISOString(),
              body: JSON.stringify({ total, byOutcome }),
            })
            .onConflict(oc => oc.columns(['la_code', 'kind', 'period_to']).doNothing())
            .returning('id')
            .executeTakeFirst()
          if (!inserted) continue
          filed += 1
          const to = await managerEmails(trx)
          await mail.queue(
            trx,
            laCode,
            to.map(address => ({
              to: address,
              subject: 'Half-term note of closed cases',
              body: `The half-term note of cases closed from ${note.coversFrom} to ${note.coversTo} is ready: ${plural(total, 'case')} closed.\n\nRead it: ${config.serviceUrl}/oversight/notes/${id}`,
            })),
          )
          await audit(trx, clock, system, request('half-term-note'), 'report.half-term-note', [
            { detail: { reportId: id, from: note.coversFrom, to: note.coversTo, total } },
          ])
        }
        return { summary: { notes: filed }, problems }
      })
    },

    /**
     * A review task for every case closed as not found, on each review date since `lastDoneOn`
     * (the job's last successful day; yesterday when it has never run, so history is not replayed).
     * A case that already has a review task due that day gets no second one.
     */
    async unfoundReviews(lastDoneOn?: IsoDate): Promise<WorkResult> {
      const today = clock.today()
      const { data, bankHolidays } = await calendars.calendarFor(laCode)
      const perYear = (await policy.inForce(laCode, today)).values.unfoundReviewsPerYear
      const problems: string[] = []
      const dates = datesOver(data, today, y => unfoundReviewDates(data, bankHolidays, y, perYear), problems)
      const due = isDue(dates, lastDoneOn ?? addDays(today, -1), today)
      if (due.length === 0) return { summary: { tasks: 0 }, problems }
      const system = await actor()
      return db.transaction().execute(async trx => {
        const closed = await trx
          .selectFrom('cases')
          .select(['id', 'child_id', 'closed_on', 'assigned_to'])
          .where('la_code', '=', laCode)
          .where('status', '=', 'closed')
          .where('outcome', '=', 'not-found')
          .execute()
        // A case nobody holds any more goes to the single point of contact, the CME Information Officer.
        const officer = await trx
          .selectFrom('users')
          .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
          .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
          .select('users.id')
          .where('user_roles.role', '=', 'cme-information-officer')
          .where('users.active', '=', 1)
          .where('organisations.la_code', '=', laCode)
          .orderBy('users.created_at')
          .executeTakeFirst()
        const active = new Set(
          (await trx.selectFrom('users').select('id').where('active', '=', 1).execute()).map(u => u.id),
        )
        const now = clock.now().toISOString()
        const created: { caseId: string; childId: string; reviewOn: IsoDate }[] = []
        for (const reviewOn of due) {
          for (const c of closed) {
            if (!c.closed_on || c.closed_on > reviewOn) continue
            const exists = await trx
              .selectFrom('tasks')
              .select('id')
              .where('case_id', '=', c.id)
              .where('kind', '=', 'review')
              .where('due_on', '=', reviewOn)
              .executeTakeFirst()
            if (exists) continue
            const assignee = c.assigned_to && active.has(c.assigned_to) ? c.assigned_to : officer?.id
            if (!assignee) {
              problems.push('No active CME Information Officer to give review tasks to')
              continue
            }
            await trx
              .insertInto('tasks')
              .values({
                id: newId(),
                case_id: c.id,
                la_code: laCode,
                kind: 'review',
                description: 'Review of a case closed as not found (held in the school holidays)',
                due_on: reviewOn,
                assigned_to: assignee,
                done_on: null,
                done_by: null,
                created_by: 'system',
                created_at: now,
              })
              .execute()
            await recordCaseEvent(trx, clock, system, c.id, 'task', `Review task added for ${reviewOn}`)
            created.push({ caseId: c.id, childId: c.child_id, reviewOn })
          }
        }
        if (created.length > 0)
          await audit(
            trx,
            clock,
            system,
            request('unfound-reviews'),
            'task.add-review',
            created.map(t => ({ caseId: t.caseId, childId: t.childId, detail: { dueOn: t.reviewOn } })),
          )
        return { summary: { tasks: created.length }, problems: [...new Set(problems)] }
      })
    },
  }
}

export type ScheduledWorkService = ReturnType<typeof createScheduledWorkService>
