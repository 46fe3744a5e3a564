/**
 * A pupil of concern (domain.md §3, protocol Appendix B): why the school is worried, the enquiries
 * it must make in the order Appendix B gives them, and where the concern stands. Pure: the clock
 * and the school's calendar are given.
 */
import { addDays, isBefore, type IsoDate } from './dates.js'
import type { Answer, SchoolDays } from './schoolDays.js'

export const CIRCUMSTANCES = {
  'stopped-attending': 'Stopped attending',
  'left-without-notice': 'Left without notice, or without saying which school the pupil will attend',
  'not-returned-after-leave': 'Did not return after a leave of absence',
  'place-not-taken-in-year': 'Did not take up an allocated place (in-year admission)',
  'place-not-taken-reception': 'Did not take up an allocated place (reception intake)',
  'place-not-taken-year-7': 'Did not take up an allocated place (Year 6 to Year 7 transfer)',
  'moving-abroad': 'Said to be moving abroad',
  'home-education': 'Said to be moving to home education',
} as const
export type Circumstance = keyof typeof CIRCUMSTANCES
export const isCircumstance = (v: string): v is Circumstance => Object.hasOwn(CIRCUMSTANCES, v)

/** A pupil who never came has no date of last attendance, only the day they were expected. */
export const neverAttended = (c: Circumstance): boolean => c.startsWith('place-not-taken')

export const CONTACT_KINDS = {
  'social-worker': 'Contacted the social worker',
  phone: 'Phone call',
  letter: 'Letter',
  'home-visit': 'Home visit',
  other: 'Other enquiry, like an emergency contact, a possible new school or School to School',
} as const
export type ContactKind = keyof typeof CONTACT_KINDS
export const isContactKind = (v: string): v is ContactKind => Object.hasOwn(CONTACT_KINDS, v)

export const CONTACT_RESULTS = {
  'contact-made': 'Contact made with the family',
  'no-answer': 'No answer or no reply',
  'not-at-address': 'The family no longer lives at the address',
  information: 'Some information, but the pupil not seen or confirmed',
} as const
export type ContactResult = keyof typeof CONTACT_RESULTS
export const isContactResult = (v: string): v is ContactResult => Object.hasOwn(CONTACT_RESULTS, v)

/** Who made a home visit (Appendix B: school staff, the LA's EWO, or a third-party EWS provider). */
export const VISIT_BY = {
  school: 'School staff',
  ewo: 'The education welfare officer',
  'ews-provider': 'A third-party education welfare service provider',
} as const
export type VisitBy = keyof typeof VISIT_BY
export const isVisitBy = (v: string): v is VisitBy => Object.hasOwn(VISIT_BY, v)

export interface LoggedContact {
  kind: ContactKind
  target: string | null
  result: ContactResult
  agreedPlan: string | null
  riskOfHarm: boolean
}

export interface EnquiryFacts {
  cpPlan: boolean
  childInNeed: boolean
  /** A looked-after child always has an allocated social worker, named or not. */
  lookedAfter: boolean
  socialWorker: string | null
  /** Every number on file: the pupil's contacts and emergency contacts. */
  phones: readonly string[]
  /** Every known address, including any learnt during the enquiries. */
  addresses: readonly string[]
  contacts: readonly LoggedContact[]
  ewoConsulted: boolean
  marfMade: boolean
}

/** Appendix B's first question: a child protection plan, a child in need, looked after, or a social worker. */
export const hasSocialWorker = (
  f: Pick<EnquiryFacts, 'cpPlan' | 'childInNeed' | 'lookedAfter' | 'socialWorker'>,
): boolean => f.cpPlan || f.childInNeed || f.lookedAfter || (f.socialWorker ?? '').trim() !== ''

/** A risk of harm was reported at any step, or the child is on a plan: no letters (they could warn the family). */
export const childProtectionConcern = (f: EnquiryFacts): boolean =>
  f.cpPlan || f.marfMade || f.contacts.some(c => c.riskOfHarm)

