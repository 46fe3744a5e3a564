import XMLBuilder from 'fast-xml-builder'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { isIsoDate } from '../../domain/dates.js'
import {
  CTF_SEN_PROVISIONS,
  MAX_ADDRESS_LINES,
  UK_COUNTRIES,
  ctfAcademicYear,
  destinationCodes,
  destinationFromCodes,
  isCtfVersion,
  usesSexElement,
  type CtfAddress,
  type CtfContact,
  type CtfFile,
  type CtfFsmPeriod,
  type CtfPhone,
  type CtfPupil,
  type CtfSchoolHistoryEntry,
  type CtfSenProvision,
  type CtfSex,
  type CtfVersion,
  type UkCountry,
} from '../../domain/ctf.js'

/**
 * Writes and reads Common Transfer Files (XML). Element names and their order follow the public
 * CTF-producing and CTF-reading code listed in docs/ctf.md; the rules live in src/domain/ctf.ts.
 */

/**
 * An element's content for the builder: text, a nested element, a list of same-named siblings,
 * or undefined to leave the element out. Object key order is element order in the file.
 */
type XmlNode = string | XmlElement | XmlElement[] | string[] | undefined
interface XmlElement {
  [name: string]: XmlNode
}

// Attributes are on only for the XML declaration's version and encoding; CTF elements have none.
const builder = new XMLBuilder({ ignoreAttributes: false, format: true, indentBy: '  ' })

/** Missing optional data is left out of the file rather than written as an empty element. */
const opt = (value: string | null): string | undefined => (value === null || value === '' ? undefined : value)
const nonEmpty = <T>(items: T[]): T[] | undefined => (items.length === 0 ? undefined : items)
/** A container whose children are all missing is left out too. */
const compact = (element: XmlElement): XmlElement | undefined =>
  Object.values(element).some(v => v !== undefined) ? element : undefined

function addressElement(address: CtfAddress): XmlElement {
  const lines: XmlElement = {}
  // The CTF has no sixth line; validateCtf reports a longer address before the file is built.
  address.lines.slice(0, MAX_ADDRESS_LINES).forEach((line, i) => {
    lines[`AddressLine${i + 1}`] = line
  })
  return {
    AddressLines: address.lines.length === 0 ? undefined : lines,
    PostCode: opt(address.postCode),
  }
}

function phonesElement(phones: CtfPhone[]): XmlElement | undefined {
  const list = nonEmpty(phones.map(p => ({ TelephoneType: opt(p.type), PhoneNo: p.number })))
  return list === undefined ? undefined : { Phone: list }
}

function contactElement(contact: CtfContact, index: number): XmlElement {
  return {
    Order: String(index + 1),
    Title: opt(contact.title),
    Surname: opt(contact.surname),
    Forename: opt(contact.forename),
    Relationship: opt(contact.relationship),
    Responsibility: contact.parentalResponsibility === null ? undefined : String(contact.parentalResponsibility),
    Address:
      contact.address === 'same-as-pupil'
        ? { AddressAsPupil: 'true' }
        : contact.address === null
          ? undefined
          : compact(addressElement(contact.address)),
    Phones: phonesElement(contact.phones),
    Email: opt(contact.email),
  }
}

function schoolElement(entry: CtfSchoolHistoryEntry): XmlElement {
  return {
    LEA: entry.laCode,
    Estab: entry.establishmentNumber,
    SchoolName: entry.schoolName,
    EntryDate: opt(entry.entryDate),
    LeavingDate: opt(entry.leavingDate),
    LeavingReason: opt(entry.leavingReason),
  }
}

function fsmElement(period: CtfFsmPeriod): XmlElement {
  return {
    FSMstartDate: period.startDate,
    FSMendDate: opt(period.endDate),
    UKcountry: opt(period.ukCountry),
  }
}

