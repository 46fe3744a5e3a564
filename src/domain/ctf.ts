import { isIsoDate, type IsoDate } from './dates.js'
import { DELETION_GROUNDS, type GroundLetter } from './deletion.js'
import { checkUpn } from './upn.js'

/**
 * The Common Transfer File (CTF) a school sends when a pupil leaves: the rules and the shape
 * of the data, with no XML (src/integrations/ctf/ctfXml.ts writes and reads the file). See
 * docs/ctf.md for where each element and rule comes from and what is still unconfirmed.
 */

/**
 * The versions onroll writes and reads: DfE suppliers accept the current and the previous one
 * (law-and-formats.md §5). A new version each September means adding it here first.
 */
export const CTF_VERSIONS = ['25.0', '24.0'] as const
export type CtfVersion = (typeof CTF_VERSIONS)[number]
export const CURRENT_CTF_VERSION: CtfVersion = '25.0'

export function isCtfVersion(text: string): text is CtfVersion {
  return (CTF_VERSIONS as readonly string[]).includes(text)
}

/** CTF 25 replaced the pupil's `<Gender>` with `<Sex>`; the codes stayed F and M. */
export function usesSexElement(version: CtfVersion): boolean {
  return Number(version) >= 25
}

/** Where the file is going. Unknown and outside-maintained files land in the Lost Pupil Database on S2S. */
export type CtfDestination =
  { kind: 'unknown' } | { kind: 'outside-maintained' } | { kind: 'school'; laCode: string; establishmentNumber: string }

const UNKNOWN_CODES = { lea: 'XXX', estab: 'XXXX' } as const
const OUTSIDE_MAINTAINED_CODES = { lea: 'MMM', estab: 'MMMM' } as const

export function destinationCodes(destination: CtfDestination): { lea: string; estab: string } {
  switch (destination.kind) {
    case 'unknown':
      return { ...UNKNOWN_CODES }
    case 'outside-maintained':
      return { ...OUTSIDE_MAINTAINED_CODES }
    case 'school':
      return { lea: destination.laCode, estab: destination.establishmentNumber }
  }
}

/** The reverse of destinationCodes; any other pair is taken as a school and left to validateCtf to judge. */
export function destinationFromCodes(lea: string, estab: string): CtfDestination {
  if (lea === UNKNOWN_CODES.lea && estab === UNKNOWN_CODES.estab) return { kind: 'unknown' }
  if (lea === OUTSIDE_MAINTAINED_CODES.lea && estab === OUTSIDE_MAINTAINED_CODES.estab) {
    return { kind: 'outside-maintained' }
  }
  return { kind: 'school', laCode: lea, establishmentNumber: estab }
}

/** A "lost pupil" file: S2S keeps it in the Lost Pupil Database, and DfE guidance allows one pupil per file. */
export function isLostPupilDestination(destination: CtfDestination): boolean {
  return destination.kind !== 'school'
}

/** CTF sex codes. The DfE collects sex as F or M; there is no code for "other" or "not known". */
export type CtfSex = 'F' | 'M'

/**
 * Our free-text gender to the CTF code. Anything but female or male (other, not known, not
 * recorded) gives null: onroll does not guess a legal sex, and validateCtf then asks the school
 * to record the sex as it holds it on its own register before the file can be sent.
 */
export function ctfSexFromGender(gender: string | null | undefined): CtfSex | null {
  const g = (gender ?? '').trim().toLowerCase()
  if (g === 'female' || g === 'f') return 'F'
  if (g === 'male' || g === 'm') return 'M'
  return null
}

/** SEN provision codes: N no special educational need, K SEN support, E education, health and care plan. */
export const CTF_SEN_PROVISIONS = ['N', 'K', 'E'] as const
export type CtfSenProvision = (typeof CTF_SEN_PROVISIONS)[number]

/** National curriculum year codes: nursery 1 and 2, reception, years 1-14, and X for outside the year system. */
export const NC_YEAR_CODES = [
  'N1',
  'N2',
  'R',
  ...Array.from({ length: 14 }, (_, i) => String(i + 1)),
  'X',
] as readonly string[]

