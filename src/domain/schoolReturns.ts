/**
 * The school's returns to the LA and the Common Transfer File for a pupil who left (issue 8;
 * law-and-formats.md §2.2 and §5): what goes in each return, when it is due, whether it was late,
 * and the rules around recording a deletion that the rules engine (deletion.ts) does not decide.
 * Pure: dates come in, nothing is read or stored here.
 */
import { isIsoDate, type IsoDate } from './dates.js'
import { ctfLeavingReason, ctfSexFromGender, type CtfPupil, type CtfDestination } from './ctf.js'
import { deletionReturnFields, GROUND_LETTERS, type GroundLetter, type SessionMarks } from './deletion.js'
import { nameKey } from './names.js'
import type { SchoolDays } from './schoolDays.js'

export type ReturnKind = 'deletion' | 'new-pupil' | 'ehe-notice'
/** What reaches the LA's feed: the two returns of reg 13, and the school's notice of elective home education. */
export const RETURN_KINDS: Record<ReturnKind, string> = {
  deletion: 'Deletion return',
  'new-pupil': 'New pupil return',
  'ehe-notice': 'Home education notice',
}
export const isReturnKind = (v: string): v is ReturnKind => Object.hasOwn(RETURN_KINDS, v)

/** A parent the pupil normally lives with, as the deletion return asks for them (reg 13(4)(c)-(d)). */
export interface ReturnParent {
  fullName: string
  address: string
  emergencyPhone: string
}

/** What the school adds to the pupil's record to make a deletion return. */
export interface DeletionReturnInput {
  parents: ReturnParent[]
  futureAddress?: string | undefined
  futureParentName?: string | undefined
  futureFrom?: IsoDate | undefined
  newSchoolName?: string | undefined
  newSchoolStartsOn?: IsoDate | undefined
}

/** A return's content: label and value pairs in the regulations' order, so the LA reads it as the law lists it. */
export interface ReturnDocument {
  rows: { key: string; label: string; value: string }[]
}

export interface PupilForReturn {
  firstName: string
  lastName: string
  otherNames: string | null
  dateOfBirth: IsoDate
  gender: string | null
  upn: string | null
  ncYear: string | null
  admissionDate: IsoDate
  address: string
}

const fullName = (p: Pick<PupilForReturn, 'firstName' | 'lastName' | 'otherNames'>): string =>
  [p.firstName, p.otherNames, p.lastName].filter(s => s !== null && s !== '').join(' ')

/**
 * The deletion return's content for a ground (reg 13(4)); problems list every required field that
 * is missing, so the deletion is refused until the return is complete (it is due, at the latest,
 * when the name is deleted).
 */
export function deletionReturnDocument(
  pupil: PupilForReturn,
  ground: GroundLetter,
  deletedOn: IsoDate,
  input: DeletionReturnInput,
): { document: ReturnDocument; problems: { field: string; message: string }[] } {
  const problems: { field: string; message: string }[] = []
  const fields = deletionReturnFields(ground)
  const rows: ReturnDocument['rows'] = []
  const value = (key: string): string => {
    switch (key) {
      case 'pupil.fullName':
        return fullName(pupil)
      case 'pupil.address':
        return pupil.address
      case 'future.address':
        return input.futureAddress ?? ''
      case 'future.parentName':
        return input.futureParentName ?? ''
      case 'future.from':
        return input.futureFrom ?? ''
      case 'newSchool.name':
        return input.newSchoolName ?? ''
      case 'newSchool.startsOn':
        return input.newSchoolStartsOn ?? ''
      case 'ground':
        return ground
      case 'deletedOn':
        return deletedOn
      default:
        return ''
    }
  }
  if (input.parents.length === 0)
    problems.push({
      field: 'parents',
      message: 'Enter at least one parent the pupil normally lives with: the deletion return needs them',
    })
  for (const f of fields) {
    if (f.key.startsWith('parents[].')) {
      const part = f.key.slice('parents[].'.length) as keyof ReturnParent
      input.parents.forEach((p, i) => {
        const v = p[part].trim()
        rows.push({ key: `parents.${i}.${part}`, label: `${f.label} (parent ${i + 1})`, value: v })
        if (f.required && v === '')
          problems.push({
            field: `parents.${i}.${part}`,
            message: `Enter the ${f.label.toLowerCase()} (parent ${i + 1})`,
          })
      })
      continue
    }
    const v = value(f.key).trim()
    rows.push({ key: f.key, label: f.label, value: v })
    if (f.required && v === '')
      problems.push({ field: f.key.replace('.', '-'), message: `Enter the ${f.label.toLowerCase()}` })
  }
  rows.push({ key: 'pupil.dateOfBirth', label: 'Date of birth', value: pupil.dateOfBirth })
  if (pupil.upn) rows.push({ key: 'pupil.upn', label: 'UPN', value: pupil.upn })
  return { document: { rows }, problems }
}

/**
 * The new pupil return (reg 13(1)-(3)): all the information entered in the admission register.
 * The register's content is reg 5; onroll holds the parts a school enters on admission.
 */