function pupilElement(pupil: CtfPupil, version: CtfVersion): XmlElement {
  const sex = opt(pupil.sex)
  const contacts = nonEmpty(pupil.contacts.map(contactElement))
  const fsm = nonEmpty(pupil.fsmPeriods.map(fsmElement))
  const schools = nonEmpty(pupil.schoolHistory.map(schoolElement))
  return {
    UPN: opt(pupil.upn),
    Surname: pupil.surname,
    Forename: pupil.forename,
    DOB: pupil.dateOfBirth,
    // CTF 25 renamed the element; the codes (F, M) did not change.
    ...(usesSexElement(version) ? { Sex: sex } : { Gender: sex }),
    BasicDetails: compact({
      FormerUPN: opt(pupil.formerUpn),
      PreferredSurname: opt(pupil.preferredSurname),
      PreferredForename: opt(pupil.preferredForename),
      MiddleNames: opt(pupil.middleNames),
      NCyearActual: opt(pupil.ncYearActual),
      Ethnicity: opt(pupil.ethnicity),
      Languages:
        pupil.firstLanguage === null ? undefined : { Type: [{ LanguageType: 'F', Language: pupil.firstLanguage }] },
    }),
    FSMhistory: fsm === undefined ? undefined : { FSMinstance: fsm },
    SENhistory: pupil.senProvision === null ? undefined : { SEN: [{ SENprovision: pupil.senProvision }] },
    Address: pupil.address === null ? undefined : compact(addressElement(pupil.address)),
    Phones: phonesElement(pupil.phones),
    Contacts: contacts === undefined ? undefined : { Contact: contacts },
    SchoolHistory: schools === undefined ? undefined : { School: schools },
  }
}

/**
 * The CTF XML for a file. It does not validate: call validateCtf first, because a file with
 * problems should be fixed by a person, not silently repaired here.
 */
export function buildCtfXml(file: CtfFile): string {
  const dest = destinationCodes(file.destination)
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' },
    CTfile: {
      Header: {
        DocumentName: 'Common Transfer File',
        CTFversion: file.version,
        DateTime: file.generatedAt,
        DocumentQualifier: 'full',
        SupplierID: 'onroll',
        SourceSchool: {
          LEA: file.source.laCode,
          Estab: file.source.establishmentNumber,
          URN: opt(file.source.urn),
          SchoolName: file.source.schoolName,
          AcademicYear: String(file.academicYear),
        },
        DestSchool: { LEA: dest.lea, Estab: dest.estab },
      },
      CTFpupilData: { Pupil: file.pupils.map(p => pupilElement(p, file.version)) },
    },
  }
  return builder.build(document)
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Elements that may repeat; listing them keeps a single occurrence from being read as an object. */
const REPEATED = new Set(['Pupil', 'Contact', 'Phone', 'School', 'FSMinstance', 'Type', 'SEN'])

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Everything stays text: UPNs, codes and years like 0012 or 08 must not become numbers.
  parseTagValue: false,
  trimValues: true,
  isArray: (tagName: string) => REPEATED.has(tagName),
})

type Node = Record<string, unknown>

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value)

function child(node: Node | undefined, name: string): Node | undefined {
  const value = node?.[name]
  if (Array.isArray(value)) {
    const first: unknown = value[0]
    return isNode(first) ? first : undefined
  }
  return isNode(value) ? value : undefined
}

function children(node: Node | undefined, name: string): Node[] {
  const value = node?.[name]
  const list: unknown[] = Array.isArray(value) ? value : value === undefined ? [] : [value]
  return list.filter(isNode)
}

/** Text of a child element; an empty or missing element is null. */
function text(node: Node | undefined, name: string): string | null {
  let value = node?.[name]
  if (Array.isArray(value)) value = value[0]
  if (isNode(value)) value = value['#text']
  if (typeof value !== 'string') return null
  return value === '' ? null : value
}

/** The first of several element names that has text; for fields whose place or name varies between versions. */
function firstText(candidates: [Node | undefined, string][]): string | null {
  for (const [node, name] of candidates) {
    const value = text(node, name)
    if (value !== null) return value
  }
  return null
}

function sexFrom(value: string | null): CtfSex | null {
  const v = value?.toUpperCase()
  return v === 'F' || v === 'M' ? v : null
}

