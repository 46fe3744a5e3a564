import { PRIORITIES, isPriority, type Priority } from './caseStatus.js'
import type { IsoDate } from './dates.js'
import { computeDeadline, type Deadline, type PolicyRuleKey, type PolicyVersion } from './policy.js'
import type { Answer, SchoolDays } from './schoolDays.js'

/**
 * Triage on receipt (domain.md §5.1; protocol Appendices C and D: "Referral triaged on receipt
 * for appropriate response, urgent to routine").
 *
 * The system proposes a priority from the referral's flags and the officer confirms it or
 * overrides it with a reason. The proposal never decides on its own: the officer reads the
 * whole referral, and a flag the form does not capture can still make a case urgent.
 */

export interface ReferralFlags {
  /** The child is subject to a child-protection plan. */
  cpPlan: boolean
  lookedAfter: boolean
  /** A known risk of harm to the child. */
  riskOfHarm: boolean
  forcedMarriage: boolean
  /** Believed to have left the UK with no known destination. */
  believedAbroadNoDestination: boolean
  /** The caller decides what "very young" means (e.g. the first years of compulsory school age). */
  veryYoung: boolean
  childInNeed?: boolean
  /** Anyone in the family has an allocated social worker. */
  socialWorker?: boolean
  /** Education, health and care plan. */
  ehcp?: boolean
}

export type ReferralFlag = keyof ReferralFlags

/**
 * The rule, in the order the reasons are shown. domain.md §5.1 names CP plan, looked after,
 * risk of harm, forced marriage, very young and believed abroad with no destination as pushing
 * "towards urgent". All but "very young" propose urgent: each is a child who may be in danger
 * now, and forced marriage must go to social care immediately (§5, "Throughout"). A very young
 * child, a child in need, a child with an EHCP or a family with a social worker proposes high:
 * more vulnerable than most, but with a professional or a protection already around them, or
 * (for the very young) no specific danger reported. Anything else proposes routine.
 */
export const TRIAGE_RULES: readonly { flag: ReferralFlag; priority: 'urgent' | 'high'; reason: string }[] = [
  { flag: 'cpPlan', priority: 'urgent', reason: 'The child is on a child-protection plan' },
  { flag: 'riskOfHarm', priority: 'urgent', reason: 'There is a known risk of harm' },
  { flag: 'forcedMarriage', priority: 'urgent', reason: 'There is a forced marriage concern' },
  { flag: 'lookedAfter', priority: 'urgent', reason: 'The child is looked after' },
  {
    flag: 'believedAbroadNoDestination',
    priority: 'urgent',
    reason: 'The child is believed to be abroad with no known destination',
  },
  { flag: 'veryYoung', priority: 'high', reason: 'The child is very young' },
  { flag: 'childInNeed', priority: 'high', reason: 'The child is a child in need' },
  { flag: 'socialWorker', priority: 'high', reason: 'Someone in the family has a social worker' },
  { flag: 'ehcp', priority: 'high', reason: 'The child has an education, health and care plan' },
]

export const NO_FLAG_REASON = 'No flag on the referral raises the priority'

export interface PriorityProposal {
  priority: Priority
  /** Every flag that applies, urgent ones first, so the officer sees all of them; never empty. */
  reasons: string[]
}

export function proposePriority(flags: ReferralFlags): PriorityProposal {
  const urgent = TRIAGE_RULES.filter(r => r.priority === 'urgent' && flags[r.flag] === true).map(r => r.reason)
  const high = TRIAGE_RULES.filter(r => r.priority === 'high' && flags[r.flag] === true).map(r => r.reason)
  if (urgent.length > 0) return { priority: 'urgent', reasons: [...urgent, ...high] }
  if (high.length > 0) return { priority: 'high', reasons: high }
  return { priority: 'routine', reasons: [NO_FLAG_REASON] }
}

/** What is recorded on the case: the choice, what was proposed, and why. */
export interface TriageDecision {
  priority: Priority
  proposed: Priority
  proposalReasons: string[]
  overridden: boolean
  /** The officer's reason; on a confirmation without one, the proposal's reasons. */
  reason: string
}

export type TriageDecisionResult =
  { ok: true; value: TriageDecision } | { ok: false; errors: Partial<Record<'priority' | 'reason', string>> }

/**
 * Confirming needs no reason of the officer's own (the proposal's reasons stand, though a
 * note is kept if given); overriding does, because a departure from the rule is what a
 * manager reviewing the case, or a serious case review, will ask about.
 */
export function triageDecision(
  proposed: PriorityProposal,
  chosen: string | undefined,
  reason?: string,
): TriageDecisionResult {
  const text = reason?.trim() ?? ''
  if (chosen === undefined || !isPriority(chosen)) return { ok: false, errors: { priority: 'Select a priority' } }
  const overridden = chosen !== proposed.priority
  if (overridden && text === '') {
    return {
      ok: false,
      errors: {
        reason: `Enter why the priority is ${PRIORITIES[chosen].toLowerCase()} and not ${PRIORITIES[proposed.priority].toLowerCase()}`,
      },
    }
  }
  return {
    ok: true,
    value: {
      priority: chosen,
      proposed: proposed.priority,
      proposalReasons: [...proposed.reasons],
      overridden,
      reason: text !== '' ? text : proposed.reasons.join('; '),
    },
  }
}

/** The policy rule that sets the triage timescale for each priority. */
export const TRIAGE_RULE: Record<Priority, PolicyRuleKey> = {
  urgent: 'triageUrgentDays',
  high: 'triageHighDays',
  routine: 'triageRoutineDays',
}

/**
 * The triage deadline with the policy version that produced it, for storing. By default an
 * urgent referral is due the same school day (0 school days: the day it arrives, or the next
 * school day if it arrives on a weekend or in a holiday).
 */
export function triageDeadline(
  receivedOn: IsoDate,
  priority: Priority,
  policy: PolicyVersion,
  schoolDays: SchoolDays,
): Answer<Deadline> {
  return computeDeadline(TRIAGE_RULE[priority], receivedOn, policy, schoolDays)
}

export function triageDue(
  receivedOn: IsoDate,
  priority: Priority,
  policy: PolicyVersion,
  schoolDays: SchoolDays,
): Answer<IsoDate> {
  const deadline = triageDeadline(receivedOn, priority, policy, schoolDays)
  return deadline.ok ? { ok: true, value: deadline.value.dueOn } : deadline
}

/** Overdue from the day after the due date: a referral triaged on its due date is on time. */
export const isOverdue = (due: IsoDate, today: IsoDate): boolean => today > due
