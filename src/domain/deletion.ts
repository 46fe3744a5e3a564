import { addDays, maxDate, type IsoDate } from './dates.js'
import { compulsorySchoolAge } from './schoolAge.js'
import type { Answer, SchoolDays } from './schoolDays.js'

/**
 * Deletion from the admission register: SI 2024/208 reg 9(1), Grounds A-O (law-and-formats.md
 * §2.1), plus the borough protocol's own blocks (domain.md §3.5). A name may be deleted when,
 * and only when, a ground applies, and never retrospectively; so this module answers "may the
 * school delete today, under which ground, and if not, why not and from when", and it never
 * guesses a school day it cannot count.
 */

export const GROUND_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O'] as const
export type GroundLetter = (typeof GROUND_LETTERS)[number]

/** Confidence of our reading of the 2024 text, as tagged in law-and-formats.md. */
export type GroundConfidence = 'V' | 'S' | 'S/M' | 'M'

/** Grounds whose conditions a school knows and we cannot check from facts; the school confirms them. */
export const SCHOOL_CONFIRMS_GROUNDS = ['B', 'D', 'E', 'J', 'M', 'N'] as const
export type SchoolConfirmsGround = (typeof SCHOOL_CONFIRMS_GROUNDS)[number]

export interface DeletionGround {
  letter: GroundLetter
  regulation: string
  title: string
  /** Plain words for a school administrator. */
  summary: string
  conditions: string[]
  confidence: GroundConfidence
  /** 'facts': decided by checkDeletion; 'school-confirms': the school must confirm the conditions. */
  decidedBy: 'facts' | 'school-confirms'
  /** Whether the protocol's EHCP / looked-after block applies, and why. */
  protocolBlock: { applies: boolean; why: string }
}

const LEAVES_FOR_ELSEWHERE =
  'The child leaves this school while still of compulsory school age, so the protocol keeps an EHCP or looked-after child on roll until the new provision is confirmed and attended.'

