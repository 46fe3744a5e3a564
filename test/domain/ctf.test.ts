import { describe, expect, it } from 'vitest'
import {
  CTF_VERSIONS,
  ctfAcademicYear,
  ctfDateTime,
  ctfFileName,
  ctfLeavingReason,
  ctfSexFromGender,
  destinationCodes,
  destinationFromCodes,
  isCtfDateTime,
  isLostPupilDestination,
  usesSexElement,
  validateCtf,
  type CtfDestination,
  type CtfFile,
  type CtfPupil,
} from '../../src/domain/ctf.js'

const SOURCE = { laCode: '317', establishmentNumber: '2001', urn: '123456', schoolName: 'Riverside Primary' }

function pupil(overrides: Partial<CtfPupil> = {}): CtfPupil {
  return {
    upn: 'B801200005001',
    formerUpn: null,
    surname: 'Smith',
    forename: 'Anna',
    middleNames: null,
    preferredSurname: null,
    preferredForename: null,
    dateOfBirth: '2015-03-14',
    sex: 'F',
    ncYearActual: '6',
    ethnicity: 'WBRI',
    firstLanguage: 'ENG',
    address: { lines: ['1 High Street', 'Ilford'], postCode: 'IG1 1AA' },
    phones: [{ type: 'H', number: '020 8000 0000' }],
    contacts: [
      {
        title: 'Ms',
        forename: 'Jane',
        surname: 'Smith',
        relationship: 'PAM',
        parentalResponsibility: true,
        address: 'same-as-pupil',
        phones: [{ type: 'M', number: '07700 900000' }],
        email: null,
      },
    ],
    senProvision: 'N',
    fsmPeriods: [],
    schoolHistory: [
      {
        laCode: '317',
        establishmentNumber: '2001',
        schoolName: 'Riverside Primary',
        entryDate: '2019-09-04',
        leavingDate: '2026-11-20',
        leavingReason: ctfLeavingReason('I'),
      },
    ],
    ...overrides,
  }
}

function file(overrides: Partial<CtfFile> = {}): CtfFile {
  return {
    version: '25.0',
    generatedAt: '2026-11-28T10:15:00',
    academicYear: 2026,
    source: SOURCE,
    destination: { kind: 'unknown' },
    pupils: [pupil()],
    ...overrides,
  }
}

describe('destination codes', () => {
  it.each<[CtfDestination, { lea: string; estab: string }]>([
    [{ kind: 'unknown' }, { lea: 'XXX', estab: 'XXXX' }],
    [{ kind: 'outside-maintained' }, { lea: 'MMM', estab: 'MMMM' }],
    [
      { kind: 'school', laCode: '820', establishmentNumber: '1234' },
      { lea: '820', estab: '1234' },
    ],
  ])('%j -> %j and back', (destination, codes) => {
    expect(destinationCodes(destination)).toEqual(codes)
    expect(destinationFromCodes(codes.lea, codes.estab)).toEqual(destination)
  })

  it('treats a half-special pair as a school, for validateCtf to reject', () => {
    expect(destinationFromCodes('XXX', '1234')).toEqual({ kind: 'school', laCode: 'XXX', establishmentNumber: '1234' })
  })

  it('calls unknown and outside-maintained destinations lost-pupil files', () => {
    expect(isLostPupilDestination({ kind: 'unknown' })).toBe(true)
    expect(isLostPupilDestination({ kind: 'outside-maintained' })).toBe(true)
    expect(isLostPupilDestination({ kind: 'school', laCode: '820', establishmentNumber: '1234' })).toBe(false)
  })
})

describe('versions', () => {
  it('accepts the current and the previous version, and CTF 25 uses Sex', () => {
    expect(CTF_VERSIONS).toEqual(['25.0', '24.0'])
    expect(usesSexElement('25.0')).toBe(true)
    expect(usesSexElement('24.0')).toBe(false)
  })
})

