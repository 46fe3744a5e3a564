import { formatLongDate, type IsoDate } from './dates.js'
import { compulsorySchoolAge } from './schoolAge.js'

/**
 * Whether a referral is a child missing education (domain.md §1), checked when it arrives so
 * that a child who is not CME is routed to the right team straight away instead of waiting
 * in the CME queue.
 */
export type EducationStatus =
  | 'not-on-roll' // not registered at any school or alternative provision
  | 'stopped-attending' // on a roll here but stopped attending; whereabouts unknown or unconfirmed
  | 'left-destination-unknown' // left / deleted, destination unknown or unconfirmed (incl. believed abroad)
  | 'on-roll-poor-attendance' // on roll and attending, but poorly
  | 'home-educated' // elective home education notified

export interface ScopeFacts {
  dateOfBirth: IsoDate
  status: EducationStatus
  missingFromHomeOrCare: boolean
}

export type OutOfScopeCode = 'too-young' | 'too-old' | 'attendance' | 'missing-from-care' | 'home-education'

export type ScopeResult = { inScope: true } | { inScope: false; code: OutOfScopeCode; reason: string; routeTo: string }

const outOfScope = (code: OutOfScopeCode, reason: string, routeTo: string): ScopeResult => ({
  inScope: false,
  code,
  reason,
  routeTo,
})

export function checkCmeScope(facts: ScopeFacts, on: IsoDate): ScopeResult {
  // A child missing from home or care may be in danger now; that procedure must not wait
  // behind an age or status question, so it is answered first.
  if (facts.missingFromHomeOrCare) {
    return outOfScope(
      'missing-from-care',
      'The child is missing from home or care. That is handled under the missing from home or care procedure, not as a child missing education.',
      "Report the child missing to the police and tell the child's social worker now. If the child is looked after, also tell the virtual school head.",
    )
  }

  const { startsOn, endsOn } = compulsorySchoolAge(facts.dateOfBirth)
  if (on < startsOn) {
    return outOfScope(
      'too-young',
      `The child is not yet of compulsory school age: it starts on ${formatLongDate(startsOn)}.`,
      'Contact the school admissions team about an early years or reception place.',
    )
  }
  if (on > endsOn) {
    return outOfScope(
      'too-old',
      `The child is no longer of compulsory school age: it ended on ${formatLongDate(endsOn)}.`,
      "Contact the council's post-16 participation team.",
    )
  }

  switch (facts.status) {
    case 'not-on-roll':
    case 'stopped-attending':
    case 'left-destination-unknown':
      return { inScope: true }
    case 'on-roll-poor-attendance':
      return outOfScope(
        'attendance',
        'The child is on a school roll and attending, though poorly. That is attendance work, not a child missing education.',
        "Contact the Education Welfare Service, who work with the child's school on attendance.",
      )
    case 'home-educated':
      return outOfScope(
        'home-education',
        'Elective home education has been notified for this child. That is not a child missing education.',
        "Contact the council's elective home education team, who check that the education is suitable.",
      )
    default:
      return unreachable(facts.status)
  }
}

function unreachable(status: never): never {
  throw new RangeError(`Unknown education status: ${String(status)}`)
}
