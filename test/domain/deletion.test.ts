import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addDays, type IsoDate } from '../../src/domain/dates.js'
import {
  checkDeletion,
  DELETION_GROUNDS,
  deletionReturnDue,
  deletionReturnFields,
  GROUND_I_CODES,
  GROUND_LETTERS,
  isStandardTransition,
  type DeletionCheck,
  type DeletionContext,
  type GroundCheck,
  type GroundLetter,
  type PupilFacts,
  type SessionMarks,
} from '../../src/domain/deletion.js'
import { fakeSchoolDays } from '../support/fakeSchoolDays.js'

// An INSET day on 6 January 2025 and spring half term 17-21 February 2025.
const HOLIDAYS = ['2025-01-06', '2025-02-17', '2025-02-18', '2025-02-19', '2025-02-20', '2025-02-21']
const cal = fakeSchoolDays(HOLIDAYS)

const ctx = (today: IsoDate, over: Partial<DeletionContext> = {}): DeletionContext => ({
  today,
  schoolDays: cal,
  groundIDays: 20,
  groundHDays: 10,
  ...over,
})

/** One session row per school day after `after`, up to and including `through`. */
function sessions(after: IsoDate, through: IsoDate, code: string | ((date: IsoDate) => string) = 'O'): SessionMarks[] {
  const out: SessionMarks[] = []
  for (let d = cal.next(after); d.ok && d.value <= through; d = cal.next(d.value)) {
    const c = typeof code === 'string' ? code : code(d.value)
    out.push({ date: d.value, am: c, pm: c })
  }
  return out
}

const base = (over: Partial<PupilFacts> = {}): PupilFacts => ({
  lastAttendedOn: '2025-01-10',
  sessions: [],
  hasEhcp: false,
  lookedAfter: false,
  placedByLaAtSpecialSchool: false,
  saoNamingSchoolInForce: false,
  newProvisionConfirmed: false,
  enquiries: { schoolMade: false },
  reasonToBelieveSicknessOrUnavoidableCause: false,
  ...over,
})

/** Everything Ground I and the protocol ask for, with the absence left to the test. */
const missing = (over: Partial<PupilFacts> = {}): PupilFacts =>
  base({
    enquiries: { schoolMade: true, laPartRecordedOn: '2025-01-27' },
    ewsAgreedRemoval: true,
    cmeReferralMadeOn: '2025-01-27',
    ...over,
  })

// Last attended Friday 10 January; absent from Monday 13 January; the 20th school day of absence is Friday 7 February.
const I_FACTS = missing({ sessions: sessions('2025-01-10', '2025-02-10') })

const ground = (check: DeletionCheck, letter: GroundLetter): GroundCheck => {
  const found = check.grounds.find(g => g.ground === letter)
  if (!found) throw new Error(`no ground ${letter}`)
  return found
}

const joined = (check: DeletionCheck): string => check.reasons.join('\n')

describe('DELETION_GROUNDS', () => {
  it('holds Grounds A to O with their regulation references', () => {
    expect(Object.keys(DELETION_GROUNDS)).toEqual([...GROUND_LETTERS])
    for (const letter of GROUND_LETTERS) {
      const g = DELETION_GROUNDS[letter]
      expect(g.letter).toBe(letter)
      expect(g.regulation).toBe(`9(1)(${letter.toLowerCase()})`)
      expect(g.conditions.length).toBeGreaterThan(0)
      expect(g.summary.length).toBeGreaterThan(0)
    }
  })

  it('tags confidence as law-and-formats does', () => {
    expect(['A', 'B', 'C', 'D', 'E'].map(l => DELETION_GROUNDS[l as GroundLetter].confidence)).toEqual(
      Array(5).fill('V'),
    )
    expect(DELETION_GROUNDS.H.confidence).toBe('S/M')
    expect(DELETION_GROUNDS.J.confidence).toBe('S/M')
    expect(DELETION_GROUNDS.I.confidence).toBe('S')
  })

  it('applies the protocol’s EHCP and looked-after block to every ground except K, L and O', () => {
    const exempt = GROUND_LETTERS.filter(l => !DELETION_GROUNDS[l].protocolBlock.applies)
    expect(exempt).toEqual(['K', 'L', 'O'])
  })

  it('leaves B, D, E, J, M and N for the school to confirm', () => {
    expect(GROUND_LETTERS.filter(l => DELETION_GROUNDS[l].decidedBy === 'school-confirms')).toEqual([
      'B',
      'D',
      'E',
      'J',
      'M',
      'N',
    ])
  })
})