export const UK_COUNTRIES = ['ENG', 'WLS', 'SCT', 'NIR'] as const
export type UkCountry = (typeof UK_COUNTRIES)[number]

/** The CTF allows five free-form address lines (AddressLine1 to AddressLine5). */
export const MAX_ADDRESS_LINES = 5

export interface CtfAddress {
  lines: string[]
  postCode: string | null
}

export interface CtfPhone {
  /** Telephone type code, e.g. H home, M mobile, W work; kept as given because we have not seen the full code list. */
  type: string | null
  number: string
}

export interface CtfContact {
  title: string | null
  forename: string
  surname: string
  /** Relationship code as the school's MIS holds it; not checked against a code list we have not seen. */
  relationship: string | null
  /** Whether the contact has parental responsibility. */
  parentalResponsibility: boolean | null
  /** 'same-as-pupil' is written as AddressAsPupil, as the CTF does, instead of repeating the address. */
  address: CtfAddress | 'same-as-pupil' | null
  phones: CtfPhone[]
  email: string | null
}

export interface CtfFsmPeriod {
  startDate: IsoDate
  endDate: IsoDate | null
  ukCountry: UkCountry | null
}

export interface CtfSchoolHistoryEntry {
  laCode: string
  establishmentNumber: string
  schoolName: string
  entryDate: IsoDate | null
  leavingDate: IsoDate | null
  leavingReason: string | null
}

export interface CtfPupil {
  /** Required by the CTF; null only while the school has not yet allocated a temporary UPN (validateCtf says so). */
  upn: string | null
  formerUpn: string | null
  surname: string
  forename: string
  middleNames: string | null
  preferredSurname: string | null
  preferredForename: string | null
  dateOfBirth: IsoDate
  sex: CtfSex | null
  ncYearActual: string | null
  /** DfE ethnicity code, e.g. WBRI. */
  ethnicity: string | null
  /** DfE language code of the first language, e.g. ENG. */
  firstLanguage: string | null
  address: CtfAddress | null
  phones: CtfPhone[]
  contacts: CtfContact[]
  senProvision: CtfSenProvision | null
  fsmPeriods: CtfFsmPeriod[]
  /** At least this school's entry, with the leaving date and the deletion ground as the leaving reason. */
  schoolHistory: CtfSchoolHistoryEntry[]
}

export interface CtfSource {
  laCode: string
  establishmentNumber: string
  urn: string | null
  schoolName: string
}

export interface CtfFile {
  version: CtfVersion
  /** Local (Europe/London) date and time without a zone, as the header's DateTime: 2026-11-28T10:15:00. */
  generatedAt: string
  academicYear: number
  source: CtfSource
  destination: CtfDestination
  pupils: CtfPupil[]
}

/** The academic year a date falls in, named by the year it starts; the CTF switches on 1 August. */
export function ctfAcademicYear(date: IsoDate): number {
  if (!isIsoDate(date)) throw new RangeError(`Not a calendar date: ${date}`)
  const year = Number(date.slice(0, 4))
  const month = Number(date.slice(5, 7))
  return month >= 8 ? year : year - 1
}

const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/

export function isCtfDateTime(text: string): boolean {
  const m = LOCAL_DATE_TIME.exec(text)
  return m !== null && isIsoDate(m[1] ?? '')
}

