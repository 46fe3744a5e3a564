import { describe, expect, it } from 'vitest'
import { validateSection, type SectionKey } from '../../src/domain/referral.js'
import {
  prefillEheReferral,
  prefillReferral,
  typedFields,
  type EhePrefillSource,
  type PrefillSource,
} from '../../src/domain/referralPrefill.js'

const TODAY = '2026-11-25'
const source = (
  over: Partial<PrefillSource['concern']> = {},
  contacts: PrefillSource['contacts'] = [],
): PrefillSource => ({
  pupil: {
    firstName: 'Tobias',
    lastName: 'Quarrington',
    otherNames: 'Toby, T',
    dateOfBirth: '2016-05-10',
    gender: 'M',
    ethnicity: 'WBRI',
    upn: null,
    ehcp: false,
    freeSchoolMeals: true,
    addressLines: ['4 Station Street', 'Flat 2', 'Ilford'],
    postcode: 'IG1 1NN',
    contacts: [{ name: 'Rhea Quarrington', relationship: 'Mother', phone: '07700900555', email: null }],
  },
  concern: {
    circumstance: 'stopped-attending',
    outcome: 'whereabouts-unknown',
    lastAttendedOn: '2026-11-06',
    cpPlan: false,
    childInNeed: false,
    lookedAfter: false,
    socialWorker: null,
    socialWorkerPhone: null,
    marfMadeOn: null,
    marfReference: null,
    ewoName: 'Casey Brooks',
    ewoConsultedOn: '2026-11-20',
    ewoAdvice: 'Refer',
    ...over,
  },
  school: { name: 'Larkspur Primary School (demo)', urn: '990001' },
  contacts,
  referrer: {
    name: 'Dana Hughes',
    organisation: 'Larkspur Primary School (demo)',
    email: 'd@example.test',
    phone: '020 7946 0000',
  },
})
const visit: PrefillSource['contacts'][number] = {
  kind: 'home-visit',
  target: '4 Station Street',
  contactedOn: '2026-11-12',
  madeBy: 'Casey Brooks',
  visitBy: 'ewo',
  result: 'not-at-address',
  notes: 'Empty',
  agreedPlan: null,
  learntAddress: '9 Elm Road, Leeds',
  learntSchool: null,
  learntTravel: null,
  riskOfHarm: false,
}
const valid = (key: SectionKey, s: PrefillSource) =>
  validateSection(key, prefillReferral(s)[key], { today: TODAY }).success

describe('a CME referral pre-filled from a pupil of concern', () => {
  it.each<[SectionKey, boolean]>([
    ['child', true],
    ['school', true],
    ['address', true],
    ['destination', true],
    ['actions', true],
    ['professionals', true],
    ['additional', true],
    ['safeguarding', false],
    ['referrer', false],
  ])('the %s section passes its page’s rules: %s', (key, expected) => {
    expect(valid(key, source({}, [visit]))).toBe(expected)
  })

  it('lists every contact and the EWO consultation as the actions taken before referring', () => {
    const actions = prefillReferral(
      source({}, [visit, { ...visit, kind: 'phone', target: '07700900555', result: 'no-answer', visitBy: null }]),
    ).actions as {
      list: { kind: string; date: string; by: string; outcome: string }[]
    }
    expect(actions.list.map(a => a.kind)).toEqual(['home-visit', 'phone', 'other'])
    expect(actions.list[0]).toMatchObject({
      date: '2026-11-12',
      by: 'Casey Brooks (home visit: the education welfare officer)',
    })
    expect(actions.list[0]?.outcome).toContain('The family no longer lives at the address')
    expect(actions.list[2]?.outcome).toContain('Consulted the education welfare officer (Casey Brooks): Refer')
  })

  it('records the MARF and the social worker when there are any', () => {
    const s = source({ cpPlan: true, socialWorker: 'Ellis Grant', marfMadeOn: '2026-11-20', marfReference: 'M-1' }, [
      { ...visit, riskOfHarm: true },
    ])
    const answers = prefillReferral(s)
    expect(answers.safeguarding).toMatchObject({
      riskOfHarm: { answer: 'yes', marf: { answer: 'yes', date: '2026-11-20', reference: 'M-1' } },
    })
    expect(answers.child).toMatchObject({
      socialCare: { answer: 'yes', cpPlan: 'yes', socialWorker: { answer: 'yes', name: 'Ellis Grant' } },
    })
  })

  it('says a pupil who never came never attended, and a family abroad is leaving the UK', () => {
    const answers = prefillReferral(source({ lastAttendedOn: null, circumstance: 'moving-abroad', outcome: 'left-uk' }))
    expect(answers.school).toMatchObject({ lastSchool: { lastAttendance: { answer: 'never-attended' } } })
    expect(answers.abroad).toEqual({ answer: 'yes' })
  })

  it('keeps an unfinished section as the page’s fields', () => {
    expect(
      typedFields({ dateOfBirth: '2016-05-10', otherNames: ['A', 'B'], socialCare: { answer: 'no' } }, 'child'),
    ).toEqual({
      'child.dateOfBirth-day': '10',
      'child.dateOfBirth-month': '5',
      'child.dateOfBirth-year': '2016',
      'child.otherNames': 'A\nB',
      'child.socialCare.answer': 'no',
    })
  })
})

