import { OPEN_STATUSES, type CaseStatus, type Priority } from './caseStatus.js'
import { formatLongDate, isIsoDate, type IsoDate } from './dates.js'
import { computeDeadline, type PolicyVersion } from './policy.js'
import { ROLES, type Role } from './roles.js'
import type { SchoolDays } from './schoolDays.js'

/**
 * Escalation up the chain of the protocol's Appendix E (domain.md §2): each level "escalates
 * unresolved issues" to the next, the Operational Director "escalates serious matters" to the
 * Corporate Director of People, and above that is the Department for Education, outside onroll.
 * Every escalation is recorded with who, when, why and the answer; those records live in
 * services/escalationService.ts, this module only decides where one goes and when one is automatic.
 */

export const ESCALATION_CHAIN = [
  'cme-information-officer',
  'vulnerable-childrens-officer',
  'ews-operational-manager',
  'operational-director',
  'corporate-director',
] as const satisfies readonly Role[]

export type EscalationLevel = (typeof ESCALATION_CHAIN)[number]

export const ESCALATION_LABELS: Record<EscalationLevel, string> = {
  'cme-information-officer': ROLES['cme-information-officer'],
  'vulnerable-childrens-officer': ROLES['vulnerable-childrens-officer'],
  'ews-operational-manager': ROLES['ews-operational-manager'],
  'operational-director': ROLES['operational-director'],
  'corporate-director': ROLES['corporate-director'],
}

/** Above the top of the chain; named in refusals so the officer knows where the matter goes next. */
export const BEYOND_THE_CHAIN = 'the Department for Education'

/** Automatic escalations go to the manager who does the monthly oversight (Appendix E). */
export const AUTOMATIC_ESCALATION_LEVEL: EscalationLevel = 'ews-operational-manager'

export const isEscalationLevel = (role: string): role is EscalationLevel =>
  (ESCALATION_CHAIN as readonly string[]).includes(role)

const rank = (level: EscalationLevel): number => ESCALATION_CHAIN.indexOf(level)

/** The level above; undefined at the Corporate Director, the top of the chain in this system. */
export function nextLevel(from: EscalationLevel): EscalationLevel | undefined {
  return ESCALATION_CHAIN[rank(from) + 1]
}

/** The actor's highest level in the chain; undefined for a worker outside it (an EWO, a school). */
export function highestLevel(roles: readonly Role[]): EscalationLevel | undefined {
  let best: EscalationLevel | undefined
  for (const r of roles) if (isEscalationLevel(r) && (best === undefined || rank(r) > rank(best))) best = r
  return best
}

export type EscalationTarget =
  { ok: true; level: EscalationLevel; label: string } | { ok: false; problem: string; beyond: typeof BEYOND_THE_CHAIN }

/**
 * Where an escalation by this worker goes: the level above the higher of the worker's own level
 * and the case's current escalation level, so an escalation never lands with someone who already
 * has it, or below it. A worker outside the chain escalates to its first level, the Information
 * Officer (the single point of contact). Nothing goes past the Corporate Director inside onroll.
 */
export function escalationTarget(actorRoles: readonly Role[], currentLevel?: EscalationLevel): EscalationTarget {
  const own = highestLevel(actorRoles)
  const from = Math.max(own === undefined ? -1 : rank(own), currentLevel === undefined ? -1 : rank(currentLevel))
  const level = ESCALATION_CHAIN[from + 1]
  if (level === undefined) {
    return {
      ok: false,
      problem: `The ${ROLES['corporate-director']} is the top of the escalation chain; refer the matter to ${BEYOND_THE_CHAIN}, outside this system`,
      beyond: BEYOND_THE_CHAIN,
    }
  }
  return { ok: true, level, label: ESCALATION_LABELS[level] }
}

/** Whoever holds the level's role, or a higher one in the chain, may answer an escalation at that level. */
export function canAnswerEscalation(actorRoles: readonly Role[], level: EscalationLevel): boolean {
  const own = highestLevel(actorRoles)
  return own !== undefined && rank(own) >= rank(level)
}

export const ESCALATION_DECISIONS = {
  instruction: 'Instruction given',
  'escalate-further': 'Escalated to the next level',
  'no-further-action': 'No further action',
  resolved: 'Resolved',
} as const

export type EscalationDecision = keyof typeof ESCALATION_DECISIONS
export const isEscalationDecision = (v: string): v is EscalationDecision => Object.hasOwn(ESCALATION_DECISIONS, v)

/**
 * Problems with an answer to an escalation, in words for the officer; empty when it can be recorded.
 * An instruction or "no further action" must say what or why, because the answer returns to the case
 * and is read by the worker who escalated; escalating further needs a level above this one.
 */
