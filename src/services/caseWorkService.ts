/**
 * Case work on the Single List (domain.md §5): every status change goes through the lifecycle table
 * (domain/case.ts applyAction), and checks, tasks and notes are recorded with who and when. Each call
 * authorises, runs in one transaction, lands on the case's timeline and writes its audit event.
 */
import type { Transaction } from 'kysely'
import { latestReferralDocument } from '../data/repositories/referralRepository.js'
import { can } from '../domain/access.js'
import type { Actor } from '../domain/actor.js'
import {
  CHECK_RESULTS,
  OUTCOME_KINDS,
  STAGE_TWO_SOURCES,
  allowedActions,
  applyAction,
  isCaseAction,
  isCheckResult,
  stageOneChecklist,
  stageOneOutstanding,
  stageTwoProgress,
  validateStageTwoCheck,
  type ActionInput,
  type CaseFacts,
  type CheckResult,
  type OutcomeKind,
  type Residency,
  type StageOneItem,
} from '../domain/case.js'
import { isCaseStatus, isPriority } from '../domain/caseStatus.js'
import { ageOn, isIsoDate } from '../domain/dates.js'
import { safeguardingFlags, VERY_YOUNG_UNDER_AGE, type Referral } from '../domain/referral.js'
import { CASEWORK_ROLES, hasAnyRole } from '../domain/roles.js'
import {
  chaseTaskFor,
  taskState,
  validateNewTask,
  validateReassignment,
  TASK_KINDS,
  type TaskState,
} from '../domain/tasks.js'
import { proposePriority, triageDecision, type PriorityProposal } from '../domain/triage.js'
import { newId } from '../data/ids.js'
import type { Case, Database } from '../data/schema.js'
import { audit } from './audit.js'
import { recordCaseEvent } from './caseEvents.js'
import type { Caller, Deps } from './deps.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.js'
import type { MailService } from './mailService.js'

type CalendarLookup = (laCode: string, schoolId: string | null) => Promise<import('../domain/schoolDays.js').SchoolDays>

const problemsOf = (errors: Record<string, string | undefined>) =>
  Object.entries(errors)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([field, message]) => ({ field, message }))

/** The priority the system proposes from the referral's flags (domain.md §5.1), for the officer to confirm or override. */
export function proposalFor(c: Case, referral: Referral | null, dateOfBirth: string, today: string): PriorityProposal {
  if (referral) {
    const f = safeguardingFlags(referral, { today })
    return proposePriority({ ...f, socialWorker: f.socialWorker || f.familySocialCare })
  }
  return proposePriority({
    cpPlan: c.flag_cp_plan === 1,
    lookedAfter: c.flag_looked_after === 1,
    riskOfHarm: false,
    forcedMarriage: false,
    believedAbroadNoDestination: false,
    veryYoung: ageOn(dateOfBirth, today) < VERY_YOUNG_UNDER_AGE,
    ehcp: c.flag_ehcp === 1,
  })
}

/** Intelligence in the referral that stage one works through: every number, address, school and contact. */
export function stageOneIntel(referral: Referral | null): StageOneItem[] {
  if (!referral) return []
  const phones: string[] = []
  const addresses: string[] = []
  const schools: string[] = []
  const contacts: string[] = []
  const { address, destination, school, child } = referral
  if (address.current.answer === 'known')
    addresses.push([address.current.line1, address.current.town, address.current.postcode].join(', '))
  if (address.responsibleAdults.answer === 'known')
    for (const a of address.responsibleAdults.list) {
      phones.push(...a.phones)
      contacts.push(`${a.name} (${a.relationship})${a.email ? `, ${a.email}` : ''}`)
    }
  if (destination.address.answer === 'uk')
    addresses.push([destination.address.line1, destination.address.town, destination.address.postcode].join(', '))
  if (destination.address.answer === 'abroad')
    addresses.push([destination.address.address ?? '', destination.address.country].filter(Boolean).join(', '))
  if (destination.school.answer === 'known') {
    schools.push(destination.school.name)
    if (destination.school.phone) phones.push(destination.school.phone)
  }
  if (school.lastSchool.answer === 'known') schools.push(school.lastSchool.name)
  if (child.socialCare.answer === 'yes' && child.socialCare.socialWorker.answer === 'yes') {
    const sw = child.socialCare.socialWorker
    contacts.push(`Social worker ${sw.name}${sw.team ? `, ${sw.team}` : ''}`)
    if (sw.phone) phones.push(sw.phone)
  }
  return stageOneChecklist({ phones, addresses, schools, contacts })
}