export const DELETION_GROUNDS: Record<GroundLetter, DeletionGround> = {
  A: {
    letter: 'A',
    regulation: '9(1)(a)',
    title: 'Registered at another school',
    summary: 'The pupil is now on the roll of another school.',
    conditions: [
      'The pupil has been registered at another school',
      'No school attendance order naming this school is in force',
      'The pupil is not a mobile child for whom this is the main school',
      'This school has not agreed that the pupil be registered at more than one school',
    ],
    confidence: 'V',
    decidedBy: 'facts',
    protocolBlock: { applies: true, why: LEAVES_FOR_ELSEWHERE },
  },
  B: {
    letter: 'B',
    regulation: '9(1)(b)',
    title: 'Completed nursery education and not continuing',
    summary: 'The pupil came for nursery education, has finished it, and is not expected to come back for reception.',
    conditions: [
      'The pupil was admitted for nursery education and has completed it',
      'The pupil would move into reception (or a more senior class) if they carried on at the school',
      'The school has no reasonable grounds to believe the pupil will attend again',
    ],
    confidence: 'V',
    decidedBy: 'school-confirms',
    protocolBlock: { applies: true, why: LEAVES_FOR_ELSEWHERE },
  },
  C: {
    letter: 'C',
    regulation: '9(1)(c)',
    title: 'Also registered elsewhere and not coming back here',
    summary: 'The pupil is dual registered, will not attend this school again, and every other school agrees.',
    conditions: [
      'The pupil is also registered at one or more other schools',
      'The school has no reasonable grounds to believe the pupil will attend again',
      'Every other school where the pupil is registered has consented to the deletion',
      'No school attendance order naming this school is in force',
      'The pupil is not a mobile child for whom this is the main school',
    ],
    confidence: 'V',
    decidedBy: 'facts',
    protocolBlock: { applies: true, why: LEAVES_FOR_ELSEWHERE },
  },
  D: {
    letter: 'D',
    regulation: '9(1)(d)',
    title: 'School attendance order amended to name another school',
    summary: 'The LA has changed the pupil’s school attendance order so that it names a different school.',
    conditions: [
      'A school attendance order formerly naming this school has been amended by the LA to name another school',
    ],
    confidence: 'V',
    decidedBy: 'school-confirms',
    protocolBlock: { applies: true, why: LEAVES_FOR_ELSEWHERE },
  },
  E: {
    letter: 'E',
    regulation: '9(1)(e)',
    title: 'School attendance order revoked',
    summary: 'The LA has revoked the order naming this school because suitable education is arranged elsewhere.',
    conditions: [
      'A school attendance order naming this school has been revoked by the LA',
      'It was revoked because arrangements have been made for suitable education otherwise than at school',
    ],
    confidence: 'V',
    decidedBy: 'school-confirms',
    protocolBlock: { applies: true, why: LEAVES_FOR_ELSEWHERE },
  },
  F: {
    letter: 'F',
    regulation: '9(1)(f)',
    title: 'Elective home education',
    summary: 'A parent has told the school in writing that the child is being educated otherwise than at school.',
    conditions: [
      'A parent has notified the school in writing that the pupil is receiving education otherwise than at school',
      'The date the parent gave has passed (delete once it has)',
      'No school attendance order naming this school is in force',
      'If the LA placed the pupil at a special school, the LA has consented',
    ],
    confidence: 'S',
    decidedBy: 'facts',
    protocolBlock: { applies: true, why: LEAVES_FOR_ELSEWHERE },
  },
  G: {
    letter: 'G',
    regulation: '9(1)(g)',
    title: 'No longer lives within a reasonable distance',
    summary: 'The pupil has moved and no longer ordinarily lives within a reasonable distance of the school.',
    conditions: [
      'The pupil no longer ordinarily lives within a reasonable distance of the school',
      'The pupil is not a boarder',
    ],
    confidence: 'S',
    decidedBy: 'facts',
    protocolBlock: { applies: true, why: LEAVES_FOR_ELSEWHERE },
  },
  H: {
    letter: 'H',
    regulation: '9(1)(h)',
    title: 'Did not return after a leave of absence',
    summary: 'The pupil has not come back after a leave of absence and neither the school nor the LA can find them.',
    conditions: [
      'The pupil has not attended within the set number of school days after the leave of absence ended (10 in the 2006 rule)',
      'The school has no reasonable grounds to believe the pupil cannot attend because of sickness or an unavoidable cause',
      'The school and the LA have failed, after jointly making reasonable enquiries, to find where the pupil is',
    ],
    confidence: 'S/M',
    decidedBy: 'facts',
    protocolBlock: { applies: true, why: LEAVES_FOR_ELSEWHERE },
  },
  I: {
    letter: 'I',
    regulation: '9(1)(i)',
    title: 'Continuously absent for 20 school days',
    summary: 'The pupil has been absent for at least 20 school days in a row and nobody can find them.',
    conditions: [
      'The pupil has been continuously absent for at least 20 school days',
      'Every session in that period is coded G, N or O',
      'The school has no reasonable grounds to believe the pupil cannot attend because of sickness or an unavoidable cause',
      'The school and the LA have failed, after jointly making reasonable enquiries, to find where the pupil is',
    ],
    confidence: 'S',
    decidedBy: 'facts',
    protocolBlock: { applies: true, why: LEAVES_FOR_ELSEWHERE },
  },
  J: {
    letter: 'J',
    regulation: '9(1)(j)',
    title: 'Detained under a sentence',
    summary: 'The pupil is detained under a court sentence and is not expected back when it ends.',
    conditions: [
      'The pupil is detained under a sentence of detention (2006 rule: a final court order of at least 4 months)',
      'The school has no reasonable grounds to believe the pupil will return at the end of it',
    ],
    confidence: 'S/M',
    decidedBy: 'school-confirms',
    protocolBlock: { applies: true, why: LEAVES_FOR_ELSEWHERE },
  },
  K: {
    letter: 'K',
    regulation: '9(1)(k)',
    title: 'The pupil has died',
    summary: 'The pupil has died.',
    conditions: ['The pupil has died'],
    confidence: 'S',
    decidedBy: 'facts',
    protocolBlock: { applies: false, why: 'The child has died: there is no provision to wait for.' },
  },
  L: {
    letter: 'L',
    regulation: '9(1)(l)',
    title: 'Leaving at the end of compulsory school age',
    summary: 'The pupil will stop being of compulsory school age before the school next meets and is not staying on.',
    conditions: [
      'The pupil will cease to be of compulsory school age before the school next meets',
      'A parent has said the pupil will stop attending, or the pupil does not meet the sixth-form entry requirements',
    ],
    confidence: 'S',
    decidedBy: 'facts',
    protocolBlock: {
      applies: false,
      why: 'The protocol covers children of compulsory school age; a pupil leaving at the end of it is not missing education, and no new school provision is owed.',
    },
  },
  M: {
    letter: 'M',
    regulation: '9(1)(m)',
    title: 'Boarding fees not paid',
    summary: 'A boarder at an LA-maintained school or academy whose boarding fees have not been paid.',
    conditions: [
      'The pupil is a boarder at an LA-maintained school or an academy',
      'The charges for board and lodging have not been paid',
    ],
    confidence: 'S',
    decidedBy: 'school-confirms',
    protocolBlock: { applies: true, why: LEAVES_FOR_ELSEWHERE },
  },
  N: {
    letter: 'N',
    regulation: '9(1)(n)',
    title: 'Ceased to be a pupil at an independent or non-maintained special school',
    summary: 'The pupil has stopped being a pupil at this independent school or non-maintained special school.',
    conditions: [
      'This is an independent school or non-maintained special school',
      'The pupil has ceased to be a pupil here',
    ],
    confidence: 'S',
    decidedBy: 'school-confirms',
    protocolBlock: { applies: true, why: LEAVES_FOR_ELSEWHERE },
  },
  O: {
    letter: 'O',
    regulation: '9(1)(o)',
    title: 'Permanently excluded',
    summary: 'The pupil has been permanently excluded and the exclusion process has finished.',
    conditions: [
      'The pupil has been permanently excluded',
      'The exclusion process is complete (the governing board upheld it and the review period passed or the review concluded)',
    ],
    confidence: 'S',
    decidedBy: 'facts',
    protocolBlock: {
      applies: false,
      why: 'A permanent exclusion follows its own statutory process and the LA must arrange education from the sixth school day; the protocol cannot keep an excluded pupil on roll. The SEN team or virtual school head is still told.',
    },
  },
}