describe('Ground I: 20 school days of continuous absence', () => {
  it('applies once 20 school days coded G, N or O are over and the joint enquiries are recorded', () => {
    const check = checkDeletion(I_FACTS, ctx('2025-02-10'))
    expect(check.allowedToday).toBe(true)
    expect(check.applicableGrounds).toEqual(['I'])
    expect(check.earliestDate).toBe('2025-02-10')
    expect(check.reasons).toEqual([])
    expect(ground(check, 'I')).toEqual({
      ground: 'I',
      applies: true,
      status: 'applies',
      earliestDate: '2025-02-10',
      blockers: [],
    })
  })

  it('accepts G, N and O mixed, in either case', () => {
    const mixed = sessions('2025-01-10', '2025-02-10', d => (d < '2025-01-20' ? 'g' : d < '2025-02-06' ? 'O' : 'N'))
    expect(checkDeletion(missing({ sessions: mixed }), ctx('2025-02-10')).allowedToday).toBe(true)
  })

  it('waits until the day after the 20th school day of absence', () => {
    const facts = missing({ sessions: sessions('2025-01-10', '2025-02-07') })
    const check = checkDeletion(facts, ctx('2025-02-07'))
    expect(check.allowedToday).toBe(false)
    expect(check.earliestDate).toBe('2025-02-08')
    expect(ground(check, 'I').status).toBe('waiting')
  })

  it('says how far the absence has got while it is in progress', () => {
    const facts = missing({ sessions: sessions('2025-01-10', '2025-01-28') })
    const check = checkDeletion(facts, ctx('2025-01-28'))
    expect(check.allowedToday).toBe(false)
    expect(check.earliestDate).toBe('2025-02-08')
    expect(joined(check)).toContain('12 of 20 school days of continuous absence so far; the 20th is 2025-02-07')
    expect(joined(check)).toContain('not before 2025-02-08')
  })

  it('counts school days, so half term does not count towards the 20', () => {
    const facts = missing({ lastAttendedOn: '2025-01-31', sessions: sessions('2025-01-31', '2025-03-07') })
    expect(checkDeletion(facts, ctx('2025-03-07')).earliestDate).toBe('2025-03-08')
    const later = missing({ lastAttendedOn: '2025-01-31', sessions: sessions('2025-01-31', '2025-03-10') })
    expect(checkDeletion(later, ctx('2025-03-10')).allowedToday).toBe(true)
  })

  it('uses the policy number of days', () => {
    const check = checkDeletion(I_FACTS, ctx('2025-02-10', { groundIDays: 25 }))
    expect(check.allowedToday).toBe(false)
    expect(check.earliestDate).toBe('2025-02-15')
  })

  it.each<[string, (s: SessionMarks[]) => SessionMarks[], string]>([
    [
      'an illness code breaks the run',
      s => s.map(x => (x.date === '2025-01-22' ? { ...x, am: 'I' } : x)),
      'Ground I needs every session coded G, N or O, but 2025-01-22 morning is coded I',
    ],
    [
      'a medical appointment breaks the run',
      s => s.map(x => (x.date === '2025-01-23' ? { ...x, pm: 'M' } : x)),
      '2025-01-23 afternoon is coded M',
    ],
    [
      'a present mark breaks the run',
      s => s.map(x => (x.date === '2025-02-03' ? { ...x, am: '/' } : x)),
      '2025-02-03 morning is coded /',
    ],
    [
      'an uncoded session breaks the run',
      s => s.map(x => (x.date === '2025-02-04' ? { ...x, pm: ' ' } : x)),
      '2025-02-04 afternoon is not coded',
    ],
    [
      'a school day with no register entry',
      s => s.filter(x => x.date !== '2025-01-20'),
      'there are no register codes for 2025-01-20, a school day in the absence',
    ],
    [
      'a repeated day',
      s => [...s.slice(0, 2), ...s.slice(1)],
      'the register entry for 2025-01-14 is out of order, repeated or not on a school day',
    ],
    [
      'a register entry after today',
      s => [...s, { date: '2025-02-11', am: 'O', pm: 'O' }],
      'the register has codes for 2025-02-11, which is after today',
    ],
    [
      'missing codes at the end of a run that should be complete',
      s => s.filter(x => x.date <= '2025-02-04'),
      'the register has no codes from 2025-02-05',
    ],
  ])('does not apply when %s', (_why, change, message) => {
    const check = checkDeletion(missing({ sessions: change(sessions('2025-01-10', '2025-02-10')) }), ctx('2025-02-10'))
    expect(check.allowedToday).toBe(false)
    expect(ground(check, 'I').status).toBe('blocked')
    expect(joined(check)).toContain(message)
  })

  it('lists at most five bad sessions and counts the rest', () => {
    const check = checkDeletion(missing({ sessions: sessions('2025-01-10', '2025-02-10', 'C') }), ctx('2025-02-10'))
    expect(joined(check)).toMatch(/2025-01-15 morning is coded C; and 37 more/)
  })

  it.each<[string, Partial<PupilFacts>, string]>([
    [
      'the school believes the pupil is ill',
      { reasonToBelieveSicknessOrUnavoidableCause: true },
      'Ground I: the school has reason to believe the pupil cannot attend because of sickness or an unavoidable cause',
    ],
    [
      'the school made no enquiries',
      { enquiries: { schoolMade: false, laPartRecordedOn: '2025-01-27' } },
      'Ground I: the school has not recorded its reasonable enquiries to find the pupil',
    ],
    [
      'the LA’s part of the joint enquiries is not recorded',
      { enquiries: { schoolMade: true } },
      'Ground I: the LA’s part of the joint enquiries has not been recorded by the CME team',
    ],
  ])('does not apply when %s', (_why, over, message) => {
    const check = checkDeletion({ ...I_FACTS, ...over }, ctx('2025-02-10'))
    expect(check.allowedToday).toBe(false)
    expect(check.earliestDate).toBeUndefined()
    expect(joined(check)).toContain(message)
    expect(check.protocolBlocks).toEqual([])
  })

  it('waits for the LA’s part of the enquiries when it is dated after the 20 days', () => {
    const facts = { ...I_FACTS, enquiries: { schoolMade: true, laPartRecordedOn: '2025-02-12' } }
    expect(checkDeletion(facts, ctx('2025-02-10')).earliestDate).toBe('2025-02-12')
  })

  it.each<[string, Partial<PupilFacts>, string]>([
    [
      'the EWS has not agreed',
      { ewsAgreedRemoval: false },
      'The Education Welfare Service has not yet discussed and agreed the removal (borough protocol)',
    ],
    [
      'no CME referral was made',
      { cmeReferralMadeOn: undefined },
      'No CME referral has been made to the LA’s CME team; the borough protocol requires one before removal',
    ],
    [
      'there is a cause for concern',
      { safeguardingConcern: true },
      'There is a cause for concern about the child: under the borough protocol the name stays on roll',
    ],
  ])('is blocked by the protocol when %s', (_why, over, message) => {
    const check = checkDeletion({ ...I_FACTS, ...over }, ctx('2025-02-10'))
    expect(check.allowedToday).toBe(false)
    expect(check.protocolBlocks.join('\n')).toContain(message)
    expect(joined(check)).toContain(message)
  })

  it('warns about code N left unreplaced beyond 5 school days', () => {
    const s = sessions('2025-01-10', '2025-02-10', d => (d === '2025-01-13' ? 'N' : 'O'))
    const check = checkDeletion(missing({ sessions: s }), ctx('2025-02-10'))
    expect(check.allowedToday).toBe(true)
    expect(check.warnings).toEqual([
      'Code N (reason not yet established) must be replaced within 5 school days; still N on 2025-01-13',
    ])
  })

  it('surfaces a calendar problem and guesses nothing', () => {
    const noJanuary = fakeSchoolDays(HOLIDAYS, { from: '2025-02-01', to: '2026-08-31' })
    const check = checkDeletion(I_FACTS, ctx('2025-02-10', { schoolDays: noJanuary }))
    expect(check.allowedToday).toBe(false)
    expect(check.earliestDate).toBeUndefined()
    expect(check.problems).toEqual(['No term dates for 2025-01-11 in the Test calendar'])
    expect(ground(check, 'I').status).toBe('problem')
    expect(joined(check)).toContain('Ground I: school days cannot be counted: No term dates for 2025-01-11')
  })

  it('is not indicated when no absence is recorded', () => {
    const check = checkDeletion(base(), ctx('2025-01-14'))
    expect(ground(check, 'I').status).toBe('not-indicated')
    expect(check.reasons).toEqual([
      'No ground for deletion applies on the facts recorded: a name may be deleted only when one of Grounds A to O applies',
    ])
    expect(check.earliestDate).toBeUndefined()
  })
})