function dateFrom(value: string | null): string | null {
  if (value === null) return null
  // Some writers add a time to date-only elements; the date part is what the CTF means.
  const date = value.slice(0, 10)
  return isIsoDate(date) ? date : value
}

function addressFrom(node: Node | undefined): CtfAddress | null {
  if (node === undefined) return null
  const linesNode = child(node, 'AddressLines')
  let lines: string[] = []
  if (linesNode !== undefined) {
    lines = Array.from({ length: MAX_ADDRESS_LINES }, (_, i) => text(linesNode, `AddressLine${i + 1}`)).filter(
      (line): line is string => line !== null,
    )
  } else {
    // A BS7666 address is turned into lines, because onroll keeps addresses as lines.
    const bs = child(node, 'BS7666Address')
    if (bs !== undefined) {
      const paon = text(bs, 'PAON')
      const street = text(bs, 'Street')
      const numberAndStreet = [paon, street].filter(p => p !== null).join(' ')
      lines = [text(bs, 'SAON'), numberAndStreet, text(bs, 'Locality'), text(bs, 'Town'), text(bs, 'PostTown')]
        .filter((line): line is string => line !== null && line !== '')
        .slice(0, MAX_ADDRESS_LINES)
    }
  }
  const postCode = firstText([
    [node, 'PostCode'],
    [node, 'Postcode'],
  ])
  if (lines.length === 0 && postCode === null) return null
  return { lines, postCode }
}

function phonesFrom(node: Node | undefined): CtfPhone[] {
  return children(child(node, 'Phones'), 'Phone').flatMap(phone => {
    const number = firstText([
      [phone, 'PhoneNo'],
      [phone, 'TelephoneNo'],
    ])
    return number === null ? [] : [{ type: text(phone, 'TelephoneType'), number }]
  })
}

function booleanFrom(value: string | null): boolean | null {
  if (value === null) return null
  const v = value.toLowerCase()
  if (v === 'true' || v === '1') return true
  if (v === 'false' || v === '0') return false
  return null
}

function contactsFrom(pupil: Node): CtfContact[] {
  const contacts = children(child(pupil, 'Contacts'), 'Contact').map((node, i) => {
    const addressNode = child(node, 'Address')
    const asPupil = booleanFrom(text(addressNode, 'AddressAsPupil')) === true
    const order = Number(text(node, 'Order'))
    const contact: CtfContact = {
      title: text(node, 'Title'),
      forename: text(node, 'Forename') ?? '',
      surname: text(node, 'Surname') ?? '',
      relationship: text(node, 'Relationship'),
      parentalResponsibility: booleanFrom(text(node, 'Responsibility')),
      address: asPupil ? 'same-as-pupil' : addressFrom(addressNode),
      phones: phonesFrom(node),
      email: text(node, 'Email'),
    }
    // Contacts without an Order keep their place in the file, after the numbered ones.
    return { contact, order: Number.isFinite(order) && order > 0 ? order : Number.MAX_SAFE_INTEGER, i }
  })
  return contacts.sort((a, b) => a.order - b.order || a.i - b.i).map(c => c.contact)
}

function senFrom(pupil: Node): CtfSenProvision | null {
  const history = child(pupil, 'SENhistory')
  // The latest SEN record is the one in force; older files may also carry SENprovision directly.
  const records = children(history, 'SEN')
  const provision = firstText([
    [records[records.length - 1], 'SENprovision'],
    [history, 'SENprovision'],
    [pupil, 'SENprovision'],
  ])
  return (CTF_SEN_PROVISIONS as readonly string[]).includes(provision ?? '') ? (provision as CtfSenProvision) : null
}

function fsmFrom(pupil: Node): CtfFsmPeriod[] {
  return children(child(pupil, 'FSMhistory'), 'FSMinstance').flatMap(node => {
    const startDate = dateFrom(text(node, 'FSMstartDate'))
    if (startDate === null) return []
    const country = text(node, 'UKcountry')
    const ukCountry = (UK_COUNTRIES as readonly string[]).includes(country ?? '') ? (country as UkCountry) : null
    return [{ startDate, endDate: dateFrom(text(node, 'FSMendDate')), ukCountry }]
  })
}

