import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addDays, daysBetween, type IsoDate } from '../../src/domain/dates.js'
import { computeDeadline, DEFAULT_POLICY, DEFAULT_POLICY_VALUES, type PolicyValues } from '../../src/domain/policy.js'
import {
  CWSA2026_SAO,
  EA1996_SAO,
  findStage,
  nextStage,
  periodDays,
  SAO_VERSIONS,
  saoVersionInForce,
  stageDeadline,
  validateSaoStep,
  validateSaoVersion,
  type SaoProcessVersion,
  type SaoStage,
  type SaoStepRecord,
} from '../../src/domain/sao.js'
import { noAnswer, type SchoolDays } from '../../src/domain/schoolDays.js'

const stage = (key: string, version: SaoProcessVersion = EA1996_SAO): SaoStage => {
  const found = findStage(version, key)
  if (!found) throw new Error(`no stage ${key}`)
  return found
}
const s437 = stage('s437-notice')
const s438 = stage('s438-notice-of-intention')

describe('the versions are valid data', () => {
  it.each(SAO_VERSIONS.map(v => [v.id, v] as const))('%s has no problems', (_id, version) => {
    expect(validateSaoVersion(version)).toEqual([])
  })

  it('reports broken data in words an administrator can act on', () => {
    const broken: SaoProcessVersion = {
      ...EA1996_SAO,
      id: 'broken',
      restartAt: 'nowhere',
      stages: [
        { key: 'a', title: 'A', section: 's1', outcomes: [{ key: 'x', label: 'X', next: 'missing' }] },
        {
          key: 'a',
          title: 'A again',
          section: 's1',
          period: { days: 0, counting: 'after', kind: 'fixed', policyKey: 'saoNoticeToSatisfyDays' },
          notBeforeEndOf: 'a',
          outcomes: [],
        },
      ],
    }
    expect(validateSaoVersion(broken)).toEqual([
      'broken: stage "a" twice',
      'broken: restarts at unknown stage "nowhere"',
      'broken/a: outcome "x" leads to unknown stage "missing"',
      'broken/a: has no outcomes',
      'broken/a: period must be a whole number of days',
      'broken/a: policy rule "saoNoticeToSatisfyDays" is not counted in days after',
      'broken/a: waits for "a", which is not an earlier stage with a period',
    ])
  })

  it('names the statutory stages in order, each with its section', () => {
    expect(EA1996_SAO.stages.map(s => [s.key, s.section])).toEqual([
      ['informal-enquiries', 's436A; protocol Appendix C'],
      ['s437-notice', 's437(1)-(2)'],
      ['la-decision', 's437(3)'],
      ['s438-notice-of-intention', 's438(2)-(6)'],
      ['serve-order', 's437(3); s438(4)-(6)'],
      ['monitor', 's437(4)-(6); s440; s442'],
      ['eso-considered', 's447(1)'],
      ['prosecution', 's443'],
    ])
    expect(EA1996_SAO.stages.filter(s => s.document).map(s => s.document)).toEqual([
      's437-notice',
      'notice-of-intention',
      'school-attendance-order',
      'prosecution-file',
    ])
  })
})