export function validateEscalationAnswer(
  answer: { decision: string; note: string },
  level: EscalationLevel,
  actorRoles: readonly Role[],
): string[] {
  const problems: string[] = []
  if (!canAnswerEscalation(actorRoles, level)) {
    problems.push(`Only the ${ESCALATION_LABELS[level]} or someone above them can answer this escalation`)
  }
  if (!isEscalationDecision(answer.decision)) {
    problems.push('Choose a decision')
    return problems
  }
  const note = answer.note.trim()
  if (answer.decision === 'instruction' && note === '') problems.push('Write the instruction')
  if (answer.decision === 'no-further-action' && note === '') problems.push('Say why no further action is needed')
  if (answer.decision === 'escalate-further') {
    const target = escalationTarget(actorRoles, level)
    if (!target.ok) problems.push(target.problem)
    if (note === '') problems.push('Say why the matter needs escalating further')
  }
  return problems
}

export type AutomaticReason = 'triage-overdue' | 'no-action'

export interface CaseForEscalation {
  caseId: string
  status: CaseStatus
  /** The priority given at receipt (the suggested priority until triage confirms it). */
  priority?: Priority
  receivedOn: IsoDate
  /** The triage deadline recorded at receipt; computed from the policy when absent. */
  triageDue?: IsoDate
  /** The day of the last recorded action on the case (the day of receipt if none since). */
  lastActionOn: IsoDate
  escalatedLevel?: EscalationLevel
  /**
   * Reason keys of escalations already raised on the case. Open ones at least; pass answered ones
   * too, so an escalation answered without any action on the case is not raised again.
   */
  escalationReasonKeys?: readonly string[]
}

export interface AutomaticEscalation {
  caseId: string
  reason: AutomaticReason
  /**
   * `triage-overdue:<receivedOn>` or `no-action:<lastActionOn>`: keyed on the event the clock runs
   * from, so the same breach has the same key even if the policy changes, and is raised once; a new
   * action on the case starts a new clock and a new key.
   */
  reasonKey: string
  message: string
  toLevel: EscalationLevel
  /** The date that was missed: the triage deadline, or the last school day by which action was due. */
  dueOn: IsoDate
  policyVersion: number
}

export interface AutomaticEscalationRun {
  escalations: AutomaticEscalation[]
  /** Cases the calendar could not answer for; reported, never guessed at. */
  problems: { caseId: string; problem: string }[]
}

/**
 * The automatic escalations due today. A threshold is breached the day after its due date (work
 * done by the end of the due day is in time):
 * - an urgent referral still awaiting triage ('received') after its triage deadline
 *   (`triageUrgentDays`, school days from receipt);
 * - an open case with no recorded action for `noActionAlertDays` school days: due on the Nth
 *   school day after the last action, breached the day after.
 * The escalation goes to the EWS Operational Manager, or to the level already holding the case if
 * higher: an automatic rule alerts the manager, and only a person's judgement moves a matter to
 * the directors. A breach whose reason key the case already has is not raised again.
 */
export function automaticEscalations(
  cases: readonly CaseForEscalation[],
  today: IsoDate,
  policy: PolicyVersion,
  schoolDays: SchoolDays,
): AutomaticEscalationRun {
  const escalations: AutomaticEscalation[] = []
  const problems: { caseId: string; problem: string }[] = []
  if (!isIsoDate(today)) return { escalations, problems: [{ caseId: '', problem: `Not a calendar date: ${today}` }] }
  for (const c of cases) {
    if (!OPEN_STATUSES.includes(c.status)) continue
    const raised = new Set(c.escalationReasonKeys ?? [])
    const toLevel =
      c.escalatedLevel !== undefined && rank(c.escalatedLevel) > rank(AUTOMATIC_ESCALATION_LEVEL)
        ? c.escalatedLevel
        : AUTOMATIC_ESCALATION_LEVEL
    const raise = (reason: AutomaticReason, since: IsoDate, dueOn: IsoDate, message: string) => {
      const reasonKey = `${reason}:${since}`
      if (today > dueOn && !raised.has(reasonKey)) {
        escalations.push({
          caseId: c.caseId,
          reason,
          reasonKey,
          message,
          toLevel,
          dueOn,
          policyVersion: policy.version,
        })
      }
    }

    if (c.status === 'received' && c.priority === 'urgent') {
      let due = c.triageDue
      if (due === undefined) {
        const computed = computeDeadline('triageUrgentDays', c.receivedOn, policy, schoolDays)
        if (computed.ok) due = computed.value.dueOn
        else problems.push({ caseId: c.caseId, problem: computed.problem })
      }
      if (due !== undefined)
        raise('triage-overdue', c.receivedOn, due, `Urgent case not triaged by ${formatLongDate(due)}`)
    }

    const idle = computeDeadline('noActionAlertDays', c.lastActionOn, policy, schoolDays)
    if (!idle.ok) problems.push({ caseId: c.caseId, problem: idle.problem })
    else {
      const n = policy.values.noActionAlertDays
      raise(
        'no-action',
        c.lastActionOn,
        idle.value.dueOn,
        `No action for ${n} school day${n === 1 ? '' : 's'} since ${formatLongDate(c.lastActionOn)}`,
      )
    }
  }
  return { escalations, problems }
}
