import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addDays, type IsoDate } from '../../src/domain/dates.js'
import {
  CADENCES,
  cadenceOf,
  cadenceValue,
  computeDeadline,
  DEFAULT_POLICY,
  DEFAULT_POLICY_VALUES,
  nextPolicyVersionNumber,
  POLICY_RULE_KEYS,
  POLICY_RULES,
  policyInForce,
  validatePolicyValues,
  type PolicyRuleKey,
  type PolicyVersion,
} from '../../src/domain/policy.js'
import { fakeSchoolDays } from '../support/fakeSchoolDays.js'

// Spring half term 2025 and a lone INSET day.
const HOLIDAYS = ['2025-02-17', '2025-02-18', '2025-02-19', '2025-02-20', '2025-02-21', '2025-01-06']
const cal = fakeSchoolDays(HOLIDAYS)

const version = (over: Partial<PolicyVersion>): PolicyVersion => ({ ...DEFAULT_POLICY, ...over })

describe('POLICY_RULES', () => {
  it.each<[PolicyRuleKey, number, string]>([
    ['schoolReferralDays', 10, 'school-days'],
    ['groundIAbsenceDays', 20, 'school-days'],
    ['ctfAfterDeletionDays', 15, 'school-days'],
    ['newPupilReturnDays', 5, 'days'],
    ['sicknessReturnDays', 15, 'school-days'],
    ['unauthorisedAbsenceReturnDays', 10, 'school-days'],
    ['groundHLeaveDays', 10, 'school-days'],
    ['codeNReplacedDays', 5, 'school-days'],
    ['saoNoticeToSatisfyDays', 15, 'days'],
    ['saoChoiceOfSchoolDays', 15, 'days'],
    ['triageUrgentDays', 0, 'school-days'],
    ['triageHighDays', 1, 'school-days'],
    ['triageRoutineDays', 5, 'school-days'],
    ['noActionAlertDays', 10, 'school-days'],
    ['unfoundReviewsPerYear', 2, 'per-year'],
  ])('%s defaults to %i %s', (key, value, unit) => {
    expect(POLICY_RULES[key].defaultValue).toBe(value)
    expect(POLICY_RULES[key].unit).toBe(unit)
  })

  it('stores the protocol cadences: closed cases half-termly, oversight monthly', () => {
    expect(cadenceOf(DEFAULT_POLICY_VALUES.closedCaseNoteCadence)).toBe('half-termly')
    expect(cadenceOf(DEFAULT_POLICY_VALUES.oversightCadence)).toBe('monthly')
    expect(cadenceValue('termly')).toBe(4)
    expect(cadenceOf(99)).toBeUndefined()
  })

  it('keeps every default inside its own range, with a source and a hint', () => {
    for (const key of POLICY_RULE_KEYS) {
      const r = POLICY_RULES[key]
      expect(r.defaultValue).toBeGreaterThanOrEqual(r.min)
      expect(r.defaultValue).toBeLessThanOrEqual(r.max)
      expect(r.source.length).toBeGreaterThan(10)
      expect(r.hint.length).toBeGreaterThan(5)
      expect(r.unit === 'days').toBe(r.counting !== undefined)
    }
  })

  it('enforces the law’s floors and ceilings', () => {
    expect(POLICY_RULES.groundIAbsenceDays.min).toBe(20)
    expect(POLICY_RULES.saoNoticeToSatisfyDays.min).toBe(15)
    expect(POLICY_RULES.ctfAfterDeletionDays.max).toBe(15)
    expect(POLICY_RULES.newPupilReturnDays.max).toBe(5)
  })

  it('marks Ground H unconfirmed and the triage numbers as our own', () => {
    expect(POLICY_RULES.groundHLeaveDays.confidence).toBe('S/M')
    expect(POLICY_RULES.triageHighDays.confidence).toBe('onroll-default')
    expect(POLICY_RULES.triageRoutineDays.confidence).toBe('onroll-default')
  })

  it('has a default policy in force from 19 August 2024', () => {
    expect(DEFAULT_POLICY.effectiveFrom).toBe('2024-08-19')
    expect(validatePolicyValues(DEFAULT_POLICY_VALUES)).toEqual({ ok: true, values: DEFAULT_POLICY_VALUES })
  })
})

