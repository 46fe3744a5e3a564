/**
 * A pupil on a school's roll as the school gives it to us (issue 8): from its MIS as a CSV row, or
 * typed by hand. One reader for both, so a row in a file and a form field are held to the same
 * rules and the same messages. Pure: `today` is given.
 */
import { isBefore, isIsoDate, type IsoDate } from './dates.js'
import { isPlausibleDate, isUkPhone, isUkPostcode, normalisePhone, normalisePostcode } from './referral.js'
import { checkUpn } from './upn.js'

/** The fields, named as the CSV header names them (docs/architecture.md "School roll"). */
export const PUPIL_FIELDS = [
  'upn',
  'legal_first_name',
  'legal_last_name',
  'other_names',
  'date_of_birth',
  'gender',
  'nc_year',
  'admission_date',
  'address_line_1',
  'address_line_2',
  'town',
  'postcode',
  'contact_1_name',
  'contact_1_relationship',
  'contact_1_phone',
  'contact_2_name',
  'contact_2_relationship',
  'contact_2_phone',
  'sen_provision',
  'looked_after',
  'cp_plan',
  'child_in_need',
  'social_worker',
] as const

export type PupilField = (typeof PUPIL_FIELDS)[number]
export type PupilFields = Partial<Record<PupilField, string>>

/** Fields a row must have: the rest may be empty. */
export const REQUIRED_PUPIL_FIELDS: readonly PupilField[] = [
  'legal_first_name',
  'legal_last_name',
  'date_of_birth',
  'gender',
  'admission_date',
]

/** National curriculum years as the school census codes them. */
export const NC_YEARS = ['N1', 'N2', 'R', ...Array.from({ length: 14 }, (_, i) => String(i + 1)), 'X'] as const

/** Census SEN provision: N none, K SEN support, E education, health and care plan. */
export const SEN_PROVISION = {
  N: 'No special educational need',
  K: 'SEN support',
  E: 'Education, health and care plan',
} as const

export interface PupilContact {
  name: string
  relationship: string
  phone: string | null
  email: string | null
}

export interface PupilRecord {
  upn: string | null
  firstName: string
  lastName: string
  otherNames: string | null
  dateOfBirth: IsoDate
  gender: 'F' | 'M'
  ncYear: string | null
  admissionDate: IsoDate
  addressLines: string[]
  postcode: string | null
  contacts: PupilContact[]
  senProvision: keyof typeof SEN_PROVISION | null
  ehcp: boolean
  lookedAfter: boolean
  cpPlan: boolean
  childInNeed: boolean
  socialWorker: string | null
}

export interface FieldProblem {
  field: PupilField
  message: string
}

const LABELS: Record<PupilField, string> = {
  upn: 'UPN',
  legal_first_name: 'Legal first name',
  legal_last_name: 'Legal last name',
  other_names: 'Other names',
  date_of_birth: 'Date of birth',
  gender: 'Gender',
  nc_year: 'National curriculum year',
  admission_date: 'Admission date',
  address_line_1: 'Address line 1',
  address_line_2: 'Address line 2',
  town: 'Town',
  postcode: 'Postcode',
  contact_1_name: 'Contact 1 name',
  contact_1_relationship: 'Contact 1 relationship',
  contact_1_phone: 'Contact 1 phone',
  contact_2_name: 'Contact 2 name',
  contact_2_relationship: 'Contact 2 relationship',
  contact_2_phone: 'Contact 2 phone',
  sen_provision: 'SEN provision',
  looked_after: 'Looked after',
  cp_plan: 'Child protection plan',
  child_in_need: 'Child in need',
  social_worker: 'Social worker',
}

export const pupilFieldLabel = (field: PupilField): string => LABELS[field]

const UK_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/

/** YYYY-MM-DD or DD/MM/YYYY (as MIS exports write it); anything else is not a date. */
export function readDateText(text: string): IsoDate | undefined {
  if (isIsoDate(text)) return text
  const m = UK_DATE.exec(text)
  if (!m) return undefined
  const iso = `${m[3] ?? ''}-${(m[2] ?? '').padStart(2, '0')}-${(m[1] ?? '').padStart(2, '0')}`
  return isIsoDate(iso) ? iso : undefined
}

const YES = new Set(['y', 'yes', 'true', '1'])
const NO = new Set(['n', 'no', 'false', '0', ''])

