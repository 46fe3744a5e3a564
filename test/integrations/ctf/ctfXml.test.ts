import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ctfFileName,
  ctfLeavingReason,
  validateCtf,
  type CtfDestination,
  type CtfFile,
  type CtfPupil,
} from '../../../src/domain/ctf.js'
import { dateOf } from '../../../src/domain/dates.js'
import { UPN_LETTERS, upnCheckLetter } from '../../../src/domain/upn.js'
import { buildCtfXml, parseCtfXml, type CtfParseResult } from '../../../src/integrations/ctf/ctfXml.js'

const SOURCE = { laCode: '317', establishmentNumber: '2001', urn: '123456', schoolName: 'Riverside Primary' }

function fullPupil(overrides: Partial<CtfPupil> = {}): CtfPupil {
  return {
    upn: 'B801200005001',
    formerUpn: 'X00180001701A',
    surname: "O'Brien & Söhne",
    forename: 'Zoë',
    middleNames: 'Marie-Claire <Jo>',
    preferredSurname: 'Brien',
    preferredForename: 'Zo',
    dateOfBirth: '2015-03-14',
    sex: 'F',
    ncYearActual: '6',
    ethnicity: 'WIRI',
    firstLanguage: 'ENG',
    address: { lines: ['Flat 2', '1 High Street', 'Ilford'], postCode: 'IG1 1AA' },
    phones: [
      { type: 'H', number: '020 8000 0000' },
      { type: null, number: '07700 900001' },
    ],
    contacts: [
      {
        title: 'Ms',
        forename: 'Jane',
        surname: "O'Brien",
        relationship: 'PAM',
        parentalResponsibility: true,
        address: 'same-as-pupil',
        phones: [{ type: 'M', number: '07700 900000' }],
        email: 'jane@example.org',
      },
      {
        title: null,
        forename: 'Tom',
        surname: 'Lee',
        relationship: 'PAF',
        parentalResponsibility: false,
        address: { lines: ['3 Low Road'], postCode: 'E1 6AN' },
        phones: [],
        email: null,
      },
      {
        title: null,
        forename: 'Amira',
        surname: '',
        relationship: null,
        parentalResponsibility: null,
        address: null,
        phones: [],
        email: null,
      },
    ],
    senProvision: 'K',
    fsmPeriods: [
      { startDate: '2022-01-10', endDate: '2023-07-21', ukCountry: 'ENG' },
      { startDate: '2024-02-01', endDate: null, ukCountry: null },
    ],
    schoolHistory: [
      {
        laCode: '316',
        establishmentNumber: '2100',
        schoolName: 'Hillside Infants',
        entryDate: '2019-09-04',
        leavingDate: '2022-07-22',
        leavingReason: null,
      },
      {
        laCode: '317',
        establishmentNumber: '2001',
        schoolName: 'Riverside Primary',
        entryDate: '2022-09-05',
        leavingDate: '2026-11-20',
        leavingReason: ctfLeavingReason('I'),
      },
    ],
    ...overrides,
  }
}

/** Only what the CTF core requires; everything optional is missing. */
function barePupil(): CtfPupil {
  return {
    upn: 'B801200005001',
    formerUpn: null,
    surname: 'Smith',
    forename: 'Anna',
    middleNames: null,
    preferredSurname: null,
    preferredForename: null,
    dateOfBirth: '2015-03-14',
    sex: 'M',
    ncYearActual: null,
    ethnicity: null,
    firstLanguage: null,
    address: null,
    phones: [],
    contacts: [],
    senProvision: null,
    fsmPeriods: [],
    schoolHistory: [
      {
        laCode: '317',
        establishmentNumber: '2001',
        schoolName: 'Riverside Primary',
        entryDate: null,
        leavingDate: '2026-11-20',
        leavingReason: null,
      },
    ],
  }
}

function ctfFile(destination: CtfDestination, pupils: CtfPupil[], overrides: Partial<CtfFile> = {}): CtfFile {
  return {
    version: '25.0',
    generatedAt: '2026-11-28T10:15:00',
    academicYear: 2026,
    source: SOURCE,
    destination,
    pupils,
    ...overrides,
  }
}

function parsed(result: CtfParseResult): CtfFile {
  if (!result.ok) throw new Error(`Expected a file, got problems: ${result.problems.join('; ')}`)
  return result.file
}