describe('period arithmetic: "not less than 15 days beginning with the day on which the notice is served"', () => {
  // The day of service is day 1, so the period's last day is served + 14; the LA may act the day after.
  it.each([
    ['served on a Friday', '2026-05-01', '2026-05-15'],
    ['served on a Monday', '2026-05-04', '2026-05-18'],
    ['served on a Saturday (periods are calendar days)', '2026-05-02', '2026-05-16'],
    ['over a 31-day month end', '2026-01-20', '2026-02-03'],
    ['over a 30-day month end', '2026-04-25', '2026-05-09'],
    ['over the year end', '2026-12-24', '2027-01-07'],
    ['over February in a common year', '2027-02-20', '2027-03-06'],
    ['over February in a leap year', '2028-02-20', '2028-03-05'],
    ['served on leap day', '2028-02-29', '2028-03-14'],
    ['across the start of British Summer Time (29 March 2026)', '2026-03-20', '2026-04-03'],
    ['across the end of British Summer Time (25 October 2026)', '2026-10-20', '2026-11-03'],
    ['in the summer holiday (school days are irrelevant)', '2026-07-27', '2026-08-10'],
  ])('%s: served %s, period ends %s', (_case, served, end) => {
    expect(stageDeadline(s437, served)).toBe(end)
    expect(stageDeadline(s438, served)).toBe(end)
  })

  it('agrees with computeDeadline for the same policy rule, for every date and every allowed value', () => {
    const noCalendar: SchoolDays = {
      name: 'unused',
      isSchoolDay: () => noAnswer('unused'),
      isHoliday: () => noAnswer('unused'),
      count: () => noAnswer('unused'),
      add: () => noAnswer('unused'),
      next: () => noAnswer('unused'),
    }
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 15, max: 60 }),
        (offset: number, days: number) => {
          const served = addDays('2000-01-01', offset)
          const values: PolicyValues = { ...DEFAULT_POLICY_VALUES, saoNoticeToSatisfyDays: days }
          const end = stageDeadline(s437, served, { policy: values })
          const viaPolicy = computeDeadline('saoNoticeToSatisfyDays', served, { ...DEFAULT_POLICY, values }, noCalendar)
          expect(viaPolicy.ok && viaPolicy.value.dueOn).toBe(end)
          expect(daysBetween(served, end ?? served)).toBe(days - 1)
        },
      ),
    )
  })

  it('uses the longer of the statute, the LA policy and the period the notice gave, never a shorter one', () => {
    const policy20: PolicyValues = { ...DEFAULT_POLICY_VALUES, saoNoticeToSatisfyDays: 20 }
    const policy10: PolicyValues = { ...DEFAULT_POLICY_VALUES, saoNoticeToSatisfyDays: 10 }
    expect(stageDeadline(s437, '2026-05-01', { policy: policy20 })).toBe('2026-05-20')
    expect(stageDeadline(s437, '2026-05-01', { specifiedDays: 21 })).toBe('2026-05-21')
    expect(stageDeadline(s437, '2026-05-01', { policy: policy10 })).toBe('2026-05-15')
    expect(stageDeadline(s437, '2026-05-01', { specifiedDays: 7 })).toBe('2026-05-15')
    expect(periodDays(s437, { policy: policy20, specifiedDays: 18 })).toBe(20)
  })

  it('counts "N days after" from the day after', () => {
    const after: SaoStage = { ...s437, period: { days: 5, counting: 'after', kind: 'fixed' } }
    expect(stageDeadline(after, '2026-05-01')).toBe('2026-05-06')
  })

  it('has no deadline for a stage without a period, and refuses a value that is not a date', () => {
    expect(stageDeadline(stage('la-decision'), '2026-05-01')).toBeUndefined()
    expect(periodDays(stage('monitor'))).toBeUndefined()
    expect(() => stageDeadline(s437, '2026-02-30')).toThrow(RangeError)
  })
})

describe('outcomes lead to the next stage', () => {
  it.each([
    ['informal-enquiries', 'education-confirmed', { end: true }],
    ['informal-enquiries', 'not-confirmed', 's437-notice'],
    ['s437-notice', 'period-ended', 'la-decision'],
    ['la-decision', 'satisfied', { end: true }],
    ['la-decision', 'not-satisfied-expedient', 's438-notice-of-intention'],
    ['la-decision', 'not-satisfied-not-expedient', { end: true }],
    ['s438-notice-of-intention', 'no-choice', 'serve-order'],
    ['s438-notice-of-intention', 'child-registered', { end: true }],
    ['serve-order', 'served', 'monitor'],
    ['monitor', 'registered-attending', { end: true }],
    ['monitor', 'order-amended', 'monitor'],
    ['monitor', 'not-complying', 'eso-considered'],
    ['eso-considered', 'eso-instead', { end: true }],
    ['eso-considered', 'prosecute', 'prosecution'],
    ['prosecution', 'convicted', 'monitor'],
    ['prosecution', 'acquitted-order-ceases', { end: true }],
  ] as const)('%s + %s', (from, outcome, expected) => {
    const step = nextStage(EA1996_SAO, from, outcome)
    if (typeof expected === 'string') expect(step).toEqual({ stage: stage(expected) })
    else expect(step).toEqual(expected)
  })

  it('restarts at the s437 notice when the pupil is still not on roll (protocol Appendix C)', () => {
    expect(nextStage(EA1996_SAO, 'monitor', 'not-on-roll')).toEqual({ restart: true, stage: s437 })
  })

  it('gives nothing for an unknown stage or outcome', () => {
    expect(nextStage(EA1996_SAO, 'monitor', 'nonsense')).toBeUndefined()
    expect(nextStage(EA1996_SAO, 'nonsense', 'served')).toBeUndefined()
  })
})

