/**
 * A CME referral pre-filled from a pupil of concern (Appendix B outcome "contact unsuccessful" or
 * "not independently confirmed"): the child from the roll, the school and last attendance, the
 * address and contacts, every enquiry the school logged as the pre-referral actions, and what was
 * learnt. The school still answers what only it can (safeguarding questions, its own role), so a
 * section that does not yet pass its schema is kept as typed, to be finished on its page. Pure.
 */
import {
  CONTACT_KINDS,
  CONTACT_RESULTS,
  VISIT_BY,
  hasSocialWorker,
  isVisitBy,
  type ContactKind,
  type ContactResult,
} from './pupilConcern.js'
import type { Outcome } from './enquiryOutcome.js'
import { ETHNICITIES } from './referralCodes.js'
import type { SectionKey } from './referral.js'

export interface PrefillSource {
  pupil: {
    firstName: string
    lastName: string
    otherNames: string | null
    dateOfBirth: string
    gender: string | null
    ethnicity: string | null
    upn: string | null
    ehcp: boolean
    freeSchoolMeals: boolean
    addressLines: string[]
    postcode: string | null
    contacts: { name: string; relationship: string; phone: string | null; email: string | null }[]
  }
  concern: {
    circumstance: string
    outcome: Outcome
    lastAttendedOn: string | null
    cpPlan: boolean
    childInNeed: boolean
    lookedAfter: boolean
    socialWorker: string | null
    socialWorkerPhone: string | null
    marfMadeOn: string | null
    marfReference: string | null
    ewoName: string | null
    ewoConsultedOn: string | null
    ewoAdvice: string | null
  }
  school: { name: string; urn: string | null }
  contacts: {
    kind: ContactKind
    target: string | null
    contactedOn: string
    madeBy: string
    visitBy: string | null
    result: ContactResult
    notes: string | null
    agreedPlan: string | null
    learntAddress: string | null
    learntSchool: string | null
    learntTravel: string | null
    riskOfHarm: boolean
  }[]
  referrer: { name: string; organisation: string; email: string; phone: string }
}

