import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addDays, anniversary, type IsoDate } from '../../src/domain/dates.js'
import {
  checkReferral,
  checkSection,
  isUkPhone,
  isUkPostcode,
  needsSocialWorkerContact,
  normalisePhone,
  normalisePostcode,
  normaliseWebAddress,
  REFERRAL_SECTIONS,
  referralSchemaFor,
  referralShape,
  safeguardingFlags,
  safeguardingPrompts,
  SAFEGUARDING_PROMPTS,
  SECTION_KEYS,
  sectionSchema,
  validateReferral,
  validateSection,
  type ChildDetails,
  type Problem,
  type Referral,
  type Sibling,
} from '../../src/domain/referral.js'
import { censusSex, ETHNICITIES, EDUCATION_STATUSES, GENDERS } from '../../src/domain/referralCodes.js'
import { exampleReferral } from '../../src/domain/referralExample.js'

// A Tuesday in the autumn term.
const today: IsoDate = '2026-11-10'
const example = exampleReferral(today)
const days = (n: number): IsoDate => addDays(today, n)

const problemsOf = (input: unknown, on: IsoDate = today): Problem[] => {
  const result = validateReferral(input, { today: on })
  return result.success ? [] : result.problems
}

/** A deep copy of `base` with one answer replaced, for inputs the types would not allow. */
function withAnswer(path: string, value: unknown, base: Referral = example): unknown {
  const copy = structuredClone(base) as unknown as Record<string, unknown>
  const keys = path.split('.')
  let node = copy
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>
  node[keys[keys.length - 1]!] = value
  return copy
}

const asPartner = (r: Referral): Referral => ({ ...r, referrer: { ...r.referrer, kind: 'partner' } })
const child = (overrides: Partial<ChildDetails>): ChildDetails => ({ ...example.child, ...overrides })
const sibling = (overrides: Partial<Sibling>): Sibling => ({
  firstName: 'Kofi',
  lastName: 'Testington',
  otherNames: [],
  dateOfBirth: anniversary(today, -8),
  gender: 'male',
  ethnicity: 'BAFR',
  ehcp: 'no',
  freeSchoolMeals: 'no',
  socialCare: { answer: 'no' },
  alsoReferred: 'no',
  ...overrides,
})
const siblings = (...list: Sibling[]): Referral['siblings'] => ({ answer: 'yes', list })
const lastAttended = (date: IsoDate): Referral['school'] => ({
  educationStatus: 'stopped-attending',
  lastSchool: { answer: 'known', name: 'Example Primary School', lastAttendance: { answer: 'date', date } },
})
const socialWorker = {
  answer: 'yes',
  cpPlan: 'no',
  childInNeed: 'no',
  lookedAfter: 'no',
  socialWorker: { answer: 'yes', name: 'Jo Worker' },
} as const

describe('code lists', () => {
  it('has the 20 DfE census main ethnicity codes, each labelled', () => {
    expect(Object.keys(ETHNICITIES)).toEqual([
      'WBRI',
      'WIRI',
      'WIRT',
      'WOTH',
      'WROM',
      'MWBC',
      'MWBA',
      'MWAS',
      'MOTH',
      'AIND',
      'APKN',
      'ABAN',
      'AOTH',
      'BCRB',
      'BAFR',
      'BOTH',
      'CHNE',
      'OOEG',
      'REFU',
      'NOBT',
    ])
    expect(ETHNICITIES.WROM.label).toBe('Gypsy / Roma')
    expect(ETHNICITIES.NOBT.label).toBe('Information not yet obtained')
  })

  it('maps genders to the census sex only where the census has a code', () => {
    expect(Object.keys(GENDERS)).toEqual(['female', 'male', 'other', 'not-known'])
    expect(censusSex('female')).toBe('F')
    expect(censusSex('male')).toBe('M')
    expect(censusSex('other')).toBeUndefined()
    expect(censusSex('not-known')).toBeUndefined()
  })

  it('labels every education status the scope check knows', () => {
    expect(Object.keys(EDUCATION_STATUSES).sort()).toEqual(
      [
        'home-educated',
        'left-destination-unknown',
        'not-on-roll',
        'on-roll-poor-attendance',
        'stopped-attending',
      ].sort(),
    )
  })
})

describe('formats', () => {
  it.each([
    ['ig11nn', 'IG1 1NN'],
    ['  sw1a   1aa ', 'SW1A 1AA'],
    ['EC1A 1BB', 'EC1A 1BB'],
    ['w1a0ax', 'W1A 0AX'],
    ['m1 1ae', 'M1 1AE'],
  ])('postcode %j -> %s', (input, expected) => {
    expect(normalisePostcode(input)).toBe(expected)
    expect(isUkPostcode(normalisePostcode(input))).toBe(true)
  })

  it.each(['IG1', 'IG1 1N', '123 456', 'QI1 1NN', 'IG1 1NNN', 'ZZ'])('refuses postcode %j', input => {
    expect(isUkPostcode(normalisePostcode(input))).toBe(false)
  })

  it.each([
    ['07700 900982', '07700900982'],
    ['+44 7700 900982', '07700900982'],
    ['+44 (0)20 7946 0000', '02079460000'],
    ['0044 20 7946 0000', '02079460000'],
    ['(020) 7946-0000', '02079460000'],
    ['0114 496 0000', '01144960000'],
    ['016977 3456', '0169773456'],
    ['0800 123 456', '0800123456'],
    ['0300 123 4567', '03001234567'],
  ])('UK phone %j -> %s', (input, expected) => {
    expect(normalisePhone(input)).toBe(expected)
    expect(isUkPhone(normalisePhone(input))).toBe(true)
  })

  it.each(['020 7946 000', '07700 9009821', '09098 790 000', '7700 900982', 'phone me', '+33 1 23 45 67 89'])(
    'refuses UK phone %j',
    input => {
      expect(isUkPhone(normalisePhone(input))).toBe(false)
    },
  )

  it.each([
    ['www.example.sch.uk', 'https://www.example.sch.uk/'],
    ['http://Example.ORG/school?id=1', 'http://example.org/school?id=1'],
    ['https://www.example.sch.uk/', 'https://www.example.sch.uk/'],
  ])('web address %j -> %s', (input, expected) => {
    expect(normaliseWebAddress(input)).toBe(expected)
  })

  it.each(['', 'not a website', 'ftp://example.org', 'localhost', 'https://user:pw@example.org', 'example'])(
    'refuses web address %j',
    input => {
      expect(normaliseWebAddress(input)).toBeUndefined()
    },
  )
})

