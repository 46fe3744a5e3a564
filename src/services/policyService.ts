import type { Deps } from './deps.js'

/** Policy versions: the timescales as dated data (issue 4). */
export function createPolicyService(_deps: Deps) {
  return {}
}
