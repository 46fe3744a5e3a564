import { sql, type Transaction } from 'kysely'
import type { Database } from '../schema.js'

/**
 * The next number in a sequence such as "CME-2026". The counter row is updated in the caller's
 * transaction, which locks it on PostgreSQL, so two submissions never get the same reference.
 */
export async function nextInSequence(trx: Transaction<Database>, prefix: string): Promise<number> {
  // One statement on both engines: create the counter at 1, or add 1 to it (SQLite 3.35+ and PostgreSQL).
  const row = await trx
    .insertInto('reference_counters')
    .values({ prefix, last: 1 })
    .onConflict(oc => oc.column('prefix').doUpdateSet({ last: sql<number>`reference_counters.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow()
  return row.last
}