describe('the example referral', () => {
  it('is complete and valid, and already normalised', () => {
    expect(validateReferral(example, { today })).toEqual({ success: true, data: example })
    expect(JSON.stringify(referralShape.parse(example))).toBe(JSON.stringify(example))
    expect(checkReferral(example, { today })).toEqual([])
  })

  it('stays valid on any day, including 29 February', () => {
    for (const day of ['2024-02-29', '2025-01-01', '2026-06-26', '2027-08-31', '2030-12-31']) {
      expect(problemsOf(exampleReferral(day), day)).toEqual([])
    }
  })

  it('replaces whole sections with overrides', () => {
    const r = exampleReferral(today, { professionals: { answer: 'none-known' }, siblings: { answer: 'no' } })
    expect(r.siblings).toEqual({ answer: 'no' })
    expect(r.child).toEqual(example.child)
  })
})

describe('sections', () => {
  it('lists the task list in order, each with a title and the schema the whole uses', () => {
    expect(REFERRAL_SECTIONS.map(s => s.key)).toEqual([
      'child',
      'safeguarding',
      'school',
      'siblings',
      'address',
      'destination',
      'abroad',
      'actions',
      'professionals',
      'additional',
      'referrer',
    ])
    expect(SECTION_KEYS).toEqual(Object.keys(referralShape.shape))
    for (const section of REFERRAL_SECTIONS) {
      expect(section.title).not.toBe('')
      expect(section.schema).toBe(referralShape.shape[section.key])
      expect(sectionSchema(section.key)).toBe(section.schema)
      expect(section.schema.safeParse(example[section.key]).success).toBe(true)
    }
  })

  it('validates one page on its own, with field paths from the referral root', () => {
    expect(validateSection('child', example.child, { today })).toEqual({ success: true, data: example.child })
    expect(validateSection('child', { ...example.child, firstName: '  ' }, { today })).toEqual({
      success: false,
      problems: [{ field: 'child.firstName', message: "Enter the child's first name" }],
    })
  })

  it('reports an unanswered radio question on its radios', () => {
    expect(validateSection('siblings', undefined, { today })).toEqual({
      success: false,
      problems: [{ field: 'siblings.answer', message: 'Select whether the child has any siblings' }],
    })
    expect(validateSection('siblings', { answer: 'maybe' }, { today })).toEqual({
      success: false,
      problems: [{ field: 'siblings.answer', message: 'Select whether the child has any siblings' }],
    })
    expect(problemsOf(withAnswer('address.current', undefined))).toEqual([
      { field: 'address.current.answer', message: "Select whether you know the child's current address" },
    ])
    expect(problemsOf(withAnswer('referrer.received', {}))).toEqual([
      { field: 'referrer.received.how', message: 'Select how the referral was received' },
    ])
  })

  it('names a missing section', () => {
    const { child: _child, ...rest } = example
    expect(problemsOf(rest)).toEqual([{ field: 'child', message: "Complete the 'Child's details' section" }])
  })

  it('lists every unanswered field of an empty page in page order', () => {
    const result = validateSection('child', {}, { today })
    expect(result.success ? [] : result.problems.map(p => p.field)).toEqual([
      'child.firstName',
      'child.lastName',
      'child.dateOfBirth',
      'child.gender',
      'child.ethnicity',
      'child.ehcp',
      'child.freeSchoolMeals',
      'child.socialCare.answer',
    ])
  })

  it('drops answers to questions the chosen radio hides', () => {
    const result = validateSection('siblings', { answer: 'no', list: [{ firstName: 'Stale' }] }, { today })
    expect(result).toEqual({ success: true, data: { answer: 'no' } })
  })
})

describe("'not known' is an answer, with a reason", () => {
  const partner = asPartner(example)
  const notKnown = { answer: 'not-known', reason: 'The family has not been in contact.' } as const

  it.each<[string, Referral]>([
    ['child social care', { ...example, child: child({ socialCare: notKnown }) }],
    [
      'child social worker',
      {
        ...example,
        child: child({ socialCare: { ...socialWorker, socialWorker: notKnown } }),
      },
    ],
    [
      'child gender, EHCP and free school meals',
      {
        ...example,
        child: child({ gender: 'not-known', ehcp: 'not-known', freeSchoolMeals: 'not-known', ethnicity: 'NOBT' }),
      },
    ],
    ['child without a UPN', { ...example, child: child({ upn: undefined }) }],
    ['risk of harm', { ...example, safeguarding: { ...example.safeguarding, riskOfHarm: notKnown } }],
    ['last school (partner)', { ...partner, school: { educationStatus: 'not-on-roll', lastSchool: notKnown } }],
    [
      'date of last attendance (partner)',
      {
        ...partner,
        school: {
          educationStatus: 'left-destination-unknown',
          lastSchool: { answer: 'known', name: 'A school', lastAttendance: notKnown },
        },
      },
    ],
    ['siblings', { ...example, siblings: notKnown }],
    ['no siblings', { ...example, siblings: { answer: 'no' } }],
    ['sibling date of birth', { ...example, siblings: siblings(sibling({ dateOfBirth: 'not-known' })) }],
    ['current address', { ...example, address: { ...example.address, current: notKnown } }],
    [
      'date of leaving',
      {
        ...example,
        address: {
          ...example.address,
          current: { ...example.address.current, dateLeft: notKnown },
        } as Referral['address'],
      },
    ],
    ['responsible adults', { ...example, address: { ...example.address, responsibleAdults: notKnown } }],
    ['new address and new school', { ...example, destination: { address: notKnown, school: notKnown } }],
    ['leaving the UK', { ...example, abroad: notKnown }],
    ['leaving the UK with no details', { ...example, abroad: { answer: 'yes' } }],
    [
      'no pre-referral action (partner)',
      { ...partner, actions: { answer: 'none', reason: 'We have no contact details.' } },
    ],
    ['no professionals known', { ...example, professionals: { answer: 'none-known' } }],
    ['nothing to add', { ...example, additional: { answer: 'nothing-to-add' } }],
  ])('accepts %s', (_name, referral) => {
    expect(problemsOf(referral)).toEqual([])
  })

  it.each([
    ['child.socialCare', 'Explain why it is not known whether social care is involved with the child'],
    ['safeguarding.riskOfHarm', 'Explain why it is not known whether the child is at risk of harm'],
    ['siblings', 'Explain why it is not known whether the child has siblings'],
    ['address.current', "Explain why the child's current address is not known"],
    ['address.responsibleAdults', 'Explain why the responsible adults are not known'],
    ['destination.address', 'Explain why the new address is not known'],
    ['destination.school', 'Explain why the new school is not known'],
    ['abroad', 'Explain why it is not known whether the child is leaving the UK'],
  ])('refuses %s not known without a reason', (path, message) => {
    expect(problemsOf(withAnswer(path, { answer: 'not-known', reason: '   ' }, asPartner(example)))).toEqual([
      { field: `${path}.reason`, message },
    ])
  })

  it('refuses a partner saying the last school is not known without a reason', () => {
    const input = withAnswer('school.lastSchool', { answer: 'not-known' }, asPartner(example))
    expect(problemsOf(input)).toEqual([
      { field: 'school.lastSchool.reason', message: "Explain why the child's last school is not known" },
    ])
  })

  it('refuses no pre-referral action without a reason', () => {
    expect(problemsOf(withAnswer('actions', { answer: 'none' }, asPartner(example)))).toEqual([
      { field: 'actions.reason', message: 'Explain why no action was taken before referring' },
    ])
  })

  it('refuses an empty list where a list was chosen', () => {
    expect(problemsOf(withAnswer('siblings', { answer: 'yes', list: [] }))).toEqual([
      { field: 'siblings.list', message: 'Add at least one sibling' },
    ])
    expect(problemsOf(withAnswer('address.responsibleAdults', { answer: 'known', list: [] }))).toEqual([
      { field: 'address.responsibleAdults.list', message: 'Add at least one responsible adult' },
    ])
  })
})