export function newPupilReturnDocument(
  pupil: PupilForReturn,
  parents: { fullName: string; address: string; phone: string }[],
  previousSchool: string | undefined,
): ReturnDocument {
  const rows: ReturnDocument['rows'] = [
    { key: 'pupil.fullName', label: 'Pupil’s full name', value: fullName(pupil) },
    { key: 'pupil.gender', label: 'Sex', value: pupil.gender ?? '' },
    { key: 'pupil.dateOfBirth', label: 'Date of birth', value: pupil.dateOfBirth },
    { key: 'pupil.upn', label: 'UPN', value: pupil.upn ?? '' },
    { key: 'pupil.ncYear', label: 'Year group', value: pupil.ncYear ?? '' },
    { key: 'pupil.address', label: 'Pupil’s address', value: pupil.address },
    { key: 'admissionDate', label: 'Date of admission (first day at school)', value: pupil.admissionDate },
  ]
  parents.forEach((p, i) => {
    rows.push({ key: `parents.${i}.fullName`, label: `Parent ${i + 1}: full name`, value: p.fullName })
    rows.push({ key: `parents.${i}.address`, label: `Parent ${i + 1}: address`, value: p.address })
    rows.push({ key: `parents.${i}.phone`, label: `Parent ${i + 1}: emergency telephone`, value: p.phone })
  })
  rows.push({ key: 'previousSchool', label: 'Previous school', value: previousSchool ?? '' })
  return { rows }
}

/**
 * Exemption (reg 13(3)): a pupil placed in the most junior class whose first day is the first day
 * of the school year needs no new pupil return, unless the LA has asked for them.
 */
export function newPupilReturnExempt(input: {
  startsOn: IsoDate
  firstDayOfSchoolYear: IsoDate | null
  mostJuniorClass: boolean
  laAsksForThem: boolean
}): boolean {
  return (
    !input.laAsksForThem &&
    input.mostJuniorClass &&
    input.firstDayOfSchoolYear !== null &&
    input.startsOn === input.firstDayOfSchoolYear
  )
}

/** A return made after its due date is late; the LA's feed marks it. */
export function returnTimeliness(dueOn: IsoDate, madeOn: IsoDate): 'on-time' | 'late' {
  return madeOn > dueOn ? 'late' : 'on-time'
}

export type CtfState = 'uploaded' | 'due' | 'overdue'

/** Where a CTF stands until the school marks it uploaded to School to School. */
export function ctfState(dueOn: IsoDate, uploadedOn: IsoDate | null, today: IsoDate): CtfState {
  if (uploadedOn !== null) return 'uploaded'
  return today > dueOn ? 'overdue' : 'due'
}

/**
 * The date a deletion is recorded for: the day the name came off the register, which is today or,
 * when the school deleted it in its MIS first, an earlier day; the rules are then checked as at that
 * day, so a name is never deleted from a date on which no ground applied.
 */
export function deletionDateProblem(deletedOn: IsoDate, today: IsoDate, admittedOn: IsoDate): string | undefined {
  if (!isIsoDate(deletedOn)) return 'Enter the date the name was deleted as a real date'
  if (deletedOn > today) return 'The date the name was deleted cannot be in the future: delete it on the day'
  if (deletedOn < admittedOn) return 'The date the name was deleted must be on or after the date the pupil was admitted'
  return undefined
}

/**
 * Ground I from what an attendance officer can give without a register export: the first day of
 * continuous absence and their confirmation that every session since is coded G, N or O. The run
 * is built from the school's own calendar, so the count of school days is onroll's, not typed;
 * the code is written as O because the officer confirmed "one of G, N or O", not which.
 */
export function declaredAbsenceSessions(
  firstDayOfAbsence: IsoDate,
  through: IsoDate,
  schoolDays: SchoolDays,
): { ok: true; sessions: SessionMarks[] } | { ok: false; problem: string } {
  const sessions: SessionMarks[] = []
  const first = schoolDays.isSchoolDay(firstDayOfAbsence)
  if (!first.ok) return { ok: false, problem: first.problem }
  let day: IsoDate | null = first.value ? firstDayOfAbsence : null
  if (day === null) {
    const next = schoolDays.next(firstDayOfAbsence)
    if (!next.ok) return { ok: false, problem: next.problem }
    day = next.value
  }
  while (day <= through && sessions.length < 400) {
    sessions.push({ date: day, am: 'O', pm: 'O' })
    const next = schoolDays.next(day)
    if (!next.ok) break
    day = next.value
  }
  return { ok: true, sessions }
}

/** A pupil admitted to a school may be a child an open CME case is looking for: same UPN, or same name and date of birth. */
export function possiblyLocated(
  pupil: { firstName: string; lastName: string; dateOfBirth: IsoDate; upn: string | null },
  child: { firstName: string; lastName: string; dateOfBirth: IsoDate; upn: string | null },
): { located: boolean; reasons: string[] } {
  const reasons: string[] = []
  if (pupil.upn && child.upn && pupil.upn.toUpperCase() === child.upn.toUpperCase()) reasons.push('Same UPN')
  if (
    pupil.dateOfBirth === child.dateOfBirth &&
    nameKey(pupil.firstName, pupil.lastName) === nameKey(child.firstName, child.lastName) &&
    nameKey(pupil.firstName, pupil.lastName) !== ''
  )
    reasons.push('Same name and date of birth')
  return { located: reasons.length > 0, reasons }
}