function schoolHistoryFrom(pupil: Node): CtfSchoolHistoryEntry[] {
  return children(child(pupil, 'SchoolHistory'), 'School').map(node => ({
    laCode: text(node, 'LEA') ?? '',
    establishmentNumber: text(node, 'Estab') ?? '',
    schoolName: text(node, 'SchoolName') ?? '',
    entryDate: dateFrom(text(node, 'EntryDate')),
    leavingDate: dateFrom(text(node, 'LeavingDate')),
    leavingReason: text(node, 'LeavingReason'),
  }))
}

function firstLanguageFrom(pupil: Node, basic: Node | undefined): string | null {
  const types = children(child(basic, 'Languages'), 'Type')
  const first = types.find(t => text(t, 'LanguageType')?.toUpperCase() === 'F')
  return firstText([
    [first, 'Language'],
    [basic, 'FirstLanguage'],
    [pupil, 'FirstLanguage'],
  ])
}

function pupilFrom(node: Node, index: number, version: CtfVersion, problems: string[]): CtfPupil | null {
  const basic = child(node, 'BasicDetails')
  const label = `Pupil ${index + 1}`
  // Older and newer files differ in where some names sit and what they are called.
  const surname = firstText([
    [node, 'Surname'],
    [basic, 'LegalSurname'],
    [node, 'LegalSurname'],
  ])
  const forename = firstText([
    [node, 'Forename'],
    [basic, 'LegalForename'],
    [node, 'LegalForename'],
  ])
  const dateOfBirth = dateFrom(text(node, 'DOB'))
  const missing = [
    surname === null ? 'Surname' : null,
    forename === null ? 'Forename' : null,
    dateOfBirth === null ? 'DOB' : null,
  ].filter(m => m !== null)
  if (surname === null || forename === null || dateOfBirth === null) {
    problems.push(`${label} has no ${missing.join(', ')}`)
    return null
  }
  // Read the element the version uses, then the other one: files are not always labelled correctly.
  const [primary, secondary] = usesSexElement(version) ? ['Sex', 'Gender'] : ['Gender', 'Sex']
  return {
    upn: text(node, 'UPN'),
    formerUpn: firstText([
      [basic, 'FormerUPN'],
      [node, 'FormerUPN'],
    ]),
    surname,
    forename,
    middleNames: firstText([
      [basic, 'MiddleNames'],
      [node, 'MiddleNames'],
    ]),
    preferredSurname: firstText([
      [basic, 'PreferredSurname'],
      [node, 'PreferredSurname'],
    ]),
    preferredForename: firstText([
      [basic, 'PreferredForename'],
      [node, 'PreferredForename'],
    ]),
    dateOfBirth,
    sex: sexFrom(
      firstText([
        [node, primary],
        [node, secondary],
      ]),
    ),
    ncYearActual: firstText([
      [basic, 'NCyearActual'],
      [node, 'NCyearActual'],
    ]),
    ethnicity: firstText([
      [basic, 'Ethnicity'],
      [node, 'Ethnicity'],
    ]),
    firstLanguage: firstLanguageFrom(node, basic),
    address: addressFrom(child(node, 'Address')),
    phones: phonesFrom(node),
    contacts: contactsFrom(node),
    senProvision: senFrom(node),
    fsmPeriods: fsmFrom(node),
    schoolHistory: schoolHistoryFrom(node),
  }
}

/** "25", "25.0" and "25.00" all name CTF 25. */
function versionFrom(value: string | null): string | null {
  if (value === null) return null
  const n = Number(value)
  const normalised = Number.isFinite(n) ? n.toFixed(1) : value
  return isCtfVersion(normalised) ? normalised : value
}

export type CtfParseResult = { ok: true; file: CtfFile } | { ok: false; problems: string[] }

/**
 * Reads a CTF 25 or CTF 24 file. It never throws: anything it cannot read becomes a problem.
 * It checks only what it needs to build a CtfFile; run validateCtf on the result for the rules.
 */