export interface Workspace {
  facts: CaseFacts
  actions: { action: string; label: string; to: string; blockedBy?: string[] }[]
  stageOne: { item: StageOneItem; result: CheckResult | null; details: string | null }[]
  stageTwo: {
    key: string
    label: string
    result: CheckResult | null
    details: string | null
    checkedOn: string | null
  }[]
  finalVisit: { result: string; details: string | null; checkedOn: string } | null
  checks: { stage: string; label: string; result: string; details: string | null; checkedOn: string; by: string }[]
  tasks: {
    id: string
    kind: string
    description: string | null
    dueOn: string
    assignee: string
    assigneeId: string
    state: TaskState
  }[]
  notes: { body: string; author: string; at: string }[]
  workers: { id: string; name: string }[]
  outcome: { kind: OutcomeKind; evidence: Record<string, string> } | null
}

/** Everything the case page and the lifecycle need, read inside the caller's transaction. */
export async function loadWorkspace(
  trx: Transaction<Database>,
  c: Case,
  actor: Actor,
  today: string,
  days: import('../domain/schoolDays.js').SchoolDays,
): Promise<Workspace> {
  const [referral, checks, tasks, notes, workers] = await Promise.all([
    latestReferralDocument(trx, c.referral_id),
    trx.selectFrom('case_checks').selectAll().where('case_id', '=', c.id).orderBy('created_at').execute(),
    trx
      .selectFrom('tasks')
      .leftJoin('users', 'users.id', 'tasks.assigned_to')
      .select([
        'tasks.id',
        'tasks.kind',
        'tasks.description',
        'tasks.due_on',
        'tasks.done_on',
        'tasks.assigned_to',
        'users.name as assignee',
      ])
      .where('tasks.case_id', '=', c.id)
      .orderBy('tasks.due_on')
      .execute(),
    trx.selectFrom('case_notes').selectAll().where('case_id', '=', c.id).orderBy('created_at', 'desc').execute(),
    trx
      .selectFrom('users')
      .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
      .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
      .select(['users.id', 'users.name'])
      .distinct()
      .where('organisations.la_code', '=', c.la_code)
      .where('users.active', '=', 1)
      .where('user_roles.role', 'in', CASEWORK_ROLES)
      .orderBy('users.name')
      .execute(),
  ])
  const current = checks.filter(k => k.superseded === 0)
  const items = stageOneIntel(referral)
  const oneResults: Partial<Record<string, CheckResult>> = {}
  const oneDetails: Record<string, string | null> = {}
  for (const k of current.filter(k => k.stage === 'one' && isCheckResult(k.result))) {
    oneResults[k.item_key] = k.result as CheckResult
    oneDetails[k.item_key] = k.details
  }
  const twoChecks = current.filter(k => k.stage === 'two' && isCheckResult(k.result))
  const progress = stageTwoProgress(
    STAGE_TWO_SOURCES,
    twoChecks.map(k => ({ source: k.item_key, result: k.result as CheckResult })),
  )
  const final = current.filter(k => k.stage === 'three').at(-1)
  const outcome =
    c.outcome && Object.hasOwn(OUTCOME_KINDS, c.outcome)
      ? {
          kind: c.outcome as OutcomeKind,
          evidence: c.outcome_detail ? (JSON.parse(c.outcome_detail) as Record<string, string>) : {},
        }
      : null
  const facts: CaseFacts = {
    status: isCaseStatus(c.status) ? c.status : 'received',
    previousStatus: c.previous_status !== null && isCaseStatus(c.previous_status) ? c.previous_status : null,
    priority: c.priority !== null && isPriority(c.priority) ? c.priority : null,
    assignedTo: c.assigned_to,
    residency: (c.residency ?? 'unknown') as Residency,
    hasSafeguardingConcern: c.safeguarding_concern === 1 || c.flag_cp_plan === 1,
    safeguardingConclusionRecorded: c.safeguarding_conclusion !== null,
    stageOneOutstanding: stageOneOutstanding(items, oneResults),
    stageTwoUnrecorded: progress.unrecorded,
    stageTwoAwaiting: progress.awaiting,
    finalVisitDecided: final !== undefined,
    outcomeKind: outcome?.kind ?? null,
  }
  const latestTwo = new Map(twoChecks.map(k => [k.item_key, k]))
  return {
    facts,
    actions: allowedActions(facts, actor.roles).filter(
      a => a.action !== 'triage' && a.action !== 'accept' && a.action !== 'return-incomplete',
    ),
    stageOne: items.map(item => ({
      item,
      result: oneResults[item.key] ?? null,
      details: oneDetails[item.key] ?? null,
    })),
    stageTwo: STAGE_TWO_SOURCES.map(s => {
      const k = latestTwo.get(s.key)
      return {
        key: s.key,
        label: s.label,
        result: k ? (k.result as CheckResult) : null,
        details: k?.details ?? null,
        checkedOn: k?.checked_on ?? null,
      }
    }),
    finalVisit: final ? { result: final.result, details: final.details, checkedOn: final.checked_on } : null,
    checks: checks.map(k => ({
      stage: k.stage,
      label: k.label,
      result: isCheckResult(k.result) ? CHECK_RESULTS[k.result] : k.result,
      details: k.details,
      checkedOn: k.checked_on,
      by: k.checked_by_name,
    })),
    tasks: tasks.map(t => ({
      id: t.id,
      kind: Object.hasOwn(TASK_KINDS, t.kind) ? TASK_KINDS[t.kind as keyof typeof TASK_KINDS] : t.kind,
      description: t.description,
      dueOn: t.due_on,
      assignee: t.assignee ?? 'Unknown',
      assigneeId: t.assigned_to,
      state: taskState({ dueOn: t.due_on, doneOn: t.done_on }, today, days),
    })),
    notes: notes.map(n => ({ body: n.body, author: n.author_name, at: n.created_at })),
    workers,
    outcome,
  }
}

