import { sql, type Kysely } from 'kysely'
import type { Database } from '../schema.js'

/**
 * The next `count` numbers in a sequence such as "CME-2026", returned as the last of them. The counter
 * row is updated in the caller's transaction (or, given the database, in a statement of its own), which
 * locks it on PostgreSQL until that commits, so no two callers ever get the same number.
 */
export async function nextInSequence(db: Kysely<Database>, prefix: string, count = 1): Promise<number> {
  // One statement on both engines: create the counter, or add to it (SQLite 3.35+ and PostgreSQL).
  const row = await db
    .insertInto('reference_counters')
    .values({ prefix, last: count })
    .onConflict(oc => oc.column('prefix').doUpdateSet({ last: sql<number>`reference_counters.last + ${count}` }))
    .returning('last')
    .executeTakeFirstOrThrow()
  return row.last
}
