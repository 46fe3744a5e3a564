import { sql, type Kysely } from 'kysely'
import { engineOf } from '../db.js'
import { makeAppendOnly } from './appendOnly.js'

/**
 * The records one audit event is about, when it is about many: a page of the Single List shows 25
 * children, and is one event naming all 25 rather than 25 events. Append-only like the events, and
 * covered by the event's hash (auditRepository), so a record added or removed here breaks the chain.
 * Indexed by case and by child so that "who has seen this child" still finds every page they were on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_subjects')
    .addColumn('seq', 'integer', c => c.notNull().references('audit_events.seq'))
    .addColumn('case_id', 'text')
    .addColumn('child_id', 'text')
    .execute()
  await db.schema.createIndex('audit_subjects_case').on('audit_subjects').columns(['case_id', 'seq']).execute()
  await db.schema.createIndex('audit_subjects_child').on('audit_subjects').columns(['child_id', 'seq']).execute()
  await db.schema.createIndex('audit_subjects_seq').on('audit_subjects').column('seq').execute()
  await makeAppendOnly(db, 'audit_subjects', { truncate: true })
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_subjects').execute()
  if (engineOf(db) === 'postgres') await sql.raw('DROP FUNCTION IF EXISTS audit_subjects_append_only()').execute(db)
}
