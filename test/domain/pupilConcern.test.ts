import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { schoolDaysFor, type CalendarData } from '../../src/domain/calendar.js'
import { concernProgress, type ProgressInput } from '../../src/domain/concernProgress.js'
import {
  childProtectionConcern,
  enquirySteps,
  hasSocialWorker,
  neverAttended,
  outstandingSteps,
  schoolDaysMissing,
  type EnquiryFacts,
  type LoggedContact,
} from '../../src/domain/pupilConcern.js'

const calendar: CalendarData = {
  name: 'Test academy',
  terms: [{ name: 'Autumn term 2026', startsOn: '2026-09-02', endsOn: '2026-12-18' }],
  closures: [{ kind: 'half-term', name: 'October half term', startsOn: '2026-10-26', endsOn: '2026-10-30' }],
}
const days = schoolDaysFor(calendar, [])

const facts = (over: Partial<EnquiryFacts> = {}): EnquiryFacts => ({
  cpPlan: false,
  childInNeed: false,
  lookedAfter: false,
  socialWorker: null,
  phones: ['07700900123', '07700900456'],
  addresses: ['1 Heron Way, Demotown'],
  contacts: [],
  ewoConsulted: false,
  marfMade: false,
  ...over,
})
const contact = (over: Partial<LoggedContact>): LoggedContact => ({
  kind: 'phone',
  target: null,
  result: 'no-answer',
  agreedPlan: null,
  riskOfHarm: false,
  ...over,
})
const states = (f: EnquiryFacts) => enquirySteps(f).map(s => `${s.key}:${s.state}`)

describe('the enquiries Appendix B asks for', () => {
  it.each([
    ['no social care', {}, ['phone:to-do', 'letter:to-do', 'home-visit:to-do', 'ewo:to-do']],
    [
      'a social worker: contact them first',
      { socialWorker: 'Ellis Grant' },
      ['social-worker:to-do', 'phone:to-do', 'letter:to-do', 'home-visit:to-do', 'ewo:to-do'],
    ],
    [
      'a child protection plan: the social worker first, and no letters',
      { cpPlan: true },
      ['social-worker:to-do', 'phone:to-do', 'letter:not-applicable', 'home-visit:to-do', 'ewo:to-do'],
    ],
    [
      'a child in need: the social worker first',
      { childInNeed: true },
      ['social-worker:to-do', 'phone:to-do', 'letter:to-do', 'home-visit:to-do', 'ewo:to-do'],
    ],
    [
      'looked after: the social worker first',
      { lookedAfter: true },
      ['social-worker:to-do', 'phone:to-do', 'letter:to-do', 'home-visit:to-do', 'ewo:to-do'],
    ],
    [
      'a risk of harm reported: no letters',
      { contacts: [contact({ kind: 'home-visit', riskOfHarm: true })] },
      ['phone:to-do', 'letter:not-applicable', 'home-visit:done', 'ewo:to-do'],
    ],
  ] as const)('%s', (_name, over, expected) => {
    expect(states(facts(over as Partial<EnquiryFacts>))).toEqual(expected)
  })

  it('ticks off each number and address only when it has been tried', () => {
    const some = facts({ contacts: [contact({ target: '07700900123' })] })
    expect(enquirySteps(some).find(s => s.key === 'phone')).toMatchObject({
      state: 'to-do',
      targets: [
        { target: '07700900123', tried: true },
        { target: '07700900456', tried: false },
      ],
    })
    const all = facts({
      contacts: [
        contact({ target: '07700900123' }),
        contact({ target: '07700900456' }),
        contact({ kind: 'letter', target: '1 Heron Way, Demotown' }),
        contact({ kind: 'home-visit' }),
      ],
      ewoConsulted: true,
    })
    expect(outstandingSteps(all)).toEqual([])
  })

  it('needs an agreed plan before the social worker step is done', () => {
    const f = facts({ socialWorker: 'Ellis Grant', contacts: [contact({ kind: 'social-worker' })] })
    expect(enquirySteps(f)[0]?.state).toBe('to-do')
    const g = facts({
      socialWorker: 'Ellis Grant',
      contacts: [contact({ kind: 'social-worker', agreedPlan: 'EWO visits today' })],
    })
    expect(enquirySteps(g)[0]?.state).toBe('done')
  })

  it('knows who has a social worker and who never attended', () => {
    expect(hasSocialWorker({ cpPlan: false, childInNeed: false, lookedAfter: false, socialWorker: '  ' })).toBe(false)
    expect(neverAttended('place-not-taken-year-7')).toBe(true)
    expect(neverAttended('stopped-attending')).toBe(false)
  })
})