describe('ctfSexFromGender', () => {
  it.each([
    ['female', 'F'],
    ['Male', 'M'],
    [' F ', 'F'],
    ['m', 'M'],
    ['other', null],
    ['not-known', null],
    ['', null],
    [null, null],
    [undefined, null],
  ])('%j -> %j', (gender, sex) => {
    expect(ctfSexFromGender(gender)).toBe(sex)
  })
})

describe('ctfAcademicYear', () => {
  it.each([
    ['2026-07-31', 2025],
    ['2026-08-01', 2026],
    ['2026-08-12', 2026],
    ['2026-12-31', 2026],
    ['2027-01-01', 2026],
    ['2025-08-12', 2025],
  ])('%s is in academic year %i', (date, year) => {
    expect(ctfAcademicYear(date)).toBe(year)
  })

  it('refuses a date that does not exist', () => {
    expect(() => ctfAcademicYear('2026-02-30')).toThrow(RangeError)
  })
})

describe('ctfDateTime', () => {
  it('gives wall-clock time in England without a zone, in GMT and in BST', () => {
    expect(ctfDateTime(new Date('2026-11-28T10:15:00Z'))).toBe('2026-11-28T10:15:00')
    expect(ctfDateTime(new Date('2026-07-01T23:30:05Z'))).toBe('2026-07-02T00:30:05')
  })

  it('recognises its own format only', () => {
    expect(isCtfDateTime('2026-11-28T10:15:00')).toBe(true)
    expect(isCtfDateTime('2026-11-28T24:00:00')).toBe(false)
    expect(isCtfDateTime('2026-02-30T10:15:00')).toBe(false)
    expect(isCtfDateTime('2026-11-28T10:15:00Z')).toBe(false)
    expect(isCtfDateTime('2026-11-28')).toBe(false)
  })
})

describe('ctfLeavingReason', () => {
  it('names the ground and its regulation', () => {
    expect(ctfLeavingReason('I')).toBe('Ground I, SI 2024/208 reg 9(1)(i)')
  })
})

describe('ctfFileName', () => {
  it.each<[CtfDestination, number, string]>([
    [{ kind: 'unknown' }, 1, '3172001_CTF_XXXXXXX_001.xml'],
    [{ kind: 'outside-maintained' }, 12, '3172001_CTF_MMMMMMM_012.xml'],
    [{ kind: 'school', laCode: '820', establishmentNumber: '4001' }, 999, '3172001_CTF_8204001_999.xml'],
  ])('%j #%i -> %s', (destination, sequence, name) => {
    expect(ctfFileName(SOURCE, destination, sequence)).toBe(name)
  })

  it.each([0, 1000, 1.5, -1, Number.NaN])('refuses sequence %d', sequence => {
    expect(() => ctfFileName(SOURCE, { kind: 'unknown' }, sequence)).toThrow(RangeError)
  })
})