describe('the protocol’s EHCP and looked-after rule', () => {
  it.each<[string, Partial<PupilFacts>, boolean, string[]]>([
    [
      'EHCP, no new provision',
      { hasEhcp: true, senTeamConsulted: true },
      false,
      ['The pupil has an EHCP: under the borough protocol the name stays on roll, whatever the ground or day count'],
    ],
    [
      'EHCP, new provision, SEN team not consulted',
      { hasEhcp: true, newProvisionConfirmed: true },
      false,
      ['The pupil has an EHCP: consult the LA’s SEN team before removing the name (borough protocol)'],
    ],
    [
      'EHCP, new provision, SEN team consulted',
      { hasEhcp: true, newProvisionConfirmed: true, senTeamConsulted: true },
      true,
      [],
    ],
    [
      'looked after, no new provision',
      { lookedAfter: true, virtualSchoolHeadInformed: true },
      false,
      ['The pupil is looked after: under the borough protocol the name stays on roll'],
    ],
    [
      'looked after, virtual school head not told',
      { lookedAfter: true, newProvisionConfirmed: true },
      false,
      ['The pupil is looked after: refer to the virtual school head before removing the name (borough protocol)'],
    ],
    [
      'both',
      { lookedAfter: true, hasEhcp: true },
      false,
      [
        'The pupil has an EHCP and is looked after: under the borough protocol',
        'consult the LA’s SEN team',
        'refer to the virtual school head',
      ],
    ],
    [
      'looked after, new provision, virtual school head told',
      { lookedAfter: true, newProvisionConfirmed: true, virtualSchoolHeadInformed: true },
      true,
      [],
    ],
  ])('Ground I with %s', (_why, over, allowed, messages) => {
    const check = checkDeletion({ ...I_FACTS, ...over }, ctx('2025-02-10'))
    expect(check.allowedToday).toBe(allowed)
    for (const m of messages) expect(check.protocolBlocks.join('\n')).toContain(m)
    if (allowed) expect(check.protocolBlocks).toEqual([])
  })

  it('does not block Ground K', () => {
    const check = checkDeletion(base({ lookedAfter: true, hasEhcp: true, diedOn: '2025-01-09' }), ctx('2025-01-14'))
    expect(check.allowedToday).toBe(true)
    expect(check.applicableGrounds).toEqual(['K'])
    expect(check.protocolBlocks).toEqual([])
  })
})

