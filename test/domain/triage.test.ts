import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { schoolDaysFor, type CalendarData } from '../../src/domain/calendar.js'
import { PRIORITY_ORDER, type Priority } from '../../src/domain/caseStatus.js'
import { DEFAULT_POLICY, type PolicyVersion } from '../../src/domain/policy.js'
import {
  isOverdue,
  NO_FLAG_REASON,
  proposePriority,
  TRIAGE_RULES,
  triageDeadline,
  triageDecision,
  triageDue,
  type ReferralFlag,
  type ReferralFlags,
} from '../../src/domain/triage.js'

/** Autumn term 2025 with the October half term (27-31 October); nothing outside 2025/26 is known. */
const calendar: CalendarData = {
  name: 'Test LA',
  terms: [
    { name: 'Autumn term 2025', startsOn: '2025-09-03', endsOn: '2025-12-19' },
    { name: 'Spring term 2026', startsOn: '2026-01-05', endsOn: '2026-03-27' },
    { name: 'Summer term 2026', startsOn: '2026-04-13', endsOn: '2026-07-21' },
  ],
  closures: [{ kind: 'half-term', name: 'October half term', startsOn: '2025-10-27', endsOn: '2025-10-31' }],
}
const days = schoolDaysFor(calendar, ['2025-12-25', '2025-12-26', '2026-01-01'])

const NONE: ReferralFlags = {
  cpPlan: false,
  lookedAfter: false,
  riskOfHarm: false,
  forcedMarriage: false,
  believedAbroadNoDestination: false,
  veryYoung: false,
}

/** domain.md §5.1 and the issue, written out by hand. */
const EXPECTED: Record<ReferralFlag, Priority> = {
  cpPlan: 'urgent',
  lookedAfter: 'urgent',
  riskOfHarm: 'urgent',
  forcedMarriage: 'urgent',
  believedAbroadNoDestination: 'urgent',
  veryYoung: 'high',
  childInNeed: 'high',
  socialWorker: 'high',
  ehcp: 'high',
}
const FLAGS = Object.keys(EXPECTED) as ReferralFlag[]

describe('proposePriority', () => {
  it.each(FLAGS)('%s on its own proposes the expected priority', flag => {
    const proposal = proposePriority({ ...NONE, [flag]: true })
    expect(proposal.priority).toBe(EXPECTED[flag])
    expect(proposal.reasons).toEqual([TRIAGE_RULES.find(r => r.flag === flag)?.reason])
  })

  it('proposes routine with a reason when no flag applies', () => {
    expect(proposePriority(NONE)).toEqual({ priority: 'routine', reasons: [NO_FLAG_REASON] })
    expect(proposePriority({ ...NONE, childInNeed: false, ehcp: undefined })).toEqual({
      priority: 'routine',
      reasons: [NO_FLAG_REASON],
    })
  })

  it('lists every flag that applies, urgent ones first', () => {
    expect(proposePriority({ ...NONE, ehcp: true, veryYoung: true, forcedMarriage: true })).toEqual({
      priority: 'urgent',
      reasons: [
        'There is a forced marriage concern',
        'The child is very young',
        'The child has an education, health and care plan',
      ],
    })
  })

  const flags = fc.record({
    cpPlan: fc.boolean(),
    lookedAfter: fc.boolean(),
    riskOfHarm: fc.boolean(),
    forcedMarriage: fc.boolean(),
    believedAbroadNoDestination: fc.boolean(),
    veryYoung: fc.boolean(),
    childInNeed: fc.option(fc.boolean(), { nil: undefined }),
    socialWorker: fc.option(fc.boolean(), { nil: undefined }),
    ehcp: fc.option(fc.boolean(), { nil: undefined }),
  })

  it('is the most urgent priority among the flags set', () => {
    fc.assert(
      fc.property(flags, f => {
        const set = FLAGS.filter(k => f[k] === true)
        const expected = set.some(k => EXPECTED[k] === 'urgent') ? 'urgent' : set.length > 0 ? 'high' : 'routine'
        const proposal = proposePriority(f)
        expect(proposal.priority).toBe(expected)
        expect(proposal.reasons).toHaveLength(Math.max(set.length, 1))
      }),
    )
  })

  it('never lowers the priority when another flag is added', () => {
    fc.assert(
      fc.property(flags, fc.constantFrom(...FLAGS), (f, extra) => {
        const before = proposePriority(f).priority
        const after = proposePriority({ ...f, [extra]: true }).priority
        expect(PRIORITY_ORDER[after]).toBeLessThanOrEqual(PRIORITY_ORDER[before])
      }),
    )
  })
})