/** Codes that may make up a Ground I run (law-and-formats.md §2.3). */
export const GROUND_I_CODES: ReadonlySet<string> = new Set(['G', 'N', 'O'])

/** Codes meaning the pupil was at school or at approved education: any of them shows the pupil attended. */
const ATTENDED_CODES: ReadonlySet<string> = new Set(['/', '\\', 'L', 'U', 'K', 'V', 'P', 'W', 'B', 'D'])

export interface SessionMarks {
  date: IsoDate
  am: string
  pm: string
}

export interface PupilFacts {
  dateOfBirth?: IsoDate
  lastAttendedOn: IsoDate
  /** Attendance codes for each school day since the last attendance, oldest first. */
  sessions: readonly SessionMarks[]
  hasEhcp: boolean
  lookedAfter: boolean
  placedByLaAtSpecialSchool: boolean
  laConsentToEheDeletion?: boolean
  saoNamingSchoolInForce: boolean
  /** A new school or provision is confirmed and the child is attending there. */
  newProvisionConfirmed: boolean
  /** Protocol: the LA's SEN team has been consulted (pupils with an EHCP). */
  senTeamConsulted?: boolean
  /** Protocol: the virtual school head has been told (looked-after children). */
  virtualSchoolHeadInformed?: boolean
  registeredAtAnotherSchool?: {
    confirmedOn: IsoDate
    mobileChildMainSchoolHere?: boolean
    dualRegistrationAgreed?: boolean
  }
  /** Ground C: the pupil is also registered at other schools. */
  alsoRegisteredElsewhere?: {
    allOtherSchoolsConsentedOn?: IsoDate
    noReasonToBelieveWillAttend: boolean
    mobileChildMainSchoolHere?: boolean
  }
  writtenEheNotice?: { receivedOn: IsoDate; educatedFrom: IsoDate }
  /** Protocol: the EWS Operational Manager has verified the home-education notice. */
  eheVerifiedByEwsOn?: IsoDate
  /** Ground H and I need JOINT enquiries: the LA's part is recorded by the CME team. */
  enquiries: { schoolMade: boolean; laPartRecordedOn?: IsoDate }
  reasonToBelieveSicknessOrUnavoidableCause: boolean
  /** The last day of an authorised leave of absence. */
  leaveOfAbsenceEndedOn?: IsoDate
  noLongerLivesWithinReasonableDistance?: { confirmedOn: IsoDate }
  isBoarder?: boolean
  diedOn?: IsoDate
  permanentlyExcludedOn?: IsoDate
  exclusionReviewComplete?: boolean
  /** Ground L: the school's reason the pupil is not continuing; the end of compulsory school age comes from dateOfBirth. */
  ceasesCompulsorySchoolAgeNotContinuing?: { because: 'parent-says-leaving' | 'entry-requirements-not-met' }
  /** The school confirms the conditions of a ground we cannot check, from the given date. */
  confirmedBySchool?: Partial<Record<SchoolConfirmsGround, IsoDate>>
  /** Protocol (Grounds H and I): the Education Welfare Service discussed and agreed the removal. */
  ewsAgreedRemoval?: boolean
  /** Protocol (Grounds H and I): a CME referral has been made. */
  cmeReferralMadeOn?: IsoDate
  /** Protocol (Grounds H and I): any cause for concern keeps the name on roll. */
  safeguardingConcern?: boolean
}

export interface DeletionContext {
  today: IsoDate
  schoolDays: SchoolDays
  /** Policy groundIAbsenceDays. */
  groundIDays: number
  /** Policy groundHLeaveDays. */
  groundHDays: number
  /** Policy codeNReplacedDays; only used for a warning. Default 5. */
  codeNDays?: number
}