/** The header DateTime for an instant: the wall-clock time in England, because the CTF carries no zone. */
export function ctfDateTime(instant: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant)
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find(p => p.type === type)?.value ?? ''
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}:${part('second')}`
}

/**
 * The leaving reason written in this school's SchoolHistory entry: the deletion ground and its
 * regulation. The CTF may expect a code from the DfE's data set instead; we have not seen one for
 * the 2024 grounds, so this is plain text a person at the receiving end can read.
 */
export function ctfLeavingReason(ground: GroundLetter): string {
  return `Ground ${ground}, SI 2024/208 reg ${DELETION_GROUNDS[ground].regulation}`
}

/** `LLLEEEE_CTF_DDDdddd_NNN.xml`, e.g. 3172001_CTF_XXXXXXX_001.xml; the sequence tells apart files sent the same day. */
export function ctfFileName(
  source: Pick<CtfSource, 'laCode' | 'establishmentNumber'>,
  destination: CtfDestination,
  sequence: number,
): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999) {
    throw new RangeError(`A CTF sequence number is 1 to 999: ${sequence}`)
  }
  const dest = destinationCodes(destination)
  return `${source.laCode}${source.establishmentNumber}_CTF_${dest.lea}${dest.estab}_${String(sequence).padStart(3, '0')}.xml`
}

const LA_CODE = /^\d{3}$/
const ESTAB = /^\d{4}$/
const URN = /^\d{6}$/
const ETHNICITY = /^[A-Z]{4}$/
const LANGUAGE = /^[A-Z]{3,4}$/
const PHONE_TYPE = /^[A-Z]$/
const UK_POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$/
// XML 1.0 cannot carry these characters at all, so a name containing one could never reach the new school.
const NOT_XML_TEXT =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point of this pattern
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Problems with one piece of free text; the reader trims text, so surrounding spaces would not survive the trip. */
function textProblems(label: string, value: string | null, required: boolean): string[] {
  if (value === null || value === '') return required ? [`${label} is missing`] : []
  const problems: string[] = []
  if (value.trim() === '') return [`${label} is blank`]
  if (value !== value.trim()) problems.push(`${label} starts or ends with a space`)
  if (NOT_XML_TEXT.test(value)) problems.push(`${label} contains a character that cannot be sent in a CTF`)
  return problems
}

function dateProblems(label: string, value: string | null, required: boolean): string[] {
  if (value === null) return required ? [`${label} is missing`] : []
  return isIsoDate(value) ? [] : [`${label} is not a real date (YYYY-MM-DD): ${value}`]
}

function upnProblems(label: string, upn: string): string[] {
  const check = checkUpn(upn)
  if (!check.valid) return check.problems.map(p => `${label}: ${p}`)
  if (check.upn !== upn) return [`${label} must be written without spaces and in capitals: ${check.upn}`]
  return []
}

function addressProblems(label: string, address: CtfAddress): string[] {
  const problems: string[] = []
  if (address.lines.length === 0 && address.postCode === null) problems.push(`${label} is empty`)
  if (address.lines.length > MAX_ADDRESS_LINES) {
    problems.push(`${label} has ${address.lines.length} lines; the CTF takes at most ${MAX_ADDRESS_LINES}`)
  }
  address.lines.forEach((line, i) => problems.push(...textProblems(`${label} line ${i + 1}`, line, true)))
  if (address.postCode !== null && !UK_POSTCODE.test(address.postCode)) {
    problems.push(`${label} postcode is not a UK postcode in capitals with one space: ${address.postCode}`)
  }
  return problems
}

function phoneProblems(label: string, phones: CtfPhone[]): string[] {
  return phones.flatMap((phone, i) => [
    ...textProblems(`${label} phone ${i + 1}`, phone.number, true),
    ...(phone.type !== null && !PHONE_TYPE.test(phone.type)
      ? [`${label} phone ${i + 1} type is not a one-letter code: ${phone.type}`]
      : []),
  ])
}

function contactProblems(label: string, contact: CtfContact): string[] {
  const problems = [
    ...textProblems(`${label} title`, contact.title, false),
    ...textProblems(`${label} forename`, contact.forename, false),
    ...textProblems(`${label} surname`, contact.surname, false),
    ...textProblems(`${label} relationship`, contact.relationship, false),
    ...textProblems(`${label} email`, contact.email, false),
    ...phoneProblems(label, contact.phones),
  ]
  if (contact.forename === '' && contact.surname === '') problems.push(`${label} has no name`)
  if (contact.address !== null && contact.address !== 'same-as-pupil') {
    problems.push(...addressProblems(`${label} address`, contact.address))
  }
  return problems
}

function schoolHistoryProblems(label: string, entry: CtfSchoolHistoryEntry): string[] {
  const problems = [
    ...textProblems(`${label} school name`, entry.schoolName, true),
    ...dateProblems(`${label} entry date`, entry.entryDate, false),
    ...dateProblems(`${label} leaving date`, entry.leavingDate, false),
    ...textProblems(`${label} leaving reason`, entry.leavingReason, false),
  ]
  if (!LA_CODE.test(entry.laCode)) problems.push(`${label} LA code must be 3 digits: ${entry.laCode}`)
  if (!ESTAB.test(entry.establishmentNumber)) {
    problems.push(`${label} establishment number must be 4 digits: ${entry.establishmentNumber}`)
  }
  if (
    entry.entryDate !== null &&
    entry.leavingDate !== null &&
    isIsoDate(entry.entryDate) &&
    isIsoDate(entry.leavingDate) &&
    entry.leavingDate < entry.entryDate
  ) {
    problems.push(`${label} leaving date is before the entry date`)
  }
  return problems
}

function pupilProblems(pupil: CtfPupil, index: number, file: CtfFile, fileDate: IsoDate | null): string[] {
  const name = [pupil.surname, pupil.forename]
    .map(n => n.trim())
    .filter(n => n !== '')
    .join(', ')
  const label = `Pupil ${index + 1}${name === '' ? '' : ` (${name})`}`
  const problems: string[] = []

  if (pupil.upn === null || pupil.upn === '') {
    problems.push(
      `${label}: the CTF needs a UPN. If the pupil's UPN is not known, the school must allocate a temporary UPN (13 characters ending in a letter) and record it before sending the file`,
    )
  } else {
    problems.push(...upnProblems(`${label} UPN`, pupil.upn))
  }
  if (pupil.formerUpn !== null) {
    problems.push(...upnProblems(`${label} former UPN`, pupil.formerUpn))
    if (pupil.formerUpn === pupil.upn) problems.push(`${label}: the former UPN is the same as the UPN`)
  }

  problems.push(
    ...textProblems(`${label} surname`, pupil.surname, true),
    ...textProblems(`${label} forename`, pupil.forename, true),
    ...textProblems(`${label} middle names`, pupil.middleNames, false),
    ...textProblems(`${label} preferred surname`, pupil.preferredSurname, false),
    ...textProblems(`${label} preferred forename`, pupil.preferredForename, false),
    ...dateProblems(`${label} date of birth`, pupil.dateOfBirth, true),
  )
  if (fileDate !== null && isIsoDate(pupil.dateOfBirth) && pupil.dateOfBirth > fileDate) {
    problems.push(`${label} date of birth is after the date of the file`)
  }

  if (pupil.sex === null) {
    problems.push(
      `${label}: the CTF needs the pupil's sex as F or M, as the school records it; onroll does not fill it in from "other" or "not known"`,
    )
  }
  if (pupil.ncYearActual !== null && !NC_YEAR_CODES.includes(pupil.ncYearActual)) {
    problems.push(`${label} NC year is not N1, N2, R, 1 to 14 or X: ${pupil.ncYearActual}`)
  }
  if (pupil.ethnicity !== null && !ETHNICITY.test(pupil.ethnicity)) {
    problems.push(`${label} ethnicity is not a 4-letter DfE code: ${pupil.ethnicity}`)
  }
  if (pupil.firstLanguage !== null && !LANGUAGE.test(pupil.firstLanguage)) {
    problems.push(`${label} first language is not a 3- or 4-letter DfE code: ${pupil.firstLanguage}`)
  }
  if (pupil.address !== null) problems.push(...addressProblems(`${label} address`, pupil.address))
  problems.push(...phoneProblems(label, pupil.phones))
  pupil.contacts.forEach((contact, i) => problems.push(...contactProblems(`${label} contact ${i + 1}`, contact)))
  if (pupil.senProvision !== null && !(CTF_SEN_PROVISIONS as readonly string[]).includes(pupil.senProvision)) {
    problems.push(`${label} SEN provision is not N, K or E: ${pupil.senProvision}`)
  }

  pupil.fsmPeriods.forEach((period, i) => {
    const fsm = `${label} FSM period ${i + 1}`
    problems.push(...dateProblems(`${fsm} start`, period.startDate, true))
    problems.push(...dateProblems(`${fsm} end`, period.endDate, false))
    if (period.endDate !== null && period.endDate < period.startDate) problems.push(`${fsm} ends before it starts`)
    if (period.ukCountry !== null && !(UK_COUNTRIES as readonly string[]).includes(period.ukCountry)) {
      problems.push(`${fsm} country is not ENG, WLS, SCT or NIR: ${period.ukCountry}`)
    }
  })

  pupil.schoolHistory.forEach((entry, i) =>
    problems.push(...schoolHistoryProblems(`${label} school history ${i + 1}`, entry)),
  )
  const here = pupil.schoolHistory.find(
    e => e.laCode === file.source.laCode && e.establishmentNumber === file.source.establishmentNumber,
  )
  if (here === undefined) {
    problems.push(
      `${label}: the school history has no entry for this school (${file.source.laCode}/${file.source.establishmentNumber})`,
    )
  } else if (here.leavingDate === null) {
    problems.push(`${label}: this school's history entry has no leaving date`)
  } else if (fileDate !== null && isIsoDate(here.leavingDate) && here.leavingDate > fileDate) {
    problems.push(`${label}: the leaving date is after the date of the file; a CTF is sent once the pupil has left`)
  }
  return problems
}