describe('validateCtf', () => {
  it('passes a complete lost-pupil file', () => {
    expect(validateCtf(file())).toEqual([])
  })

  it('passes a file to a known school with several pupils', () => {
    const destination: CtfDestination = { kind: 'school', laCode: '820', establishmentNumber: '4001' }
    expect(validateCtf(file({ destination, pupils: [pupil(), pupil({ upn: 'X00180001701A' })] }))).toEqual([])
  })

  it.each<CtfDestination>([{ kind: 'unknown' }, { kind: 'outside-maintained' }])(
    'holds a %j file to exactly one pupil',
    destination => {
      const problems = validateCtf(file({ destination, pupils: [pupil(), pupil()] }))
      expect(problems).toEqual([expect.stringMatching(/must hold exactly one pupil; this one has 2$/)])
    },
  )

  it('refuses a file with no pupils', () => {
    expect(validateCtf(file({ pupils: [] }))).toEqual(['The file has no pupils'])
  })

  it('asks for a temporary UPN when the pupil has none', () => {
    const problems = validateCtf(file({ pupils: [pupil({ upn: null })] }))
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^Pupil 1 \(Smith, Anna\): the CTF needs a UPN.*temporary UPN/)
  })

  it('accepts a temporary UPN', () => {
    expect(validateCtf(file({ pupils: [pupil({ upn: 'X00180001701A' })] }))).toEqual([])
  })

  it('passes on the UPN check letter problem', () => {
    expect(validateCtf(file({ pupils: [pupil({ upn: 'C801200005001' })] }))).toEqual([
      'Pupil 1 (Smith, Anna) UPN: The check letter does not match the rest of the UPN: check it has been copied correctly',
    ])
  })

  it('wants the UPN as stored in the CTF: no spaces, capitals', () => {
    expect(validateCtf(file({ pupils: [pupil({ upn: 'b801 2000 05001' })] }))).toEqual([
      'Pupil 1 (Smith, Anna) UPN must be written without spaces and in capitals: B801200005001',
    ])
  })

  it('checks the former UPN and that it differs from the UPN', () => {
    expect(validateCtf(file({ pupils: [pupil({ formerUpn: 'X00180001701A' })] }))).toEqual([])
    expect(validateCtf(file({ pupils: [pupil({ formerUpn: 'B801200005001' })] }))).toEqual([
      'Pupil 1 (Smith, Anna): the former UPN is the same as the UPN',
    ])
  })

  it('refuses a date of birth that does not exist or is after the file', () => {
    expect(validateCtf(file({ pupils: [pupil({ dateOfBirth: '2015-02-29' })] }))).toEqual([
      'Pupil 1 (Smith, Anna) date of birth is not a real date (YYYY-MM-DD): 2015-02-29',
    ])
    expect(validateCtf(file({ pupils: [pupil({ dateOfBirth: '2026-11-29' })] }))).toEqual([
      'Pupil 1 (Smith, Anna) date of birth is after the date of the file',
    ])
  })

  it('asks for the sex rather than guessing it', () => {
    expect(validateCtf(file({ pupils: [pupil({ sex: null })] }))).toEqual([
      expect.stringMatching(/^Pupil 1 \(Smith, Anna\): the CTF needs the pupil's sex as F or M/),
    ])
  })

  it('checks the names', () => {
    const problems = validateCtf(file({ pupils: [pupil({ surname: '', forename: ' Anna', middleNames: 'A\u0000B' })] }))
    expect(problems).toEqual([
      'Pupil 1 (Anna) surname is missing',
      'Pupil 1 (Anna) forename starts or ends with a space',
      'Pupil 1 (Anna) middle names contains a character that cannot be sent in a CTF',
    ])
  })

  it('accepts names with apostrophes, ampersands, accents and letters outside the BMP', () => {
    const names = { surname: "O'Brien & Söhne <Ltd>", forename: 'Zoë 𠀋', preferredForename: 'Łukasz' }
    expect(validateCtf(file({ pupils: [pupil(names)] }))).toEqual([])
  })

  it('refuses a lone surrogate, which XML cannot carry', () => {
    expect(validateCtf(file({ pupils: [pupil({ forename: 'A\uD800' })] }))).toEqual([
      'Pupil 1 (Smith, A\uD800) forename contains a character that cannot be sent in a CTF',
    ])
  })

  it('checks LA codes, establishment numbers and the URN', () => {
    const problems = validateCtf(
      file({
        source: { laCode: '31', establishmentNumber: '20011', urn: '12345', schoolName: 'Riverside Primary' },
        destination: { kind: 'school', laCode: 'ABC', establishmentNumber: '12' },
      }),
    )
    expect(problems).toEqual([
      "The school's LA code must be 3 digits: 31",
      "The school's establishment number must be 4 digits: 20011",
      "The school's URN must be 6 digits: 12345",
      'The destination LA code must be 3 digits: ABC',
      'The destination establishment number must be 4 digits: 12',
      'Pupil 1 (Smith, Anna): the school history has no entry for this school (31/20011)',
    ])
  })

  it('refuses a file sent to the school itself', () => {
    const destination: CtfDestination = { kind: 'school', laCode: '317', establishmentNumber: '2001' }
    expect(validateCtf(file({ destination }))).toEqual(['The destination is the school sending the file'])
  })

  it('checks the date-time and the academic year together', () => {
    expect(validateCtf(file({ generatedAt: '2026-07-31T23:59:59', academicYear: 2026 }))).toEqual([
      'The academic year 2026 does not match the file date 2026-07-31 (academic year 2025)',
      'Pupil 1 (Smith, Anna): the leaving date is after the date of the file; a CTF is sent once the pupil has left',
    ])
    expect(validateCtf(file({ generatedAt: '2026-11-28 10:15' }))).toEqual([
      'The file date and time is not a local date-time (YYYY-MM-DDTHH:MM:SS): 2026-11-28 10:15',
    ])
  })

  it('checks codes', () => {
    const problems = validateCtf(
      file({
        pupils: [
          pupil({
            ncYearActual: '15',
            ethnicity: 'White',
            firstLanguage: 'english',
            phones: [{ type: 'Home', number: '' }],
          }),
        ],
      }),
    )
    expect(problems).toEqual([
      'Pupil 1 (Smith, Anna) NC year is not N1, N2, R, 1 to 14 or X: 15',
      'Pupil 1 (Smith, Anna) ethnicity is not a 4-letter DfE code: White',
      'Pupil 1 (Smith, Anna) first language is not a 3- or 4-letter DfE code: english',
      'Pupil 1 (Smith, Anna) phone 1 is missing',
      'Pupil 1 (Smith, Anna) phone 1 type is not a one-letter code: Home',
    ])
  })

  it.each(['N1', 'N2', 'R', '1', '14', 'X'])('accepts NC year %s', ncYearActual => {
    expect(validateCtf(file({ pupils: [pupil({ ncYearActual })] }))).toEqual([])
  })

  it('checks addresses', () => {
    const lines = ['1', '2', '3', '4', '5', '6']
    expect(validateCtf(file({ pupils: [pupil({ address: { lines, postCode: 'ig11aa' } })] }))).toEqual([
      'Pupil 1 (Smith, Anna) address has 6 lines; the CTF takes at most 5',
      'Pupil 1 (Smith, Anna) address postcode is not a UK postcode in capitals with one space: ig11aa',
    ])
    expect(validateCtf(file({ pupils: [pupil({ address: { lines: [], postCode: null } })] }))).toEqual([
      'Pupil 1 (Smith, Anna) address is empty',
    ])
  })

  it('checks contacts', () => {
    const contact = {
      title: null,
      forename: '',
      surname: '',
      relationship: null,
      parentalResponsibility: null,
      address: { lines: [''], postCode: null },
      phones: [],
      email: null,
    }
    expect(validateCtf(file({ pupils: [pupil({ contacts: [contact] })] }))).toEqual([
      'Pupil 1 (Smith, Anna) contact 1 has no name',
      'Pupil 1 (Smith, Anna) contact 1 address line 1 is missing',
    ])
  })

  it('checks FSM periods', () => {
    const fsmPeriods = [
      { startDate: '2024-01-10', endDate: null, ukCountry: 'ENG' as const },
      { startDate: '2024-01-10', endDate: '2023-12-01', ukCountry: null },
    ]
    expect(validateCtf(file({ pupils: [pupil({ fsmPeriods })] }))).toEqual([
      'Pupil 1 (Smith, Anna) FSM period 2 ends before it starts',
    ])
  })

  it("needs this school's history entry with a leaving date", () => {
    const entry = pupil().schoolHistory[0]!
    expect(validateCtf(file({ pupils: [pupil({ schoolHistory: [] })] }))).toEqual([
      'Pupil 1 (Smith, Anna): the school history has no entry for this school (317/2001)',
    ])
    expect(validateCtf(file({ pupils: [pupil({ schoolHistory: [{ ...entry, leavingDate: null }] })] }))).toEqual([
      "Pupil 1 (Smith, Anna): this school's history entry has no leaving date",
    ])
    expect(validateCtf(file({ pupils: [pupil({ schoolHistory: [{ ...entry, entryDate: '2026-12-01' }] })] }))).toEqual([
      'Pupil 1 (Smith, Anna) school history 1 leaving date is before the entry date',
    ])
  })
})