describe('validateSaoStep', () => {
  const check = (history: SaoStepRecord[], stageKey: string, on: IsoDate, specifiedDays?: number) =>
    validateSaoStep(EA1996_SAO, history, { stageKey, on, specifiedDays })

  const served437: SaoStepRecord[] = [
    { stageKey: 'informal-enquiries', startedOn: '2026-04-20', outcomeKey: 'not-confirmed' },
    // The parent answered early and the LA was not satisfied: the s437 period still runs to 15 May.
    { stageKey: 's437-notice', startedOn: '2026-05-01', outcomeKey: 'parent-responded' },
    { stageKey: 'la-decision', startedOn: '2026-05-08', outcomeKey: 'not-satisfied-expedient' },
  ]

  it('starts with informal enquiries or straight with the s437 notice, and nowhere else', () => {
    expect(check([], 'informal-enquiries', '2026-04-20')).toEqual({ ok: true, stage: stage('informal-enquiries') })
    expect(check([], 's437-notice', '2026-05-01')).toEqual({ ok: true, stage: s437, deadline: '2026-05-15' })
    expect(check([], 'serve-order', '2026-05-01')).toEqual({
      ok: false,
      problem:
        'School attendance order (Education Act 1996 ss437-443) starts with "Informal enquiries with the parent" or "Notice requiring the parent to satisfy the LA"',
    })
  })

  it('cannot serve the notice of intention until the s437 period has ended', () => {
    expect(check(served437, 's438-notice-of-intention', '2026-05-15')).toEqual({
      ok: false,
      problem:
        '"Notice of intention to serve an order, naming a school" cannot start until the period of "Notice requiring the parent to satisfy the LA" has ended on 15 May 2026; the earliest date is 16 May 2026',
      earliestNextStepOn: '2026-05-16',
    })
    expect(check(served437, 's438-notice-of-intention', '2026-05-16')).toEqual({
      ok: true,
      stage: s438,
      deadline: '2026-05-30',
    })
  })

  it('cannot serve the order before the notice-of-intention period ends', () => {
    const history: SaoStepRecord[] = [
      ...served437,
      { stageKey: 's438-notice-of-intention', startedOn: '2026-05-18', outcomeKey: 'no-choice' },
    ]
    const early = check(history, 'serve-order', '2026-06-01')
    expect(early.ok).toBe(false)
    expect(!early.ok && early.earliestNextStepOn).toBe('2026-06-02')
    expect(check(history, 'serve-order', '2026-06-02')).toEqual({ ok: true, stage: stage('serve-order') })
  })

  it('waits for a longer period given in the notice or set by LA policy', () => {
    const longer = served437.map(r => (r.stageKey === 's437-notice' ? { ...r, specifiedDays: 28 } : r))
    const refused = check(longer, 's438-notice-of-intention', '2026-05-20')
    expect(!refused.ok && refused.earliestNextStepOn).toBe('2026-05-29')
    const policy: PolicyValues = { ...DEFAULT_POLICY_VALUES, saoNoticeToSatisfyDays: 21 }
    const byPolicy = validateSaoStep(
      EA1996_SAO,
      served437,
      { stageKey: 's438-notice-of-intention', on: '2026-05-21' },
      policy,
    )
    expect(!byPolicy.ok && byPolicy.earliestNextStepOn).toBe('2026-05-22')
  })

  it('refuses a notice giving fewer days than the statute', () => {
    expect(check([], 's437-notice', '2026-05-01', 10)).toEqual({
      ok: false,
      problem:
        '"Notice requiring the parent to satisfy the LA" must give at least 15 days (s437(1)-(2)); the notice gave 10',
    })
    expect(check([], 's437-notice', '2026-05-01', 21)).toEqual({ ok: true, stage: s437, deadline: '2026-05-21' })
  })

  it('follows the outcome recorded, and needs one', () => {
    const open: SaoStepRecord[] = [{ stageKey: 's437-notice', startedOn: '2026-05-01' }]
    expect(check(open, 'la-decision', '2026-05-16')).toEqual({
      ok: false,
      problem: 'Record the outcome of "Notice requiring the parent to satisfy the LA" first',
    })
    expect(check(served437, 'serve-order', '2026-06-30')).toEqual({
      ok: false,
      problem:
        'After "LA decides whether the parent has satisfied it" the next stage is "Notice of intention to serve an order, naming a school"',
    })
    const ended: SaoStepRecord[] = [{ stageKey: 'la-decision', startedOn: '2026-05-16', outcomeKey: 'satisfied' }]
    expect(check(ended, 's437-notice', '2026-06-01')).toEqual({
      ok: false,
      problem: 'The process ended with "LA decides whether the parent has satisfied it"; start a new one',
    })
    expect(check(served437, 's438-notice-of-intention', '2026-05-10').ok).toBe(false)
    expect(
      check([{ stageKey: 'la-decision', startedOn: '2026-05-16', outcomeKey: 'maybe' }], 'monitor', '2026-06-01'),
    ).toEqual({
      ok: false,
      problem: '"maybe" is not an outcome of "LA decides whether the parent has satisfied it"',
    })
  })

  it('dates run forwards', () => {
    expect(check(served437, 's438-notice-of-intention', '2026-05-07').ok).toBe(false)
    const history: SaoStepRecord[] = [
      { stageKey: 'informal-enquiries', startedOn: '2026-05-10', outcomeKey: 'not-confirmed' },
    ]
    expect(check(history, 's437-notice', '2026-05-09')).toEqual({
      ok: false,
      problem:
        '"Notice requiring the parent to satisfy the LA" cannot start before "Informal enquiries with the parent" (10 May 2026)',
    })
  })

  it('walks a whole case through a restart, the second round waiting on its own notice', () => {
    const round1: SaoStepRecord[] = [
      ...served437,
      { stageKey: 's438-notice-of-intention', startedOn: '2026-05-18', outcomeKey: 'no-choice' },
      { stageKey: 'serve-order', startedOn: '2026-06-02', outcomeKey: 'served' },
      { stageKey: 'monitor', startedOn: '2026-06-02', outcomeKey: 'not-on-roll' },
    ]
    expect(check(round1, 'la-decision', '2026-09-07').ok).toBe(false)
    expect(check(round1, 's437-notice', '2026-09-07')).toEqual({ ok: true, stage: s437, deadline: '2026-09-21' })
    const round2: SaoStepRecord[] = [
      ...round1,
      { stageKey: 's437-notice', startedOn: '2026-09-07', outcomeKey: 'parent-responded' },
      { stageKey: 'la-decision', startedOn: '2026-09-10', outcomeKey: 'not-satisfied-expedient' },
    ]
    const early = check(round2, 's438-notice-of-intention', '2026-09-21')
    expect(!early.ok && early.earliestNextStepOn).toBe('2026-09-22')
    expect(check(round2, 's438-notice-of-intention', '2026-09-22').ok).toBe(true)
  })

  it('refuses a stage the version does not have, and a date that is not a date', () => {
    expect(check([], 'preliminary-notice', '2026-05-01').ok).toBe(false)
    expect(check([], 's437-notice', '1 May 2026')).toEqual({
      ok: false,
      problem: "'1 May 2026' is not a date in the form YYYY-MM-DD",
    })
  })
})