describe('triageDecision', () => {
  const urgent = proposePriority({ ...NONE, cpPlan: true })

  it('confirms without a reason of the officer’s own, keeping the proposal’s reasons', () => {
    expect(triageDecision(urgent, 'urgent')).toEqual({
      ok: true,
      value: {
        priority: 'urgent',
        proposed: 'urgent',
        proposalReasons: ['The child is on a child-protection plan'],
        overridden: false,
        reason: 'The child is on a child-protection plan',
      },
    })
    expect(triageDecision(urgent, 'urgent', '  Spoke to the social worker ')).toMatchObject({
      ok: true,
      value: { overridden: false, reason: 'Spoke to the social worker' },
    })
  })

  it('needs a reason to override, either way', () => {
    expect(triageDecision(urgent, 'routine', ' ')).toEqual({
      ok: false,
      errors: { reason: 'Enter why the priority is routine and not urgent' },
    })
    const routine = proposePriority(NONE)
    expect(triageDecision(routine, 'high')).toEqual({
      ok: false,
      errors: { reason: 'Enter why the priority is high and not routine' },
    })
    expect(triageDecision(urgent, 'high', 'Plan ended last week')).toEqual({
      ok: true,
      value: {
        priority: 'high',
        proposed: 'urgent',
        proposalReasons: ['The child is on a child-protection plan'],
        overridden: true,
        reason: 'Plan ended last week',
      },
    })
  })

  it('needs a priority', () => {
    expect(triageDecision(urgent, undefined)).toEqual({ ok: false, errors: { priority: 'Select a priority' } })
    expect(triageDecision(urgent, 'critical', 'x')).toEqual({ ok: false, errors: { priority: 'Select a priority' } })
  })
})

describe('triage deadline', () => {
  it.each([
    ['urgent', '2025-10-20', '2025-10-20', 'a school day: the same day'],
    ['urgent', '2025-10-25', '2025-11-03', 'a Saturday before half term: the first day back'],
    ['urgent', '2025-10-29', '2025-11-03', 'in half term: the first day back'],
    ['high', '2025-10-23', '2025-10-24', 'the next school day'],
    ['high', '2025-10-24', '2025-11-03', 'the next school day, after half term'],
    ['routine', '2025-10-20', '2025-11-03', '5 school days, half term not counted'],
  ] as const)('%s received %s is due %s (%s)', (priority, receivedOn, due, _why) => {
    expect(triageDue(receivedOn, priority, DEFAULT_POLICY, days)).toEqual({ ok: true, value: due })
  })

  it('follows the LA’s own numbers and records the version used', () => {
    const policy: PolicyVersion = {
      ...DEFAULT_POLICY,
      version: 3,
      values: { ...DEFAULT_POLICY.values, triageUrgentDays: 1, triageRoutineDays: 10 },
    }
    expect(triageDue('2025-10-20', 'urgent', policy, days)).toEqual({ ok: true, value: '2025-10-21' })
    expect(triageDeadline('2025-10-20', 'routine', policy, days)).toEqual({
      ok: true,
      value: { rule: 'triageRoutineDays', from: '2025-10-20', dueOn: '2025-11-10', policyVersion: 3 },
    })
  })

  it('says so rather than guess when the calendar has no term dates', () => {
    expect(triageDue('2026-09-07', 'urgent', DEFAULT_POLICY, days)).toEqual({
      ok: false,
      problem: 'No term dates for 2026/27 in the Test LA calendar',
    })
    expect(triageDue('2026-07-20', 'routine', DEFAULT_POLICY, days)).toEqual({
      ok: false,
      problem: 'No term dates for 2026/27 in the Test LA calendar',
    })
  })

  it('is overdue from the day after it is due', () => {
    expect(isOverdue('2025-10-20', '2025-10-19')).toBe(false)
    expect(isOverdue('2025-10-20', '2025-10-20')).toBe(false)
    expect(isOverdue('2025-10-20', '2025-10-21')).toBe(true)
  })
})