describe('school days missed, on the school’s own calendar', () => {
  it.each([
    [
      { lastAttendedOn: '2026-10-22', expectedOn: null },
      '2026-11-03',
      3,
      'Thu 22 Oct last: Fri 23 Oct, then half term, then Mon 2 and Tue 3 Nov',
    ],
    [{ lastAttendedOn: '2026-11-20', expectedOn: null }, '2026-11-20', 0, 'the day itself'],
    [
      { lastAttendedOn: null, expectedOn: '2026-09-02' },
      '2026-09-04',
      3,
      'a place not taken up counts from the first day expected',
    ],
  ])('%j to %s is %i (%s)', (concern, today, expected, _why) => {
    expect(schoolDaysMissing(concern, days, today)).toEqual({ ok: true, value: expected })
  })

  it('says when the calendar cannot answer instead of guessing', () => {
    expect(schoolDaysMissing({ lastAttendedOn: '2028-05-01', expectedOn: null }, days, '2028-05-10').ok).toBe(false)
  })
})

describe('status, next step and deadline', () => {
  const p = (over: Partial<ProgressInput>) =>
    concernProgress({
      facts: facts(),
      status: 'open',
      outcome: null,
      recordedOn: '2026-11-16',
      referralDueOn: null,
      referralStatus: null,
      today: '2026-11-18',
      ...over,
    })
  it.each<[string, Partial<ProgressInput>, string, string, string | null, boolean]>([
    [
      'a social worker to contact: now, from the day recorded',
      { facts: facts({ socialWorker: 'E G' }) },
      'Contact social worker',
      'Contact the social worker now and agree a plan',
      '2026-11-16',
      true,
    ],
    ['enquiries under way', {}, 'Enquiries under way', 'Phone every number and emergency contact', null, false],
    [
      'a risk of harm without a MARF',
      { facts: facts({ contacts: [contact({ riskOfHarm: true })] }) },
      'Risk of harm',
      'Make a child protection referral (MARF) now',
      '2026-11-18',
      false,
    ],
    [
      'referral needed',
      { outcome: 'whereabouts-unknown', referralDueOn: '2026-11-30' },
      'Refer to CME',
      'Make the CME referral',
      '2026-11-30',
      false,
    ],
    [
      'referral late',
      { outcome: 'whereabouts-unknown', referralDueOn: '2026-11-17', referralStatus: 'draft' },
      'Referral not sent',
      'Finish and submit the CME referral',
      '2026-11-17',
      true,
    ],
    [
      'referral sent',
      { outcome: 'left-uk', referralDueOn: '2026-11-17', referralStatus: 'submitted' },
      'Referred to CME',
      'The CME team will triage the referral',
      null,
      false,
    ],
    [
      'referral accepted: a CME case',
      { outcome: 'whereabouts-unknown', referralStatus: 'accepted' },
      'CME case open',
      'The CME team is looking for the child',
      null,
      false,
    ],
    [
      'referral returned',
      { outcome: 'not-confirmed', referralDueOn: '2026-11-30', referralStatus: 'returned' },
      'Referral returned',
      'Add what the CME team asked for and submit again',
      '2026-11-30',
      false,
    ],
    [
      'at a new school',
      { outcome: 'new-school', status: 'closed' },
      'At a new school',
      'Send the CTF and check whether the pupil can be removed from the roll',
      null,
      false,
    ],
    ['explained', { outcome: 'absence-explained', status: 'closed' }, 'Closed', 'None', null, false],
  ])('%s', (_name, over, tag, next, due, overdue) => {
    expect(p(over)).toMatchObject({ tag: { text: tag }, nextStep: next, dueOn: due, overdue })
  })
})

describe('invariants of the enquiries', () => {
  const arbitraryFacts = fc.record({
    cpPlan: fc.boolean(),
    childInNeed: fc.boolean(),
    lookedAfter: fc.boolean(),
    socialWorker: fc.option(fc.constantFrom('Ellis Grant', ' '), { nil: null }),
    phones: fc.uniqueArray(fc.constantFrom('07700900001', '07700900002', '02079460000'), { maxLength: 3 }),
    addresses: fc.uniqueArray(fc.constantFrom('1 A Road', '2 B Road'), { maxLength: 2 }),
    contacts: fc.array(
      fc.record({
        kind: fc.constantFrom('social-worker', 'phone', 'letter', 'home-visit', 'other' as const),
        target: fc.option(fc.constantFrom('07700900001', '1 A Road'), { nil: null }),
        result: fc.constantFrom('contact-made', 'no-answer', 'not-at-address', 'information' as const),
        agreedPlan: fc.option(fc.constant('Plan'), { nil: null }),
        riskOfHarm: fc.boolean(),
      }),
      { maxLength: 6 },
    ),
    ewoConsulted: fc.boolean(),
    marfMade: fc.boolean(),
  })
  it('never asks for a letter while there is a child protection concern, and puts the social worker first', () => {
    fc.assert(
      fc.property(arbitraryFacts, f => {
        const steps = enquirySteps(f)
        if (childProtectionConcern(f)) expect(steps.find(s => s.key === 'letter')?.state).toBe('not-applicable')
        expect(steps[0]?.key === 'social-worker').toBe(hasSocialWorker(f))
        expect(outstandingSteps(f).length).toBe(steps.filter(s => s.state === 'to-do').length)
      }),
    )
  })
})