describe('field formats in the referral', () => {
  it('normalises postcodes, phones, emails, web addresses and UPNs', () => {
    const input = withAnswer(
      'destination',
      {
        address: { answer: 'uk', line1: '3 New Street', town: 'Leeds', postcode: ' ls1 4ap ' },
        school: {
          answer: 'known',
          name: 'Leeds Academy',
          phone: '+44 113 496 0000',
          webAddress: 'www.leeds-academy.example',
          email: ' Office@Leeds-Academy.Example ',
        },
      },
      { ...example, child: child({ upn: 'b801 2000 05001' }) },
    )
    const result = validateReferral(input, { today })
    expect(result.success).toBe(true)
    if (!result.success) return
    expect(result.data.child.upn).toBe('B801200005001')
    expect(result.data.destination).toEqual({
      address: { answer: 'uk', line1: '3 New Street', town: 'Leeds', postcode: 'LS1 4AP' },
      school: {
        answer: 'known',
        name: 'Leeds Academy',
        phone: '01134960000',
        webAddress: 'https://www.leeds-academy.example/',
        email: 'office@leeds-academy.example',
      },
    })
  })

  it('treats empty optional fields as not given', () => {
    const result = validateSection('child', { ...example.child, upn: '  ' }, { today })
    expect(result.success && result.data.upn).toBeUndefined()
  })

  it.each([
    ['address.current.postcode', 'IG1', 'Enter a UK postcode, like IG1 1NN'],
    ['address.current.postcode', '', 'Enter postcode'],
    ['referrer.phone', '020 7946 000', 'Enter a UK phone number, like 020 7946 0000 or 07700 900 982'],
    // The referrer is in the UK; a family may have a number abroad.
    ['referrer.phone', '+33 1 23 45 67 89', 'Enter a UK phone number, like 020 7946 0000 or 07700 900 982'],
    ['referrer.email', 'attendance.example.org', 'Enter an email address in the correct format, like name@example.org'],
    ['referrer.email', '', "Enter the referrer's email address"],
    ['child.dateOfBirth', '2016-02-30', 'Date of birth must be a real date'],
    ['child.dateOfBirth', '0216-02-03', 'Date of birth must be a real date'],
    ['child.dateOfBirth', '', "Enter the child's date of birth"],
    ['child.gender', 'f', "Select the child's gender"],
    ['child.ethnicity', 'WHITE', "Select the child's ethnicity"],
    [
      'child.upn',
      'B801200005002',
      'The check letter does not match the rest of the UPN: check it has been copied correctly',
    ],
    ['child.upn', 'UN1', 'UN1 is a code for an unknown UPN, not a UPN: leave the UPN empty if it is not known'],
    ['school.lastSchool.urn', '12345', 'URN must be 6 digits, like 100123'],
    ['abroad.departureDate', '2026-13-01', 'Date of departure must be a real date'],
    ['child.firstName', 'x'.repeat(101), 'First name must be 100 characters or fewer'],
  ])('%s %j: %s', (path, value, message) => {
    expect(problemsOf(withAnswer(path, value))).toEqual([{ field: path, message }])
  })

  it('accepts a family phone number abroad and names the bad one in a list', () => {
    const adults = (phones: string[]) =>
      withAnswer('address.responsibleAdults', {
        answer: 'known',
        list: [{ name: 'A', relationship: 'Father', phones }],
      })
    expect(problemsOf(adults(['+33 1 23 45 67 89', '07700 900982']))).toEqual([])
    expect(problemsOf(adults(['07700 900982', '12345']))).toEqual([
      {
        field: 'address.responsibleAdults.list.0.phones.1',
        message: 'Enter a phone number, like 020 7946 0000, 07700 900 982 or +33 1 23 45 67 89',
      },
    ])
  })

  it('refuses a web address that is not one', () => {
    const input = withAnswer('destination.school', { answer: 'known', name: 'X', webAddress: 'not a site' })
    expect(problemsOf(input)).toEqual([
      {
        field: 'destination.school.webAddress',
        message: 'Enter a web address in the correct format, like www.example.sch.uk',
      },
    ])
  })

  it('gives every UPN problem in one message', () => {
    expect(problemsOf(withAnswer('child.upn', 'B8012O00500'))).toEqual([
      {
        field: 'child.upn',
        message:
          'A UPN is 13 characters; this one has 11. Characters 2 to 12 must be digits; check character 6 (the letter O is not a zero)',
      },
    ])
  })

  it('asks for the name of an airport or port not on the list', () => {
    const abroad = { answer: 'yes', departurePlace: { port: 'other' } }
    expect(problemsOf(withAnswer('abroad', abroad))).toEqual([
      { field: 'abroad.departurePlace.name', message: 'Enter the airport or port' },
    ])
    expect(
      problemsOf(withAnswer('abroad', { answer: 'yes', departurePlace: { port: 'other', name: 'Ramsgate' } })),
    ).toEqual([])
  })
})

