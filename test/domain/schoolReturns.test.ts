import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { IsoDate } from '../../src/domain/dates.js'
import { checkDeletion, GROUND_LETTERS } from '../../src/domain/deletion.js'
import {
  ctfDestination,
  ctfPupilFromRoll,
  ctfState,
  declaredAbsenceSessions,
  deletionDateProblem,
  deletionReturnDocument,
  newPupilReturnExempt,
  possiblyLocated,
  returnTimeliness,
  type PupilForReturn,
} from '../../src/domain/schoolReturns.js'
import { fakeSchoolDays } from '../support/fakeSchoolDays.js'

/** Monday to Friday, with half term 27-31 October 2025; nothing known outside 2025-09-01..2026-07-31. */
/** The autumn half term of 2025 off; term dates known for the 2025/26 school year only. */
const weekdays = () =>
  fakeSchoolDays(['2025-10-27', '2025-10-28', '2025-10-29', '2025-10-30', '2025-10-31'], {
    from: '2025-09-01',
    to: '2026-07-31',
  })

const pupil: PupilForReturn = {
  firstName: 'Ada',
  lastName: 'Alderbrook',
  otherNames: null,
  dateOfBirth: '2016-04-02',
  gender: 'F',
  upn: 'B801200005001',
  ncYear: '4',
  admissionDate: '2021-09-03',
  address: '1 Heron Way, Demotown, IG9 1AA',
}
const parent = { fullName: 'Sam Alderbrook', address: '1 Heron Way', emergencyPhone: '07700 900123' }

describe('the deletion return (reg 13(4))', () => {
  it('is complete with the pupil, each parent the pupil lives with, the ground and the date', () => {
    const { document, problems } = deletionReturnDocument(pupil, 'I', '2025-11-20', { parents: [parent] })
    expect(problems).toEqual([])
    const value = (key: string) => document.rows.find(r => r.key === key)?.value
    expect(value('pupil.fullName')).toBe('Ada Alderbrook')
    expect(value('pupil.address')).toBe(pupil.address)
    expect(value('parents.0.fullName')).toBe('Sam Alderbrook')
    expect(value('parents.0.emergencyPhone')).toBe('07700 900123')
    expect(value('ground')).toBe('I')
    expect(value('deletedOn')).toBe('2025-11-20')
  })

  it.each([
    ['no parent', { parents: [] }, 'parents'],
    [
      'a parent without an emergency number',
      { parents: [{ ...parent, emergencyPhone: ' ' }] },
      'parents.0.emergencyPhone',
    ],
    ['a parent without an address', { parents: [{ ...parent, address: '' }] }, 'parents.0.address'],
  ])('is refused with %s', (_what, input, field) => {
    expect(deletionReturnDocument(pupil, 'I', '2025-11-20', input).problems.map(p => p.field)).toContain(field)
  })

  it('needs the new school under Grounds A, C and D, and only if known otherwise', () => {
    for (const g of ['A', 'C', 'D'] as const)
      expect(deletionReturnDocument(pupil, g, '2025-11-20', { parents: [parent] }).problems.map(p => p.field)).toEqual([
        'newSchool-name',
        'newSchool-startsOn',
      ])
    for (const g of ['F', 'G', 'I', 'K'] as const)
      expect(deletionReturnDocument(pupil, g, '2025-11-20', { parents: [parent] }).problems).toEqual([])
  })
})

describe('the new pupil return exemption (reg 13(3))', () => {
  it.each([
    [{ startsOn: '2025-09-03', firstDayOfSchoolYear: '2025-09-03', mostJuniorClass: true, laAsksForThem: false }, true],
    [
      { startsOn: '2025-09-04', firstDayOfSchoolYear: '2025-09-03', mostJuniorClass: true, laAsksForThem: false },
      false,
    ],
    [
      { startsOn: '2025-09-03', firstDayOfSchoolYear: '2025-09-03', mostJuniorClass: false, laAsksForThem: false },
      false,
    ],
    [{ startsOn: '2025-09-03', firstDayOfSchoolYear: '2025-09-03', mostJuniorClass: true, laAsksForThem: true }, false],
    [{ startsOn: '2025-09-03', firstDayOfSchoolYear: null, mostJuniorClass: true, laAsksForThem: false }, false],
  ])('%o → exempt %s', (input, exempt) => {
    expect(newPupilReturnExempt(input)).toBe(exempt)
  })
})

describe('deadlines', () => {
  it.each([
    ['2025-11-20', '2025-11-20', 'on-time'],
    ['2025-11-20', '2025-11-19', 'on-time'],
    ['2025-11-20', '2025-11-21', 'late'],
  ] as const)('a return due %s made %s is %s', (due, made, want) => {
    expect(returnTimeliness(due, made)).toBe(want)
  })

  it.each([
    ['2025-12-10', null, '2025-12-10', 'due'],
    ['2025-12-10', null, '2025-12-11', 'overdue'],
    ['2025-12-10', '2025-12-12', '2025-12-20', 'uploaded'],
  ] as const)('a CTF due %s uploaded %s is %s... on %s', (due, uploaded, today, want) => {
    expect(ctfState(due, uploaded, today)).toBe(want)
  })
})