/**
 * 'applies': lawful today. 'waiting': only time stands in the way (earliestDate says when).
 * 'blocked': something other than time. 'not-indicated': no fact points at this ground.
 * 'needs-confirmation': a ground only the school can confirm. 'problem': the calendar could not answer.
 */
export type GroundStatus = 'applies' | 'waiting' | 'blocked' | 'not-indicated' | 'needs-confirmation' | 'problem'

export interface GroundCheck {
  ground: GroundLetter
  applies: boolean
  status: GroundStatus
  /** The first date the ground applies if nothing else changes; only for 'applies' (today) and 'waiting'. */
  earliestDate?: IsoDate
  blockers: string[]
}

export interface DeletionCheck {
  allowedToday: boolean
  grounds: GroundCheck[]
  applicableGrounds: GroundLetter[]
  /** Today when allowed; else the first date a waiting ground applies if nothing else changes. */
  earliestDate?: IsoDate
  /** Every reason deletion is blocked today, for the school. Empty when allowed. */
  reasons: string[]
  /** The borough protocol's blocks (not the law's) among those reasons. */
  protocolBlocks: string[]
  /** Calendar problems: school days could not be counted, so nothing was guessed. */
  problems: string[]
  /** Things to fix or do that do not block deletion. */
  warnings: string[]
}

/** What one ground's evaluation found, before the protocol block and today's date are applied. */
interface Finding {
  indicated: boolean
  blockers: string[]
  protocolBlockers: string[]
  /** The dated conditions hold from this date. */
  from?: IsoDate
  /** What the school is waiting for, shown while from is after today. */
  waitingFor?: string
  problem?: string
  needsConfirmation?: boolean
}

const finding = (partial: Partial<Finding> & { indicated: boolean }): Finding => ({
  blockers: [],
  protocolBlockers: [],
  ...partial,
})

const notIndicated = (why: string): Finding => finding({ indicated: false, blockers: [why] })

const SESSION_WORD = { am: 'morning', pm: 'afternoon' } as const

const normalise = (code: string): string => code.trim().toUpperCase()

function list(items: string[], max = 5): string {
  if (items.length <= max) return items.join('; ')
  return `${items.slice(0, max).join('; ')}; and ${items.length - max} more`
}

function jointEnquiryBlockers(facts: PupilFacts, ground: 'H' | 'I'): string[] {
  const out: string[] = []
  if (facts.reasonToBelieveSicknessOrUnavoidableCause)
    out.push(
      `Ground ${ground}: the school has reason to believe the pupil cannot attend because of sickness or an unavoidable cause`,
    )
  if (!facts.enquiries.schoolMade)
    out.push(`Ground ${ground}: the school has not recorded its reasonable enquiries to find the pupil`)
  if (!facts.enquiries.laPartRecordedOn)
    out.push(
      `Ground ${ground}: the LA’s part of the joint enquiries has not been recorded by the CME team; the school and the LA must enquire jointly, and separate enquiries do not count`,
    )
  return out
}

/** The protocol's own conditions before removing a child whose whereabouts are unknown (domain.md §3.5). */
function whereaboutsProtocolBlockers(facts: PupilFacts): string[] {
  const out: string[] = []
  if (facts.safeguardingConcern)
    out.push(
      'There is a cause for concern about the child: under the borough protocol the name stays on roll until it is resolved with social care, the police or other agencies',
    )
  if (!facts.ewsAgreedRemoval)
    out.push('The Education Welfare Service has not yet discussed and agreed the removal (borough protocol)')
  if (!facts.cmeReferralMadeOn)
    out.push('No CME referral has been made to the LA’s CME team; the borough protocol requires one before removal')
  return out
}

