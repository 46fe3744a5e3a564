import type { Kysely } from 'kysely'
import type { Clock } from '../domain/clock.js'
import type { Database } from '../data/schema.js'

/** Demo term dates (issue 4): the LA's for 2025/26 and 2026/27, and one academy's own. */
export async function loadDemoCalendars(_db: Kysely<Database>, _clock: Clock, _laCode: string): Promise<number> {
  return 0
}
