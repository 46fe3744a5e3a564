/**
 * The outcomes of a school's enquiries, as Appendix B and "Information and Guidance for Schools"
 * have them (domain.md §3.4): which need a CME referral, which close the concern, and what must
 * be true before each may be recorded. Pure.
 */
export const OUTCOMES = {
  'absence-explained': 'Contact made and the absence explained satisfactorily',
  returned: 'The pupil has come back to school',
  'new-school': 'Confirmed on roll at a new school',
  'not-confirmed': 'Some information, but the pupil is not independently confirmed at a new school',
  'left-uk': 'The child or family has left the UK',
  'whereabouts-unknown': 'Contact unsuccessful: whereabouts unknown',
  'home-education': 'The parent has said they will educate the pupil at home',
} as const
export type Outcome = keyof typeof OUTCOMES
export const isOutcome = (v: string): v is Outcome => Object.hasOwn(OUTCOMES, v)

export interface OutcomeInput {
  outcome: Outcome
  contactMade: boolean
  /** Titles of enquiry steps not yet done (pupilConcern.ts outstandingSteps). */
  outstanding: readonly string[]
  ewoConsulted: boolean
  explanation: string
  newSchool: string
  /** The new school has confirmed the pupil is on its roll (the school liaised with it). */
  newSchoolConfirmed: boolean
  /** The date the pupil's records were requested by (or sent to) the new school. */
  recordsRequestedOn: string | undefined
}

export interface OutcomeDecision {
  /** A CME referral is needed: within the policy's school days of the enquiries failing. */
  referral: boolean
  /** The concern is finished with (further steps, like deletion, are their own journeys). */
  closes: boolean
  /** Where the school goes next. */
  next: 'none' | 'deletion-check' | 'home-education' | 'cme-referral'
}

export type OutcomeProblem = { field: string; message: string }

const DECISIONS: Record<Outcome, OutcomeDecision> = {
  'absence-explained': { referral: false, closes: true, next: 'none' },
  returned: { referral: false, closes: true, next: 'none' },
  'new-school': { referral: false, closes: true, next: 'deletion-check' },
  'not-confirmed': { referral: true, closes: false, next: 'cme-referral' },
  'left-uk': { referral: true, closes: false, next: 'cme-referral' },
  'whereabouts-unknown': { referral: true, closes: false, next: 'cme-referral' },
  'home-education': { referral: false, closes: true, next: 'home-education' },
}

export function decideOutcome(
  input: OutcomeInput,
): { ok: true; decision: OutcomeDecision } | { ok: false; problems: OutcomeProblem[] } {
  const problems: OutcomeProblem[] = []
  const decision = DECISIONS[input.outcome]
  switch (input.outcome) {
    case 'absence-explained':
      if (!input.contactMade)
        problems.push({
          field: 'outcome',
          message: 'Log the contact with the family that explained the absence before recording this outcome',
        })
      if (input.explanation.trim() === '')
        problems.push({ field: 'explanation', message: 'Enter how the absence was explained' })
      break
    case 'new-school':
      if (input.newSchool.trim() === '')
        problems.push({ field: 'newSchool', message: 'Enter the name of the new school' })
      if (!input.newSchoolConfirmed)
        problems.push({
          field: 'newSchoolConfirmed',
          message:
            'The new school must confirm the pupil is on its roll. If it has not, choose "not independently confirmed": a CME referral is needed',
        })
      if (!input.recordsRequestedOn)
        problems.push({
          field: 'recordsRequestedOn',
          message: 'Enter the date the new school asked for (or was sent) the pupil’s records',
        })
      break
    case 'whereabouts-unknown':
      for (const step of input.outstanding)
        problems.push({ field: 'outcome', message: `Finish the enquiries first: ${step.toLowerCase()}` })
      if (input.outstanding.length === 0 && !input.ewoConsulted)
        problems.push({ field: 'outcome', message: 'Consult the education welfare officer before referring' })
      break
    case 'not-confirmed':
    case 'left-uk':
      if (!input.ewoConsulted)
        problems.push({ field: 'outcome', message: 'Consult the education welfare officer before referring' })
      break
    case 'returned':
    case 'home-education':
      break
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, decision }
}

export const outcomeDecision = (outcome: Outcome): OutcomeDecision => DECISIONS[outcome]