describe('the date a deletion is recorded for', () => {
  it.each([
    ['2025-11-20', undefined],
    ['2025-11-18', undefined],
    ['2025-11-21', 'future'],
    ['2021-09-01', 'admitted'],
  ] as const)('%s (today 2025-11-20, admitted 2021-09-03) → %s', (date, want) => {
    const p = deletionDateProblem(date, '2025-11-20', '2021-09-03')
    if (want === undefined) expect(p).toBeUndefined()
    else expect(p).toContain(want)
  })
})

describe('a declared run of absence for Ground I', () => {
  const cal = weekdays()

  it('has one G/N/O-coded school day per day of the calendar from the first day of absence, skipping half term', () => {
    const built = declaredAbsenceSessions('2025-10-20', '2025-11-21', cal)
    expect(built.ok).toBe(true)
    if (!built.ok) return
    expect(built.sessions[0]?.date).toBe('2025-10-20')
    expect(built.sessions.some(s => s.date >= '2025-10-27' && s.date <= '2025-10-31')).toBe(false)
    expect(built.sessions).toHaveLength(20)
  })

  it('makes Ground I apply only once 20 school days have passed, with the LA’s enquiries', () => {
    const facts = (through: IsoDate, laPart?: IsoDate) => {
      const built = declaredAbsenceSessions('2025-10-20', through, cal)
      if (!built.ok) throw new Error(built.problem)
      return {
        lastAttendedOn: '2025-10-17',
        sessions: built.sessions,
        hasEhcp: false,
        lookedAfter: false,
        placedByLaAtSpecialSchool: false,
        saoNamingSchoolInForce: false,
        newProvisionConfirmed: false,
        reasonToBelieveSicknessOrUnavoidableCause: false,
        enquiries: { schoolMade: true, ...(laPart ? { laPartRecordedOn: laPart } : {}) },
        ewsAgreedRemoval: true,
        cmeReferralMadeOn: '2025-10-30',
      }
    }
    const ctx = (today: IsoDate) => ({ today, schoolDays: cal, groundIDays: 20, groundHDays: 10 })
    expect(checkDeletion(facts('2025-11-21', '2025-11-20'), ctx('2025-11-21')).applicableGrounds).toEqual([])
    expect(checkDeletion(facts('2025-11-24', '2025-11-20'), ctx('2025-11-24')).applicableGrounds).toEqual(['I'])
    expect(checkDeletion(facts('2025-11-24'), ctx('2025-11-24')).applicableGrounds).toEqual([])
  })

  it('reports a calendar that cannot answer instead of guessing', () => {
    expect(declaredAbsenceSessions('2025-08-01', '2025-09-10', cal).ok).toBe(false)
  })
})

describe('possibly located', () => {
  const child = { firstName: 'Ada', lastName: 'Alderbrook', dateOfBirth: '2016-04-02', upn: null }
  it.each([
    [{ ...child }, ['Same name and date of birth']],
    [{ ...child, firstName: 'ADA ', lastName: 'Alderbrook-' }, ['Same name and date of birth']],
    [{ ...child, firstName: 'Adé' }, []],
    [{ ...child, dateOfBirth: '2016-04-03' }, []],
    [{ ...child, firstName: 'Zed', dateOfBirth: '2010-01-01', upn: 'B801200005001' }, ['Same UPN']],
  ])('%o', (admitted, reasons) => {
    expect(possiblyLocated(admitted, { ...child, upn: 'B801200005001' }).reasons).toEqual(reasons)
  })

  it('is symmetric', () => {
    const person = fc.record({
      firstName: fc.constantFrom('Ada', 'ada', 'Bo'),
      lastName: fc.constantFrom('Lee', 'LEE', 'Ng'),
      dateOfBirth: fc.constantFrom('2015-01-01', '2015-01-02'),
      upn: fc.constantFrom(null, 'B801200005001'),
    })
    fc.assert(
      fc.property(person, person, (a, b) => {
        expect(possiblyLocated(a, b).located).toBe(possiblyLocated(b, a).located)
      }),
    )
  })
})

describe('the CTF destination and pupil', () => {
  it.each([
    ['unknown', '', '', { kind: 'unknown' }],
    ['outside-maintained', '', '', { kind: 'outside-maintained' }],
    ['school', '317', '4002', { kind: 'school', laCode: '317', establishmentNumber: '4002' }],
  ])('%s', (choice, la, estab, destination) => {
    expect(ctfDestination(choice, la, estab)).toEqual({ ok: true, destination })
  })

  it.each([
    ['', '', '', 'destination'],
    ['school', '31', '4002', 'laCode'],
    ['school', '317', '40', 'establishmentNumber'],
  ])('refuses %s %s %s', (choice, la, estab, field) => {
    expect(ctfDestination(choice, la, estab)).toMatchObject({ ok: false, field })
  })

  it('writes this school’s history entry with the leaving date and the ground', () => {
    for (const ground of GROUND_LETTERS) {
      const p = ctfPupilFromRoll(
        {
          ...pupil,
          formerUpn: null,
          ethnicity: null,
          senProvision: 'E',
          addressLines: ['1 Heron Way'],
          postcode: 'IG9 1AA',
          contacts: [],
        },
        { laCode: '317', establishmentNumber: '2001', name: 'Larkspur' },
        '2025-11-20',
        ground,
      )
      expect(p.schoolHistory[0]).toMatchObject({
        laCode: '317',
        establishmentNumber: '2001',
        leavingDate: '2025-11-20',
      })
      expect(p.schoolHistory[0]?.leavingReason).toContain(`Ground ${ground}`)
      expect(p.sex).toBe('F')
      expect(p.senProvision).toBe('E')
    }
  })
})
