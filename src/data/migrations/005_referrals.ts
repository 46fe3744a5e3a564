import type { Kysely } from 'kysely'
import { makeAppendOnly } from './appendOnly.js'

/**
 * Referrals (drafts and immutable submitted versions), case references, possible duplicate
 * children, responsible adults, the case timeline, and the mail outbox.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('referrals')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('reference', 'text', c => c.unique())
    /** 'draft' | 'submitted' | 'returned' | 'accepted' */
    .addColumn('status', 'text', c => c.notNull())
    .addColumn('referrer_org_id', 'text', c => c.notNull().references('organisations.id'))
    .addColumn('created_by', 'text', c => c.notNull())
    /** 'online' (the referrer), 'on-behalf' (a CME officer for a caller), 'api' (another system) */
    .addColumn('channel', 'text', c => c.notNull())
    .addColumn('draft', 'text', c => c.notNull())
    .addColumn('current_version', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('case_id', 'text')
    .addColumn('return_reasons', 'text')
    .addColumn('idempotency_key', 'text')
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('updated_at', 'text', c => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('lock_version', 'integer', c => c.notNull().defaultTo(1))
    .addUniqueConstraint('referrals_idempotency', ['referrer_org_id', 'idempotency_key'])
    .execute()
  await db.schema.createIndex('referrals_org').on('referrals').columns(['referrer_org_id', 'updated_at']).execute()
  await db.schema.createIndex('referrals_case').on('referrals').column('case_id').execute()

  await db.schema
    .createTable('referral_versions')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('referral_id', 'text', c => c.notNull().references('referrals.id'))
    .addColumn('version', 'integer', c => c.notNull())
    .addColumn('document', 'text', c => c.notNull())
    .addColumn('submitted_by', 'text', c => c.notNull())
    .addColumn('submitted_at', 'text', c => c.notNull())
    .addUniqueConstraint('referral_versions_version', ['referral_id', 'version'])
    .execute()

  await db.schema
    .createTable('reference_counters')
    .addColumn('prefix', 'text', c => c.primaryKey())
    .addColumn('last', 'integer', c => c.notNull())
    .execute()

  await db.schema
    .createTable('possible_matches')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('case_id', 'text', c => c.notNull().references('cases.id'))
    .addColumn('candidate_child_id', 'text', c => c.notNull().references('children.id'))
    .addColumn('candidate_case_id', 'text')
    .addColumn('score', 'integer', c => c.notNull())
    .addColumn('reasons', 'text', c => c.notNull())
    /** 'open' | 'linked' | 'dismissed' */
    .addColumn('status', 'text', c => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .execute()
  await db.schema.createIndex('possible_matches_case').on('possible_matches').columns(['case_id', 'status']).execute()

  await db.schema
    .createTable('family_members')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('family_id', 'text', c => c.notNull())
    .addColumn('name', 'text', c => c.notNull())
    .addColumn('relationship', 'text', c => c.notNull())
    .addColumn('phones', 'text', c => c.notNull())
    .addColumn('email', 'text')
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('family_members_family').on('family_members').column('family_id').execute()

  await db.schema
    .createTable('case_events')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('case_id', 'text', c => c.notNull().references('cases.id'))
    .addColumn('at', 'text', c => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text', c => c.notNull())
    .addColumn('kind', 'text', c => c.notNull())
    .addColumn('summary', 'text', c => c.notNull())
    .addColumn('detail', 'text')
    .execute()
  await db.schema.createIndex('case_events_case').on('case_events').columns(['case_id', 'at']).execute()

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('to_address', 'text', c => c.notNull())
    .addColumn('subject', 'text', c => c.notNull())
    .addColumn('body', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('attempts', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .execute()
  await db.schema.createIndex('outbox_pending').on('outbox').columns(['sent_at', 'created_at']).execute()

  await db.schema.alterTable('children').addColumn('postcode', 'text').execute()
  await db.schema.alterTable('children').addColumn('phonetic_key', 'text').execute()
  await db.schema.createIndex('children_la_phonetic').on('children').columns(['la_code', 'phonetic_key']).execute()
  await db.schema
    .alterTable('cases')
    .addColumn('possible_duplicate', 'integer', c => c.notNull().defaultTo(0))
    .execute()

  // A submitted referral is kept exactly as submitted: its versions can be added, never changed.
  await makeAppendOnly(db, 'referral_versions')
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'outbox',
    'case_events',
    'family_members',
    'possible_matches',
    'reference_counters',
    'referral_versions',
    'referrals',
  ])
    await db.schema.dropTable(t).execute()
}