/** The destination chosen on the CTF page. */
export function ctfDestination(
  choice: string,
  laCode: string,
  establishmentNumber: string,
): { ok: true; destination: CtfDestination } | { ok: false; field: string; message: string } {
  if (choice === 'unknown') return { ok: true, destination: { kind: 'unknown' } }
  if (choice === 'outside-maintained') return { ok: true, destination: { kind: 'outside-maintained' } }
  if (choice !== 'school') return { ok: false, field: 'destination', message: 'Select where the pupil has gone' }
  if (!/^\d{3}$/.test(laCode))
    return { ok: false, field: 'laCode', message: 'Enter the new school’s LA number: 3 digits' }
  if (!/^\d{4}$/.test(establishmentNumber))
    return { ok: false, field: 'establishmentNumber', message: 'Enter the new school’s establishment number: 4 digits' }
  return { ok: true, destination: { kind: 'school', laCode, establishmentNumber } }
}

export interface PupilForCtf extends Omit<PupilForReturn, 'address'> {
  formerUpn: string | null
  ethnicity: string | null
  senProvision: string | null
  addressLines: string[]
  postcode: string | null
  contacts: { name: string; relationship: string | null; phone: string | null; email: string | null }[]
}

/** One pupil's CTF record from the school roll: the core details, contacts, and this school's history entry. */
export function ctfPupilFromRoll(
  pupil: PupilForCtf,
  school: { laCode: string; establishmentNumber: string; name: string },
  leftOn: IsoDate,
  ground: GroundLetter,
): CtfPupil {
  const splitName = (name: string) => {
    const parts = name.trim().split(/\s+/)
    return {
      forename: parts.slice(0, -1).join(' ') || (parts[0] ?? ''),
      surname: parts.length > 1 ? (parts.at(-1) ?? '') : '',
    }
  }
  return {
    upn: pupil.upn,
    formerUpn: pupil.formerUpn,
    surname: pupil.lastName,
    forename: pupil.firstName,
    middleNames: pupil.otherNames,
    preferredSurname: null,
    preferredForename: null,
    dateOfBirth: pupil.dateOfBirth,
    sex: ctfSexFromGender(pupil.gender),
    ncYearActual: pupil.ncYear,
    ethnicity: pupil.ethnicity,
    firstLanguage: null,
    address:
      pupil.addressLines.length === 0 && !pupil.postcode
        ? null
        : { lines: pupil.addressLines.slice(0, 5), postCode: pupil.postcode },
    phones: [],
    contacts: pupil.contacts.map(c => ({
      title: null,
      ...splitName(c.name),
      relationship: c.relationship,
      parentalResponsibility: null,
      address: null,
      phones: c.phone ? [{ type: null, number: c.phone }] : [],
      email: c.email,
    })),
    senProvision:
      pupil.senProvision === 'N' || pupil.senProvision === 'K' || pupil.senProvision === 'E'
        ? pupil.senProvision
        : null,
    fsmPeriods: [],
    schoolHistory: [
      {
        laCode: school.laCode,
        establishmentNumber: school.establishmentNumber,
        schoolName: school.name,
        entryDate: pupil.admissionDate,
        leavingDate: leftOn,
        leavingReason: ctfLeavingReason(ground),
      },
    ],
  }
}

export const CTF_DESTINATION_LABELS: Record<CtfDestination['kind'], string> = {
  unknown: 'Destination unknown (XXX/XXXX: the Lost Pupil Database)',
  'outside-maintained': 'Outside the maintained sector in England and Wales (MMM/MMMM)',
  school: 'A school in England or Wales',
}

/** The school's notice to the LA that a parent gave written notice of elective home education. */
export function eheNoticeDocument(
  pupil: PupilForReturn,
  notice: { receivedOn: IsoDate; educatedFrom: IsoDate },
  parents: { fullName: string; phone: string }[],
): ReturnDocument {
  return {
    rows: [
      { key: 'pupil.fullName', label: 'Pupil’s full name', value: fullName(pupil) },
      { key: 'pupil.dateOfBirth', label: 'Date of birth', value: pupil.dateOfBirth },
      { key: 'pupil.upn', label: 'UPN', value: pupil.upn ?? '' },
      { key: 'pupil.address', label: 'Pupil’s address', value: pupil.address },
      ...parents.map((p, i) => ({
        key: `parents.${i}`,
        label: `Parent ${i + 1}`,
        value: [p.fullName, p.phone].filter(Boolean).join(', '),
      })),
      { key: 'receivedOn', label: 'Written notice received', value: notice.receivedOn },
      { key: 'educatedFrom', label: 'Home educated from', value: notice.educatedFrom },
    ],
  }
}

export const isGroundLetter = (v: string): v is GroundLetter => (GROUND_LETTERS as readonly string[]).includes(v)