describe('a CME referral pre-filled from a parent’s notice of elective home education', () => {
  const base = source()
  const ehe = (over: Partial<EhePrefillSource> = {}): EhePrefillSource => ({
    pupil: base.pupil,
    socialCare: { cpPlan: false, childInNeed: false, lookedAfter: false, socialWorker: null, socialWorkerPhone: null },
    school: base.school,
    lastAttendedOn: null,
    notice: { receivedOn: '2026-11-20', educatedFrom: '2026-11-30', verifiedOn: null, laConsentOn: null },
    referrer: base.referrer,
    ...over,
  })
  const filled = (s: EhePrefillSource) =>
    Object.fromEntries(Object.entries(prefillEheReferral(s)).filter(([, v]) => v !== undefined))

  it.each<[SectionKey, 'passes' | 'to finish' | 'not filled']>([
    ['child', 'passes'],
    ['safeguarding', 'not filled'],
    ['school', 'to finish'],
    ['siblings', 'not filled'],
    ['address', 'to finish'],
    ['destination', 'to finish'],
    ['abroad', 'not filled'],
    ['actions', 'not filled'],
    ['professionals', 'not filled'],
    ['additional', 'passes'],
    ['referrer', 'to finish'],
  ])('the %s section: %s', (key, expected) => {
    const answers = filled(ehe())
    if (expected === 'not filled') expect(answers[key]).toBeUndefined()
    else expect(validateSection(key, answers[key], { today: TODAY }).success).toBe(expected === 'passes')
  })

  it('gives the child, the school, the address and contacts, and the referrer from what onroll holds', () => {
    const answers = prefillEheReferral(ehe())
    expect(answers.child).toMatchObject({
      firstName: 'Tobias',
      lastName: 'Quarrington',
      dateOfBirth: '2016-05-10',
      ehcp: 'no',
      socialCare: { answer: 'no' },
    })
    expect(answers.school).toEqual({
      lastSchool: { answer: 'known', name: 'Larkspur Primary School (demo)', urn: '990001', lastAttendance: undefined },
    })
    expect(answers.address).toMatchObject({
      current: { answer: 'known', line1: '4 Station Street', town: 'Ilford', postcode: 'IG1 1NN', dateLeft: undefined },
      responsibleAdults: { answer: 'known', list: [{ name: 'Rhea Quarrington', phones: ['07700900555'] }] },
    })
    expect(answers.referrer).toMatchObject({ kind: 'school', name: 'Dana Hughes', received: { how: 'online' } })
  })

  it('says home education from the given date, in the destination and the additional information, and no more', () => {
    const answers = prefillEheReferral(
      ehe({
        notice: { receivedOn: '2026-11-20', educatedFrom: '2026-11-30', verifiedOn: '2026-11-24', laConsentOn: null },
      }),
    )
    expect(answers.destination).toEqual({
      school: {
        answer: 'not-known',
        reason:
          'No new school: the parent gave the school written notice, received on 20 November 2026, that the child will be educated at home from 30 November 2026',
      },
    })
    const details = (answers.additional as { details: string }).details
    expect(details).toContain('educated at home from 30 November 2026')
    expect(details).toContain('verified the notice on 24 November 2026')
    expect(details).not.toContain('consented')
    // The situation is the school's to choose: "educated at home" is outside CME scope.
    expect(answers.school).not.toHaveProperty('educationStatus')
  })

  it('takes social care from the roll and the last attendance only when a record gives it', () => {
    const answers = prefillEheReferral(
      ehe({
        socialCare: {
          cpPlan: false,
          childInNeed: false,
          lookedAfter: true,
          socialWorker: 'Ellis Grant',
          socialWorkerPhone: null,
        },
        lastAttendedOn: '2026-11-06',
        pupil: { ...base.pupil, ehcp: true },
      }),
    )
    expect(answers.child).toMatchObject({
      ehcp: 'yes',
      socialCare: {
        answer: 'yes',
        lookedAfter: 'yes',
        cpPlan: 'no',
        socialWorker: { answer: 'yes', name: 'Ellis Grant' },
      },
    })
    expect(answers.school).toMatchObject({ lastSchool: { lastAttendance: { answer: 'date', date: '2026-11-06' } } })
  })
})
