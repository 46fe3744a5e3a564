import { sql, type Kysely } from 'kysely'
import { engineOf } from '../db.js'

/**
 * Makes a table append-only on both engines: triggers refuse UPDATE and DELETE (and TRUNCATE on
 * PostgreSQL). Used by the audit trail and by submitted referral versions.
 */
export async function makeAppendOnly(
  db: Kysely<unknown>,
  table: string,
  options: { truncate?: boolean } = {},
): Promise<void> {
  const message = `${table} is append-only`
  if (engineOf(db) === 'sqlite') {
    for (const op of ['UPDATE', 'DELETE'])
      await sql
        .raw(
          `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} ` +
            `BEGIN SELECT RAISE(ABORT, '${message}'); END`,
        )
        .execute(db)
    return
  }
  await sql
    .raw(
      `CREATE FUNCTION ${table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message}'; END $$`,
    )
    .execute(db)
  await sql
    .raw(
      `CREATE TRIGGER ${table}_no_change BEFORE UPDATE OR DELETE${options.truncate ? ' OR TRUNCATE' : ''} ON ${table} ` +
        `FOR EACH STATEMENT EXECUTE FUNCTION ${table}_append_only()`,
    )
    .execute(db)
}
