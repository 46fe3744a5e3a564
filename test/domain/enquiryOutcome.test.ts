import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  OUTCOMES,
  decideOutcome,
  outcomeDecision,
  type Outcome,
  type OutcomeInput,
} from '../../src/domain/enquiryOutcome.js'

const base: OutcomeInput = {
  outcome: 'returned',
  contactMade: false,
  outstanding: [],
  ewoConsulted: false,
  explanation: '',
  newSchool: '',
  newSchoolConfirmed: false,
  recordsRequestedOn: undefined,
}

describe('what each outcome leads to (Appendix B; domain.md §3.4)', () => {
  it.each([
    ['absence-explained', false, true, 'none', 'contact made, absence explained: no CME referral'],
    ['returned', false, true, 'none', 'the pupil is back: no CME referral'],
    [
      'new-school',
      false,
      true,
      'deletion-check',
      'confirmed at a new school after a records request: no referral, deletion and CTF',
    ],
    ['not-confirmed', true, false, 'cme-referral', 'information but not independently confirmed: CME referral'],
    ['left-uk', true, false, 'cme-referral', 'the family has left the UK: CME referral'],
    ['whereabouts-unknown', true, false, 'cme-referral', 'contact unsuccessful: CME referral'],
    [
      'home-education',
      false,
      true,
      'home-education',
      'home education: the parent’s notice and Ground F, in their own journey',
    ],
  ] as const)('%s → referral %s, closes %s, next %s (%s)', (outcome, referral, closes, next, _why) => {
    expect(outcomeDecision(outcome)).toEqual({ referral, closes, next })
  })

  it('covers every outcome', () => {
    expect(Object.keys(OUTCOMES).sort()).toEqual(
      [
        'absence-explained',
        'home-education',
        'left-uk',
        'new-school',
        'not-confirmed',
        'returned',
        'whereabouts-unknown',
      ].sort(),
    )
  })
})

describe('what must be true before an outcome is recorded', () => {
  const problems = (input: Partial<OutcomeInput>) => {
    const r = decideOutcome({ ...base, ...input })
    return r.ok ? [] : r.problems.map(p => `${p.field}: ${p.message}`)
  }

  it.each<[string, Partial<OutcomeInput>, string[]]>([
    [
      'explained without any contact',
      { outcome: 'absence-explained', explanation: 'Ill' },
      ['outcome: Log the contact with the family that explained the absence before recording this outcome'],
    ],
    [
      'explained without saying how',
      { outcome: 'absence-explained', contactMade: true },
      ['explanation: Enter how the absence was explained'],
    ],
    ['explained after contact', { outcome: 'absence-explained', contactMade: true, explanation: 'Chickenpox' }, []],
    ['returned needs nothing more', { outcome: 'returned' }, []],
    [
      'new school not named or confirmed',
      { outcome: 'new-school' },
      [
        'newSchool: Enter the name of the new school',
        'newSchoolConfirmed: The new school must confirm the pupil is on its roll. If it has not, choose "not independently confirmed": a CME referral is needed',
        'recordsRequestedOn: Enter the date the new school asked for (or was sent) the pupil’s records',
      ],
    ],
    [
      'new school confirmed with records requested',
      { outcome: 'new-school', newSchool: 'Beechwood', newSchoolConfirmed: true, recordsRequestedOn: '2026-11-20' },
      [],
    ],
    [
      'whereabouts unknown with enquiries left',
      { outcome: 'whereabouts-unknown', ewoConsulted: true, outstanding: ['Make a home visit'] },
      ['outcome: Finish the enquiries first: make a home visit'],
    ],
    [
      'whereabouts unknown without the EWO',
      { outcome: 'whereabouts-unknown' },
      ['outcome: Consult the education welfare officer before referring'],
    ],
    [
      'whereabouts unknown, enquiries done and EWO consulted',
      { outcome: 'whereabouts-unknown', ewoConsulted: true },
      [],
    ],
    [
      'not confirmed without the EWO',
      { outcome: 'not-confirmed', outstanding: ['Make a home visit'] },
      ['outcome: Consult the education welfare officer before referring'],
    ],
    [
      'left the UK after consulting the EWO',
      { outcome: 'left-uk', ewoConsulted: true, outstanding: ['Make a home visit'] },
      [],
    ],
    ['home education', { outcome: 'home-education' }, []],
  ])('%s', (_name, input, expected) => {
    expect(problems(input)).toEqual(expected)
  })

  it('never lets a referral outcome through without the EWO consulted', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(OUTCOMES) as Outcome[])),
        fc.boolean(),
        fc.array(fc.string(), { maxLength: 3 }),
        (outcome, contactMade, outstanding) => {
          const r = decideOutcome({ ...base, outcome, contactMade, outstanding, ewoConsulted: false })
          if (outcomeDecision(outcome).referral) expect(r.ok).toBe(false)
        },
      ),
    )
  })
})
