import { sql, type Kysely } from 'kysely'
import { engineOf } from '../db.js'
import { makeAppendOnly } from './appendOnly.js'

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

  await makeAppendOnly(db, 'audit_events', { truncate: true })
}

export const GENESIS = '0'.repeat(64)

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_head').execute()
  await db.schema.dropTable('audit_events').execute()
  if (engineOf(db) === 'postgres') await sql.raw('DROP FUNCTION IF EXISTS audit_events_append_only()').execute(db)
}