describe('impossible combinations', () => {
  it('refuses a date of birth today or in the future', () => {
    for (const dob of [today, days(1)]) {
      expect(problemsOf({ ...example, child: child({ dateOfBirth: dob }) })).toEqual([
        { field: 'child.dateOfBirth', message: 'Date of birth must be in the past' },
      ])
    }
  })

  it('refuses a date of last attendance in the future, and accepts today', () => {
    expect(problemsOf({ ...example, school: lastAttended(days(1)) })).toEqual([
      {
        field: 'school.lastSchool.lastAttendance.date',
        message: 'Date of last attendance must be today or in the past',
      },
    ])
    expect(problemsOf({ ...example, school: lastAttended(today), abroad: { answer: 'no' } })).toEqual([])
  })

  it('refuses a date of last attendance before the child was born', () => {
    expect(problemsOf({ ...example, school: lastAttended(example.child.dateOfBirth) })).toEqual([
      {
        field: 'school.lastSchool.lastAttendance.date',
        message: "Date of last attendance must be after the child's date of birth",
      },
    ])
  })

  it('refuses a departure before the date of last attendance, and accepts the same day', () => {
    const abroad = (departureDate: IsoDate): Referral['abroad'] => ({ answer: 'yes', departureDate })
    expect(problemsOf({ ...example, school: lastAttended(days(-5)), abroad: abroad(days(-6)) })).toEqual([
      {
        field: 'abroad.departureDate',
        message: 'The date of departure must be on or after the date of last attendance',
      },
    ])
    expect(problemsOf({ ...example, school: lastAttended(days(-5)), abroad: abroad(days(-5)) })).toEqual([])
    // A planned departure is in the future.
    expect(problemsOf({ ...example, school: lastAttended(days(-5)), abroad: abroad(days(30)) })).toEqual([])
  })

  it('refuses a departure before the child was born', () => {
    const referral = asPartner({
      ...example,
      school: { educationStatus: 'not-on-roll', lastSchool: { answer: 'not-known', reason: 'New to the area.' } },
      abroad: { answer: 'yes', departureDate: addDays(example.child.dateOfBirth, -1) },
    })
    expect(problemsOf(referral)).toEqual([
      { field: 'abroad.departureDate', message: "The date of departure must be after the child's date of birth" },
    ])
  })

  it('refuses a sibling identical to the child, whatever the case, accents or spacing', () => {
    const twin = sibling({ firstName: ' amara ', lastName: 'TESTINGTON', dateOfBirth: example.child.dateOfBirth })
    expect(problemsOf({ ...example, siblings: siblings(twin) })).toEqual([
      {
        field: 'siblings.list.0.firstName',
        message: 'A sibling cannot have the same name and date of birth as the child',
      },
    ])
    const accented = {
      ...example,
      child: child({ firstName: 'Zoë' }),
      siblings: siblings(sibling({ firstName: 'Zoe', dateOfBirth: example.child.dateOfBirth })),
    }
    expect(problemsOf(accented).map(p => p.field)).toEqual(['siblings.list.0.firstName'])
  })

  it('accepts a twin with another name', () => {
    const twin = sibling({ firstName: 'Ama', dateOfBirth: example.child.dateOfBirth })
    expect(problemsOf({ ...example, siblings: siblings(twin) })).toEqual([])
  })

  it('refuses the same sibling twice', () => {
    expect(problemsOf({ ...example, siblings: siblings(sibling({}), sibling({ firstName: 'KOFI' })) })).toEqual([
      { field: 'siblings.list.1.firstName', message: 'This sibling is already on the list: remove one of them' },
    ])
  })

  it("refuses a sibling's date of birth in the future", () => {
    expect(problemsOf({ ...example, siblings: siblings(sibling({ dateOfBirth: days(3) })) })).toEqual([
      { field: 'siblings.list.0.dateOfBirth', message: 'Date of birth must be in the past' },
    ])
  })

  it('needs a date of birth to refer a sibling too, and refuses one outside compulsory school age with the route', () => {
    expect(
      problemsOf({ ...example, siblings: siblings(sibling({ dateOfBirth: 'not-known', alsoReferred: 'yes' })) }),
    ).toEqual([
      { field: 'siblings.list.0.dateOfBirth', message: "Enter the sibling's date of birth to refer them too" },
    ])
    // Born 1 Oct 2009: compulsory school age ended on 26 June 2026.
    const older = sibling({ firstName: 'Ade', dateOfBirth: '2009-10-01', alsoReferred: 'yes' })
    expect(problemsOf({ ...example, siblings: siblings(older) })).toEqual([
      {
        field: 'siblings.list.0.alsoReferred',
        message:
          "This sibling cannot be referred too. The child is no longer of compulsory school age: it ended on 26 June 2026. Contact the council's post-16 participation team.",
      },
    ])
    // Listed as family, not referred: fine at any age.
    expect(problemsOf({ ...example, siblings: siblings({ ...older, alsoReferred: 'no' }) })).toEqual([])
  })

  it('refuses action, MARF, contact and receipt dates in the future', () => {
    const referral: Referral = {
      ...example,
      child: child({ socialCare: socialWorker }),
      actions: { answer: 'yes', list: [{ kind: 'email', date: days(1), by: 'Me', outcome: 'Sent' }] },
      safeguarding: {
        riskOfHarm: { answer: 'yes', marf: { answer: 'yes', date: days(1) } },
        forcedMarriage: { answer: 'yes', socialCareContacted: { answer: 'yes', date: days(2) } },
        missingFromHomeOrCare: 'no',
        socialWorkerContacted: { answer: 'yes', date: days(3) },
      },
      referrer: { ...example.referrer, received: { how: 'phone', on: days(1) } },
    }
    expect(problemsOf(referral)).toEqual([
      { field: 'safeguarding.riskOfHarm.marf.date', message: 'Date the MARF was made must be today or in the past' },
      {
        field: 'safeguarding.forcedMarriage.socialCareContacted.date',
        message: "Date you contacted children's social care must be today or in the past",
      },
      {
        field: 'safeguarding.socialWorkerContacted.date',
        message: 'Date you contacted the social worker must be today or in the past',
      },
      { field: 'actions.list.0.date', message: 'Date of the action must be today or in the past' },
      { field: 'referrer.received.on', message: 'Date received must be today or in the past' },
    ])
  })
})