export function parseCtfXml(xml: string): CtfParseResult {
  // A CTF never has a DOCTYPE; refusing one shuts out entity-expansion tricks before parsing.
  if (/<!DOCTYPE/i.test(xml)) return { ok: false, problems: ['The file has a DOCTYPE, which a CTF never has'] }
  // XMLValidator is deprecated in favour of the fast-xml-validator package, which is not a
  // dependency; the parser itself accepts mismatched tags, so this is the only well-formedness check.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const valid = XMLValidator.validate(xml)
  if (valid !== true) {
    return { ok: false, problems: [`The file is not well-formed XML (line ${valid.err.line}): ${valid.err.msg}`] }
  }

  let parsed: unknown
  try {
    parsed = parser.parse(xml)
  } catch (error) {
    return {
      ok: false,
      problems: [`The file could not be read: ${error instanceof Error ? error.message : 'unknown'}`],
    }
  }

  const root = isNode(parsed) ? child(parsed, 'CTfile') : undefined
  if (root === undefined) return { ok: false, problems: ['The root element is not CTfile'] }
  const header = child(root, 'Header')
  if (header === undefined) return { ok: false, problems: ['The file has no Header'] }

  const problems: string[] = []
  const versionText = firstText([
    [header, 'CTFversion'],
    [header, 'CTFVersion'],
  ])
  const version = versionFrom(versionText)
  if (version === null) problems.push('The header has no CTFversion')
  else if (!isCtfVersion(version)) problems.push(`CTF version ${version} is not supported; onroll reads CTF 25 and 24`)

  const dateTime = text(header, 'DateTime')
  // Writers that add fractions of a second or a zone still mean the local time in the first 19 characters.
  const generatedAt = dateTime === null ? null : dateTime.slice(0, 19)
  if (generatedAt === null) problems.push('The header has no DateTime')

  const sourceNode = child(header, 'SourceSchool')
  const sourceLa = text(sourceNode, 'LEA')
  const sourceEstab = text(sourceNode, 'Estab')
  if (sourceLa === null || sourceEstab === null) problems.push('The header has no source school LEA and Estab')

  const destNode = child(header, 'DestSchool')
  const destLa = text(destNode, 'LEA')
  const destEstab = text(destNode, 'Estab')
  if (destLa === null || destEstab === null) problems.push('The header has no destination school LEA and Estab')

  const academicYearText = text(sourceNode, 'AcademicYear')
  let academicYear: number | null = academicYearText === null ? null : Number(academicYearText)
  if (academicYear !== null && !Number.isInteger(academicYear)) {
    problems.push(`The academic year is not a year: ${academicYearText ?? ''}`)
    academicYear = null
  }
  if (academicYear === null && generatedAt !== null && isIsoDate(generatedAt.slice(0, 10))) {
    academicYear = ctfAcademicYear(generatedAt.slice(0, 10))
  }

  const pupilNodes = children(child(root, 'CTFpupilData'), 'Pupil')
  if (pupilNodes.length === 0) problems.push('The file has no pupils')

  if (
    problems.length > 0 ||
    version === null ||
    !isCtfVersion(version) ||
    generatedAt === null ||
    academicYear === null ||
    sourceLa === null ||
    sourceEstab === null ||
    destLa === null ||
    destEstab === null
  ) {
    return { ok: false, problems: problems.length > 0 ? problems : ['The header is incomplete'] }
  }

  const pupils = pupilNodes.map((node, i) => pupilFrom(node, i, version, problems))
  if (problems.length > 0) return { ok: false, problems }

  return {
    ok: true,
    file: {
      version,
      generatedAt,
      academicYear,
      source: {
        laCode: sourceLa,
        establishmentNumber: sourceEstab,
        urn: text(sourceNode, 'URN'),
        schoolName: text(sourceNode, 'SchoolName') ?? '',
      },
      destination: destinationFromCodes(destLa, destEstab),
      pupils: pupils.filter(p => p !== null),
    },
  }
}