describe('policyInForce', () => {
  const v1 = version({ id: 'a', version: 1, effectiveFrom: '2024-08-19' })
  const v2 = version({ id: 'b', version: 2, effectiveFrom: '2025-01-01' })
  const v3 = version({ id: 'c', version: 3, effectiveFrom: '2025-01-01' })
  const v4 = version({ id: 'd', version: 4, effectiveFrom: '2025-09-01' })

  it.each<[string, IsoDate, string | undefined]>([
    ['nothing before the first version', '2024-08-18', undefined],
    ['the first version on its own date', '2024-08-19', 'a'],
    ['the latest started version', '2025-03-01', 'c'],
    ['the highest version on a tie', '2025-01-01', 'c'],
    ['not a version that starts later', '2025-08-31', 'c'],
    ['a later version once it starts', '2025-09-01', 'd'],
  ])('gives %s', (_why, on, id) => {
    expect(policyInForce([v4, v2, v1, v3], on)?.id).toBe(id)
  })

  it('gives nothing for no versions', () => {
    expect(policyInForce([], '2025-01-01')).toBeUndefined()
  })

  it('does not depend on the order versions are stored in', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray([v1, v2, v3, v4]),
        fc.constantFrom('2024-01-01', '2025-01-01', '2026-01-01'),
        (vs, on) => {
          expect(policyInForce(vs, on)).toEqual(policyInForce([...vs].reverse(), on))
        },
      ),
    )
  })

  it('numbers a new version after every stored one', () => {
    expect(nextPolicyVersionNumber([])).toBe(1)
    expect(nextPolicyVersionNumber([v1, v4, v2])).toBe(5)
  })
})

describe('validatePolicyValues', () => {
  const form = (over: Record<string, unknown>): Record<string, unknown> => ({
    ...Object.fromEntries(POLICY_RULE_KEYS.map(k => [k, String(DEFAULT_POLICY_VALUES[k])])),
    ...over,
  })

  it('accepts form text and gives numbers back', () => {
    const result = validatePolicyValues(form({ schoolReferralDays: ' 12 ' }))
    expect(result).toEqual({ ok: true, values: { ...DEFAULT_POLICY_VALUES, schoolReferralDays: 12 } })
  })

  it.each<[string, PolicyRuleKey, unknown, string]>([
    ['empty', 'schoolReferralDays', '', 'Enter a whole number of school days between 1 and 60'],
    ['missing', 'schoolReferralDays', undefined, 'Enter a whole number of school days between 1 and 60'],
    ['a fraction', 'schoolReferralDays', '10.5', 'Enter a whole number of school days between 1 and 60'],
    ['a fraction as a number', 'schoolReferralDays', 2.5, 'Enter a whole number of school days between 1 and 60'],
    ['words', 'schoolReferralDays', 'ten', 'Enter a whole number of school days between 1 and 60'],
    ['too big', 'schoolReferralDays', 61, 'Enter a whole number of school days between 1 and 60'],
    ['below the Ground I floor', 'groundIAbsenceDays', '19', 'Enter a whole number of school days between 20 and 60'],
    ['calendar days', 'newPupilReturnDays', '6', 'Enter a whole number of days between 1 and 5'],
    ['below the s437 floor', 'saoNoticeToSatisfyDays', '14', 'Enter a whole number of days between 15 and 60'],
    ['times a year', 'unfoundReviewsPerYear', '0', 'Enter a whole number of times a year between 1 and 6'],
    [
      'an unknown cadence',
      'oversightCadence',
      '9',
      'Choose how often: every week, every month, every half term or every term',
    ],
    ['a boolean', 'ctfAfterDeletionDays', true, 'Enter a whole number of school days between 1 and 15'],
  ])('refuses %s', (_why, key, value, message) => {
    const result = validatePolicyValues(form({ [key]: value }))
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.problems).toEqual({ [key]: message })
  })

  it('refuses triage priorities that invert', () => {
    const result = validatePolicyValues(form({ triageUrgentDays: '1', triageHighDays: '0', triageRoutineDays: '0' }))
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.problems.triageHighDays).toBe(
        'High-priority triage cannot be quicker than urgent triage (1 school day)',
      )
      expect(result.problems.triageRoutineDays).toBe('Enter a whole number of school days between 1 and 20')
    }
  })

  it('accepts any in-range whole number for every rule', () => {
    fc.assert(
      fc.property(fc.constantFrom(...POLICY_RULE_KEYS.filter(k => !k.startsWith('triage'))), fc.nat(100), (key, n) => {
        const r = POLICY_RULES[key]
        const ok = n >= r.min && n <= r.max && (r.unit !== 'cadence' || CADENCES.some(c => c.value === n))
        expect(validatePolicyValues(form({ [key]: n })).ok).toBe(ok)
      }),
    )
  })
})

