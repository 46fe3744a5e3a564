import type { Kysely } from 'kysely'

/**
 * Pupils of concern (issue 8, Appendix B): a school's record that a pupil stopped attending (or
 * left without notice, did not return after leave, did not take up a place, or is said to be
 * moving abroad or to home education), the enquiries made about them, and the outcome. Each
 * concern belongs to one school and one pupil on its roll; the enquiry log is append-only in
 * practice (nothing edits or deletes a contact once logged).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pupil_concerns')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('school_id', 'text', c => c.notNull().references('organisations.id'))
    .addColumn('pupil_id', 'text', c => c.notNull().references('pupils.id'))
    /** domain/pupilConcern.ts CIRCUMSTANCES */
    .addColumn('circumstance', 'text', c => c.notNull())
    /** Null for a pupil who never attended (a place not taken up): `expected_on` is then the first day expected. */
    .addColumn('last_attended_on', 'text')
    .addColumn('expected_on', 'text')
    .addColumn('cp_plan', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('child_in_need', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('looked_after', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('ehcp_sen', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('social_worker', 'text')
    .addColumn('social_worker_phone', 'text')
    /** 'open' | 'closed' */
    .addColumn('status', 'text', c => c.notNull())
    /** domain/enquiryOutcome.ts OUTCOMES, once decided. */
    .addColumn('outcome', 'text')
    .addColumn('outcome_on', 'text')
    .addColumn('outcome_detail', 'text')
    .addColumn('new_school', 'text')
    .addColumn('records_requested_on', 'text')
    .addColumn('enquiries_failed_on', 'text')
    .addColumn('referral_due_on', 'text')
    .addColumn('referral_policy_version', 'integer')
    .addColumn('referral_id', 'text', c => c.references('referrals.id'))
    .addColumn('ewo_consulted_on', 'text')
    .addColumn('ewo_name', 'text')
    .addColumn('ewo_advice', 'text')
    .addColumn('marf_made_on', 'text')
    .addColumn('marf_reference', 'text')
    .addColumn('created_by', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('updated_at', 'text', c => c.notNull())
    .addColumn('version', 'integer', c => c.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('pupil_concerns_school').on('pupil_concerns').columns(['school_id', 'status']).execute()
  await db.schema.createIndex('pupil_concerns_pupil').on('pupil_concerns').columns(['pupil_id']).execute()

  await db.schema
    .createTable('concern_contacts')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('concern_id', 'text', c => c.notNull().references('pupil_concerns.id'))
    /** domain/pupilConcern.ts CONTACT_KINDS */
    .addColumn('kind', 'text', c => c.notNull())
    /** The number, address or person tried: what the task list ticks off. */
    .addColumn('target', 'text')
    .addColumn('contacted_on', 'text', c => c.notNull())
    .addColumn('made_by', 'text', c => c.notNull())
    /** Home visits: 'school' | 'ewo' | 'ews-provider' */
    .addColumn('visit_by', 'text')
    /** domain/pupilConcern.ts CONTACT_RESULTS */
    .addColumn('result', 'text', c => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('agreed_plan', 'text')
    .addColumn('learnt_address', 'text')
    .addColumn('learnt_school', 'text')
    .addColumn('learnt_travel', 'text')
    .addColumn('risk_of_harm', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('concern_contacts_concern').on('concern_contacts').columns(['concern_id']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('concern_contacts').execute()
  await db.schema.dropTable('pupil_concerns').execute()
}