const ACTION_KIND: Record<ContactKind, string> = {
  'social-worker': 'other',
  phone: 'phone',
  letter: 'letter',
  'home-visit': 'home-visit',
  other: 'other',
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no')

/** The nested answers for each section the concern can fill. */
export function prefillReferral(src: PrefillSource): Partial<Record<SectionKey, unknown>> {
  const { pupil, concern, contacts } = src
  const social = hasSocialWorker(concern)
  const out: Partial<Record<SectionKey, unknown>> = {}

  out.child = {
    firstName: pupil.firstName,
    lastName: pupil.lastName,
    otherNames: pupil.otherNames ? pupil.otherNames.split(/\s*,\s*/).filter(Boolean) : [],
    dateOfBirth: pupil.dateOfBirth,
    gender: pupil.gender === 'F' ? 'female' : pupil.gender === 'M' ? 'male' : undefined,
    ethnicity: pupil.ethnicity && Object.hasOwn(ETHNICITIES, pupil.ethnicity) ? pupil.ethnicity : undefined,
    upn: pupil.upn ?? undefined,
    ehcp: yesNo(pupil.ehcp),
    freeSchoolMeals: yesNo(pupil.freeSchoolMeals),
    socialCare: social
      ? {
          answer: 'yes',
          cpPlan: yesNo(concern.cpPlan),
          childInNeed: yesNo(concern.childInNeed),
          lookedAfter: yesNo(concern.lookedAfter),
          socialWorker: concern.socialWorker
            ? { answer: 'yes', name: concern.socialWorker, phone: concern.socialWorkerPhone ?? undefined }
            : { answer: 'no' },
        }
      : { answer: 'no' },
  }

  const risk = contacts.some(c => c.riskOfHarm) || concern.marfMadeOn !== null
  const swContact = contacts.find(c => c.kind === 'social-worker')
  out.safeguarding = {
    riskOfHarm: risk
      ? {
          answer: 'yes',
          marf: concern.marfMadeOn
            ? { answer: 'yes', date: concern.marfMadeOn, reference: concern.marfReference ?? undefined }
            : undefined,
        }
      : undefined,
    socialWorkerContacted: swContact ? { answer: 'yes', date: swContact.contactedOn } : undefined,
  }

  out.school = {
    educationStatus: concern.circumstance === 'left-without-notice' ? 'left-destination-unknown' : 'stopped-attending',
    lastSchool: {
      answer: 'known',
      name: src.school.name,
      urn: src.school.urn ?? undefined,
      lastAttendance: concern.lastAttendedOn
        ? { answer: 'date', date: concern.lastAttendedOn }
        : { answer: 'never-attended' },
    },
  }

  const [line1, ...rest] = pupil.addressLines
  const town = rest.length > 0 ? rest[rest.length - 1] : undefined
  const line2 = rest.length > 1 ? rest.slice(0, -1).join(', ') : undefined
  const notThere = contacts.some(c => c.result === 'not-at-address')
  out.address = {
    current: line1
      ? {
          answer: 'known',
          line1,
          line2,
          town,
          postcode: pupil.postcode ?? undefined,
          dateLeft: notThere
            ? { answer: 'not-known', reason: 'The school’s enquiries found the family no longer at this address' }
            : undefined,
        }
      : undefined,
    responsibleAdults:
      pupil.contacts.length > 0
        ? {
            answer: 'known',
            list: pupil.contacts.map(c => ({
              name: c.name,
              relationship: c.relationship,
              phones: c.phone ? [c.phone] : [],
              email: c.email ?? undefined,
            })),
          }
        : undefined,
  }

  const learnt = (pick: (c: (typeof contacts)[number]) => string | null) =>
    contacts.map(pick).filter((v): v is string => (v ?? '').trim() !== '')
  const addresses = learnt(c => c.learntAddress)
  const schools = learnt(c => c.learntSchool)
  const travel = learnt(c => c.learntTravel)
  out.destination = {
    address:
      addresses.length > 0
        ? { answer: 'not-known', reason: `Not confirmed. The school was told of: ${addresses.join('; ')}` }
        : { answer: 'not-known', reason: 'The school’s enquiries did not find a new address' },
    school:
      schools.length > 0
        ? { answer: 'known', name: schools[schools.length - 1] }
        : { answer: 'not-known', reason: 'The school’s enquiries did not find a new school' },
  }
  // Travel plans alone are hearsay: the school answers "leaving the UK" itself, with them in front of it.
  if (concern.outcome === 'left-uk' || concern.circumstance === 'moving-abroad') out.abroad = { answer: 'yes' }

  const actions = contacts.map(c => ({
    kind: ACTION_KIND[c.kind],
    date: c.contactedOn,
    by: c.visitBy && isVisitBy(c.visitBy) ? `${c.madeBy} (home visit: ${VISIT_BY[c.visitBy].toLowerCase()})` : c.madeBy,
    outcome: [
      `${CONTACT_KINDS[c.kind]}${c.target ? ` (${c.target})` : ''}: ${CONTACT_RESULTS[c.result]}.`,
      c.agreedPlan ? `Plan agreed: ${c.agreedPlan}.` : '',
      c.notes ?? '',
    ]
      .filter(Boolean)
      .join(' '),
  }))
  if (concern.ewoConsultedOn)
    actions.push({
      kind: 'other',
      date: concern.ewoConsultedOn,
      by: src.referrer.name,
      outcome: `Consulted the education welfare officer${concern.ewoName ? ` (${concern.ewoName})` : ''}${concern.ewoAdvice ? `: ${concern.ewoAdvice}` : ''}`,
    })
  if (actions.length > 0) out.actions = { answer: 'yes', list: actions }

  const professionals: { kind: string; details: string }[] = []
  if (concern.socialWorker)
    professionals.push({
      kind: 'social-care',
      details: `Social worker ${concern.socialWorker}${concern.socialWorkerPhone ? `, ${concern.socialWorkerPhone}` : ''}`,
    })
  if (concern.ewoName) professionals.push({ kind: 'other', details: `Education welfare officer ${concern.ewoName}` })
  out.professionals = professionals.length > 0 ? { answer: 'yes', list: professionals } : undefined

  const found = [
    addresses.length > 0 ? `Possible new address: ${addresses.join('; ')}.` : '',
    schools.length > 0 ? `Possible new school: ${schools.join('; ')}.` : '',
    travel.length > 0 ? `Travel plans: ${travel.join('; ')}.` : '',
  ].filter(Boolean)
  out.additional =
    found.length > 0 ? { answer: 'yes', details: `What the school’s enquiries found. ${found.join(' ')}` } : undefined

  out.referrer = {
    kind: 'school',
    name: src.referrer.name,
    organisation: src.referrer.organisation,
    email: src.referrer.email,
    phone: src.referrer.phone,
    received: { how: 'online' },
  }
  return out
}

const DATE_FIELD = /(dateOfBirth|date|departureDate|\.on)$/
const LINE_LIST = /(^|\.)(otherNames|phones)$/

/**
 * The answers as the section's page fields would hold them ("child.dateOfBirth-day", lists of short
 * strings one per line), for a section that needs finishing on its page.
 */
export function typedFields(value: unknown, prefix: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (v: unknown, path: string): void => {
    if (v === undefined || v === null) return
    if (Array.isArray(v)) {
      if (LINE_LIST.test(path)) out[path] = v.map(String).join('\n')
      else
        v.forEach((item, i) => {
          walk(item, `${path}.${String(i)}`)
        })
      return
    }
    if (typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, `${path}.${k}`)
      return
    }
    const text = typeof v === 'string' ? v : JSON.stringify(v)
    const m = DATE_FIELD.test(path) ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null
    if (m) {
      out[`${path}-day`] = String(Number(m[3]))
      out[`${path}-month`] = String(Number(m[2]))
      out[`${path}-year`] = m[1] ?? ''
    } else out[path] = text
  }
  walk(value, prefix)
  return out
}