describe('Ground H: not back after a leave of absence', () => {
  // Leave 10-14 March 2025 (coded C); the 10 school days after it run to Friday 28 March.
  const leave = (over: Partial<PupilFacts> = {}): PupilFacts =>
    missing({
      lastAttendedOn: '2025-03-07',
      leaveOfAbsenceEndedOn: '2025-03-14',
      enquiries: { schoolMade: true, laPartRecordedOn: '2025-03-24' },
      sessions: sessions('2025-03-07', '2025-03-31', d => (d <= '2025-03-14' ? 'C' : 'O')),
      ...over,
    })

  it('applies after the 10 school days following the leave', () => {
    const check = checkDeletion(leave(), ctx('2025-03-31'))
    expect(check.allowedToday).toBe(true)
    expect(check.applicableGrounds).toEqual(['H'])
    // The leave's own C codes rule out Ground I, and the school is told why.
    expect(ground(check, 'I').status).toBe('blocked')
  })

  it('waits until the 10 school days are over', () => {
    const check = checkDeletion(
      leave({ sessions: sessions('2025-03-07', '2025-03-24', d => (d <= '2025-03-14' ? 'C' : 'O')) }),
      ctx('2025-03-24'),
    )
    expect(check.allowedToday).toBe(false)
    expect(check.earliestDate).toBe('2025-03-29')
    expect(joined(check)).toContain(
      'Ground H: the 10 school days after the leave ended run to 2025-03-28: not before 2025-03-29',
    )
  })

  it.each<[string, Partial<PupilFacts>, string]>([
    [
      'the pupil attended after the leave',
      { lastAttendedOn: '2025-03-18', sessions: sessions('2025-03-18', '2025-03-31') },
      'Ground H: the pupil attended on 2025-03-18, after the leave of absence ended on 2025-03-14',
    ],
    [
      'the register shows attendance',
      { sessions: sessions('2025-03-07', '2025-03-31', d => (d === '2025-03-19' ? '/' : 'O')) },
      'Ground H: the register shows the pupil attending on 2025-03-19',
    ],
    [
      'the LA’s part of the joint enquiries is missing',
      { enquiries: { schoolMade: true } },
      'Ground H: the LA’s part of the joint enquiries has not been recorded',
    ],
    [
      'sickness is believed',
      { reasonToBelieveSicknessOrUnavoidableCause: true },
      'Ground H: the school has reason to believe the pupil cannot attend because of sickness',
    ],
    ['the EWS has not agreed', { ewsAgreedRemoval: false }, 'The Education Welfare Service has not yet discussed'],
  ])('does not apply when %s', (_why, over, message) => {
    const check = checkDeletion(leave(over), ctx('2025-03-31'))
    expect(ground(check, 'H').applies).toBe(false)
    expect(joined(check)).toContain(message)
  })

  it('uses the policy number of days', () => {
    expect(checkDeletion(leave(), ctx('2025-03-31', { groundHDays: 15 })).earliestDate).toBe('2025-04-05')
  })
})

describe('Ground F: elective home education', () => {
  const ehe = (over: Partial<PupilFacts> = {}): PupilFacts =>
    base({
      writtenEheNotice: { receivedOn: '2025-01-08', educatedFrom: '2025-01-13' },
      eheVerifiedByEwsOn: '2025-01-09',
      ...over,
    })

  it('applies once the stated date has passed', () => {
    const check = checkDeletion(ehe(), ctx('2025-01-14'))
    expect(check.allowedToday).toBe(true)
    expect(check.applicableGrounds).toEqual(['F'])
  })

  it.each<[IsoDate]>([['2025-01-13'], ['2025-01-10']])('waits on %s until the day after the stated date', today => {
    const check = checkDeletion(ehe(), ctx(today))
    expect(check.allowedToday).toBe(false)
    expect(check.earliestDate).toBe('2025-01-14')
    expect(ground(check, 'F').status).toBe('waiting')
  })

  it('is never retrospective: a date long past gives today', () => {
    const facts = ehe({
      writtenEheNotice: { receivedOn: '2024-09-20', educatedFrom: '2024-10-01' },
      eheVerifiedByEwsOn: '2024-09-25',
    })
    const check = checkDeletion(facts, ctx('2025-01-14'))
    expect(check.earliestDate).toBe('2025-01-14')
    expect(ground(check, 'F').earliestDate).toBe('2025-01-14')
  })

  it('does not count before the notice arrives', () => {
    const facts = ehe({ writtenEheNotice: { receivedOn: '2025-01-20', educatedFrom: '2025-01-01' } })
    expect(checkDeletion(facts, ctx('2025-01-14')).earliestDate).toBe('2025-01-20')
  })

  it.each<[string, Partial<PupilFacts>, string, boolean]>([
    [
      'an SAO names the school',
      { saoNamingSchoolInForce: true },
      'Ground F: a school attendance order naming this school is in force',
      false,
    ],
    [
      'the LA placed the pupil at a special school without consent',
      { placedByLaAtSpecialSchool: true },
      'Ground F: the LA placed the pupil at this special school, so the LA must consent first',
      false,
    ],
    [
      'the EWS Operational Manager has not verified it',
      { eheVerifiedByEwsOn: undefined },
      'The EWS Operational Manager has not yet verified the home-education notice (borough protocol)',
      true,
    ],
    [
      'the pupil has an EHCP and the LA has not agreed',
      { hasEhcp: true, newProvisionConfirmed: true, senTeamConsulted: true },
      'The pupil has an EHCP: the LA must agree before the name is removed for home education (borough protocol)',
      true,
    ],
  ])('does not apply when %s', (_why, over, message, isProtocol) => {
    const check = checkDeletion(ehe(over), ctx('2025-01-14'))
    expect(check.allowedToday).toBe(false)
    expect(joined(check)).toContain(message)
    expect(check.protocolBlocks.includes(message)).toBe(isProtocol)
  })

  it('applies for an LA-placed special-school pupil with consent', () => {
    const check = checkDeletion(
      ehe({ placedByLaAtSpecialSchool: true, laConsentToEheDeletion: true }),
      ctx('2025-01-14'),
    )
    expect(check.allowedToday).toBe(true)
  })
})