export const riskOfHarmReported = (f: EnquiryFacts): boolean => f.contacts.some(c => c.riskOfHarm)

export const contactMade = (f: EnquiryFacts): boolean => f.contacts.some(c => c.result === 'contact-made')

export type StepKey = 'social-worker' | 'phone' | 'letter' | 'home-visit' | 'ewo'
export type StepState = 'done' | 'to-do' | 'not-applicable'

export interface EnquiryStep {
  key: StepKey
  title: string
  state: StepState
  /** Why a step is not needed, or what is left of it. */
  note: string | null
  /** The numbers or addresses this step works through, each ticked off when tried. */
  targets: { target: string; tried: boolean }[]
}

const tried = (f: EnquiryFacts, kind: ContactKind, target: string) =>
  f.contacts.some(c => c.kind === kind && c.target === target)

/** The enquiries Appendix B asks for, in its order, with what each still needs. */
export function enquirySteps(f: EnquiryFacts): EnquiryStep[] {
  const steps: EnquiryStep[] = []
  if (hasSocialWorker(f)) {
    const done = f.contacts.some(c => c.kind === 'social-worker' && (c.agreedPlan ?? '').trim() !== '')
    steps.push({
      key: 'social-worker',
      title: 'Contact the social worker now and agree a plan',
      state: done ? 'done' : 'to-do',
      note: done ? null : 'Do this first, today: agree who contacts the family, and how.',
      targets: [],
    })
  }
  const phones = f.phones.map(target => ({ target, tried: tried(f, 'phone', target) }))
  steps.push({
    key: 'phone',
    title: 'Phone every number and emergency contact',
    state: phones.every(p => p.tried) ? 'done' : 'to-do',
    note: phones.length === 0 ? 'There are no numbers on file: try other enquiries.' : null,
    targets: phones,
  })
  const addresses = f.addresses.map(target => ({ target, tried: tried(f, 'letter', target) }))
  const cp = childProtectionConcern(f)
  steps.push({
    key: 'letter',
    title: 'Write to every known address',
    state: cp ? 'not-applicable' : addresses.every(a => a.tried) ? 'done' : 'to-do',
    note: cp
      ? 'Not while there is a child protection concern: a letter could alert the family.'
      : addresses.length === 0
        ? 'There is no address on file.'
        : null,
    targets: cp ? [] : addresses,
  })
  steps.push({
    key: 'home-visit',
    title: 'Make a home visit',
    state: f.contacts.some(c => c.kind === 'home-visit') ? 'done' : 'to-do',
    note: 'By school staff, the education welfare officer or a third-party education welfare service provider.',
    targets: [],
  })
  steps.push({
    key: 'ewo',
    title: 'Consult the education welfare officer',
    state: f.ewoConsulted ? 'done' : 'to-do',
    note: 'Before a CME referral, the protocol asks the school to consult its education welfare officer.',
    targets: [],
  })
  return steps
}

/** Steps not yet done, by title: what stops "whereabouts unknown" being the outcome yet. */
export const outstandingSteps = (f: EnquiryFacts): string[] =>
  enquirySteps(f)
    .filter(s => s.state === 'to-do')
    .map(s => s.title)

/**
 * School days missed, counted on the school's own calendar: from the day after the last attendance
 * (or from the first day the pupil was expected) to today, both inclusive.
 */
export function schoolDaysMissing(
  concern: { lastAttendedOn: IsoDate | null; expectedOn: IsoDate | null },
  days: SchoolDays,
  today: IsoDate,
): Answer<number> {
  const from = concern.lastAttendedOn ? addDays(concern.lastAttendedOn, 1) : concern.expectedOn
  if (!from) return { ok: false, problem: 'No date of last attendance or expected start' }
  if (isBefore(today, from)) return { ok: true, value: 0 }
  return days.count(from, today)
}
