/**
 * Recording the review of a case closed as not found (the `unfound-reviews` job sets the task; this is
 * the reviewer's side). The checks made again are case checks at stage 'review'; the reviewer confirms
 * the closure, or reopens the case through the lifecycle's `reopen` with the findings as the new
 * information. Either way the review task is done, and the timeline says what was decided.
 */
import type { Transaction } from 'kysely'
import { can } from '../domain/access.js'
import { STAGE_TWO_SOURCES, applyAction } from '../domain/case.js'
import type { SchoolDays } from '../domain/schoolDays.js'
import { REVIEW_DECISIONS, validateUnfoundReview } from '../domain/unfoundReview.js'
import { newId } from '../data/ids.js'
import type { Case, Database } from '../data/schema.js'
import { audit } from './audit.js'
import { recordCaseEvent } from './caseEvents.js'
import { loadWorkspace } from './caseWorkService.js'
import type { Caller, Deps } from './deps.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.js'

type CalendarLookup = (laCode: string, schoolId: string | null) => Promise<SchoolDays>

const isClosedNotFound = (c: Case) => c.status === 'closed' && c.outcome === 'not-found'

export function createUnfoundReviewService({ db, clock, config }: Deps, schoolDaysFor: CalendarLookup) {
  async function load(trx: Transaction<Database>, caller: Caller, caseId: string, taskId: string) {
    if (!can(caller.actor, 'case:work')) throw new ForbiddenError('case:work')
    const c = await trx.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst()
    if (!c || c.la_code !== caller.actor.laCode) throw new NotFoundError('Case')
    const task = await trx
      .selectFrom('tasks')
      .selectAll()
      .where('id', '=', taskId)
      .where('case_id', '=', c.id)
      .where('kind', '=', 'review')
      .executeTakeFirst()
    if (!task) throw new NotFoundError('Review')
    return { c, task }
  }

  return {
    /** The review page: the case's reference, when and why it was closed, and whether the review is still to do. */
    async show(caller: Caller, caseId: string, taskId: string) {
      return db.transaction().execute(async trx => {
        const { c, task } = await load(trx, caller, caseId, taskId)
        await audit(trx, clock, caller.actor, caller.request, 'case.review-view', [
          { caseId: c.id, childId: c.child_id, detail: { taskId: task.id } },
        ])
        return {
          caseId: c.id,
          reference: c.reference,
          closedOn: c.closed_on,
          closureSummary: c.closure_summary,
          dueOn: task.due_on,
          doneOn: task.done_on,
          stillClosed: isClosedNotFound(c),
          sources: STAGE_TWO_SOURCES.map(s => ({ value: s.key, text: s.label })),
          decisions: Object.entries(REVIEW_DECISIONS).map(([value, text]) => ({ value, text })),
          today: clock.today(),
        }
      })
    },

    /** Records the review; on 'reopen' the case goes back to triaged exactly as the lifecycle's reopen does. */
    async record(
      caller: Caller,
      caseId: string,
      taskId: string,
      raw: {
        sources: string[]
        reviewedOn?: string | undefined
        findings?: string | undefined
        decision?: string | undefined
      },
    ): Promise<'confirm' | 'reopen'> {
      const where = await db
        .selectFrom('cases')
        .select(['la_code', 'school_id'])
        .where('id', '=', caseId)
        .executeTakeFirst()
      const days = await schoolDaysFor(where?.la_code ?? config.la.code, where?.school_id ?? null)
      return db.transaction().execute(async trx => {
        const { c, task } = await load(trx, caller, caseId, taskId)
        const today = clock.today()
        if (task.done_on !== null)
          throw new ValidationError([{ field: 'decision', message: 'This review has already been recorded' }])
        if (!isClosedNotFound(c))
          throw new ValidationError([{ field: 'decision', message: 'The case is no longer closed as not found' }])
        const v = validateUnfoundReview(raw, STAGE_TWO_SOURCES, today)
        if (!v.ok) throw new ValidationError(Object.entries(v.errors).map(([field, message]) => ({ field, message })))
        const review = v.value
        const labels = review.sources.map(k => STAGE_TWO_SOURCES.find(s => s.key === k)?.label ?? k)
        const now = clock.now().toISOString()

        if (review.decision === 'reopen') {
          const ws = await loadWorkspace(trx, c, caller.actor, today, days)
          const result = applyAction(ws.facts, 'reopen', caller.actor.roles, { newInformation: review.findings }, today)
          if (!result.ok) throw new ValidationError(result.problems.map(message => ({ field: 'decision', message })))
          // What reopen clears (domain/case.ts): the outcome, the stage checks, the safeguarding conclusion.
          await trx.updateTable('case_checks').set({ superseded: 1 }).where('case_id', '=', c.id).execute()
          const r = await trx
            .updateTable('cases')
            .set({
              status: result.to,
              previous_status: result.from,
              outcome: null,
              outcome_detail: null,
              closed_on: null,
              closure_summary: null,
              safeguarding_conclusion: null,
              next_action: 'Work the new information from the review',
              version: c.version + 1,
              updated_at: now,
            })
            .where('id', '=', c.id)
            .where('version', '=', c.version)
            .executeTakeFirst()
          if (Number(r.numUpdatedRows) === 0) throw new ConflictError('The case')
          await recordCaseEvent(trx, clock, caller.actor, c.id, 'case.reopen', result.timeline)
        }

        for (const [i, key] of review.sources.entries())
          await trx
            .insertInto('case_checks')
            .values({
              id: newId(),
              case_id: c.id,
              stage: 'review',
              item_key: key,
              label: labels[i] ?? key,
              // Checked again at the review: nothing found when the closure stands; new information when it does not.
              result: review.decision === 'confirm' ? 'not-found' : 'found',
              details: review.findings,
              checked_on: review.reviewedOn,
              checked_by: caller.actor.id,
              checked_by_name: caller.actor.name,
              created_at: now,
            })
            .execute()
        await trx
          .updateTable('tasks')
          .set({ done_on: today, done_by: caller.actor.id })
          .where('id', '=', task.id)
          .execute()
        await recordCaseEvent(
          trx,
          clock,
          caller.actor,
          c.id,
          'case.review',
          review.decision === 'confirm'
            ? `Review: still not found after checking ${labels.join(', ')}; closure confirmed: ${review.findings}`
            : `Review: new information after checking ${labels.join(', ')}; case reopened`,
          { taskId: task.id, decision: review.decision },
        )
        await audit(trx, clock, caller.actor, caller.request, 'case.review', [
          {
            caseId: c.id,
            childId: c.child_id,
            detail: { taskId: task.id, decision: review.decision, checks: labels.length },
          },
        ])
        return review.decision
      })
    },

    /**
     * Every review still to record in the LA, soonest first: cases closed as not found are off the
     * Single List, so this list is how the reviewer finds them. References only, no names.
     */
    async waiting(caller: Caller) {
      if (!can(caller.actor, 'case:work')) throw new ForbiddenError('case:work')
      return db.transaction().execute(async trx => {
        const rows = await trx
          .selectFrom('tasks')
          .innerJoin('cases', 'cases.id', 'tasks.case_id')
          .leftJoin('users', 'users.id', 'tasks.assigned_to')
          .select([
            'tasks.id',
            'tasks.due_on',
            'cases.id as case_id',
            'cases.child_id',
            'cases.reference',
            'cases.closed_on',
            'users.name',
          ])
          .where('cases.la_code', '=', caller.actor.laCode)
          .where('cases.status', '=', 'closed')
          .where('cases.outcome', '=', 'not-found')
          .where('tasks.kind', '=', 'review')
          .where('tasks.done_on', 'is', null)
          .orderBy('tasks.due_on')
          .orderBy('cases.reference')
          .limit(500)
          .execute()
        await audit(
          trx,
          clock,
          caller.actor,
          caller.request,
          'case.review-list',
          rows.length === 0
            ? [{}]
            : rows.map(r => ({ caseId: r.case_id, childId: r.child_id, detail: { taskId: r.id } })),
        )
        return rows.map(r => ({
          taskId: r.id,
          caseId: r.case_id,
          reference: r.reference,
          dueOn: r.due_on,
          closedOn: r.closed_on,
          assignee: r.name ?? 'Unknown',
        }))
      })
    },

    /** Review tasks still to do on a case, for the link on the case page. */
    async dueOn(caller: Caller, caseId: string): Promise<{ id: string; dueOn: string }[]> {
      if (!can(caller.actor, 'case:work')) return []
      const rows = await db
        .selectFrom('tasks')
        .innerJoin('cases', 'cases.id', 'tasks.case_id')
        .select(['tasks.id', 'tasks.due_on'])
        .where('tasks.case_id', '=', caseId)
        .where('cases.la_code', '=', caller.actor.laCode)
        .where('cases.status', '=', 'closed')
        .where('cases.outcome', '=', 'not-found')
        .where('tasks.kind', '=', 'review')
        .where('tasks.done_on', 'is', null)
        .orderBy('tasks.due_on')
        .execute()
      return rows.map(r => ({ id: r.id, dueOn: r.due_on }))
    },
  }
}

export type UnfoundReviewService = ReturnType<typeof createUnfoundReviewService>