/**
 * Everything that stops the file from being sent, as sentences for the person preparing it.
 * An empty list means the file follows the rules onroll knows (law-and-formats.md §5 and §6).
 */
export function validateCtf(file: CtfFile): string[] {
  const problems: string[] = []

  if (!isCtfVersion(file.version)) problems.push(`CTF version ${String(file.version)} is not one onroll writes`)

  const fileDate = isCtfDateTime(file.generatedAt) ? file.generatedAt.slice(0, 10) : null
  if (fileDate === null) {
    problems.push(`The file date and time is not a local date-time (YYYY-MM-DDTHH:MM:SS): ${file.generatedAt}`)
  } else if (file.academicYear !== ctfAcademicYear(fileDate)) {
    problems.push(
      `The academic year ${file.academicYear} does not match the file date ${fileDate} (academic year ${ctfAcademicYear(fileDate)})`,
    )
  }

  const { source, destination } = file
  if (!LA_CODE.test(source.laCode)) problems.push(`The school's LA code must be 3 digits: ${source.laCode}`)
  if (!ESTAB.test(source.establishmentNumber)) {
    problems.push(`The school's establishment number must be 4 digits: ${source.establishmentNumber}`)
  }
  if (source.urn !== null && !URN.test(source.urn)) problems.push(`The school's URN must be 6 digits: ${source.urn}`)
  problems.push(...textProblems("The school's name", source.schoolName, true))

  if (destination.kind === 'school') {
    if (!LA_CODE.test(destination.laCode)) {
      problems.push(`The destination LA code must be 3 digits: ${destination.laCode}`)
    }
    if (!ESTAB.test(destination.establishmentNumber)) {
      problems.push(`The destination establishment number must be 4 digits: ${destination.establishmentNumber}`)
    }
    if (destination.laCode === source.laCode && destination.establishmentNumber === source.establishmentNumber) {
      problems.push('The destination is the school sending the file')
    }
  }

  if (file.pupils.length === 0) problems.push('The file has no pupils')
  if (isLostPupilDestination(destination) && file.pupils.length > 1) {
    problems.push(
      `A file for a destination that is ${destination.kind === 'unknown' ? 'unknown' : 'outside the maintained sector'} must hold exactly one pupil; this one has ${file.pupils.length}`,
    )
  }
  file.pupils.forEach((pupil, i) => problems.push(...pupilProblems(pupil, i, file, fileDate)))
  return problems
}
