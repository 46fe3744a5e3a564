import type { Deps } from './deps.js'

/** The rules engine for people and other systems (issue 4). */
export function createRulesService(_deps: Deps) {
  return {}
}