describe('computeDeadline', () => {
  const p = version({ version: 7 })

  it.each<[PolicyRuleKey, IsoDate, IsoDate, string]>([
    ['schoolReferralDays', '2025-01-10', '2025-01-24', '10 school days after a Friday'],
    ['schoolReferralDays', '2025-02-10', '2025-03-03', 'half term does not count'],
    ['ctfAfterDeletionDays', '2025-02-07', '2025-03-07', '15 school days across half term'],
    ['schoolReferralDays', '2025-01-04', '2025-01-20', 'from a Saturday; the INSET day on 6 January does not count'],
    ['triageUrgentDays', '2025-01-13', '2025-01-13', 'urgent: the same school day'],
    ['triageUrgentDays', '2025-01-11', '2025-01-13', 'urgent on a Saturday: the next school day'],
    ['triageUrgentDays', '2025-02-17', '2025-02-24', 'urgent in half term: the first day back'],
    ['triageHighDays', '2025-01-10', '2025-01-13', 'high: next school day'],
    ['triageRoutineDays', '2025-01-08', '2025-01-15', 'routine: 5 school days'],
    ['newPupilReturnDays', '2025-01-10', '2025-01-15', 'new pupil: by the end of the 5th day after (calendar days)'],
    ['newPupilReturnDays', '2025-02-14', '2025-02-19', 'new pupil: holidays count as days'],
    ['saoNoticeToSatisfyDays', '2025-01-10', '2025-01-24', 's437: 15 days beginning with the day of service'],
    ['saoChoiceOfSchoolDays', '2025-01-31', '2025-02-14', 's438: 15 days beginning with the day of service'],
  ])('%s from %s is due %s (%s)', (rule, from, dueOn) => {
    expect(computeDeadline(rule, from, p, cal)).toEqual({ ok: true, value: { rule, from, dueOn, policyVersion: 7 } })
  })

  it('uses the version’s own value', () => {
    const strict = version({ version: 8, values: { ...DEFAULT_POLICY_VALUES, schoolReferralDays: 3 } })
    expect(computeDeadline('schoolReferralDays', '2025-01-10', strict, cal)).toEqual({
      ok: true,
      value: { rule: 'schoolReferralDays', from: '2025-01-10', dueOn: '2025-01-15', policyVersion: 8 },
    })
  })

  it('gives the calendar’s problem back instead of guessing', () => {
    expect(computeDeadline('ctfAfterDeletionDays', '2026-08-20', p, cal)).toEqual({
      ok: false,
      problem: 'No term dates for 2026-09-01 in the Test calendar',
    })
    expect(computeDeadline('triageUrgentDays', '2027-01-04', p, cal)).toEqual({
      ok: false,
      problem: 'No term dates for 2027-01-04 in the Test calendar',
    })
  })

  it('refuses frequencies and impossible dates', () => {
    expect(computeDeadline('oversightCadence', '2025-01-10', p, cal).ok).toBe(false)
    expect(computeDeadline('unfoundReviewsPerYear', '2025-01-10', p, cal).ok).toBe(false)
    expect(computeDeadline('schoolReferralDays', '2025-02-30', p, cal)).toEqual({
      ok: false,
      problem: 'Not a calendar date: 2025-02-30',
    })
  })

  it('puts a school-day deadline on a school day exactly N school days later', () => {
    const schoolDayRules = POLICY_RULE_KEYS.filter(k => POLICY_RULES[k].unit === 'school-days')
    fc.assert(
      fc.property(fc.constantFrom(...schoolDayRules), fc.integer({ min: 0, max: 400 }), (rule, offset) => {
        const from = addDays('2024-09-01', offset)
        const result = computeDeadline(rule, from, p, cal)
        expect(result.ok).toBe(true)
        if (!result.ok) return
        const n = DEFAULT_POLICY_VALUES[rule]
        const due = result.value.dueOn
        expect(cal.isSchoolDay(due)).toEqual({ ok: true, value: true })
        if (n === 0) {
          expect(due >= from).toBe(true)
          expect(cal.count(from, due)).toEqual({ ok: true, value: 1 })
        } else {
          expect(due > from).toBe(true)
          expect(cal.count(addDays(from, 1), due)).toEqual({ ok: true, value: n })
        }
      }),
    )
  })
})
