import { isIsoDate, type IsoDate } from './dates.js'
import type { StageTwoSource } from './case.js'

/**
 * The review of a case closed as not found (domain.md §5; protocol Appendix D): at each review date
 * the reviewer checks the data sources again, records which, what they found, and either confirms the
 * closure or reopens the case on the new information (through the lifecycle's `reopen`).
 */
export const REVIEW_DECISIONS = {
  confirm: 'Still not found: confirm the closure',
  reopen: 'New information: reopen the case',
} as const
export type ReviewDecision = keyof typeof REVIEW_DECISIONS
export const isReviewDecision = (v: string): v is ReviewDecision => Object.hasOwn(REVIEW_DECISIONS, v)

export const FINDINGS_MAX = 5000

export interface UnfoundReview {
  /** Keys of the stage two sources checked again. */
  sources: string[]
  reviewedOn: IsoDate
  findings: string
  decision: ReviewDecision
}

export type ReviewResult = { ok: true; value: UnfoundReview } | { ok: false; errors: Record<string, string> }

/**
 * Checks a review as typed. At least one source must have been checked again (a review with no checks
 * is not a review), the date cannot be in the future, and the findings are needed either way: they are
 * the record that the review was done, and on reopening they are the case's new information.
 */
export function validateUnfoundReview(
  raw: {
    sources: readonly string[]
    reviewedOn?: string | undefined
    findings?: string | undefined
    decision?: string | undefined
  },
  known: readonly StageTwoSource[],
  today: IsoDate,
): ReviewResult {
  const errors: Record<string, string> = {}
  const keys = new Set(known.map(s => s.key))
  const sources = [...new Set(raw.sources)].filter(s => keys.has(s))
  if (sources.length === 0) errors.sources = 'Select the checks you made again'
  const reviewedOn = raw.reviewedOn?.trim() ?? ''
  if (reviewedOn === '' || !isIsoDate(reviewedOn)) errors.reviewedOn = 'Enter the date of the review'
  else if (reviewedOn > today) errors.reviewedOn = 'The date of the review must be today or in the past'
  const findings = raw.findings?.trim() ?? ''
  if (findings === '') errors.findings = 'Enter what the checks found'
  else if (findings.length > FINDINGS_MAX)
    errors.findings = `What the checks found must be ${String(FINDINGS_MAX)} characters or fewer`
  const decision = raw.decision ?? ''
  if (!isReviewDecision(decision)) errors.decision = 'Select whether to confirm the closure or reopen the case'
  if (Object.keys(errors).length > 0 || !isReviewDecision(decision)) return { ok: false, errors }
  return { ok: true, value: { sources, reviewedOn, findings, decision } }
}
