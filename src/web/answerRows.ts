/**
 * "Check your answers" rows for any referral section: each answer with a readable label, code lists
 * shown as their labels, dates as "4 March 2016". Walks the stored answer, so a new field appears
 * without a template change.
 */
import {
  ACTION_KINDS,
  EDUCATION_STATUSES,
  ETHNICITIES,
  GENDERS,
  PROFESSIONAL_KINDS,
  RECEIVED_HOW,
  UK_PORTS,
} from '../domain/referralCodes.js'
import { formatDate } from './format.js'

const LABELS: Record<string, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  otherNames: 'Other names',
  dateOfBirth: 'Date of birth',
  upn: 'UPN',
  ehcp: 'EHCP',
  freeSchoolMeals: 'Free school meals',
  socialCare: "Children's social care involved",
  cpPlan: 'Child protection plan',
  childInNeed: 'Child in need',
  lookedAfter: 'Looked after',
  socialWorker: 'Allocated social worker',
  riskOfHarm: 'At risk of harm',
  marf: 'MARF made',
  forcedMarriage: 'Forced marriage concern',
  socialCareContacted: "Children's social care contacted",
  missingFromHomeOrCare: 'Missing from home or care',
  socialWorkerContacted: 'Social worker contacted',
  educationStatus: "Child's situation",
  lastSchool: 'Last school',
  lastAttendance: 'Last attendance',
  alsoReferred: 'Also referred',
  current: 'Current address',
  dateLeft: 'Left the address',
  responsibleAdults: 'Responsible adults',
  departureDate: 'Date of departure',
  accompanyingAdult: 'Accompanying adult',
  departurePlace: 'Airport or port',
  travelReference: 'Flight, ship or train',
  destinationCountry: 'Destination country',
  destinationCity: 'Destination city',
  webAddress: 'Website',
  line1: 'Address line 1',
  line2: 'Address line 2',
  postcode: 'Postcode',
  received: 'Received',
  how: 'How',
  on: 'On',
  by: 'By whom',
}

const CODE_LISTS: Record<string, Record<string, string | { label: string }>> = {
  gender: GENDERS,
  ethnicity: ETHNICITIES,
  educationStatus: EDUCATION_STATUSES,
  port: UK_PORTS,
  how: RECEIVED_HOW,
}

const ANSWERS: Record<string, string> = {
  yes: 'Yes',
  no: 'No',
  'not-known': 'Not known',
  known: 'Known',
  none: 'None',
  'none-known': 'None known',
  'nothing-to-add': 'Nothing to add',
  'never-attended': 'Never attended',
  'not-left': 'Not left',
  uk: 'In the UK',
  abroad: 'Outside the UK',
  date: 'Date given',
}

const humanise = (key: string): string =>
  LABELS[key] ??
  key
    .replace(/([A-Z])/g, ' $1')
    .replace(/^./, c => c.toUpperCase())
    .toLowerCase()
    .replace(/^./, c => c.toUpperCase())

function display(key: string, value: string, parentKind?: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value)
  const list: Record<string, string | { label: string }> | undefined =
    key === 'kind' ? (parentKind === 'actions' ? ACTION_KINDS : PROFESSIONAL_KINDS) : CODE_LISTS[key]
  const coded = list?.[value]
  if (coded) return typeof coded === 'string' ? coded : coded.label
  if (key === 'answer') return ANSWERS[value] ?? value
  if (value === 'yes' || value === 'no' || value === 'not-known') return ANSWERS[value] ?? value
  return value
}

export interface AnswerRow {
  key: string
  value: string
}

export function answerRows(section: string, value: unknown): AnswerRow[] {
  const rows: AnswerRow[] = []
  const walk = (v: unknown, label: string, key: string): void => {
    if (v === undefined || v === null) return
    if (Array.isArray(v)) {
      if (v.every(x => typeof x === 'string')) {
        if (v.length > 0) rows.push({ key: label, value: v.join(', ') })
        return
      }
      v.forEach((item, i) => {
        walk(item, `${label} ${String(i + 1)}`, key)
      })
      return
    }
    if (typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const childLabel =
          k === 'answer' || k === 'list'
            ? label
            : label && k !== 'reason'
              ? `${label}: ${humanise(k).toLowerCase()}`
              : humanise(k)
        walk(
          x,
          k === 'reason' ? `${label || humanise(section)}: why not known or not done` : childLabel,
          k === 'list' ? key : k,
        )
      }
      return
    }
    rows.push({
      key: label || humanise(section),
      value: display(key, typeof v === 'string' ? v : JSON.stringify(v), section),
    })
  }
  walk(value, '', section)
  return rows
}
