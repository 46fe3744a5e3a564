import type { Deps } from './deps.js'

/** School calendars: the LA default and schools' own (issue 4). */
export function createCalendarService(_deps: Deps) {
  return {}
}