describe('version selection: the 2026 Act swaps in as data', () => {
  it('uses the 1996 Act today, and never an uncommenced version whatever its date', () => {
    expect(saoVersionInForce(SAO_VERSIONS, '2026-11-30')).toBe(EA1996_SAO)
    expect(saoVersionInForce(SAO_VERSIONS, '2099-01-01')).toBe(EA1996_SAO)
    const datedButNotCommenced = { ...CWSA2026_SAO, effectiveFrom: '2026-06-01' }
    expect(saoVersionInForce([EA1996_SAO, datedButNotCommenced], '2026-11-30')).toBe(EA1996_SAO)
    expect(saoVersionInForce(SAO_VERSIONS, '1996-10-31')).toBeUndefined()
  })

  it('marks the placeholder as unconfirmed and not in force', () => {
    expect(CWSA2026_SAO.commenced).toBe(false)
    expect(CWSA2026_SAO.effectiveFrom).toBeNull()
    expect(stage('preliminary-notice', CWSA2026_SAO).note).toMatch(/^UNCONFIRMED/)
  })

  it('switches on the commencement date once an administrator marks it commenced', () => {
    const commenced: SaoProcessVersion = { ...CWSA2026_SAO, commenced: true, effectiveFrom: '2027-09-01' }
    const versions = [EA1996_SAO, commenced]
    expect(saoVersionInForce(versions, '2027-08-31')).toBe(EA1996_SAO)
    expect(saoVersionInForce(versions, '2027-09-01')).toBe(commenced)
    expect(validateSaoVersion(commenced)).toEqual([])

    // The same functions run the new stages, with no code change.
    expect(nextStage(commenced, 'monitor', 'not-on-roll')).toEqual({
      restart: true,
      stage: stage('preliminary-notice', CWSA2026_SAO),
    })
    const history: SaoStepRecord[] = [
      { stageKey: 'preliminary-notice', startedOn: '2027-09-06', outcomeKey: 'not-satisfied' },
      { stageKey: 'school-nomination-notice', startedOn: '2027-09-21', outcomeKey: 'no-choice' },
    ]
    const early = validateSaoStep(commenced, history, { stageKey: 'serve-order', on: '2027-10-05' })
    expect(!early.ok && early.earliestNextStepOn).toBe('2027-10-06')
    expect(validateSaoStep(commenced, [], { stageKey: 's437-notice', on: '2027-09-06' }).ok).toBe(false)
  })

  it('flags a version marked commenced without a date', () => {
    expect(validateSaoVersion({ ...CWSA2026_SAO, commenced: true })).toEqual([
      'cwsa2026-s436i: commenced but has no date',
    ])
  })
})