describe('Grounds A, C, G, K, L and O', () => {
  it.each<[string, GroundLetter, Partial<PupilFacts>, IsoDate, boolean, IsoDate | undefined, string | undefined]>([
    [
      'A applies',
      'A',
      { registeredAtAnotherSchool: { confirmedOn: '2025-01-08' } },
      '2025-01-10',
      true,
      '2025-01-10',
      undefined,
    ],
    [
      'A waits for a future registration',
      'A',
      { registeredAtAnotherSchool: { confirmedOn: '2025-01-15' } },
      '2025-01-10',
      false,
      '2025-01-15',
      undefined,
    ],
    [
      'A with an SAO naming this school',
      'A',
      { registeredAtAnotherSchool: { confirmedOn: '2025-01-08' }, saoNamingSchoolInForce: true },
      '2025-01-10',
      false,
      undefined,
      'Ground A: a school attendance order naming this school is in force; the LA must amend it first (Ground D)',
    ],
    [
      'A for a mobile child whose main school this is',
      'A',
      { registeredAtAnotherSchool: { confirmedOn: '2025-01-08', mobileChildMainSchoolHere: true } },
      '2025-01-10',
      false,
      undefined,
      'Ground A: the pupil is a mobile child and this is their main school',
    ],
    [
      'A with dual registration agreed',
      'A',
      { registeredAtAnotherSchool: { confirmedOn: '2025-01-08', dualRegistrationAgreed: true } },
      '2025-01-10',
      false,
      undefined,
      'Ground A: the school agreed the pupil may be registered at more than one school; see Ground C',
    ],
    [
      'A for a looked-after child attending the new school',
      'A',
      {
        registeredAtAnotherSchool: { confirmedOn: '2025-01-08' },
        lookedAfter: true,
        newProvisionConfirmed: true,
        virtualSchoolHeadInformed: true,
      },
      '2025-01-10',
      true,
      '2025-01-10',
      undefined,
    ],
    [
      'A for a looked-after child not yet attending',
      'A',
      { registeredAtAnotherSchool: { confirmedOn: '2025-01-08' }, lookedAfter: true, virtualSchoolHeadInformed: true },
      '2025-01-10',
      false,
      undefined,
      'The pupil is looked after: under the borough protocol the name stays on roll',
    ],
    [
      'C applies',
      'C',
      { alsoRegisteredElsewhere: { allOtherSchoolsConsentedOn: '2025-01-08', noReasonToBelieveWillAttend: true } },
      '2025-01-10',
      true,
      '2025-01-10',
      undefined,
    ],
    [
      'C without every school’s consent',
      'C',
      { alsoRegisteredElsewhere: { noReasonToBelieveWillAttend: true } },
      '2025-01-10',
      false,
      undefined,
      'Ground C: not every other school where the pupil is registered has consented to the deletion',
    ],
    [
      'C when the pupil may come back',
      'C',
      { alsoRegisteredElsewhere: { allOtherSchoolsConsentedOn: '2025-01-08', noReasonToBelieveWillAttend: false } },
      '2025-01-10',
      false,
      undefined,
      'Ground C: the school has reasonable grounds to believe the pupil will attend again',
    ],
    [
      'C with an SAO',
      'C',
      {
        alsoRegisteredElsewhere: { allOtherSchoolsConsentedOn: '2025-01-08', noReasonToBelieveWillAttend: true },
        saoNamingSchoolInForce: true,
      },
      '2025-01-10',
      false,
      undefined,
      'Ground C: a school attendance order naming this school is in force',
    ],
    [
      'C for a mobile child',
      'C',
      {
        alsoRegisteredElsewhere: {
          allOtherSchoolsConsentedOn: '2025-01-08',
          noReasonToBelieveWillAttend: true,
          mobileChildMainSchoolHere: true,
        },
      },
      '2025-01-10',
      false,
      undefined,
      'Ground C: the pupil is a mobile child and this is their main school',
    ],
    [
      'G applies',
      'G',
      { noLongerLivesWithinReasonableDistance: { confirmedOn: '2025-01-09' } },
      '2025-01-10',
      true,
      '2025-01-10',
      undefined,
    ],
    [
      'G for a boarder',
      'G',
      { noLongerLivesWithinReasonableDistance: { confirmedOn: '2025-01-09' }, isBoarder: true },
      '2025-01-10',
      false,
      undefined,
      'Ground G does not apply to a boarder',
    ],
    ['K applies', 'K', { diedOn: '2025-01-09' }, '2025-01-10', true, '2025-01-10', undefined],
    [
      'K with a future date of death',
      'K',
      { diedOn: '2025-01-19' },
      '2025-01-10',
      false,
      undefined,
      'Ground K: the date of death 2025-01-19 is after today; check it',
    ],
    [
      'O applies',
      'O',
      { permanentlyExcludedOn: '2025-01-06', exclusionReviewComplete: true },
      '2025-01-10',
      true,
      '2025-01-10',
      undefined,
    ],
    [
      'O before the exclusion process ends',
      'O',
      { permanentlyExcludedOn: '2025-01-06' },
      '2025-01-10',
      false,
      undefined,
      'Ground O: the exclusion process is not finished',
    ],
    [
      'O for a pupil with an EHCP and no new provision',
      'O',
      { permanentlyExcludedOn: '2025-01-06', exclusionReviewComplete: true, hasEhcp: true },
      '2025-01-10',
      true,
      '2025-01-10',
      undefined,
    ],
  ])('%s', (_why, letter, over, today, applies, earliest, message) => {
    const check = checkDeletion(base(over), ctx(today))
    const g = ground(check, letter)
    expect(g.applies).toBe(applies)
    expect(g.earliestDate).toBe(earliest)
    expect(check.allowedToday).toBe(applies)
    if (message) expect(g.blockers.join('\n')).toContain(message)
    if (message) expect(joined(check)).toContain(message)
  })

  describe('L: leaving at the end of compulsory school age', () => {
    // Born 5 May 2009: compulsory school age ends on the last Friday in June 2025, 27 June.
    const leaver = (over: Partial<PupilFacts> = {}): PupilFacts =>
      base({
        dateOfBirth: '2009-05-05',
        lastAttendedOn: '2025-06-26',
        ceasesCompulsorySchoolAgeNotContinuing: { because: 'parent-says-leaving' },
        ...over,
      })

    it('applies on the last day the school meets before compulsory school age ends', () => {
      expect(checkDeletion(leaver(), ctx('2025-06-27')).applicableGrounds).toEqual(['L'])
      const early = checkDeletion(leaver(), ctx('2025-06-26'))
      expect(early.allowedToday).toBe(false)
      expect(early.earliestDate).toBe('2025-06-27')
      expect(joined(early)).toContain(
        'Ground L: compulsory school age ends on 2025-06-27; the school meets until 2025-06-27',
      )
    })

    it('moves back to the last school day when the school does not meet on the leaving date', () => {
      const insetOnLeavingDay = fakeSchoolDays([...HOLIDAYS, '2025-06-27'])
      const check = checkDeletion(leaver(), ctx('2025-06-26', { schoolDays: insetOnLeavingDay }))
      expect(check.applicableGrounds).toEqual(['L'])
    })

    it('is not blocked by the protocol for a pupil with an EHCP', () => {
      const check = checkDeletion(leaver({ hasEhcp: true }), ctx('2025-06-27'))
      expect(check.allowedToday).toBe(true)
    })

    it('needs a date of birth', () => {
      const check = checkDeletion(leaver({ dateOfBirth: undefined }), ctx('2025-06-27'))
      expect(check.allowedToday).toBe(false)
      expect(check.reasons).toContain(
        'Ground L: enter the pupil’s date of birth so the end of compulsory school age can be worked out',
      )
    })

    it('surfaces a calendar problem', () => {
      const short = fakeSchoolDays(HOLIDAYS, { from: '2024-09-01', to: '2025-05-31' })
      const check = checkDeletion(leaver(), ctx('2025-05-30', { schoolDays: short }))
      expect(check.problems).toEqual(['No term dates for 2025-06-27 in the Test calendar'])
      expect(ground(check, 'L').status).toBe('problem')
    })
  })
})

