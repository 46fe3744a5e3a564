/**
 * Where a pupil of concern stands, for the school's dashboard: one status tag, the next step and
 * its deadline. The deadline that the protocol fixes is the CME referral's (policy
 * `schoolReferralDays` school days after the enquiries failed); a social worker is contacted "now".
 */
import { isBefore, type IsoDate } from './dates.js'
import { outcomeDecision, type Outcome } from './enquiryOutcome.js'
import { enquirySteps, riskOfHarmReported, type EnquiryFacts } from './pupilConcern.js'

export type TagColour = 'red' | 'orange' | 'yellow' | 'blue' | 'light-blue' | 'green' | 'grey' | 'purple'

export interface ConcernProgress {
  tag: { text: string; colour: TagColour }
  nextStep: string
  dueOn: IsoDate | null
  overdue: boolean
}

export interface ProgressInput {
  facts: EnquiryFacts
  status: 'open' | 'closed'
  outcome: Outcome | null
  recordedOn: IsoDate
  referralDueOn: IsoDate | null
  /** The referral made from this concern, if any: its status ('draft', 'submitted', 'returned', ...). */
  referralStatus: string | null
  today: IsoDate
}

const progress = (text: string, colour: TagColour, nextStep: string, dueOn: IsoDate | null, today: IsoDate) => ({
  tag: { text, colour },
  nextStep,
  dueOn,
  overdue: dueOn !== null && isBefore(dueOn, today),
})

export function concernProgress(p: ProgressInput): ConcernProgress {
  const { today } = p
  if (riskOfHarmReported(p.facts) && !p.facts.marfMade)
    return progress('Risk of harm', 'red', 'Make a child protection referral (MARF) now', today, today)
  if (p.outcome) {
    const d = outcomeDecision(p.outcome)
    if (d.next === 'cme-referral') {
      if (p.referralStatus === null)
        return progress('Refer to CME', 'red', 'Make the CME referral', p.referralDueOn, today)
      if (p.referralStatus === 'draft')
        return progress('Referral not sent', 'orange', 'Finish and submit the CME referral', p.referralDueOn, today)
      if (p.referralStatus === 'returned')
        return progress(
          'Referral returned',
          'red',
          'Add what the CME team asked for and submit again',
          p.referralDueOn,
          today,
        )
      if (p.referralStatus === 'accepted')
        return progress('CME case open', 'blue', 'The CME team is looking for the child', null, today)
      return progress('Referred to CME', 'blue', 'The CME team will triage the referral', null, today)
    }
    if (d.next === 'deletion-check')
      return progress(
        'At a new school',
        'green',
        'Send the CTF and check whether the pupil can be removed from the roll',
        null,
        today,
      )
    if (d.next === 'home-education')
      return progress('Home education', 'purple', 'Record the parent’s written notice', null, today)
    return progress('Closed', 'grey', 'None', null, today)
  }
  if (p.status === 'closed') return progress('Closed', 'grey', 'None', null, today)
  const next = enquirySteps(p.facts).find(s => s.state === 'to-do')
  if (next?.key === 'social-worker') return progress('Contact social worker', 'red', next.title, p.recordedOn, today)
  if (next) return progress('Enquiries under way', 'light-blue', next.title, null, today)
  return progress('Decide the outcome', 'yellow', 'Record the outcome of the enquiries', null, today)
}