describe('buildCtfXml', () => {
  it('writes the declaration, the CTfile root and the header', () => {
    const xml = buildCtfXml(ctfFile({ kind: 'unknown' }, [barePupil()]))
    expect(xml.split('\n')[0]).toBe('<?xml version="1.0" encoding="utf-8"?>')
    expect(xml).toContain('<CTfile>')
    expect(xml).toContain('<DocumentName>Common Transfer File</DocumentName>')
    expect(xml).toContain('<CTFversion>25.0</CTFversion>')
    expect(xml).toContain('<DateTime>2026-11-28T10:15:00</DateTime>')
    expect(xml).toContain('<DocumentQualifier>full</DocumentQualifier>')
    expect(xml).toContain('<SupplierID>onroll</SupplierID>')
    expect(xml).toMatch(
      /<SourceSchool>\s*<LEA>317<\/LEA>\s*<Estab>2001<\/Estab>\s*<URN>123456<\/URN>\s*<SchoolName>Riverside Primary<\/SchoolName>\s*<AcademicYear>2026<\/AcademicYear>\s*<\/SourceSchool>/,
    )
    expect(xml).toMatch(/<DestSchool>\s*<LEA>XXX<\/LEA>\s*<Estab>XXXX<\/Estab>\s*<\/DestSchool>/)
  })

  it.each<[CtfDestination, string, string]>([
    [{ kind: 'outside-maintained' }, 'MMM', 'MMMM'],
    [{ kind: 'school', laCode: '820', establishmentNumber: '4001' }, '820', '4001'],
  ])('writes the destination %j', (destination, lea, estab) => {
    expect(buildCtfXml(ctfFile(destination, [barePupil()]))).toMatch(
      new RegExp(`<DestSchool>\\s*<LEA>${lea}</LEA>\\s*<Estab>${estab}</Estab>\\s*</DestSchool>`),
    )
  })

  it('writes Sex in CTF 25 and Gender in CTF 24', () => {
    const v25 = buildCtfXml(ctfFile({ kind: 'unknown' }, [barePupil()]))
    expect(v25).toContain('<Sex>M</Sex>')
    expect(v25).not.toContain('<Gender>')
    const v24 = buildCtfXml(ctfFile({ kind: 'unknown' }, [barePupil()], { version: '24.0' }))
    expect(v24).toContain('<CTFversion>24.0</CTFversion>')
    expect(v24).toContain('<Gender>M</Gender>')
    expect(v24).not.toContain('<Sex>')
  })

  it('escapes &, <, >, apostrophes and quotes, and keeps accents as they are', () => {
    const xml = buildCtfXml(ctfFile({ kind: 'unknown' }, [fullPupil({ preferredSurname: 'Say "Bri"' })]))
    expect(xml).toContain('<Surname>O&apos;Brien &amp; Söhne</Surname>')
    expect(xml).toContain('<MiddleNames>Marie-Claire &lt;Jo&gt;</MiddleNames>')
    expect(xml).toContain('<PreferredSurname>Say &quot;Bri&quot;</PreferredSurname>')
    expect(xml).toContain('<Forename>Zoë</Forename>')
  })

  it('puts the pupil details where CTF readers look for them', () => {
    const xml = buildCtfXml(ctfFile({ kind: 'unknown' }, [fullPupil()]))
    expect(xml).toMatch(/<BasicDetails>\s*<FormerUPN>X00180001701A<\/FormerUPN>/)
    expect(xml).toMatch(/<Languages>\s*<Type>\s*<LanguageType>F<\/LanguageType>\s*<Language>ENG<\/Language>/)
    expect(xml).toMatch(/<SENhistory>\s*<SEN>\s*<SENprovision>K<\/SENprovision>\s*<\/SEN>\s*<\/SENhistory>/)
    expect(xml).toMatch(/<AddressLines>\s*<AddressLine1>Flat 2<\/AddressLine1>/)
    expect(xml).toContain('<PostCode>IG1 1AA</PostCode>')
    expect(xml).toMatch(/<Phone>\s*<TelephoneType>H<\/TelephoneType>\s*<PhoneNo>020 8000 0000<\/PhoneNo>/)
    expect(xml).toMatch(/<Contact>\s*<Order>1<\/Order>\s*<Title>Ms<\/Title>/)
    expect(xml).toMatch(/<Address>\s*<AddressAsPupil>true<\/AddressAsPupil>\s*<\/Address>/)
    expect(xml).toContain('<Responsibility>false</Responsibility>')
    expect(xml).toMatch(/<FSMinstance>\s*<FSMstartDate>2022-01-10<\/FSMstartDate>/)
    expect(xml).toContain('<LeavingReason>Ground I, SI 2024/208 reg 9(1)(i)</LeavingReason>')
  })

  it('leaves out missing optional data instead of writing empty elements', () => {
    const xml = buildCtfXml(ctfFile({ kind: 'unknown' }, [barePupil()], { source: { ...SOURCE, urn: null } }))
    for (const element of ['URN', 'BasicDetails', 'Address', 'Phones', 'Contacts', 'SENhistory', 'FSMhistory']) {
      expect(xml).not.toContain(`<${element}>`)
    }
    expect(xml).not.toMatch(/<(\w+)><\/\1>|<\w+\/>/)
  })
})