describe('school and partner referrers', () => {
  const unknownSchool: Referral['school'] = {
    educationStatus: 'not-on-roll',
    lastSchool: { answer: 'not-known', reason: 'Police found the child in the day; no school was named.' },
  }

  it('lets a partner say what it does not know about the school', () => {
    expect(problemsOf(asPartner({ ...example, school: unknownSchool }))).toEqual([])
  })

  it('requires a school to name itself, give the date from its register and say the pupil was on roll', () => {
    expect(problemsOf({ ...example, school: unknownSchool })).toEqual([
      {
        field: 'school.educationStatus',
        message:
          'Select whether the pupil has stopped attending or has left: a school can only refer a pupil who was on its roll',
      },
      {
        field: 'school.lastSchool.answer',
        message: "Enter the school's name: a school can only refer a pupil who was on its roll",
      },
    ])
    const noDate: Referral['school'] = {
      educationStatus: 'left-destination-unknown',
      lastSchool: {
        answer: 'known',
        name: 'Example Primary School',
        lastAttendance: { answer: 'not-known', reason: 'x' },
      },
    }
    expect(problemsOf({ ...example, school: noDate })).toEqual([
      {
        field: 'school.lastSchool.lastAttendance.answer',
        message: "Enter the date of last attendance from the school's attendance register",
      },
    ])
  })

  it('accepts a pupil who never took up an allocated place', () => {
    const neverCame: Referral['school'] = {
      educationStatus: 'stopped-attending',
      lastSchool: { answer: 'known', name: 'Example Primary School', lastAttendance: { answer: 'never-attended' } },
    }
    expect(problemsOf({ ...example, school: neverCame })).toEqual([])
  })

  it('requires a school to record what it tried before referring', () => {
    const none: Referral['actions'] = { answer: 'none', reason: 'No time.' }
    expect(problemsOf({ ...example, actions: none })).toEqual([
      {
        field: 'actions.answer',
        message: 'Add the actions the school took before referring: a school must try to contact the family first',
      },
    ])
    expect(problemsOf(asPartner({ ...example, actions: none }))).toEqual([])
  })

  it('records a referral a CME officer took on the referrer’s behalf', () => {
    const referral = asPartner({
      ...example,
      referrer: { ...example.referrer, received: { how: 'letter', on: days(-1) } },
    })
    expect(problemsOf(referral)).toEqual([])
    expect(problemsOf(withAnswer('referrer.received', { how: 'phone' }))).toEqual([
      { field: 'referrer.received.on', message: 'Enter the date the referral was received' },
    ])
  })
})

describe('CME scope', () => {
  it('refuses a child past compulsory school age with the reason and where to go instead', () => {
    // Born 1 Oct 2009: compulsory school age 31 December 2014 to 26 June 2026.
    const referral = { ...example, child: child({ dateOfBirth: '2009-10-01' }) }
    expect(problemsOf(referral)).toEqual([
      {
        field: 'child.dateOfBirth',
        message:
          "The child is no longer of compulsory school age: it ended on 26 June 2026. Contact the council's post-16 participation team.",
      },
    ])
  })

  it('refuses a child not yet of compulsory school age', () => {
    // Born 1 Jan 2022: compulsory school age starts on 31 March 2027.
    const referral = { ...example, child: child({ dateOfBirth: '2022-01-01' }), siblings: { answer: 'no' } as const }
    expect(problemsOf(referral)).toEqual([
      {
        field: 'child.dateOfBirth',
        message:
          'The child is not yet of compulsory school age: it starts on 31 March 2027. Contact the school admissions team about an early years or reception place.',
      },
    ])
  })

  it.each([
    [
      'on-roll-poor-attendance',
      "The child is on a school roll and attending, though poorly. That is attendance work, not a child missing education. Contact the Education Welfare Service, who work with the child's school on attendance.",
    ],
    [
      'home-educated',
      "Elective home education has been notified for this child. That is not a child missing education. Contact the council's elective home education team, who check that the education is suitable.",
    ],
  ] as const)('refuses a child whose situation is %s on that answer', (status, message) => {
    const referral = { ...example, school: { ...example.school, educationStatus: status } }
    expect(problemsOf(referral)).toEqual([{ field: 'school.educationStatus', message }])
  })

  it('answers a child missing from home or care first, whatever the age', () => {
    const referral: Referral = {
      ...example,
      child: child({ dateOfBirth: '2009-10-01' }),
      safeguarding: { ...example.safeguarding, missingFromHomeOrCare: 'yes' },
    }
    expect(problemsOf(referral)).toEqual([
      {
        field: 'safeguarding.missingFromHomeOrCare',
        message:
          "The child is missing from home or care. That is handled under the missing from home or care procedure, not as a child missing education. Report the child missing to the police and tell the child's social worker now. If the child is looked after, also tell the virtual school head.",
      },
    ])
  })

  it('checks scope on each page as soon as that page is answered', () => {
    const tooOld = validateSection('child', { ...example.child, dateOfBirth: '2009-10-01' }, { today })
    expect(tooOld.success ? [] : tooOld.problems.map(p => p.field)).toEqual(['child.dateOfBirth'])
    const ehe = validateSection('school', { ...example.school, educationStatus: 'home-educated' }, { today })
    expect(ehe.success ? [] : ehe.problems.map(p => p.field)).toEqual(['school.educationStatus'])
    const missing = validateSection(
      'safeguarding',
      { ...example.safeguarding, missingFromHomeOrCare: 'yes' },
      { today },
    )
    expect(missing.success ? [] : missing.problems.map(p => p.field)).toEqual(['safeguarding.missingFromHomeOrCare'])
  })
})

describe('page checks use the draft', () => {
  it('applies the school-referrer rules on the school page once the referrer is known', () => {
    const school: Referral['school'] = {
      educationStatus: 'stopped-attending',
      lastSchool: { answer: 'not-known', reason: 'x' },
    }
    expect(checkSection('school', school, { today })).toEqual([])
    expect(checkSection('school', school, { today, draft: { referrer: example.referrer } }).map(p => p.field)).toEqual([
      'school.lastSchool.answer',
    ])
  })

  it("reports a problem on the page it belongs to, not on another section's page", () => {
    const twin = sibling({ firstName: 'Amara', dateOfBirth: example.child.dateOfBirth })
    const draft = { siblings: siblings(twin) }
    expect(checkSection('child', example.child, { today, draft })).toEqual([])
    expect(checkSection('siblings', siblings(twin), { today, draft: { child: example.child } })).toEqual([
      {
        field: 'siblings.list.0.firstName',
        message: 'A sibling cannot have the same name and date of birth as the child',
      },
    ])
  })

  it('does not refuse on the page for a rule whose other section is still unanswered', () => {
    expect(checkSection('abroad', { answer: 'yes', departureDate: days(-100) }, { today })).toEqual([])
  })
})