function checkGroundI(facts: PupilFacts, ctx: DeletionContext, warnings: string[]): Finding {
  if (facts.sessions.length === 0)
    return notIndicated('Ground I: no absence has been recorded since the pupil last attended')
  const required = ctx.groundIDays
  const blockers: string[] = []

  const badCodes: string[] = []
  for (const s of facts.sessions)
    for (const half of ['am', 'pm'] as const) {
      const code = normalise(s[half])
      if (!GROUND_I_CODES.has(code))
        badCodes.push(`${s.date} ${SESSION_WORD[half]} is ${code === '' ? 'not coded' : `coded ${code}`}`)
    }
  if (badCodes.length > 0) blockers.push(`Ground I needs every session coded G, N or O, but ${list(badCodes)}`)

  const first = ctx.schoolDays.next(facts.lastAttendedOn)
  if (!first.ok) return finding({ indicated: true, blockers, problem: first.problem })
  const last = required <= 1 ? first : ctx.schoolDays.add(first.value, required - 1)
  if (!last.ok) return finding({ indicated: true, blockers, problem: last.problem })
  const lastDayOfRun = last.value

  // Walk the register one school day at a time: a missing, repeated or future day means the run cannot be shown.
  let expected = first.value
  let covered = 0
  let broken = false
  for (const s of facts.sessions) {
    if (s.date > ctx.today) {
      blockers.push(`Ground I: the register has codes for ${s.date}, which is after today`)
      broken = true
      break
    }
    if (s.date !== expected) {
      broken = true
      blockers.push(
        s.date < expected
          ? `Ground I: the register entry for ${s.date} is out of order, repeated or not on a school day`
          : `Ground I: there are no register codes for ${expected}, a school day in the absence`,
      )
      break
    }
    covered += 1
    const next = ctx.schoolDays.next(expected)
    if (!next.ok) {
      if (covered >= required) break
      return finding({ indicated: true, blockers, problem: next.problem })
    }
    expected = next.value
  }
  if (covered < required && lastDayOfRun < ctx.today && !broken)
    blockers.push(
      `Ground I: the register has no codes from ${expected}; every session of the ${required} school days must be coded`,
    )

  const codeNDays = ctx.codeNDays ?? 5
  const staleN = facts.sessions.filter(s => {
    if (normalise(s.am) !== 'N' && normalise(s.pm) !== 'N') return false
    const due = ctx.schoolDays.add(s.date, codeNDays)
    return due.ok && due.value < ctx.today
  })
  if (staleN.length > 0)
    warnings.push(
      `Code N (reason not yet established) must be replaced within ${codeNDays} school days; still N on ${list(staleN.map(s => s.date))}`,
    )

  blockers.push(...jointEnquiryBlockers(facts, 'I'))
  const completeAfter = addDays(lastDayOfRun, 1)
  return finding({
    indicated: true,
    blockers,
    protocolBlockers: whereaboutsProtocolBlockers(facts),
    from: facts.enquiries.laPartRecordedOn ? maxDate(completeAfter, facts.enquiries.laPartRecordedOn) : completeAfter,
    waitingFor: `Ground I: ${Math.min(covered, required)} of ${required} school days of continuous absence so far; the ${required}th is ${lastDayOfRun}`,
  })
}

function checkGroundH(facts: PupilFacts, ctx: DeletionContext): Finding {
  const ended = facts.leaveOfAbsenceEndedOn
  if (!ended) return notIndicated('Ground H: no leave of absence is recorded')
  const blockers: string[] = []
  if (facts.lastAttendedOn > ended)
    blockers.push(
      `Ground H: the pupil attended on ${facts.lastAttendedOn}, after the leave of absence ended on ${ended}`,
    )
  const window = ctx.schoolDays.add(ended, ctx.groundHDays)
  if (!window.ok) return finding({ indicated: true, blockers, problem: window.problem })
  const attended = facts.sessions.filter(
    s =>
      s.date > ended &&
      s.date <= window.value &&
      (ATTENDED_CODES.has(normalise(s.am)) || ATTENDED_CODES.has(normalise(s.pm))),
  )
  if (attended.length > 0)
    blockers.push(`Ground H: the register shows the pupil attending on ${list(attended.map(s => s.date))}`)
  blockers.push(...jointEnquiryBlockers(facts, 'H'))
  const completeAfter = addDays(window.value, 1)
  return finding({
    indicated: true,
    blockers,
    protocolBlockers: whereaboutsProtocolBlockers(facts),
    from: facts.enquiries.laPartRecordedOn ? maxDate(completeAfter, facts.enquiries.laPartRecordedOn) : completeAfter,
    waitingFor: `Ground H: the ${ctx.groundHDays} school days after the leave ended run to ${window.value}`,
  })
}

function checkGroundA(facts: PupilFacts): Finding {
  const other = facts.registeredAtAnotherSchool
  if (!other) return notIndicated('Ground A: no registration at another school is confirmed')
  const blockers: string[] = []
  if (facts.saoNamingSchoolInForce)
    blockers.push(
      'Ground A: a school attendance order naming this school is in force; the LA must amend it first (Ground D)',
    )
  if (other.mobileChildMainSchoolHere)
    blockers.push('Ground A: the pupil is a mobile child and this is their main school')
  if (other.dualRegistrationAgreed)
    blockers.push('Ground A: the school agreed the pupil may be registered at more than one school; see Ground C')
  return finding({
    indicated: true,
    blockers,
    from: other.confirmedOn,
    waitingFor: 'Ground A: the other registration is confirmed',
  })
}