describe('round trip: build then parse gives the same file', () => {
  it.each<CtfDestination>([
    { kind: 'unknown' },
    { kind: 'outside-maintained' },
    { kind: 'school', laCode: '820', establishmentNumber: '4001' },
  ])('to %j', destination => {
    const file = ctfFile(destination, [fullPupil()])
    expect(validateCtf(file)).toEqual([])
    expect(parsed(parseCtfXml(buildCtfXml(file)))).toEqual(file)
  })

  it('with several pupils to a known school, bare and full', () => {
    const file = ctfFile({ kind: 'school', laCode: '820', establishmentNumber: '4001' }, [barePupil(), fullPupil()])
    expect(parsed(parseCtfXml(buildCtfXml(file)))).toEqual(file)
  })

  it('in CTF 24', () => {
    const file = ctfFile({ kind: 'unknown' }, [fullPupil()], { version: '24.0' })
    expect(parsed(parseCtfXml(buildCtfXml(file)))).toEqual(file)
  })

  it('with a missing sex and UPN (which validateCtf would stop, but the file still reads back)', () => {
    const file = ctfFile({ kind: 'unknown' }, [{ ...barePupil(), sex: null, upn: null }], {
      source: { ...SOURCE, urn: null },
    })
    expect(parsed(parseCtfXml(buildCtfXml(file)))).toEqual(file)
  })

  it('and the file is named by the DfE convention', () => {
    const file = ctfFile({ kind: 'unknown' }, [fullPupil()])
    expect(ctfFileName(file.source, file.destination, 1)).toBe('3172001_CTF_XXXXXXX_001.xml')
  })
})

/** As another MIS might write a CTF 24 file: Gender, a BS7666 address, contacts without Order, one pupil. */
const CTF24_SAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<CTfile>
  <Header>
    <DocumentName>Common Transfer File</DocumentName>
    <CTFversion>24.0</CTFversion>
    <DateTime>2025-03-10T09:05:11</DateTime>
    <DocumentQualifier>partial</DocumentQualifier>
    <DataDescriptor>CTF</DataDescriptor>
    <SupplierID>Some MIS</SupplierID>
    <SourceSchool>
      <LEA>820</LEA>
      <Estab>4001</Estab>
      <SchoolName>Hilltop &amp; Dale Academy</SchoolName>
      <AcademicYear>2024</AcademicYear>
    </SourceSchool>
    <DestSchool>
      <LEA>317</LEA>
      <Estab>2001</Estab>
    </DestSchool>
  </Header>
  <CTFpupilData>
    <Pupil>
      <UPN>B801200005001</UPN>
      <UniqueLearnerNumber>1234567890</UniqueLearnerNumber>
      <Surname>Nowak</Surname>
      <Forename>Łucja</Forename>
      <DOB>2014-09-01</DOB>
      <Gender>F</Gender>
      <BasicDetails>
        <FormerUPN>X00180001701A</FormerUPN>
        <MiddleNames>Maria</MiddleNames>
        <NCyearActual>6</NCyearActual>
        <Ethnicity>WOTH</Ethnicity>
        <EthnicitySource>P</EthnicitySource>
        <Languages>
          <Type><LanguageType>T</LanguageType><Language>ENG</Language></Type>
          <Type><LanguageType>F</LanguageType><Language>POL</Language></Type>
        </Languages>
        <MedicalFlag>false</MedicalFlag>
        <EnrolStatus>C</EnrolStatus>
      </BasicDetails>
      <FSMhistory>
        <FSMreviewDate>2025-01-01</FSMreviewDate>
        <FSMinstance>
          <FSMstartDate>2023-04-17</FSMstartDate>
          <UKcountry>ENG</UKcountry>
        </FSMinstance>
      </FSMhistory>
      <SENhistory>
        <SEN>
          <StartDate>2024-09-04</StartDate>
          <SENprovision>E</SENprovision>
        </SEN>
      </SENhistory>
      <Address>
        <BS7666Address>
          <SAON>Flat 4</SAON>
          <PAON>12</PAON>
          <Street>Station Road</Street>
          <Locality>Seven Kings</Locality>
          <Town>Ilford</Town>
          <UniquePropertyReferenceNumber>100000000001</UniquePropertyReferenceNumber>
        </BS7666Address>
        <PostCode>IG3 8AA</PostCode>
        <Country>GBR</Country>
      </Address>
      <Phones>
        <Phone><TelephoneType>H</TelephoneType><PhoneNo>020 8000 1111</PhoneNo></Phone>
      </Phones>
      <Email>lucja@example.org</Email>
      <Contacts>
        <Contact>
          <Title>Mrs</Title>
          <Surname>Nowak</Surname>
          <Forename>Ewa</Forename>
          <Relationship>PAM</Relationship>
          <Responsibility>true</Responsibility>
          <Address><AddressAsPupil>true</AddressAsPupil></Address>
          <Phones><Phone><TelephoneType>M</TelephoneType><PhoneNo>07700 900111</PhoneNo></Phone></Phones>
        </Contact>
      </Contacts>
      <Attendance><YearData><Year>2024</Year></YearData></Attendance>
      <SchoolHistory>
        <School>
          <LEA>820</LEA>
          <Estab>4001</Estab>
          <SchoolName>Hilltop &amp; Dale Academy</SchoolName>
          <EntryDate>2021-09-01</EntryDate>
          <LeavingDate>2025-03-07</LeavingDate>
          <LeavingReason>MOV</LeavingReason>
        </School>
      </SchoolHistory>
    </Pupil>
  </CTFpupilData>
