import type { Deps } from './deps.js'

/** The CME referral: drafts, submission, receipt (issue 5). */
export function createReferralService(_deps: Deps) {
  return {}
}
