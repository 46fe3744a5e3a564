import { describe, expect, it } from 'vitest'
import { schoolDaysFor, type CalendarData } from '../../src/domain/calendar.js'
import type { IsoDate } from '../../src/domain/dates.js'
import {
  automaticEscalations,
  canAnswerEscalation,
  ESCALATION_CHAIN,
  ESCALATION_DECISIONS,
  ESCALATION_LABELS,
  escalationTarget,
  highestLevel,
  nextLevel,
  validateEscalationAnswer,
  type CaseForEscalation,
  type EscalationLevel,
} from '../../src/domain/escalation.js'
import { DEFAULT_POLICY, type PolicyVersion } from '../../src/domain/policy.js'
import type { Role } from '../../src/domain/roles.js'

/** The demo LA's 2025/26 calendar (no INSET day in term, so 5 January is a school day). */
const la2526: CalendarData = {
  name: 'Demo LA',
  terms: [
    { name: 'Autumn term 2025', startsOn: '2025-09-03', endsOn: '2025-12-19' },
    { name: 'Spring term 2026', startsOn: '2026-01-05', endsOn: '2026-03-27' },
    { name: 'Summer term 2026', startsOn: '2026-04-13', endsOn: '2026-07-21' },
  ],
  closures: [
    { kind: 'inset', name: 'INSET days', startsOn: '2025-09-01', endsOn: '2025-09-02' },
    { kind: 'half-term', name: 'October half term', startsOn: '2025-10-27', endsOn: '2025-10-31' },
    { kind: 'half-term', name: 'February half term', startsOn: '2026-02-16', endsOn: '2026-02-20' },
    { kind: 'half-term', name: 'May half term', startsOn: '2026-05-25', endsOn: '2026-05-29' },
  ],
}
const bankHolidays: IsoDate[] = [
  '2025-12-25',
  '2025-12-26',
  '2026-01-01',
  '2026-04-03',
  '2026-04-06',
  '2026-05-04',
  '2026-05-25',
  '2026-08-31',
]
const days = schoolDaysFor(la2526, bankHolidays)

describe('the chain of Appendix E', () => {
  it('runs from the Information Officer to the Corporate Director of People', () => {
    expect(ESCALATION_CHAIN.map(level => ESCALATION_LABELS[level])).toEqual([
      'CME Information Officer',
      "Vulnerable Children's Officer",
      'EWS Operational Manager',
      'Operational Director for Education and Inclusion',
      'Corporate Director of People',
    ])
  })

  it.each([
    ['cme-information-officer', 'vulnerable-childrens-officer'],
    ['vulnerable-childrens-officer', 'ews-operational-manager'],
    ['ews-operational-manager', 'operational-director'],
    ['operational-director', 'corporate-director'],
    ['corporate-director', undefined],
  ] as const)('above %s is %s', (from, to) => {
    expect(nextLevel(from)).toBe(to)
  })

  it.each([
    [['ewo', 'system-admin'], undefined],
    [['cme-information-officer'], 'cme-information-officer'],
    [['ews-operational-manager', 'cme-information-officer'], 'ews-operational-manager'],
  ] as [Role[], EscalationLevel | undefined][])('the highest level of %j is %s', (roles, level) => {
    expect(highestLevel(roles)).toBe(level)
  })
})