describe('grounds the school confirms: B, D, E, J, M, N', () => {
  it('asks the school to confirm and leaves them out of the reasons', () => {
    const check = checkDeletion(base(), ctx('2025-01-14'))
    for (const letter of ['B', 'D', 'E', 'J', 'M', 'N'] as const) {
      const g = ground(check, letter)
      expect(g.status).toBe('needs-confirmation')
      expect(g.blockers[0]).toMatch(/^Needs the school to confirm: /)
    }
    expect(ground(check, 'J').blockers[0]).toContain('sentence of detention')
    expect(joined(check)).not.toContain('Needs the school to confirm')
  })

  it('applies once the school confirms, from the date it gives', () => {
    expect(
      checkDeletion(base({ confirmedBySchool: { J: '2025-01-08' } }), ctx('2025-01-14')).applicableGrounds,
    ).toEqual(['J'])
    expect(checkDeletion(base({ confirmedBySchool: { D: '2025-01-20' } }), ctx('2025-01-14')).earliestDate).toBe(
      '2025-01-20',
    )
  })

  it('is blocked by the protocol for a looked-after child with no new provision', () => {
    const check = checkDeletion(base({ confirmedBySchool: { M: '2025-01-08' }, lookedAfter: true }), ctx('2025-01-14'))
    expect(check.allowedToday).toBe(false)
    expect(check.protocolBlocks.join('\n')).toContain('The pupil is looked after')
  })
})