/** Reads a whole pupil; every problem is reported, not just the first. */
export function readPupil(
  fields: PupilFields,
  today: IsoDate,
  options: { upnRequired: boolean },
): { ok: true; value: PupilRecord } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = []
  const get = (f: PupilField) => (fields[f] ?? '').trim()
  const problem = (field: PupilField, message: string) => problems.push({ field, message })

  for (const f of REQUIRED_PUPIL_FIELDS) if (get(f) === '') problem(f, `Enter the ${LABELS[f].toLowerCase()}`)
  for (const f of PUPIL_FIELDS) if (get(f).length > 200) problem(f, `${LABELS[f]} must be 200 characters or fewer`)

  let upn: string | null = null
  if (get('upn') === '') {
    if (options.upnRequired) problem('upn', 'Enter the UPN: the roll is matched on it when it is imported again')
  } else {
    const check = checkUpn(get('upn'))
    if (check.valid) upn = check.upn
    else problem('upn', `UPN ${check.upn} is not valid: ${check.problems.join('; ')}`)
  }

  const date = (f: 'date_of_birth' | 'admission_date'): IsoDate | undefined => {
    if (get(f) === '') return undefined
    const d = readDateText(get(f))
    if (!d || !isPlausibleDate(d)) {
      problem(f, `${LABELS[f]} must be a real date, like 2016-03-27 or 27/03/2016`)
      return undefined
    }
    return d
  }
  const dateOfBirth = date('date_of_birth')
  const admissionDate = date('admission_date')
  if (dateOfBirth && !isBefore(dateOfBirth, today)) problem('date_of_birth', 'Date of birth must be in the past')
  if (dateOfBirth && admissionDate && !isBefore(dateOfBirth, admissionDate))
    problem('admission_date', 'Admission date must be after the date of birth')

  const genderText = get('gender').toUpperCase()
  const gender =
    genderText === 'F' || genderText === 'FEMALE' ? 'F' : genderText === 'M' || genderText === 'MALE' ? 'M' : undefined
  if (genderText !== '' && !gender) problem('gender', 'Gender must be F or M, as the school census records it')

  const ncYear = get('nc_year').toUpperCase()
  if (ncYear !== '' && !(NC_YEARS as readonly string[]).includes(ncYear))
    problem('nc_year', 'National curriculum year must be R, 1 to 14, N1, N2 or X')

  let postcode: string | null = null
  if (get('postcode') !== '') {
    postcode = normalisePostcode(get('postcode'))
    if (!isUkPostcode(postcode)) problem('postcode', 'Postcode must be a UK postcode, like IG1 1NN')
  }
  const addressLines = [get('address_line_1'), get('address_line_2'), get('town')].filter(l => l !== '')

  const contacts: PupilContact[] = []
  for (const n of [1, 2] as const) {
    const name = get(`contact_${n}_name`)
    const relationship = get(`contact_${n}_relationship`)
    const phoneText = get(`contact_${n}_phone`)
    if (name === '' && relationship === '' && phoneText === '') continue
    if (name === '') problem(`contact_${n}_name`, `Enter contact ${n}'s name`)
    let phone: string | null = null
    if (phoneText !== '') {
      phone = normalisePhone(phoneText)
      if (!isUkPhone(phone))
        problem(`contact_${n}_phone`, `Contact ${n} phone must be a UK phone number, like 07700 900123`)
    }
    contacts.push({ name, relationship: relationship || 'Contact', phone, email: null })
  }

  const senText = get('sen_provision').toUpperCase()
  if (senText !== '' && !Object.hasOwn(SEN_PROVISION, senText))
    problem('sen_provision', 'SEN provision must be N, K or E')
  const senProvision = senText === '' ? null : (senText as keyof typeof SEN_PROVISION)

  const flag = (f: 'looked_after' | 'cp_plan' | 'child_in_need'): boolean => {
    const v = get(f).toLowerCase()
    if (YES.has(v)) return true
    if (!NO.has(v)) problem(f, `${LABELS[f]} must be Y or N`)
    return false
  }
  const lookedAfter = flag('looked_after')
  const cpPlan = flag('cp_plan')
  const childInNeed = flag('child_in_need')

  if (problems.length > 0 || !dateOfBirth || !admissionDate || !gender) return { ok: false, problems }
  return {
    ok: true,
    value: {
      upn,
      firstName: get('legal_first_name'),
      lastName: get('legal_last_name'),
      otherNames: get('other_names') || null,
      dateOfBirth,
      gender,
      ncYear: ncYear || null,
      admissionDate,
      addressLines,
      postcode,
      contacts,
      senProvision,
      ehcp: senProvision === 'E',
      lookedAfter,
      cpPlan,
      childInNeed,
      socialWorker: get('social_worker') || null,
    },
  }
}