describe('escalationTarget: the level above the worker or the case, whichever is higher', () => {
  const to = (level: EscalationLevel) => ({ ok: true, level, label: ESCALATION_LABELS[level] })
  const refused = {
    ok: false,
    problem:
      'The Corporate Director of People is the top of the escalation chain; refer the matter to the Department for Education, outside this system',
    beyond: 'the Department for Education',
  }
  it.each([
    [['cme-information-officer'], undefined, to('vulnerable-childrens-officer')],
    [['vulnerable-childrens-officer'], undefined, to('ews-operational-manager')],
    [['ews-operational-manager'], undefined, to('operational-director')],
    [['operational-director'], undefined, to('corporate-director')],
    [['corporate-director'], undefined, refused],
    // A worker outside the chain escalates to its first level, the single point of contact.
    [['ewo'], undefined, to('cme-information-officer')],
    [[], undefined, to('cme-information-officer')],
    [['ehe-officer', 'system-admin'], undefined, to('cme-information-officer')],
    // The case is already with a higher level: the escalation goes above that level.
    [['cme-information-officer'], 'ews-operational-manager', to('operational-director')],
    [['ewo'], 'vulnerable-childrens-officer', to('ews-operational-manager')],
    [['ewo'], 'corporate-director', refused],
    // The worker is higher than the case's level: above the worker.
    [['operational-director'], 'vulnerable-childrens-officer', to('corporate-director')],
    [['cme-information-officer', 'ews-operational-manager'], undefined, to('operational-director')],
  ] as [Role[], EscalationLevel | undefined, unknown][])('%j with the case at %s', (roles, current, expected) => {
    expect(escalationTarget(roles, current)).toEqual(expected)
  })
})

describe('answering an escalation', () => {
  it.each([
    [['ews-operational-manager'], 'ews-operational-manager', true],
    [['corporate-director'], 'ews-operational-manager', true],
    [['vulnerable-childrens-officer'], 'ews-operational-manager', false],
    [['ewo'], 'cme-information-officer', false],
  ] as [Role[], EscalationLevel, boolean][])('%j may answer at %s: %s', (roles, level, allowed) => {
    expect(canAnswerEscalation(roles, level)).toBe(allowed)
  })

  it('lists the decisions', () => {
    expect(Object.keys(ESCALATION_DECISIONS)).toEqual([
      'instruction',
      'escalate-further',
      'no-further-action',
      'resolved',
    ])
  })

  it.each([
    ['instruction', 'Do a home visit by Friday', ['ews-operational-manager'], 'ews-operational-manager', []],
    ['instruction', '  ', ['ews-operational-manager'], 'ews-operational-manager', ['Write the instruction']],
    ['resolved', '', ['ews-operational-manager'], 'ews-operational-manager', []],
    [
      'no-further-action',
      '',
      ['ews-operational-manager'],
      'ews-operational-manager',
      ['Say why no further action is needed'],
    ],
    ['escalate-further', 'Risk of forced marriage', ['ews-operational-manager'], 'ews-operational-manager', []],
    [
      'escalate-further',
      'Serious matter',
      ['corporate-director'],
      'corporate-director',
      [
        'The Corporate Director of People is the top of the escalation chain; refer the matter to the Department for Education, outside this system',
      ],
    ],
    [
      'resolved',
      '',
      ['cme-information-officer'],
      'ews-operational-manager',
      ['Only the EWS Operational Manager or someone above them can answer this escalation'],
    ],
    ['shrug', '', ['ews-operational-manager'], 'ews-operational-manager', ['Choose a decision']],
  ] as [string, string, Role[], EscalationLevel, string[]][])(
    '%s "%s" by %j at %s',
    (decision, note, roles, level, problems) => {
      expect(validateEscalationAnswer({ decision, note }, level, roles)).toEqual(problems)
    },
  )
})