describe('checkDeletion overall', () => {
  it('allows deletion when any ground applies, and lists every ground', () => {
    const check = checkDeletion({ ...I_FACTS, diedOn: '2025-02-01' }, ctx('2025-02-10'))
    expect(check.applicableGrounds).toEqual(['I', 'K'])
    expect(check.grounds.map(g => g.ground)).toEqual([...GROUND_LETTERS])
  })

  it('gives the earliest of the waiting grounds', () => {
    const facts = missing({
      sessions: sessions('2025-01-10', '2025-01-28'),
      registeredAtAnotherSchool: { confirmedOn: '2025-02-03' },
    })
    const check = checkDeletion(facts, ctx('2025-01-28'))
    expect(check.earliestDate).toBe('2025-02-03')
  })

  it('lists a repeated protocol block once', () => {
    const facts = { ...I_FACTS, lookedAfter: true, registeredAtAnotherSchool: { confirmedOn: '2025-02-03' } }
    const check = checkDeletion(facts, ctx('2025-02-10'))
    const vsh = check.reasons.filter(r => r.includes('virtual school head'))
    expect(vsh).toHaveLength(1)
  })
})

describe('deletionReturnFields and standard transition', () => {
  it('asks for what reg 13(4) requires', () => {
    const fields = deletionReturnFields('I')
    const required = fields.filter(f => f.required).map(f => f.key)
    expect(required).toEqual([
      'pupil.fullName',
      'pupil.address',
      'parents[].fullName',
      'parents[].address',
      'parents[].emergencyPhone',
      'ground',
      'deletedOn',
    ])
    expect(fields.map(f => f.key)).toEqual(
      expect.arrayContaining([
        'future.address',
        'future.parentName',
        'future.from',
        'newSchool.name',
        'newSchool.startsOn',
      ]),
    )
    for (const f of fields) expect(f.source.length).toBeGreaterThan(0)
  })

  it.each<[GroundLetter, boolean]>([
    ['A', true],
    ['C', true],
    ['D', true],
    ['F', false],
    ['I', false],
    ['K', false],
  ])('Ground %s: new school required is %s', (letter, required) => {
    const field = deletionReturnFields(letter).find(f => f.key === 'newSchool.name')
    expect(field?.required).toBe(required)
  })

  it.each<[string, IsoDate, boolean, boolean]>([
    ['Year 6 leaver on the last day of term', '2025-07-22', true, true],
    ['Year 6 leaver in the summer holiday', '2025-08-01', true, true],
    ['Year 6 leaver before the end of term', '2025-07-10', true, false],
    ['Year 5 pupil after the end of term', '2025-07-23', false, false],
  ])('%s', (_why, deletedOn, inMostSeniorClass, expected) => {
    expect(isStandardTransition({ deletedOn, lastTermEndsOn: '2025-07-22', inMostSeniorClass })).toBe(expected)
    expect(deletionReturnDue({ deletedOn, lastTermEndsOn: '2025-07-22', inMostSeniorClass })).toBe(!expected)
  })

  it('still needs a return for a standard transition when the LA asks', () => {
    expect(
      deletionReturnDue({
        deletedOn: '2025-07-22',
        lastTermEndsOn: '2025-07-22',
        inMostSeniorClass: true,
        laAsksForTransitionReturns: true,
      }),
    ).toBe(true)
  })
})