export function createCaseWorkService({ db, clock, config }: Deps, mail: MailService, schoolDaysFor: CalendarLookup) {
  /**
   * The case's school days, looked up before its transaction opens: the calendar service reads through
   * its own connection, and SQLite has only one, which the transaction would be holding.
   */
  async function daysFor(caseId: string) {
    const c = await db.selectFrom('cases').select(['la_code', 'school_id']).where('id', '=', caseId).executeTakeFirst()
    return schoolDaysFor(c?.la_code ?? config.la.code, c?.school_id ?? null)
  }

  async function workable(trx: Transaction<Database>, caller: Caller, caseId: string): Promise<Case> {
    if (!can(caller.actor, 'case:work') && !can(caller.actor, 'case:authorise-closure'))
      throw new ForbiddenError('case:work')
    const c = await trx.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst()
    if (!c || c.la_code !== caller.actor.laCode) throw new NotFoundError('Case')
    return c
  }

  /** Optimistic locking: the form carried the version it was read at; a change since then is a conflict. */
  async function bump(
    trx: Transaction<Database>,
    c: Case,
    version: number | undefined,
    set: Partial<Omit<Case, 'id'>>,
  ): Promise<void> {
    const expected = version ?? c.version
    const r = await trx
      .updateTable('cases')
      .set({ ...set, version: c.version + 1, updated_at: clock.now().toISOString() })
      .where('id', '=', c.id)
      .where('version', '=', expected)
      .executeTakeFirst()
    if (Number(r.numUpdatedRows) === 0) throw new ConflictError('The case')
  }

  async function managerEmails(
    trx: Transaction<Database>,
    laCode: string,
    role: 'ews-operational-manager' | 'operational-director',
  ) {
    const rows = await trx
      .selectFrom('users')
      .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
      .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
      .select('users.email')
      .where('user_roles.role', '=', role)
      .where('users.active', '=', 1)
      .where('organisations.la_code', '=', laCode)
      .execute()
    return rows.map(r => r.email)
  }

  return {
    /**
     * Takes an action from the lifecycle table. `raw` is the form or API input; what each action needs
     * is in TRANSITIONS. Refusals come back as field problems, never as a silent no-op.
     */
    async act(
      caller: Caller,
      caseId: string,
      action: string,
      raw: Record<string, string | undefined>,
      version?: number,
    ): Promise<void> {
      // Escalation has its own record and page (escalationService); the table only says when it is offered.
      if (!isCaseAction(action) || action === 'escalate') throw new NotFoundError('Action')
      const days = await daysFor(caseId)
      await db.transaction().execute(async trx => {
        const c = await workable(trx, caller, caseId)
        const today = clock.today()
        const ws = await loadWorkspace(trx, c, caller.actor, today, days)
        const input: ActionInput = {
          ...(raw.reason !== undefined ? { reason: raw.reason } : {}),
          ...(raw.note !== undefined ? { note: raw.note } : {}),
          ...(raw.newInformation !== undefined ? { newInformation: raw.newInformation } : {}),
          ...(raw.receivingLa !== undefined ? { receivingLa: raw.receivingLa } : {}),
        }
        let assigneeId: string | undefined
        if (action === 'assign') {
          const worker = ws.workers.find(w => w.id === raw.assignee)
          if (!worker) throw new ValidationError([{ field: 'assignee', message: 'Select who to assign the case to' }])
          assigneeId = worker.id
          input.assignee = worker.name
        }
        if (action === 'record-outcome') {
          const kind = OUTCOME_KINDS[raw.outcomeKind as OutcomeKind] as (typeof OUTCOME_KINDS)[OutcomeKind] | undefined
          const evidence: Record<string, string | undefined> = {}
          for (const f of kind?.evidence ?? []) evidence[f.key] = raw[`evidence.${raw.outcomeKind ?? ''}.${f.key}`]
          input.outcome = { kind: raw.outcomeKind ?? '', evidence }
        }
        const result = applyAction(ws.facts, action, caller.actor.roles, input, today)
        if (!result.ok) throw new ValidationError(result.problems.map(message => ({ field: 'action', message })))
        const changed = result.to !== result.from
        const set: Partial<Omit<Case, 'id'>> = {
          status: result.to,
          ...(changed ? { previous_status: result.from } : {}),
        }
        if (assigneeId) set.assigned_to = assigneeId
        if (input.triage) Object.assign(set, { priority: input.triage.priority, priority_reason: input.triage.reason })
        if (action === 'record-outcome' && input.outcome)
          Object.assign(set, {
            outcome: input.outcome.kind,
            outcome_detail: JSON.stringify(input.outcome.evidence),
            next_action: null,
          })
        if (action === 'close' || action === 'authorise-closure')
          Object.assign(set, { closed_on: today, next_action: null, next_action_due: null })
        if (action === 'authorise-closure') set.outcome = 'not-found'
        if (action === 'request-closure-not-found')
          Object.assign(set, {
            closure_summary: input.reason ?? null,
            next_action: 'Waiting for the EWS Operational Manager to authorise closure',
          })
        if (action === 'transfer')
          Object.assign(set, { receiving_la: input.receivingLa ?? null, residency: 'not-resident', closed_on: today })
        if (action === 'start-stage-one') set.next_action = 'Work through the referral’s intelligence'
        if (action === 'start-stage-two') set.next_action = 'Check the data sources'
        if (action === 'start-stage-three') set.next_action = 'Follow up new information; decide the final home visit'
        if (action === 'refuse-closure') set.next_action = 'Continue enquiries: closure refused'
        if (result.clears.includes('outcome'))
          Object.assign(set, { outcome: null, outcome_detail: null, closed_on: null, closure_summary: null })
        if (result.clears.includes('safeguarding-conclusion')) set.safeguarding_conclusion = null
        if (result.clears.includes('stage-checks') || result.clears.includes('final-visit-decision'))
          await trx.updateTable('case_checks').set({ superseded: 1 }).where('case_id', '=', c.id).execute()
        await bump(trx, c, version, set)
        await recordCaseEvent(trx, clock, caller.actor, c.id, `case.${action}`, result.timeline)
        const to: string[] = []
        if (result.notify.includes('ews-operational-manager'))
          to.push(...(await managerEmails(trx, c.la_code, 'ews-operational-manager')))
        if (result.notify.includes('referrer')) {
          const referral = await latestReferralDocument(trx, c.referral_id)
          if (referral) to.push(referral.referrer.email)
        }
        if (result.notify.includes('operational-director'))
          to.push(...(await managerEmails(trx, c.la_code, 'operational-director')))
        if (to.length > 0)
          await mail.queue(
            trx,
            c.la_code,
            to.map(address => ({
              to: address,
              subject: `Case ${c.reference}: ${result.timeline.split(':')[0] ?? 'update'}`,
              body: `${result.timeline.split(':')[0] ?? 'An update'} on case ${c.reference}.\n\n${config.serviceUrl}/cases/${c.id}`,
            })),
          )
        await audit(trx, clock, caller.actor, caller.request, `case.${action}`, [
          { caseId: c.id, childId: c.child_id, detail: { from: result.from, to: result.to } },
        ])
      })
    },

    /**
     * Triage on receipt: the officer confirms the proposed priority or overrides it with a reason, then
     * the referral is accepted. Both steps go through the lifecycle table.
     */
    async triage(
      caller: Caller,
      caseId: string,
      raw: { priority?: string; reason?: string },
      version?: number,
    ): Promise<void> {
      const days = await daysFor(caseId)
      await db.transaction().execute(async trx => {
        const c = await workable(trx, caller, caseId)
        const today = clock.today()
        const referral = await latestReferralDocument(trx, c.referral_id)
        const child = await trx
          .selectFrom('children')
          .select('date_of_birth')
          .where('id', '=', c.child_id)
          .executeTakeFirstOrThrow()
        const decision = triageDecision(proposalFor(c, referral, child.date_of_birth, today), raw.priority, raw.reason)
        if (!decision.ok) throw new ValidationError(problemsOf(decision.errors))
        const ws = await loadWorkspace(trx, c, caller.actor, today, days)
        const set = applyAction(ws.facts, 'triage', caller.actor.roles, { triage: decision.value }, today)
        if (!set.ok) throw new ValidationError(set.problems.map(message => ({ field: 'priority', message })))
        const accepted = applyAction(
          { ...ws.facts, priority: decision.value.priority },
          'accept',
          caller.actor.roles,
          {},
          today,
        )
        if (!accepted.ok) throw new ValidationError(accepted.problems.map(message => ({ field: 'priority', message })))
        await bump(trx, c, version, {
          status: accepted.to,
          previous_status: accepted.from,
          priority: decision.value.priority,
          priority_reason: decision.value.reason,
          assigned_to: c.assigned_to ?? caller.actor.id,
          next_action: 'Start stage one checks',
        })
        if (c.referral_id)
          await trx
            .updateTable('referrals')
            .set({ status: 'accepted', updated_at: clock.now().toISOString() })
            .where('id', '=', c.referral_id)
            .execute()
        await recordCaseEvent(trx, clock, caller.actor, c.id, 'case.triage', set.timeline)
        await recordCaseEvent(trx, clock, caller.actor, c.id, 'case.accept', accepted.timeline)
        await audit(trx, clock, caller.actor, caller.request, 'case.triage', [
          { caseId: c.id, childId: c.child_id, detail: { priority: decision.value.priority } },
        ])
      })
    },

    /** A check at stage one (an item of the referral's intelligence), two (a data source) or three (the final visit). */
    async addCheck(
      caller: Caller,
      caseId: string,
      raw: { stage?: string; item?: string; result?: string; details?: string; checkedOn?: string },
    ): Promise<void> {
      const days = await daysFor(caseId)
      await db.transaction().execute(async trx => {
        const c = await workable(trx, caller, caseId)
        if (!can(caller.actor, 'case:work')) throw new ForbiddenError('case:work')
        const today = clock.today()
        const ws = await loadWorkspace(trx, c, caller.actor, today, days)
        let label: string
        let result: string
        const details = raw.details?.trim() ?? ''
        const checkedOn = raw.checkedOn?.trim() ?? ''
        if (raw.stage === 'two') {
          const v = validateStageTwoCheck(
            { source: raw.item, checkedOn, result: raw.result, details },
            STAGE_TWO_SOURCES,
            today,
          )
          if (!v.ok)
            throw new ValidationError(
              problemsOf({
                item: v.errors.source,
                checkedOn: v.errors.checkedOn,
                result: v.errors.result,
                details: v.errors.details,
              }),
            )
          label = STAGE_TWO_SOURCES.find(s => s.key === v.value.source)?.label ?? v.value.source
          result = v.value.result
          if (result === 'awaiting-reply') {
            const chase = chaseTaskFor({ sourceLabel: label, checkedOn: v.value.checkedOn, by: caller.actor.id }, days)
            const dueOn = chase.ok ? chase.value.dueOn : today
            await trx
              .insertInto('tasks')
              .values({
                id: newId(),
                case_id: c.id,
                la_code: c.la_code,
                kind: 'chase',
                description: chase.ok ? chase.value.description : `Chase the reply from ${label}`,
                due_on: dueOn,
                assigned_to: caller.actor.id,
                done_on: null,
                done_by: null,
                created_by: caller.actor.id,
                created_at: clock.now().toISOString(),
              })
              .execute()
          }
        } else if (raw.stage === 'one') {
          const item = ws.stageOne.find(s => s.item.key === raw.item)
          const problems = [
            ...(item ? [] : [{ field: 'item', message: 'Select the item you checked' }]),
            ...(raw.result && isCheckResult(raw.result) ? [] : [{ field: 'result', message: 'Select the result' }]),
            ...(checkedOn !== '' && isIsoDate(checkedOn) && checkedOn <= today
              ? []
              : [{ field: 'checkedOn', message: 'Enter the date of the check, today or in the past' }]),
          ]
          if (problems.length > 0 || !item || !raw.result) throw new ValidationError(problems)
          label = item.item.label
          result = raw.result
        } else if (raw.stage === 'three') {
          const decisions: Record<string, string> = {
            'visited-found': 'Final home visit: child found',
            'visited-not-found': 'Final home visit: child not found',
            'not-needed': 'Final home visit not needed',
          }
          const problems = [
            ...(raw.result && decisions[raw.result]
              ? []
              : [{ field: 'result', message: 'Select the final home visit decision' }]),
            ...(details === ''
              ? [{ field: 'details', message: 'Enter what happened, or why a visit is not needed' }]
              : []),
            ...(checkedOn !== '' && isIsoDate(checkedOn) && checkedOn <= today
              ? []
              : [{ field: 'checkedOn', message: 'Enter the date, today or in the past' }]),
          ]
          if (problems.length > 0 || !raw.result) throw new ValidationError(problems)
          label = decisions[raw.result] ?? raw.result
          result = raw.result
        } else throw new ValidationError([{ field: 'stage', message: 'Select the stage' }])
        await trx
          .insertInto('case_checks')
          .values({
            id: newId(),
            case_id: c.id,
            stage: raw.stage,
            item_key: raw.item ?? 'final-visit',
            label,
            result,
            details: details === '' ? null : details,
            checked_on: checkedOn,
            checked_by: caller.actor.id,
            checked_by_name: caller.actor.name,
            created_at: clock.now().toISOString(),
          })
          .execute()
        await bump(trx, c, undefined, {})
        const resultLabel = isCheckResult(result) ? CHECK_RESULTS[result].toLowerCase() : ''
        await recordCaseEvent(
          trx,
          clock,
          caller.actor,
          c.id,
          'case.check',
          raw.stage === 'three' ? label : `Stage ${raw.stage} check — ${label}: ${resultLabel}`,
        )
        await audit(trx, clock, caller.actor, caller.request, 'case.check', [
          { caseId: c.id, childId: c.child_id, detail: { stage: raw.stage } },
        ])
      })
    },

    async addTask(
      caller: Caller,
      caseId: string,
      raw: { kind?: string; dueOn?: string; assignee?: string; description?: string },
    ): Promise<void> {
      await db.transaction().execute(async trx => {
        const c = await workable(trx, caller, caseId)
        const v = validateNewTask(raw, clock.today())
        if (!v.ok) throw new ValidationError(problemsOf(v.errors))
        const worker = await trx
          .selectFrom('users')
          .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
          .select(['users.id', 'users.name'])
          .where('users.id', '=', v.value.assignee)
          .where('organisations.la_code', '=', c.la_code)
          .executeTakeFirst()
        if (!worker) throw new ValidationError([{ field: 'assignee', message: 'Select who the task is assigned to' }])
        await trx
          .insertInto('tasks')
          .values({
            id: newId(),
            case_id: c.id,
            la_code: c.la_code,
            kind: v.value.kind,
            description: v.value.description,
            due_on: v.value.dueOn,
            assigned_to: worker.id,
            done_on: null,
            done_by: null,
            created_by: caller.actor.id,
            created_at: clock.now().toISOString(),
          })
          .execute()
        await recordCaseEvent(
          trx,
          clock,
          caller.actor,
          c.id,
          'task.added',
          `Task added: ${TASK_KINDS[v.value.kind]} for ${worker.name}, due ${v.value.dueOn}`,
        )
        await audit(trx, clock, caller.actor, caller.request, 'task.add', [{ caseId: c.id, childId: c.child_id }])
      })
    },

    async completeTask(caller: Caller, caseId: string, taskId: string): Promise<void> {
      await db.transaction().execute(async trx => {
        const c = await workable(trx, caller, caseId)
        const r = await trx
          .updateTable('tasks')
          .set({ done_on: clock.today(), done_by: caller.actor.id })
          .where('id', '=', taskId)
          .where('case_id', '=', c.id)
          .where('done_on', 'is', null)
          .executeTakeFirst()
        if (Number(r.numUpdatedRows) === 0) throw new NotFoundError('Task')
        await recordCaseEvent(trx, clock, caller.actor, c.id, 'task.done', 'Task completed')
        await audit(trx, clock, caller.actor, caller.request, 'task.complete', [{ caseId: c.id, childId: c.child_id }])
      })
    },

    async reassignTask(caller: Caller, caseId: string, taskId: string, assignee: string | undefined): Promise<void> {
      await db.transaction().execute(async trx => {
        const c = await workable(trx, caller, caseId)
        const task = await trx
          .selectFrom('tasks')
          .selectAll()
          .where('id', '=', taskId)
          .where('case_id', '=', c.id)
          .executeTakeFirst()
        if (!task) throw new NotFoundError('Task')
        const v = validateReassignment(task.assigned_to, assignee === undefined ? {} : { assignee })
        if (!v.ok) throw new ValidationError(problemsOf(v.errors))
        const worker = await trx
          .selectFrom('users')
          .select(['id', 'name'])
          .where('id', '=', v.assignee)
          .executeTakeFirst()
        if (!worker) throw new ValidationError([{ field: 'assignee', message: 'Select who to reassign the task to' }])
        await trx.updateTable('tasks').set({ assigned_to: worker.id }).where('id', '=', task.id).execute()
        await recordCaseEvent(trx, clock, caller.actor, c.id, 'task.reassigned', `Task reassigned to ${worker.name}`)
        await audit(trx, clock, caller.actor, caller.request, 'task.reassign', [{ caseId: c.id, childId: c.child_id }])
      })
    },

    async addNote(caller: Caller, caseId: string, body: string | undefined): Promise<void> {
      const text = body?.trim() ?? ''
      if (text === '') throw new ValidationError([{ field: 'note', message: 'Enter the note' }])
      if (text.length > 5000)
        throw new ValidationError([{ field: 'note', message: 'Note must be 5,000 characters or fewer' }])
      await db.transaction().execute(async trx => {
        const c = await workable(trx, caller, caseId)
        await trx
          .insertInto('case_notes')
          .values({
            id: newId(),
            case_id: c.id,
            body: text,
            author_id: caller.actor.id,
            author_name: caller.actor.name,
            created_at: clock.now().toISOString(),
          })
          .execute()
        await recordCaseEvent(trx, clock, caller.actor, c.id, 'note.added', 'Note added')
        await audit(trx, clock, caller.actor, caller.request, 'note.add', [{ caseId: c.id, childId: c.child_id }])
      })
    },

    /** Residency and safeguarding: the facts the lifecycle's transfer and closure rules read. */
    async recordFacts(
      caller: Caller,
      caseId: string,
      raw: {
        residency?: string
        safeguardingConcern?: string
        safeguardingConclusion?: string
        leadProfessional?: string
      },
      version?: number,
    ): Promise<void> {
      await db.transaction().execute(async trx => {
        const c = await workable(trx, caller, caseId)
        const set: Partial<Omit<Case, 'id'>> = {}
        const said: string[] = []
        if (raw.residency !== undefined) {
          if (!['resident', 'not-resident', 'unknown'].includes(raw.residency))
            throw new ValidationError([
              { field: 'residency', message: 'Select whether the family is resident in the area' },
            ])
          set.residency = raw.residency
          said.push(
            raw.residency === 'resident'
              ? 'Family confirmed resident in the area'
              : raw.residency === 'not-resident'
                ? 'Family not resident in the area'
                : 'Residency not known',
          )
        }
        if (raw.safeguardingConcern !== undefined) {
          set.safeguarding_concern = raw.safeguardingConcern === 'yes' ? 1 : 0
          said.push(raw.safeguardingConcern === 'yes' ? 'Safeguarding concern recorded' : 'No safeguarding concern')
        }
        if (raw.safeguardingConclusion !== undefined) {
          const text = raw.safeguardingConclusion.trim()
          if (text === '')
            throw new ValidationError([
              {
                field: 'safeguardingConclusion',
                message: 'Enter the conclusion agreed with social care or the police',
              },
            ])
          set.safeguarding_conclusion = text
          said.push('Conclusion agreed with social care or the police recorded')
        }
        if (raw.leadProfessional !== undefined) {
          set.flag_lead_professional = raw.leadProfessional === 'yes' ? 1 : 0
          said.push(
            raw.leadProfessional === 'yes' ? 'Social worker recorded as lead professional' : 'No lead professional',
          )
        }
        if (said.length === 0) throw new ValidationError([{ field: 'residency', message: 'Nothing to record' }])
        await bump(trx, c, version, set)
        await recordCaseEvent(trx, clock, caller.actor, c.id, 'case.facts', said.join('; '))
        await audit(trx, clock, caller.actor, caller.request, 'case.facts', [{ caseId: c.id, childId: c.child_id }])
      })
    },

    isCaseworker: (caller: Caller) => hasAnyRole(caller.actor.roles, CASEWORK_ROLES),
  }
}
export type CaseWorkService = ReturnType<typeof createCaseWorkService>