function checkGroundC(facts: PupilFacts): Finding {
  const dual = facts.alsoRegisteredElsewhere
  if (!dual) return notIndicated('Ground C: the pupil is not recorded as registered at another school as well')
  const blockers: string[] = []
  if (!dual.noReasonToBelieveWillAttend)
    blockers.push('Ground C: the school has reasonable grounds to believe the pupil will attend again')
  if (!dual.allOtherSchoolsConsentedOn)
    blockers.push('Ground C: not every other school where the pupil is registered has consented to the deletion')
  if (facts.saoNamingSchoolInForce) blockers.push('Ground C: a school attendance order naming this school is in force')
  if (dual.mobileChildMainSchoolHere)
    blockers.push('Ground C: the pupil is a mobile child and this is their main school')
  return finding({
    indicated: true,
    blockers,
    ...(dual.allOtherSchoolsConsentedOn
      ? { from: dual.allOtherSchoolsConsentedOn, waitingFor: 'Ground C: the other schools’ consent is dated' }
      : {}),
  })
}

function checkGroundF(facts: PupilFacts): Finding {
  const notice = facts.writtenEheNotice
  if (!notice) return notIndicated('Ground F: no written notice of home education from a parent is recorded')
  const blockers: string[] = []
  const protocolBlockers: string[] = []
  if (facts.saoNamingSchoolInForce) blockers.push('Ground F: a school attendance order naming this school is in force')
  if (facts.placedByLaAtSpecialSchool && !facts.laConsentToEheDeletion)
    blockers.push('Ground F: the LA placed the pupil at this special school, so the LA must consent first')
  if (!facts.eheVerifiedByEwsOn)
    protocolBlockers.push(
      'The EWS Operational Manager has not yet verified the home-education notice (borough protocol)',
    )
  if (facts.hasEhcp && !facts.laConsentToEheDeletion)
    protocolBlockers.push(
      'The pupil has an EHCP: the LA must agree before the name is removed for home education (borough protocol)',
    )
  // "Once the stated date has passed": the day after it, and never before the notice arrived.
  const from = maxDate(notice.receivedOn, addDays(notice.educatedFrom, 1))
  return finding({
    indicated: true,
    blockers,
    protocolBlockers,
    from: facts.eheVerifiedByEwsOn ? maxDate(from, facts.eheVerifiedByEwsOn) : from,
    waitingFor: `Ground F: the date the parent gave (${notice.educatedFrom}) has not yet passed`,
  })
}

function checkGroundG(facts: PupilFacts): Finding {
  const moved = facts.noLongerLivesWithinReasonableDistance
  if (!moved) return notIndicated('Ground G: no move beyond a reasonable distance is confirmed')
  const blockers = facts.isBoarder ? ['Ground G does not apply to a boarder'] : []
  return finding({ indicated: true, blockers, from: moved.confirmedOn, waitingFor: 'Ground G: the move is confirmed' })
}

function checkGroundK(facts: PupilFacts, ctx: DeletionContext): Finding {
  if (!facts.diedOn) return notIndicated('Ground K: no date of death is recorded')
  if (facts.diedOn > ctx.today)
    return finding({
      indicated: true,
      blockers: [`Ground K: the date of death ${facts.diedOn} is after today; check it`],
    })
  return finding({ indicated: true, from: facts.diedOn })
}

/** The last school day on or before a date, looking back at most a year (a summer holiday is far shorter). */
function lastSchoolDayOnOrBefore(date: IsoDate, schoolDays: SchoolDays): Answer<IsoDate> {
  for (let back = 0; back <= 366; back += 1) {
    const day = addDays(date, -back)
    const is = schoolDays.isSchoolDay(day)
    if (!is.ok) return is
    if (is.value) return { ok: true, value: day }
  }
  return { ok: false, problem: `No school day in the year before ${date} in the ${schoolDays.name} calendar` }
}

function checkGroundL(facts: PupilFacts, ctx: DeletionContext): Finding {
  if (!facts.ceasesCompulsorySchoolAgeNotContinuing)
    return notIndicated('Ground L: the pupil is not recorded as leaving at the end of compulsory school age')
  if (!facts.dateOfBirth)
    return finding({
      indicated: true,
      blockers: ['Ground L: enter the pupil’s date of birth so the end of compulsory school age can be worked out'],
    })
  const endsOn = compulsorySchoolAge(facts.dateOfBirth).endsOn
  // "Before the school next meets": every day from the last school day up to the end of compulsory school age qualifies.
  const lastDay = lastSchoolDayOnOrBefore(endsOn, ctx.schoolDays)
  if (!lastDay.ok) return finding({ indicated: true, problem: lastDay.problem })
  return finding({
    indicated: true,
    from: lastDay.value,
    waitingFor: `Ground L: compulsory school age ends on ${endsOn}; the school meets until ${lastDay.value}`,
  })
}