describe('properties', () => {
  const GOOD = ['G', 'N', 'O', 'o', 'g']
  const BAD = ['I', 'M', '/', '\\', 'C', 'L', 'U', 'E', 'X', '']
  const code = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...GOOD) },
    { weight: 1, arbitrary: fc.constantFrom(...BAD) },
  )
  const dayFrom = (start: IsoDate, span: number) => fc.integer({ min: 0, max: span }).map(n => addDays(start, n))
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })

  const scenario = fc
    .record({
      today: dayFrom('2025-01-06', 160),
      back: fc.integer({ min: 0, max: 50 }),
      codes: fc.array(fc.tuple(code, code), { maxLength: 40 }),
      // Half the time a clean run, so that Ground I actually applies in some scenarios.
      clean: fc.boolean(),
      groundIDays: fc.integer({ min: 20, max: 25 }),
      bools: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
      offsets: fc.array(maybe(fc.integer({ min: -40, max: 10 })), { minLength: 10, maxLength: 10 }),
    })
    .map(({ today, back, codes, clean, groundIDays, bools, offsets }) => {
      const lastAttendedOn = addDays(today, -back)
      const days: SessionMarks[] = []
      for (
        let d = cal.next(lastAttendedOn);
        d.ok && d.value <= today && (clean || days.length < codes.length);
        d = cal.next(d.value)
      ) {
        const [am, pm] = clean ? ['O', 'O'] : (codes[days.length] ?? ['O', 'O'])
        days.push({ date: d.value, am, pm })
      }
      const b = (i: number): boolean => bools[i] ?? false
      const at = (i: number): IsoDate | undefined => {
        const o = offsets[i]
        return o === undefined ? undefined : addDays(today, o)
      }
      const lastDay = (i: number): IsoDate | undefined => at(i)
      const facts: PupilFacts = {
        dateOfBirth: b(15) ? '2009-05-05' : '2014-03-03',
        lastAttendedOn,
        sessions: days,
        hasEhcp: b(0),
        lookedAfter: b(1),
        placedByLaAtSpecialSchool: b(2),
        laConsentToEheDeletion: b(3),
        saoNamingSchoolInForce: b(4) && b(5),
        newProvisionConfirmed: b(6),
        senTeamConsulted: b(7),
        virtualSchoolHeadInformed: b(7),
        enquiries: { schoolMade: true, laPartRecordedOn: at(0) },
        reasonToBelieveSicknessOrUnavoidableCause: b(8) && b(9),
        ewsAgreedRemoval: !(b(10) && b(11)),
        cmeReferralMadeOn: at(1) ?? today,
        safeguardingConcern: b(12) && b(13),
        writtenEheNotice: at(2) ? { receivedOn: at(2) ?? today, educatedFrom: at(3) ?? today } : undefined,
        eheVerifiedByEwsOn: at(3),
        registeredAtAnotherSchool: at(4) ? { confirmedOn: at(4) ?? today } : undefined,
        noLongerLivesWithinReasonableDistance: at(5) ? { confirmedOn: at(5) ?? today } : undefined,
        leaveOfAbsenceEndedOn: lastDay(6),
        diedOn: at(7),
        permanentlyExcludedOn: at(8),
        exclusionReviewComplete: b(14),
        ceasesCompulsorySchoolAgeNotContinuing: b(14) ? { because: 'parent-says-leaving' } : undefined,
        confirmedBySchool: at(9) ? { J: at(9) } : undefined,
      }
      return { facts, context: ctx(today, { groundIDays }) }
    })

  it('never allows deletion of a looked-after or EHCP child without a confirmed new provision (K, L and O aside)', () => {
    fc.assert(
      fc.property(scenario, fc.constantFrom('ehcp', 'lac', 'both'), ({ facts, context }, who) => {
        const f: PupilFacts = {
          ...facts,
          hasEhcp: who !== 'lac',
          lookedAfter: who !== 'ehcp',
          newProvisionConfirmed: false,
          diedOn: undefined,
          ceasesCompulsorySchoolAgeNotContinuing: undefined,
          permanentlyExcludedOn: undefined,
        }
        expect(checkDeletion(f, context).allowedToday).toBe(false)
      }),
      { numRuns: 300 },
    )
  })

  it('lets only K, L or O apply to such a child in any case', () => {
    fc.assert(
      fc.property(scenario, ({ facts, context }) => {
        const f = { ...facts, lookedAfter: true, newProvisionConfirmed: false }
        for (const g of checkDeletion(f, context).applicableGrounds) expect(['K', 'L', 'O']).toContain(g)
      }),
      { numRuns: 300 },
    )
  })

  it('never applies Ground I when any session is coded outside G, N and O', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), fc.constantFrom(...BAD), fc.boolean(), ({ facts, context }, at, bad, am) => {
        fc.pre(facts.sessions.length > 0)
        const i = at % facts.sessions.length
        const sessions = facts.sessions.map((s, j) => (j === i ? (am ? { ...s, am: bad } : { ...s, pm: bad }) : s))
        const check = checkDeletion({ ...facts, sessions }, context)
        expect(ground(check, 'I').applies).toBe(false)
      }),
      { numRuns: 300 },
    )
  })

  it('never applies Ground I or H without the LA’s part of the joint enquiries', () => {
    fc.assert(
      fc.property(scenario, ({ facts, context }) => {
        const check = checkDeletion({ ...facts, enquiries: { schoolMade: true } }, context)
        expect(ground(check, 'I').applies).toBe(false)
        expect(ground(check, 'H').applies).toBe(false)
      }),
      { numRuns: 300 },
    )
  })

  it('applies Ground I only to a full run of G, N and O', () => {
    let applied = 0
    fc.assert(
      fc.property(scenario, ({ facts, context }) => {
        if (!ground(checkDeletion(facts, context), 'I').applies) return
        applied += 1
        expect(facts.sessions.length).toBeGreaterThanOrEqual(context.groundIDays)
        for (const s of facts.sessions) {
          expect(GROUND_I_CODES.has(s.am.trim().toUpperCase())).toBe(true)
          expect(GROUND_I_CODES.has(s.pm.trim().toUpperCase())).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
    expect(applied).toBeGreaterThan(0)
  })

  it('gives an earliest date of today when allowed, and never one before today', () => {
    let allowed = 0
    let waiting = 0
    fc.assert(
      fc.property(scenario, ({ facts, context }) => {
        const check = checkDeletion(facts, context)
        if (check.allowedToday) {
          allowed += 1
          expect(check.earliestDate).toBe(context.today)
          expect(check.reasons).toEqual([])
        } else {
          expect(check.reasons.length).toBeGreaterThan(0)
          if (check.earliestDate) waiting += 1
        }
        if (check.earliestDate) expect(check.earliestDate >= context.today).toBe(true)
        for (const g of check.grounds) {
          if (g.earliestDate) expect(g.earliestDate >= context.today).toBe(true)
          expect(g.applies).toBe(g.status === 'applies')
        }
      }),
      { numRuns: 500 },
    )
    // The property means nothing unless both kinds of answer actually turn up.
    expect(allowed).toBeGreaterThan(0)
    expect(waiting).toBeGreaterThan(0)
  })
})
