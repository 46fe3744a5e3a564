import { sql, type Transaction } from 'kysely'
import type { Database } from '../schema.js'

/**
 * The next number in a sequence such as "CME-2026". The counter row is updated in the caller's
 * transaction, which locks it on PostgreSQL, so two submissions never get the same reference.
 */
export async function nextInSequence(trx: Transaction<Database>, prefix: string): Promise<number> {
  await trx
    .insertInto('reference_counters')
    .values({ prefix, last: 0 })
    .onConflict(oc => oc.column('prefix').doNothing())
    .execute()
  const row = await trx
    .updateTable('reference_counters')
    .set({ last: sql<number>`last + 1` })
    .where('prefix', '=', prefix)
    .returning('last')
    .executeTakeFirstOrThrow()
  return row.last
}