describe('automaticEscalations on the demo calendar (triage same school day; no action for 10 school days)', () => {
  const base = (over: Partial<CaseForEscalation>): CaseForEscalation => ({
    caseId: 'c1',
    status: 'triaged',
    priority: 'routine',
    receivedOn: '2026-01-05',
    lastActionOn: '2026-01-20',
    ...over,
  })
  const run = (cases: CaseForEscalation[], today: IsoDate, policy: PolicyVersion = DEFAULT_POLICY) =>
    automaticEscalations(cases, today, policy, days)
  const reasons = (cases: CaseForEscalation[], today: IsoDate) =>
    run(cases, today).escalations.map(e => [e.caseId, e.reasonKey, e.message, e.toLevel])

  it.each([
    // An urgent referral on a school day must be triaged that day; the day after, the manager hears.
    ['received Friday, checked Friday', '2026-01-16', undefined, '2026-01-16', []],
    [
      'received Friday, checked Saturday',
      '2026-01-16',
      undefined,
      '2026-01-17',
      [['u', 'triage-overdue:2026-01-16', 'Urgent case not triaged by 16 January 2026', 'ews-operational-manager']],
    ],
    // A referral on a Saturday is due on Monday.
    ['received Saturday, checked Monday', '2026-01-17', undefined, '2026-01-19', []],
    [
      'received Saturday, checked Tuesday',
      '2026-01-17',
      undefined,
      '2026-01-20',
      [['u', 'triage-overdue:2026-01-17', 'Urgent case not triaged by 19 January 2026', 'ews-operational-manager']],
    ],
    // In half term the deadline is the first school day after it.
    ['received in half term, checked Friday of half term', '2026-02-16', undefined, '2026-02-20', []],
    ['received in half term, checked on the first day back', '2026-02-16', undefined, '2026-02-23', []],
    [
      'received in half term, checked the day after',
      '2026-02-16',
      undefined,
      '2026-02-24',
      [['u', 'triage-overdue:2026-02-16', 'Urgent case not triaged by 23 February 2026', 'ews-operational-manager']],
    ],
    // A deadline recorded at receipt wins over today's policy.
    ['recorded deadline, not yet passed', '2026-01-16', '2026-01-20', '2026-01-20', []],
    [
      'recorded deadline passed',
      '2026-01-16',
      '2026-01-20',
      '2026-01-21',
      [['u', 'triage-overdue:2026-01-16', 'Urgent case not triaged by 20 January 2026', 'ews-operational-manager']],
    ],
  ] as [string, IsoDate, IsoDate | undefined, IsoDate, unknown[]][])(
    'urgent triage: %s',
    (_case, receivedOn, triageDue, today, expected) => {
      const urgent = base({
        caseId: 'u',
        status: 'received',
        priority: 'urgent',
        receivedOn,
        triageDue,
        lastActionOn: receivedOn,
      })
      expect(reasons([urgent], today)).toEqual(expected)
    },
  )

  it('escalates only urgent cases still awaiting triage', () => {
    const cases = [
      base({
        caseId: 'high',
        status: 'received',
        priority: 'high',
        receivedOn: '2026-01-12',
        lastActionOn: '2026-01-12',
      }),
      base({
        caseId: 'done',
        status: 'triaged',
        priority: 'urgent',
        receivedOn: '2026-01-12',
        lastActionOn: '2026-01-12',
      }),
      base({
        caseId: 'back',
        status: 'returned',
        priority: 'urgent',
        receivedOn: '2026-01-12',
        lastActionOn: '2026-01-12',
      }),
    ]
    expect(reasons(cases, '2026-01-14')).toEqual([])
  })

  it.each([
    // 10 school days after Monday 5 January is Monday 19 January.
    ['the 10th school day since', '2026-01-05', '2026-01-19', []],
    [
      'the day after the 10th school day',
      '2026-01-05',
      '2026-01-20',
      [['c1', 'no-action:2026-01-05', 'No action for 10 school days since 5 January 2026', 'ews-operational-manager']],
    ],
    // Half term does not count: from Friday 6 February the 10th school day is Friday 27 February.
    ['over half term, on the 10th school day', '2026-02-06', '2026-02-27', []],
    [
      'over half term, the Saturday after',
      '2026-02-06',
      '2026-02-28',
      [['c1', 'no-action:2026-02-06', 'No action for 10 school days since 6 February 2026', 'ews-operational-manager']],
    ],
    // Christmas: from Friday 12 December, school days 15-19 Dec then 5-9 Jan; due Friday 9 January.
    ['over Christmas, on the 10th school day', '2025-12-12', '2026-01-09', []],
    [
      'over Christmas, the Monday after',
      '2025-12-12',
      '2026-01-12',
      [
        [
          'c1',
          'no-action:2025-12-12',
          'No action for 10 school days since 12 December 2025',
          'ews-operational-manager',
        ],
      ],
    ],
  ] as [string, IsoDate, IsoDate, unknown[]][])('no action: %s', (_case, lastActionOn, today, expected) => {
    expect(reasons([base({ lastActionOn })], today)).toEqual(expected)
  })

  it('uses the policy in force and records its version', () => {
    const strict: PolicyVersion = {
      ...DEFAULT_POLICY,
      version: 2,
      values: { ...DEFAULT_POLICY.values, noActionAlertDays: 1 },
    }
    const result = run([base({ lastActionOn: '2026-01-05' })], '2026-01-07', strict)
    expect(result.escalations).toEqual([
      {
        caseId: 'c1',
        reason: 'no-action',
        reasonKey: 'no-action:2026-01-05',
        message: 'No action for 1 school day since 5 January 2026',
        toLevel: 'ews-operational-manager',
        dueOn: '2026-01-06',
        policyVersion: 2,
      },
    ])
  })

  it('never raises the same reason twice, but a new idle spell after an action is a new reason', () => {
    const idle = base({ lastActionOn: '2026-01-05', escalationReasonKeys: ['no-action:2026-01-05'] })
    expect(reasons([idle], '2026-01-26')).toEqual([])
    const actedThenIdle = { ...idle, lastActionOn: '2026-01-06' }
    expect(reasons([actedThenIdle], '2026-01-26')).toEqual([
      ['c1', 'no-action:2026-01-06', 'No action for 10 school days since 6 January 2026', 'ews-operational-manager'],
    ])
  })

  it('raises both reasons on one case, each once', () => {
    const urgent = base({
      status: 'received',
      priority: 'urgent',
      receivedOn: '2026-01-05',
      lastActionOn: '2026-01-05',
    })
    expect(run([urgent], '2026-01-20').escalations.map(e => e.reasonKey)).toEqual([
      'triage-overdue:2026-01-05',
      'no-action:2026-01-05',
    ])
    expect(
      run([{ ...urgent, escalationReasonKeys: ['triage-overdue:2026-01-05'] }], '2026-01-20').escalations.map(
        e => e.reasonKey,
      ),
    ).toEqual(['no-action:2026-01-05'])
  })

  it.each([
    [undefined, 'ews-operational-manager'],
    ['vulnerable-childrens-officer', 'ews-operational-manager'],
    ['ews-operational-manager', 'ews-operational-manager'],
    ['operational-director', 'operational-director'],
    ['corporate-director', 'corporate-director'],
  ] as [EscalationLevel | undefined, EscalationLevel][])(
    'a case already escalated to %s alerts %s',
    (escalatedLevel, toLevel) => {
      const [e] = run([base({ lastActionOn: '2026-01-05', escalatedLevel })], '2026-01-20').escalations
      expect(e?.toLevel).toBe(toLevel)
    },
  )

  it('leaves closed and transferred cases alone', () => {
    const cases = [
      base({ caseId: 'closed', status: 'closed', lastActionOn: '2025-09-10' }),
      base({ caseId: 'moved', status: 'transferred', lastActionOn: '2025-09-10' }),
      base({ caseId: 'waiting', status: 'closure-requested', lastActionOn: '2025-09-10' }),
    ]
    expect(run(cases, '2026-01-20').escalations.map(e => e.caseId)).toEqual(['waiting'])
  })

  it('reports a case the calendar cannot answer for instead of guessing', () => {
    const result = run(
      [
        base({
          caseId: 'old',
          status: 'received',
          priority: 'urgent',
          receivedOn: '2025-07-01',
          lastActionOn: '2025-07-01',
        }),
      ],
      '2026-01-20',
    )
    expect(result.escalations).toEqual([])
    expect(result.problems).toEqual([
      { caseId: 'old', problem: 'No term dates for 2024/25 in the Demo LA calendar' },
      { caseId: 'old', problem: 'No term dates for 2024/25 in the Demo LA calendar' },
    ])
  })
})