</CTfile>`

describe('parseCtfXml', () => {
  it('reads a CTF 24 file written by another system', () => {
    expect(parsed(parseCtfXml(CTF24_SAMPLE))).toEqual<CtfFile>({
      version: '24.0',
      generatedAt: '2025-03-10T09:05:11',
      academicYear: 2024,
      source: { laCode: '820', establishmentNumber: '4001', urn: null, schoolName: 'Hilltop & Dale Academy' },
      destination: { kind: 'school', laCode: '317', establishmentNumber: '2001' },
      pupils: [
        {
          upn: 'B801200005001',
          formerUpn: 'X00180001701A',
          surname: 'Nowak',
          forename: 'Łucja',
          middleNames: 'Maria',
          preferredSurname: null,
          preferredForename: null,
          dateOfBirth: '2014-09-01',
          sex: 'F',
          ncYearActual: '6',
          ethnicity: 'WOTH',
          firstLanguage: 'POL',
          address: { lines: ['Flat 4', '12 Station Road', 'Seven Kings', 'Ilford'], postCode: 'IG3 8AA' },
          phones: [{ type: 'H', number: '020 8000 1111' }],
          contacts: [
            {
              title: 'Mrs',
              forename: 'Ewa',
              surname: 'Nowak',
              relationship: 'PAM',
              parentalResponsibility: true,
              address: 'same-as-pupil',
              phones: [{ type: 'M', number: '07700 900111' }],
              email: null,
            },
          ],
          senProvision: 'E',
          fsmPeriods: [{ startDate: '2023-04-17', endDate: null, ukCountry: 'ENG' }],
          schoolHistory: [
            {
              laCode: '820',
              establishmentNumber: '4001',
              schoolName: 'Hilltop & Dale Academy',
              entryDate: '2021-09-01',
              leavingDate: '2025-03-07',
              leavingReason: 'MOV',
            },
          ],
        },
      ],
    })
  })

  it('reads CTFVersion casing, a bare version number, a Sex-less CTF 25 pupil with Gender, and legal names in BasicDetails', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<CTfile>
  <Header>
    <CTFVersion>25</CTFVersion>
    <DateTime>2025-08-12T04:26:45.123+01:00</DateTime>
    <SourceSchool><LEA>317</LEA><Estab>2001</Estab><SchoolName>Riverside</SchoolName></SourceSchool>
    <DestSchool><LEA>MMM</LEA><Estab>MMMM</Estab></DestSchool>
  </Header>
  <CTFpupilData>
    <Pupil>
      <DOB>2016-01-31</DOB>
      <Gender>m</Gender>
      <BasicDetails>
        <LegalSurname>Khan</LegalSurname>
        <LegalForename>Omar</LegalForename>
        <PreferredForename>Om</PreferredForename>
      </BasicDetails>
    </Pupil>
  </CTFpupilData>
</CTfile>`
    const file = parsed(parseCtfXml(xml))
    expect(file.version).toBe('25.0')
    expect(file.generatedAt).toBe('2025-08-12T04:26:45')
    // No AcademicYear in the file: taken from the date, which is after 1 August.
    expect(file.academicYear).toBe(2025)
    expect(file.destination).toEqual({ kind: 'outside-maintained' })
    expect(file.pupils).toEqual([
      {
        ...barePupil(),
        upn: null,
        surname: 'Khan',
        forename: 'Omar',
        preferredForename: 'Om',
        dateOfBirth: '2016-01-31',
        sex: 'M',
        schoolHistory: [],
      },
    ])
  })

  it('reads a list of pupils as well as a single one', () => {
    const one = buildCtfXml(ctfFile({ kind: 'unknown' }, [barePupil()]))
    const two = buildCtfXml(
      ctfFile({ kind: 'school', laCode: '820', establishmentNumber: '4001' }, [barePupil(), fullPupil()]),
    )
    expect(parsed(parseCtfXml(one)).pupils).toHaveLength(1)
    expect(parsed(parseCtfXml(two)).pupils).toHaveLength(2)
  })

  it('puts contacts in their Order', () => {
    const xml = CTF24_SAMPLE.replace(
      '<Contacts>',
      '<Contacts><Contact><Order>2</Order><Forename>Second</Forename></Contact><Contact><Order>1</Order><Forename>First</Forename></Contact>',
    )
    expect(parsed(parseCtfXml(xml)).pupils[0]!.contacts.map(c => c.forename)).toEqual(['First', 'Second', 'Ewa'])
  })

  it.each<[string, string, RegExp]>([
    ['an empty string', '', /not well-formed XML|root element/],
    ['text that is not XML', 'hello', /not well-formed XML/],
    ['an unclosed element', '<CTfile><Header></CTfile>', /not well-formed XML \(line 1\)/],
    ['another root element', '<ATfile><Header/></ATfile>', /^The root element is not CTfile$/],
    ['no header', '<CTfile><CTFpupilData/></CTfile>', /^The file has no Header$/],
    [
      'a DOCTYPE with entities',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><CTfile>&lol;</CTfile>',
      /DOCTYPE/,
    ],
  ])('reports %s as a problem instead of throwing', (_label, xml, message) => {
    const result = parseCtfXml(xml)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.problems.join('\n')).toMatch(message)
  })

  it('reports an unsupported version, a missing header field and a pupil without a date of birth', () => {
    const xml = CTF24_SAMPLE.replace('<CTFversion>24.0</CTFversion>', '<CTFversion>23.0</CTFversion>')
      .replace('<DestSchool>', '<DestSchoolX>')
      .replace('</DestSchool>', '</DestSchoolX>')
    expect(parseCtfXml(xml)).toEqual({
      ok: false,
      problems: [
        'CTF version 23.0 is not supported; onroll reads CTF 25 and 24',
        'The header has no destination school LEA and Estab',
      ],
    })
    expect(parseCtfXml(CTF24_SAMPLE.replace('<DOB>2014-09-01</DOB>', ''))).toEqual({
      ok: false,
      problems: ['Pupil 1 has no DOB'],
    })
  })

  it('reports a file without pupils', () => {
    const xml = buildCtfXml(ctfFile({ kind: 'unknown' }, []))
    expect(parseCtfXml(xml)).toEqual({ ok: false, problems: ['The file has no pupils'] })
  })
})

