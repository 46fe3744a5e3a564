import { sql, type Kysely } from 'kysely'
import { engineOf } from '../db.js'

/**
 * The audit trail: append-only (triggers refuse UPDATE and DELETE on both engines) and
 * hash-chained. `audit_head` holds the last sequence number and hash; writers lock it, so
 * the chain has one order even with several app instances.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_events')
    .addColumn('seq', 'integer', c => c.primaryKey())
    .addColumn('id', 'text', c => c.notNull().unique())
    .addColumn('at', 'text', c => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_kind', 'text', c => c.notNull())
    .addColumn('roles', 'text', c => c.notNull())
    .addColumn('organisation_id', 'text')
    .addColumn('la_code', 'text')
    .addColumn('action', 'text', c => c.notNull())
    .addColumn('child_id', 'text')
    .addColumn('case_id', 'text')
    .addColumn('detail', 'text')
    .addColumn('request_id', 'text')
    .addColumn('client_ip', 'text')
    .addColumn('prev_hash', 'text', c => c.notNull())
    .addColumn('hash', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('audit_child').on('audit_events').columns(['child_id', 'at']).execute()
  await db.schema.createIndex('audit_case').on('audit_events').columns(['case_id', 'at']).execute()
  await db.schema.createIndex('audit_actor').on('audit_events').columns(['actor_id', 'at']).execute()
  await db.schema.createIndex('audit_at').on('audit_events').column('at').execute()

  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', c => c.primaryKey())
    .addColumn('seq', 'integer', c => c.notNull())
    .addColumn('hash', 'text', c => c.notNull())
    .execute()
  await sql`insert into audit_head (id, seq, hash) values (1, 0, ${GENESIS})`.execute(db)

  if (engineOf(db) === 'sqlite') {
    for (const op of ['UPDATE', 'DELETE'])
      await sql
        .raw(
          `CREATE TRIGGER audit_events_no_${op.toLowerCase()} BEFORE ${op} ON audit_events ` +
            `BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`,
        )
        .execute(db)
  } else {
    await sql
      .raw(
        `CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ ` +
          `BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$`,
      )
      .execute(db)
    await sql
      .raw(
        `CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events ` +
          `FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`,
      )
      .execute(db)
  }
}

export const GENESIS = '0'.repeat(64)

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_head').execute()
  await db.schema.dropTable('audit_events').execute()
  if (engineOf(db) === 'postgres') await sql.raw('DROP FUNCTION IF EXISTS audit_events_append_only()').execute(db)
}
