/**
 * A CME referral pre-filled from a pupil of concern (Appendix B outcome "contact unsuccessful" or
 * "not independently confirmed"): the child from the roll, the school and last attendance, the
 * address and contacts, every enquiry the school logged as the pre-referral actions, and what was
 * learnt. The school still answers what only it can (safeguarding questions, its own role), so a
 * section that does not yet pass its schema is kept as typed, to be finished on its page. The same
 * child, school, address and referrer answers pre-fill the referral for a parent's notice of elective
 * home education (`prefillEheReferral`). Pure.
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
import { formatLongDate, type IsoDate } from './dates.js'
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

/** Children's social care as a school holds it: flags from the roll or the concern form. */
export interface SocialCareFlags {
  cpPlan: boolean
  childInNeed: boolean
  lookedAfter: boolean
  socialWorker: string | null
  socialWorkerPhone: string | null
}

type Answers = Partial<Record<SectionKey, unknown>>
type Pupil = PrefillSource['pupil']
type Referrer = PrefillSource['referrer']
type LastAttendance = { answer: 'date'; date: string } | { answer: 'never-attended' } | undefined

/** The child from the roll row, with social care from what the school holds. */
function childAnswers(pupil: Pupil, care: SocialCareFlags): unknown {
  return {
    firstName: pupil.firstName,
    lastName: pupil.lastName,
    otherNames: pupil.otherNames ? pupil.otherNames.split(/\s*,\s*/).filter(Boolean) : [],
    dateOfBirth: pupil.dateOfBirth,
    gender: pupil.gender === 'F' ? 'female' : pupil.gender === 'M' ? 'male' : undefined,
    ethnicity: pupil.ethnicity && Object.hasOwn(ETHNICITIES, pupil.ethnicity) ? pupil.ethnicity : undefined,
    upn: pupil.upn ?? undefined,
    ehcp: yesNo(pupil.ehcp),
    freeSchoolMeals: yesNo(pupil.freeSchoolMeals),
    socialCare: hasSocialWorker(care)
      ? {
          answer: 'yes',
          cpPlan: yesNo(care.cpPlan),
          childInNeed: yesNo(care.childInNeed),
          lookedAfter: yesNo(care.lookedAfter),
          socialWorker: care.socialWorker
            ? { answer: 'yes', name: care.socialWorker, phone: care.socialWorkerPhone ?? undefined }
            : { answer: 'no' },
        }
      : { answer: 'no' },
  }
}

/** The referring school as the child's last school; `lastAttendance` undefined leaves it to the school. */
const lastSchoolAnswers = (school: PrefillSource['school'], lastAttendance: LastAttendance) => ({
  answer: 'known',
  name: school.name,
  urn: school.urn ?? undefined,
  lastAttendance,
})

/** The address and responsible adults on the roll; `dateLeft` undefined leaves it to the school. */
function addressAnswers(pupil: Pupil, dateLeft: unknown): unknown {
  const [line1, ...rest] = pupil.addressLines
  const town = rest.length > 0 ? rest[rest.length - 1] : undefined
  const line2 = rest.length > 1 ? rest.slice(0, -1).join(', ') : undefined
  return {
    current: line1
      ? { answer: 'known', line1, line2, town, postcode: pupil.postcode ?? undefined, dateLeft }
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
}

/** The signed-in user; their role is theirs to type. */
const referrerAnswers = (referrer: Referrer) => ({
  kind: 'school',
  name: referrer.name,
  organisation: referrer.organisation,
  email: referrer.email,
  phone: referrer.phone,
  received: { how: 'online' },
})

/** The nested answers for each section the concern can fill. */
export function prefillReferral(src: PrefillSource): Answers {
  const { pupil, concern, contacts } = src
  const out: Answers = {}

  out.child = childAnswers(pupil, concern)

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
    lastSchool: lastSchoolAnswers(
      src.school,
      concern.lastAttendedOn ? { answer: 'date', date: concern.lastAttendedOn } : { answer: 'never-attended' },
    ),
  }

  const notThere = contacts.some(c => c.result === 'not-at-address')
  out.address = addressAnswers(
    pupil,
    notThere
      ? { answer: 'not-known', reason: 'The school’s enquiries found the family no longer at this address' }
      : undefined,
  )

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

  out.referrer = referrerAnswers(src.referrer)
  return out
}

/** What onroll knows when a school records a parent's written notice of elective home education. */
export interface EhePrefillSource {
  pupil: Pupil
  /** From the roll row: the MIS's flags. */
  socialCare: SocialCareFlags
  school: PrefillSource['school']
  /** Only when a record says so (an open concern); otherwise the school gives it. */
  lastAttendedOn: string | null
  notice: { receivedOn: IsoDate; educatedFrom: IsoDate; verifiedOn: IsoDate | null; laConsentOn: IsoDate | null }
  referrer: Referrer
}

/**
 * The CME referral the protocol asks a school to make for a pupil leaving for home education: the
 * child, the school, the address and contacts, the referrer, and the notice itself. Nothing else
 * is assumed. The child's situation is left for the school to choose, because "educated at home"
 * is refused by the scope check and only the school knows whether the pupil is still on its roll;
 * so are a new address, safeguarding, the actions taken and other professionals.
 */
export function prefillEheReferral(src: EhePrefillSource): Answers {
  const { pupil, notice } = src
  const home = `the parent gave the school written notice, received on ${formatLongDate(notice.receivedOn)}, that the child will be educated at home from ${formatLongDate(notice.educatedFrom)}`
  const details = [
    `Elective home education: ${home}.`,
    // Only what has happened: "not yet verified" would go stale in a draft finished later.
    notice.verifiedOn ? `The EWS Operational Manager verified the notice on ${formatLongDate(notice.verifiedOn)}.` : '',
    notice.laConsentOn ? `The local authority consented on ${formatLongDate(notice.laConsentOn)}.` : '',
  ].filter(Boolean)
  return {
    child: childAnswers(pupil, src.socialCare),
    school: {
      lastSchool: lastSchoolAnswers(
        src.school,
        src.lastAttendedOn ? { answer: 'date', date: src.lastAttendedOn } : undefined,
      ),
    },
    address: addressAnswers(pupil, undefined),
    destination: { school: { answer: 'not-known', reason: `No new school: ${home}` } },
    additional: { answer: 'yes', details: details.join(' ') },
    referrer: referrerAnswers(src.referrer),
  }
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