describe('property: any valid generated pupil round-trips', () => {
  // Letters from every script, including ones outside the Basic Multilingual Plane.
  const letter = fc
    .integer({ min: 0x41, max: 0x2ffff })
    .map(cp => String.fromCodePoint(cp))
    .filter(c => /^\p{L}$/u.test(c))
  const punctuation = fc.constantFrom("'", '&', '-', '<', '>', '"', '’')
  const name = fc
    .tuple(
      letter,
      fc.array(
        fc.oneof(
          letter,
          punctuation,
          letter.map(l => ` ${l}`),
        ),
        { maxLength: 12 },
      ),
    )
    .map(([first, rest]) => first + rest.join(''))
  const optionalName = fc.option(name, { nil: null })
  const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n })
  const upn = fc
    .tuple(digits(11), fc.oneof(fc.integer({ min: 0, max: 9 }).map(String), fc.constantFrom(...UPN_LETTERS)))
    .map(([d, last]) => {
      const rest = d.join('') + last
      return upnCheckLetter(rest) + rest
    })
  const date = (minYear: number, maxYear: number) =>
    fc
      .record({
        year: fc.integer({ min: minYear, max: maxYear }),
        month: fc.integer({ min: 1, max: 12 }),
        day: fc.integer({ min: 1, max: 28 }),
      })
      .map(({ year, month, day }) => dateOf(year, month, day))
  const phone = fc.record({
    type: fc.option(fc.constantFrom('H', 'M', 'W'), { nil: null }),
    number: fc.stringMatching(/^0\d{4} \d{6}$/),
  })
  const address = fc.record({
    lines: fc.array(name, { minLength: 1, maxLength: 5 }),
    postCode: fc.option(fc.constantFrom('IG1 1AA', 'E1 6AN', 'SW1A 2AA'), { nil: null }),
  })
  const contact = fc.record({
    title: fc.option(fc.constantFrom('Mr', 'Ms', 'Dr'), { nil: null }),
    forename: name,
    surname: name,
    relationship: fc.option(fc.constantFrom('PAM', 'PAF', 'CAR'), { nil: null }),
    parentalResponsibility: fc.option(fc.boolean(), { nil: null }),
    address: fc.oneof(fc.constant(null), fc.constant('same-as-pupil' as const), address),
    phones: fc.array(phone, { maxLength: 2 }),
    email: fc.option(fc.constant('parent@example.org'), { nil: null }),
  })
  const pupil = fc.record<CtfPupil>({
    upn,
    formerUpn: fc.constant(null),
    surname: name,
    forename: name,
    middleNames: optionalName,
    preferredSurname: optionalName,
    preferredForename: optionalName,
    dateOfBirth: date(2008, 2022),
    sex: fc.constantFrom('F' as const, 'M' as const),
    ncYearActual: fc.option(fc.constantFrom('N1', 'N2', 'R', '1', '7', '14', 'X'), { nil: null }),
    ethnicity: fc.option(fc.constantFrom('WBRI', 'ABAN', 'MWBC', 'REFU'), { nil: null }),
    firstLanguage: fc.option(fc.constantFrom('ENG', 'POL', 'URD', 'ENB'), { nil: null }),
    address: fc.option(address, { nil: null }),
    phones: fc.array(phone, { maxLength: 3 }),
    contacts: fc.array(contact, { maxLength: 3 }),
    senProvision: fc.option(fc.constantFrom('N' as const, 'K' as const, 'E' as const), { nil: null }),
    fsmPeriods: fc.array(
      fc.record({
        startDate: date(2020, 2022),
        endDate: fc.option(date(2023, 2025), { nil: null }),
        ukCountry: fc.option(fc.constantFrom('ENG' as const, 'WLS' as const), { nil: null }),
      }),
      { maxLength: 2 },
    ),
    schoolHistory: fc
      .record({
        schoolName: name,
        entryDate: fc.option(date(2019, 2022), { nil: null }),
        leavingDate: date(2023, 2025),
      })
      .map(({ schoolName, entryDate, leavingDate }) => [
        {
          laCode: SOURCE.laCode,
          establishmentNumber: SOURCE.establishmentNumber,
          schoolName,
          entryDate,
          leavingDate,
          leavingReason: ctfLeavingReason('I'),
        },
      ]),
  })
  const destination = fc.constantFrom<CtfDestination>(
    { kind: 'unknown' },
    { kind: 'outside-maintained' },
    { kind: 'school', laCode: '820', establishmentNumber: '4001' },
  )

  it('is valid, and build then parse gives it back', () => {
    fc.assert(
      fc.property(pupil, destination, fc.constantFrom('25.0' as const, '24.0' as const), (p, dest, version) => {
        const file = ctfFile(dest, [p], { version })
        expect(validateCtf(file)).toEqual([])
        expect(parsed(parseCtfXml(buildCtfXml(file)))).toEqual(file)
      }),
      { numRuns: 300 },
    )
  })
})