function checkGroundO(facts: PupilFacts): Finding {
  if (!facts.permanentlyExcludedOn) return notIndicated('Ground O: no permanent exclusion is recorded')
  const blockers = facts.exclusionReviewComplete
    ? []
    : [
        'Ground O: the exclusion process is not finished; delete only when the governing board has upheld it and the review period has passed or the review has concluded',
      ]
  return finding({ indicated: true, blockers, from: facts.permanentlyExcludedOn })
}

function checkSchoolConfirms(letter: SchoolConfirmsGround, facts: PupilFacts): Finding {
  const confirmedOn = facts.confirmedBySchool?.[letter]
  if (!confirmedOn)
    return finding({
      indicated: false,
      needsConfirmation: true,
      blockers: [`Needs the school to confirm: ${DELETION_GROUNDS[letter].conditions.join('; ')}`],
    })
  return finding({
    indicated: true,
    from: confirmedOn,
    waitingFor: `Ground ${letter}: the school confirms the conditions from ${confirmedOn}`,
  })
}

/** The protocol's rule for EHCP and looked-after children (domain.md §3.5), for the grounds it covers. */
function childProtocolBlockers(facts: PupilFacts): string[] {
  const out: string[] = []
  const who = [facts.hasEhcp ? 'has an EHCP' : '', facts.lookedAfter ? 'is looked after' : '']
    .filter(Boolean)
    .join(' and ')
  if (who && !facts.newProvisionConfirmed)
    out.push(
      `The pupil ${who}: under the borough protocol the name stays on roll, whatever the ground or day count, until a new education provision is confirmed and the child is attending there`,
    )
  if (facts.hasEhcp && !facts.senTeamConsulted)
    out.push('The pupil has an EHCP: consult the LA’s SEN team before removing the name (borough protocol)')
  if (facts.lookedAfter && !facts.virtualSchoolHeadInformed)
    out.push('The pupil is looked after: refer to the virtual school head before removing the name (borough protocol)')
  return out
}

function evaluate(letter: GroundLetter, facts: PupilFacts, ctx: DeletionContext, warnings: string[]): Finding {
  switch (letter) {
    case 'A':
      return checkGroundA(facts)
    case 'C':
      return checkGroundC(facts)
    case 'F':
      return checkGroundF(facts)
    case 'G':
      return checkGroundG(facts)
    case 'H':
      return checkGroundH(facts, ctx)
    case 'I':
      return checkGroundI(facts, ctx, warnings)
    case 'K':
      return checkGroundK(facts, ctx)
    case 'L':
      return checkGroundL(facts, ctx)
    case 'O':
      return checkGroundO(facts)
    case 'B':
    case 'D':
    case 'E':
    case 'J':
    case 'M':
    case 'N':
      return checkSchoolConfirms(letter, facts)
  }
}

const unique = (items: string[]): string[] => [...new Set(items)]

/** May the school delete the pupil's name today, under which grounds, and if not, why not and from when. */
export function checkDeletion(facts: PupilFacts, ctx: DeletionContext): DeletionCheck {
  const warnings: string[] = []
  const problems: string[] = []
  const reasons: string[] = []
  const protocolBlocks: string[] = []
  const childBlocks = childProtocolBlockers(facts)

  const grounds = GROUND_LETTERS.map((letter): GroundCheck => {
    const f = evaluate(letter, facts, ctx, warnings)
    if (f.problem) {
      problems.push(f.problem)
      const blockers = [...f.blockers, `Ground ${letter}: school days cannot be counted: ${f.problem}`]
      reasons.push(...blockers)
      return { ground: letter, applies: false, status: 'problem', blockers }
    }
    if (!f.indicated)
      return {
        ground: letter,
        applies: false,
        status: f.needsConfirmation ? 'needs-confirmation' : 'not-indicated',
        blockers: f.blockers,
      }

    const protocol = [...f.protocolBlockers, ...(DELETION_GROUNDS[letter].protocolBlock.applies ? childBlocks : [])]
    const blockers = [...f.blockers, ...protocol]
    // Never retrospective: a condition met in the past makes the ground available from today, not from then.
    const from = f.from === undefined ? ctx.today : maxDate(f.from, ctx.today)
    if (blockers.length === 0 && from <= ctx.today)
      return { ground: letter, applies: true, status: 'applies', earliestDate: ctx.today, blockers: [] }

    protocolBlocks.push(...protocol)
    const timeBlocker = from > ctx.today ? `${f.waitingFor ?? `Ground ${letter}`}: not before ${from}` : undefined
    const all = timeBlocker ? [...blockers, timeBlocker] : blockers
    reasons.push(...all)
    if (blockers.length === 0)
      return { ground: letter, applies: false, status: 'waiting', earliestDate: from, blockers: all }
    return { ground: letter, applies: false, status: 'blocked', blockers: all }
  })

  const applicableGrounds = grounds.filter(g => g.applies).map(g => g.ground)
  const allowedToday = applicableGrounds.length > 0
  const waiting = grounds.flatMap(g => (g.status === 'waiting' && g.earliestDate ? [g.earliestDate] : [])).sort()
  const earliestDate = allowedToday ? ctx.today : waiting[0]

  if (!allowedToday && reasons.length === 0)
    reasons.push(
      'No ground for deletion applies on the facts recorded: a name may be deleted only when one of Grounds A to O applies',
    )

  return {
    allowedToday,
    grounds,
    applicableGrounds,
    ...(earliestDate ? { earliestDate } : {}),
    reasons: allowedToday ? [] : unique(reasons),
    protocolBlocks: allowedToday ? [] : unique(protocolBlocks),
    problems: unique(problems),
    warnings: unique(warnings),
  }
}