describe('safeguarding prompts and what is recorded', () => {
  it('prompts to contact the social worker for a child protection plan or an allocated social worker, and records it', () => {
    const cp: Referral = {
      ...example,
      child: child({
        socialCare: {
          answer: 'yes',
          cpPlan: 'yes',
          childInNeed: 'no',
          lookedAfter: 'no',
          socialWorker: { answer: 'no' },
        },
      }),
    }
    expect(safeguardingPrompts(cp)).toEqual(['socialWorker'])
    expect(problemsOf(cp)).toEqual([
      {
        field: 'safeguarding.socialWorkerContacted.answer',
        message: 'Select whether you have contacted the social worker',
      },
    ])
    const contacted = {
      ...cp,
      safeguarding: { ...cp.safeguarding, socialWorkerContacted: { answer: 'yes', date: today } },
    } as const
    expect(problemsOf(contacted)).toEqual([])
    const notContacted = {
      ...cp,
      safeguarding: { ...cp.safeguarding, socialWorkerContacted: { answer: 'no', reason: 'Out of hours' } },
    } as const
    expect(problemsOf(notContacted)).toEqual([])
    expect(problemsOf(withAnswer('safeguarding.socialWorkerContacted', { answer: 'no', reason: '' }, cp))).toEqual([
      {
        field: 'safeguarding.socialWorkerContacted.reason',
        message: 'Explain why you have not contacted the social worker',
      },
    ])
  })

  it("prompts for a sibling's social worker too: the family's social worker leads", () => {
    const withWorker = { ...example, siblings: siblings(sibling({ socialCare: socialWorker })) }
    expect(needsSocialWorkerContact(withWorker)).toBe(true)
    expect(problemsOf(withWorker).map(p => p.field)).toEqual(['safeguarding.socialWorkerContacted.answer'])
    expect(needsSocialWorkerContact(example)).toBe(false)
  })

  it('shows the MARF route for a risk of harm and records whether it was made', () => {
    const risk = (marf: unknown) => withAnswer('safeguarding.riskOfHarm', { answer: 'yes', marf })
    expect(problemsOf(risk(undefined))).toEqual([
      {
        field: 'safeguarding.riskOfHarm.marf.answer',
        message: 'Select whether a child protection referral (MARF) has been made',
      },
    ])
    expect(problemsOf(risk({ answer: 'yes', date: today, reference: 'MASH-123' }))).toEqual([])
    expect(problemsOf(risk({ answer: 'yes', date: today }))).toEqual([])
    expect(problemsOf(risk({ answer: 'no' }))).toEqual([
      { field: 'safeguarding.riskOfHarm.marf.reason', message: 'Explain why a MARF has not been made' },
    ])
    const result = validateReferral(risk({ answer: 'yes', date: today }), { today })
    expect(result.success && safeguardingPrompts(result.data)).toEqual(['marf'])
    expect(SAFEGUARDING_PROMPTS.marf).toContain('multi-agency referral form (MARF)')
  })

  it('tells the referrer to contact social care about a forced-marriage concern and records it', () => {
    const input = withAnswer('safeguarding.forcedMarriage', { answer: 'yes' })
    expect(problemsOf(input)).toEqual([
      {
        field: 'safeguarding.forcedMarriage.socialCareContacted.answer',
        message: "Select whether you have contacted children's social care",
      },
    ])
    const referral: Referral = {
      ...example,
      safeguarding: {
        ...example.safeguarding,
        forcedMarriage: { answer: 'yes', socialCareContacted: { answer: 'yes', date: today } },
      },
    }
    expect(problemsOf(referral)).toEqual([])
    expect(safeguardingPrompts(referral)).toEqual(['forcedMarriage'])
    expect(SAFEGUARDING_PROMPTS.forcedMarriage).toMatch(/^Contact children's social care immediately/)
  })

  it('prompts nothing when nothing calls for it', () => {
    expect(safeguardingPrompts(example)).toEqual([])
    expect(safeguardingPrompts({})).toEqual([])
  })
})

describe('safeguardingFlags', () => {
  const none = {
    cpPlan: false,
    lookedAfter: false,
    childInNeed: false,
    socialWorker: false,
    familySocialCare: false,
    riskOfHarm: false,
    forcedMarriage: false,
    believedAbroadNoDestination: false,
    veryYoung: false,
    ehcp: false,
    socialWorkerContacted: false,
    marfMade: false,
  }
  const quiet: Referral = { ...example, abroad: { answer: 'no' } }

  it('raises nothing for a referral with no concerns', () => {
    expect(safeguardingFlags(quiet, { today })).toEqual(none)
  })

  it('raises each flag from its answer', () => {
    const referral: Referral = {
      ...example,
      child: child({
        ehcp: 'yes',
        socialCare: {
          answer: 'yes',
          cpPlan: 'yes',
          childInNeed: 'yes',
          lookedAfter: 'yes',
          socialWorker: { answer: 'yes', name: 'Jo Worker' },
        },
      }),
      siblings: siblings(sibling({ socialCare: { ...socialWorker, childInNeed: 'yes' } })),
      safeguarding: {
        riskOfHarm: { answer: 'yes', marf: { answer: 'yes', date: today } },
        forcedMarriage: { answer: 'yes', socialCareContacted: { answer: 'yes', date: today } },
        missingFromHomeOrCare: 'no',
        socialWorkerContacted: { answer: 'yes', date: today },
      },
    }
    expect(problemsOf(referral)).toEqual([])
    expect(safeguardingFlags(referral, { today })).toEqual({
      cpPlan: true,
      lookedAfter: true,
      childInNeed: true,
      socialWorker: true,
      familySocialCare: true,
      riskOfHarm: true,
      forcedMarriage: true,
      believedAbroadNoDestination: true,
      veryYoung: false,
      ehcp: true,
      socialWorkerContacted: true,
      marfMade: true,
    })
  })

  it('counts a child under 7 as very young', () => {
    const at = (dateOfBirth: IsoDate) =>
      safeguardingFlags({ ...quiet, child: child({ dateOfBirth }) }, { today }).veryYoung
    expect(at(addDays(anniversary(today, -7), 1))).toBe(true)
    expect(at(anniversary(today, -7))).toBe(false)
  })

  it('counts a child believed abroad as having a destination only when an address or school is known', () => {
    const flag = (destination: Referral['destination']) =>
      safeguardingFlags({ ...example, destination }, { today }).believedAbroadNoDestination
    const unknown = { answer: 'not-known', reason: 'x' } as const
    expect(flag({ address: unknown, school: unknown })).toBe(true)
    expect(flag({ address: { answer: 'abroad', country: 'Ghana' }, school: unknown })).toBe(true)
    expect(
      flag({ address: { answer: 'abroad', address: '4 Ring Road, Accra', country: 'Ghana' }, school: unknown }),
    ).toBe(false)
    expect(flag({ address: unknown, school: { answer: 'known', name: 'Accra Academy' } })).toBe(false)
    expect(
      safeguardingFlags({ ...example, abroad: { answer: 'not-known', reason: 'x' } }, { today })
        .believedAbroadNoDestination,
    ).toBe(false)
  })
})

describe('referralSchemaFor', () => {
  it('accepts a valid referral and refuses with the rule problems as zod issues', () => {
    const schema = referralSchemaFor({ today })
    expect(schema.safeParse(example).success).toBe(true)
    const result = schema.safeParse({ ...example, siblings: siblings(sibling({}), sibling({})) })
    expect(result.error?.issues.map(i => ({ path: i.path, message: i.message }))).toEqual([
      {
        path: ['siblings', 'list', 1, 'firstName'],
        message: 'This sibling is already on the list: remove one of them',
      },
    ])
  })

  it('depends on the day it is built for', () => {
    const attendedTomorrow = { ...example, school: lastAttended(days(1)), abroad: { answer: 'no' } }
    expect(referralSchemaFor({ today }).safeParse(attendedTomorrow).success).toBe(false)
    expect(referralSchemaFor({ today: days(1) }).safeParse(attendedTomorrow).success).toBe(true)
  })
})

describe('problems', () => {
  it('come in task-list order', () => {
    const referral: Referral = {
      ...example,
      referrer: { ...example.referrer, received: { how: 'email', on: days(1) } },
      child: child({ dateOfBirth: days(1) }),
      school: lastAttended(days(2)),
    }
    expect(problemsOf(referral).map(p => p.field)).toEqual([
      'child.dateOfBirth',
      'school.lastSchool.lastAttendance.date',
      'referrer.received.on',
    ])
  })
})

// ---------------------------------------------------------------------------------------------
// Property: any valid referral survives JSON and re-validation unchanged.
// ---------------------------------------------------------------------------------------------

const nameArb = fc.stringMatching(/^[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ' -]{0,19}$/)
const textArb = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter(s => s.trim() !== '')
const spaced = (value: string) => fc.constantFrom(value, ` ${value} `, `${value}  `)
const postcodeArb = fc.constantFrom('IG1 1NN', 'ig11nn', ' sw1a 1aa ', 'M1 1AE', 'b33 8th', 'EC1A1BB')
const ukPhoneArb = fc.constantFrom(
  '07700 900982',
  '+44 7700 900982',
  '(020) 7946 0000',
  '+44 (0)20 7946 0000',
  '0114 496 0000',
)
const anyPhoneArb = fc.oneof(ukPhoneArb, fc.constantFrom('+33 1 23 45 67 89', '+1 202 555 0143'))
const emailArb = fc.constantFrom('a@example.org', ' Grace.T@Example.COM ', 'office@school.sch.uk')
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })
const dateBack = (from: IsoDate, maxDays: number) => fc.integer({ min: 0, max: maxDays }).map(n => addDays(from, -n))
const notKnownArb = textArb.map(reason => ({ answer: 'not-known' as const, reason }))
const ynk = fc.constantFrom('yes', 'no', 'not-known')

const socialCareArb = fc.oneof(
  fc.constant({ answer: 'no' }),
  notKnownArb,
  fc.record({
    answer: fc.constant('yes'),
    cpPlan: ynk,
    childInNeed: ynk,
    lookedAfter: ynk,
    socialWorker: fc.oneof(
      fc.constant({ answer: 'no' }),
      notKnownArb,
      fc.record({ answer: fc.constant('yes'), name: nameArb, phone: optional(ukPhoneArb), email: optional(emailArb) }),
    ),
  }),
)

// Ages 6 to 14: of compulsory school age on any day.
const inScopeDob = fc.integer({ min: 1, max: 8 * 365 }).map(n => addDays(anniversary(today, -15), n))

const personArb = {
  lastName: nameArb,
  otherNames: fc.array(nameArb, { maxLength: 2 }),
  gender: fc.constantFrom('female', 'male', 'other', 'not-known'),
  ethnicity: fc.constantFrom(...(Object.keys(ETHNICITIES) as (keyof typeof ETHNICITIES)[])),
  upn: fc.constantFrom(undefined, '', 'B801200005001', 'x0018 0001 701a'),
  ehcp: ynk,
  freeSchoolMeals: ynk,
  socialCare: socialCareArb,
}

// Sibling first names end in a digit, which no child's name has, so none is the child or another sibling.
const siblingArb = (i: number) =>
  fc.oneof(
    fc.record({
      ...personArb,
      firstName: nameArb.map(n => `${n}${i}`),
      dateOfBirth: inScopeDob,
      alsoReferred: fc.constantFrom('yes', 'no'),
    }),
    fc.record({
      ...personArb,
      firstName: nameArb.map(n => `${n}${i}`),
      dateOfBirth: fc.constant('not-known'),
      alsoReferred: fc.constant('no'),
    }),
  )

const siblingsArb = fc.oneof(
  fc.constant({ answer: 'no' }),
  notKnownArb,
  fc
    .integer({ min: 1, max: 3 })
    .chain(n => fc.tuple(...Array.from({ length: n }, (_, i) => siblingArb(i))).map(list => ({ answer: 'yes', list }))),
)

const ukAddressArb = fc.record({ line1: textArb, line2: optional(textArb), town: nameArb, postcode: postcodeArb })

const referralInputArb = fc
  .record({
    referrerKind: fc.constantFrom('school', 'partner'),
    dateOfBirth: inScopeDob,
    lastAttendance: dateBack(today, 200),
    departureAfter: fc.integer({ min: 0, max: 400 }),
  })
  .chain(({ referrerKind, dateOfBirth, lastAttendance, departureAfter }) => {
    const school = referrerKind === 'school'
    const childArb = fc.record({ ...personArb, firstName: spaced('Amara'), dateOfBirth: fc.constant(dateOfBirth) })
    const lastAttendanceArb = school
      ? fc.oneof(fc.constant({ answer: 'date', date: lastAttendance }), fc.constant({ answer: 'never-attended' }))
      : fc.oneof(
          fc.constant({ answer: 'date', date: lastAttendance }),
          fc.constant({ answer: 'never-attended' }),
          notKnownArb,
        )
    const schoolArb = fc.record({
      educationStatus: school
        ? fc.constantFrom('stopped-attending', 'left-destination-unknown')
        : fc.constantFrom('stopped-attending', 'left-destination-unknown', 'not-on-roll'),
      lastSchool: school
        ? fc.record({
            answer: fc.constant('known'),
            name: textArb,
            urn: fc.constantFrom(undefined, '', '100123'),
            lastAttendance: lastAttendanceArb,
          })
        : fc.oneof(
            notKnownArb,
            fc.record({ answer: fc.constant('known'), name: textArb, lastAttendance: lastAttendanceArb }),
          ),
    })
    const actionArb = fc.record({
      kind: fc.constantFrom('phone', 'letter', 'home-visit', 'email', 'other'),
      date: dateBack(today, 300),
      by: textArb,
      outcome: textArb,
    })
    const actionsArb = school
      ? fc.array(actionArb, { minLength: 1, maxLength: 4 }).map(list => ({ answer: 'yes', list }))
      : fc.oneof(
          fc.array(actionArb, { minLength: 1, maxLength: 4 }).map(list => ({ answer: 'yes', list })),
          textArb.map(reason => ({ answer: 'none', reason })),
        )
    const contactedArb = fc.oneof(
      dateBack(today, 30).map(date => ({ answer: 'yes', date })),
      textArb.map(reason => ({ answer: 'no', reason })),
    )
    return fc.record({
      child: childArb,
      safeguarding: fc.record({
        riskOfHarm: fc.oneof(
          fc.constant({ answer: 'no' }),
          notKnownArb,
          fc.record({
            answer: fc.constant('yes'),
            marf: fc.oneof(
              fc.record({ answer: fc.constant('yes'), date: dateBack(today, 30), reference: optional(textArb) }),
              textArb.map(reason => ({ answer: 'no', reason })),
            ),
          }),
        ),
        forcedMarriage: fc.oneof(
          fc.constant({ answer: 'no' }),
          fc.record({ answer: fc.constant('yes'), socialCareContacted: contactedArb }),
        ),
        missingFromHomeOrCare: fc.constant('no'),
        // Always answered: harmless when not asked, and needed when a social worker is involved.
        socialWorkerContacted: contactedArb,
      }),
      school: schoolArb,
      siblings: siblingsArb,
      address: fc.record({
        current: fc.oneof(
          notKnownArb,
          ukAddressArb.chain(a =>
            fc
              .oneof(
                fc.constant({ answer: 'not-left' }),
                notKnownArb,
                fc.integer({ min: -100, max: 100 }).map(n => ({ answer: 'date', date: addDays(today, n) })),
              )
              .map(dateLeft => ({ answer: 'known', ...a, dateLeft })),
          ),
        ),
        responsibleAdults: fc.oneof(
          notKnownArb,
          fc
            .array(
              fc.record({
                name: nameArb,
                relationship: textArb,
                phones: fc.array(anyPhoneArb, { maxLength: 2 }),
                email: optional(emailArb),
              }),
              { minLength: 1, maxLength: 3 },
            )
            .map(list => ({ answer: 'known', list })),
        ),
      }),
      destination: fc.record({
        address: fc.oneof(
          notKnownArb,
          ukAddressArb.map(a => ({ answer: 'uk', ...a })),
          fc.record({ answer: fc.constant('abroad'), address: optional(textArb), country: nameArb }),
        ),
        school: fc.oneof(
          notKnownArb,
          fc.record({
            answer: fc.constant('known'),
            name: textArb,
            phone: optional(anyPhoneArb),
            webAddress: fc.constantFrom(undefined, 'www.example.sch.uk', 'https://school.example.org/about'),
            email: optional(emailArb),
          }),
        ),
      }),
      abroad: fc.oneof(
        fc.constant({ answer: 'no' }),
        notKnownArb,
        fc.record({
          answer: fc.constant('yes'),
          departureDate: fc.constant(addDays(lastAttendance, departureAfter)),
          accompanyingAdult: optional(nameArb),
          departurePlace: fc.oneof(
            fc.constant(undefined),
            fc.constantFrom({ port: 'LHR' }, { port: 'dover' }, { port: 'other', name: 'Ramsgate' }),
          ),
          travelReference: optional(fc.constantFrom('BA 123', 'Pride of Kent')),
          destinationCountry: optional(nameArb),
        }),
      ),
      actions: actionsArb,
      professionals: fc.oneof(
        fc.constant({ answer: 'none-known' }),
        fc
          .array(fc.record({ kind: fc.constantFrom('police', 'camhs', 'other'), details: textArb }), {
            minLength: 1,
            maxLength: 3,
          })
          .map(list => ({ answer: 'yes', list })),
      ),
      additional: fc.oneof(
        fc.constant({ answer: 'nothing-to-add' }),
        textArb.map(details => ({ answer: 'yes', details })),
      ),
      referrer: fc.record({
        kind: fc.constant(referrerKind),
        name: nameArb,
        organisation: textArb,
        role: textArb,
        email: emailArb,
        phone: ukPhoneArb,
        address: ukAddressArb,
        received: fc.oneof(
          fc.constant({ how: 'online' }),
          fc.record({ how: fc.constantFrom('phone', 'email', 'letter', 'in-person'), on: dateBack(today, 10) }),
        ),
      }),
    })
  })

describe('property: a valid referral round-trips', () => {
  it('is accepted, survives JSON unchanged, and re-validates to itself', () => {
    fc.assert(
      fc.property(referralInputArb, input => {
        const first = validateReferral(input, { today })
        expect(first.success ? [] : first.problems).toEqual([])
        if (!first.success) return
        const json = JSON.stringify(first.data)
        const copy: unknown = JSON.parse(json)
        expect(copy).toEqual(first.data)
        const again = validateReferral(copy, { today })
        expect(again.success && JSON.stringify(again.data)).toBe(json)
        expect(again.success && safeguardingFlags(again.data, { today })).toEqual(
          safeguardingFlags(first.data, { today }),
        )
      }),
      { numRuns: 300 },
    )
  })
})
