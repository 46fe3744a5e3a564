import type { Kysely } from 'kysely'

/**
 * The school's side of leaving and joining (issue 8): deletions from the admission register with
 * the facts the rules were checked against, the returns schools make to the LA (deletion and new
 * pupil), parents' written notices of elective home education, the Common Transfer Files made for
 * pupils who left, and the LA's part of the joint enquiries (Grounds H and I) recorded on a case.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('school_returns')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('school_id', 'text', c => c.notNull().references('organisations.id'))
    .addColumn('pupil_id', 'text', c => c.notNull().references('pupils.id'))
    /** 'deletion' | 'new-pupil' */
    .addColumn('kind', 'text', c => c.notNull())
    /** The day the name was deleted from, or entered in, the admission register. */
    .addColumn('event_on', 'text', c => c.notNull())
    .addColumn('due_on', 'text', c => c.notNull())
    .addColumn('made_on', 'text', c => c.notNull())
    .addColumn('ground', 'text')
    /** JSON: the return's fields as the regulations list them (personal data: read through the service only). */
    .addColumn('document', 'text', c => c.notNull())
    .addColumn('made_by', 'text')
    .addColumn('made_by_name', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('school_returns_feed').on('school_returns').columns(['la_code', 'made_on']).execute()
  await db.schema.createIndex('school_returns_pupil').on('school_returns').columns(['pupil_id', 'kind']).execute()

  await db.schema
    .createTable('pupil_deletions')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('school_id', 'text', c => c.notNull().references('organisations.id'))
    .addColumn('pupil_id', 'text', c => c.notNull().references('pupils.id'))
    .addColumn('ground', 'text', c => c.notNull())
    .addColumn('deleted_on', 'text', c => c.notNull())
    /** JSON: the facts the rules engine checked, so the decision can be shown again. */
    .addColumn('facts', 'text', c => c.notNull())
    .addColumn('return_id', 'text', c => c.references('school_returns.id'))
    /** Standard transition (reg 13(5)): no deletion return. */
    .addColumn('return_exempt', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('recorded_by', 'text')
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('pupil_deletions_pupil').on('pupil_deletions').column('pupil_id').unique().execute()

  await db.schema
    .createTable('ehe_notices')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('school_id', 'text', c => c.notNull().references('organisations.id'))
    .addColumn('pupil_id', 'text', c => c.notNull().references('pupils.id'))
    .addColumn('received_on', 'text', c => c.notNull())
    .addColumn('educated_from', 'text', c => c.notNull())
    /** Protocol: the EWS Operational Manager's verification of the notice. */
    .addColumn('verified_on', 'text')
    /** The LA's consent (a pupil the LA placed at a special school; the protocol asks it for an EHCP too). */
    .addColumn('la_consent_on', 'text')
    /** The draft CME referral the protocol asks the school to make. */
    .addColumn('referral_id', 'text')
    .addColumn('recorded_by', 'text')
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('updated_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('ehe_notices_pupil').on('ehe_notices').column('pupil_id').unique().execute()

  await db.schema
    .createTable('ctf_files')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('school_id', 'text', c => c.notNull().references('organisations.id'))
    .addColumn('pupil_id', 'text', c => c.notNull().references('pupils.id'))
    .addColumn('file_name', 'text', c => c.notNull())
    /** 'unknown' | 'outside-maintained' | 'school' */
    .addColumn('destination_kind', 'text', c => c.notNull())
    .addColumn('destination_la', 'text', c => c.notNull())
    .addColumn('destination_estab', 'text', c => c.notNull())
    .addColumn('xml', 'text', c => c.notNull())
    .addColumn('left_on', 'text', c => c.notNull())
    .addColumn('due_on', 'text', c => c.notNull())
    .addColumn('uploaded_on', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('ctf_files_school').on('ctf_files').columns(['school_id', 'uploaded_on']).execute()
  await db.schema.createIndex('ctf_files_pupil').on('ctf_files').column('pupil_id').execute()

  await db.schema
    .createTable('la_enquiries')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('case_id', 'text', c => c.notNull().references('cases.id'))
    .addColumn('recorded_on', 'text', c => c.notNull())
    .addColumn('details', 'text', c => c.notNull())
    .addColumn('recorded_by', 'text')
    .addColumn('recorded_by_name', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('la_enquiries_case').on('la_enquiries').column('case_id').execute()

  await db.schema
    .createTable('possibly_located_alerts')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('case_id', 'text', c => c.notNull().references('cases.id'))
    .addColumn('pupil_id', 'text', c => c.notNull().references('pupils.id'))
    .addColumn('school_id', 'text', c => c.notNull().references('organisations.id'))
    .addColumn('return_id', 'text')
    /** JSON array: why the admission matched ('Same UPN', 'Same name and date of birth'). */
    .addColumn('reasons', 'text', c => c.notNull())
    /** 'open' | 'confirmed' | 'not-the-child' */
    .addColumn('status', 'text', c => c.notNull())
    .addColumn('raised_at', 'text', c => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text')
    .execute()
  await db.schema
    .createIndex('possibly_located_case')
    .on('possibly_located_alerts')
    .columns(['case_id', 'pupil_id'])
    .unique()
    .execute()
  await db.schema
    .createIndex('possibly_located_open')
    .on('possibly_located_alerts')
    .columns(['la_code', 'status'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'possibly_located_alerts',
    'la_enquiries',
    'ctf_files',
    'ehe_notices',
    'pupil_deletions',
    'school_returns',
  ])
    await db.schema.dropTable(table).execute()
}
