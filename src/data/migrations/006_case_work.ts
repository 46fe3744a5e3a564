import type { Kysely } from 'kysely'

/** Case work: the lifecycle's extra facts, stage checks, typed tasks and notes. */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, type] of [
    ['previous_status', 'text'],
    ['residency', 'text'],
    ['receiving_la', 'text'],
    ['safeguarding_conclusion', 'text'],
    ['outcome_detail', 'text'],
    ['closure_summary', 'text'],
  ] as const)
    await db.schema.alterTable('cases').addColumn(name, type).execute()
  await db.schema
    .alterTable('cases')
    .addColumn('safeguarding_concern', 'integer', c => c.notNull().defaultTo(0))
    .execute()

  await db.schema
    .createTable('case_checks')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('case_id', 'text', c => c.notNull().references('cases.id'))
    /** 'one' (the referral's intelligence), 'two' (data sources), 'three' (final home visit) */
    .addColumn('stage', 'text', c => c.notNull())
    .addColumn('item_key', 'text', c => c.notNull())
    .addColumn('label', 'text', c => c.notNull())
    .addColumn('result', 'text', c => c.notNull())
    .addColumn('details', 'text')
    .addColumn('checked_on', 'text', c => c.notNull())
    .addColumn('checked_by', 'text', c => c.notNull())
    .addColumn('checked_by_name', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    /** Set when a reopened case starts its checks again: kept for the record, no longer counted. */
    .addColumn('superseded', 'integer', c => c.notNull().defaultTo(0))
    .execute()
  await db.schema
    .createIndex('case_checks_case')
    .on('case_checks')
    .columns(['case_id', 'stage', 'created_at'])
    .execute()

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('case_id', 'text', c => c.notNull().references('cases.id'))
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('kind', 'text', c => c.notNull())
    .addColumn('description', 'text')
    .addColumn('due_on', 'text', c => c.notNull())
    .addColumn('assigned_to', 'text', c => c.notNull())
    .addColumn('done_on', 'text')
    .addColumn('done_by', 'text')
    .addColumn('created_by', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('tasks_case').on('tasks').columns(['case_id', 'done_on']).execute()
  await db.schema
    .createIndex('tasks_assignee')
    .on('tasks')
    .columns(['la_code', 'assigned_to', 'done_on', 'due_on'])
    .execute()

  await db.schema
    .createTable('case_notes')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('case_id', 'text', c => c.notNull().references('cases.id'))
    .addColumn('body', 'text', c => c.notNull())
    .addColumn('author_id', 'text', c => c.notNull())
    .addColumn('author_name', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('case_notes_case').on('case_notes').columns(['case_id', 'created_at']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('case_notes').execute()
  await db.schema.dropTable('tasks').execute()
  await db.schema.dropTable('case_checks').execute()
}