export interface ReturnField {
  key: string
  label: string
  required: boolean
  source: string
}

/**
 * The deletion return to the LA (reg 13(4)), made at the latest when the name is deleted.
 * Keys ending in [] repeat once per parent the pupil normally lives with.
 */
export function deletionReturnFields(ground: GroundLetter): ReturnField[] {
  const newSchoolKnown = ground === 'A' || ground === 'C' || ground === 'D'
  return [
    { key: 'pupil.fullName', label: 'Pupil’s full name', required: true, source: 'SI 2024/208 reg 13(4)(a) [V]' },
    { key: 'pupil.address', label: 'Pupil’s address', required: true, source: 'SI 2024/208 reg 13(4)(b) [V]' },
    {
      key: 'parents[].fullName',
      label: 'Full name of each parent the pupil normally lives with',
      required: true,
      source: 'SI 2024/208 reg 13(4)(c) [V]',
    },
    {
      key: 'parents[].address',
      label: 'Address of each parent the pupil normally lives with',
      required: true,
      source: 'SI 2024/208 reg 13(4)(c) [V]',
    },
    {
      key: 'parents[].emergencyPhone',
      label: 'Emergency telephone number for each of those parents',
      required: true,
      source: 'SI 2024/208 reg 13(4)(d) [V]',
    },
    {
      key: 'future.address',
      label: 'Address the pupil will live at, if known',
      required: false,
      source: 'SI 2024/208 reg 13(4)(e), reg 8(3) [V that it exists; content M]',
    },
    {
      key: 'future.parentName',
      label: 'Parent the pupil will live with there, if known',
      required: false,
      source: 'SI 2024/208 reg 13(4)(e), reg 8(3) [M]',
    },
    {
      key: 'future.from',
      label: 'Date the pupil will live there from, if known',
      required: false,
      source: 'SI 2024/208 reg 13(4)(e), reg 8(3) [M]',
    },
    {
      key: 'newSchool.name',
      label: newSchoolKnown ? 'New school' : 'New school, if known',
      required: newSchoolKnown,
      source: 'SI 2024/208 reg 13(4), reg 8(4)? [M]',
    },
    {
      key: 'newSchool.startsOn',
      label: newSchoolKnown ? 'Date the pupil started or starts there' : 'Date the pupil starts there, if known',
      required: newSchoolKnown,
      source: 'SI 2024/208 reg 13(4), reg 8(4)? [M]',
    },
    {
      key: 'ground',
      label: 'Ground for deletion (A to O)',
      required: true,
      source: 'SI 2024/208 reg 13(4), reg 9(1) [M]',
    },
    {
      key: 'deletedOn',
      label: 'Date the name was deleted',
      required: true,
      source: 'Borough protocol: "clearly indicate the date and the reason for removal"',
    },
  ]
}

/**
 * Standard transition (reg 13(5)): a deletion at or after the end of the last term of the
 * school year, of a pupil in the school's most senior class, needs no deletion return.
 */
export function isStandardTransition(input: {
  deletedOn: IsoDate
  /** The last day of the last term of the school year. */
  lastTermEndsOn: IsoDate
  inMostSeniorClass: boolean
}): boolean {
  return input.inMostSeniorClass && input.deletedOn >= input.lastTermEndsOn
}

/** Whether a deletion return is due: always, except a standard transition the LA has not asked about [M]. */
export function deletionReturnDue(
  input: Parameters<typeof isStandardTransition>[0] & { laAsksForTransitionReturns?: boolean },
): boolean {
  return !isStandardTransition(input) || input.laAsksForTransitionReturns === true
}
