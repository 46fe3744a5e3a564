import type { Kysely } from 'kysely'

/**
 * School attendance orders and letters (issue 7). An SAO process belongs to a case and records the
 * version of the process data it started under (domain/sao.ts), so a change in the law never re-reads
 * one already in progress. Letters are generated from versioned templates and stored on the case as
 * base64 text, which both engines hold the same way.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sao_processes')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('case_id', 'text', c => c.notNull().references('cases.id'))
    .addColumn('child_id', 'text', c => c.notNull().references('children.id'))
    /** SaoProcessVersion.id, e.g. 'ea1996-s437'. */
    .addColumn('version_key', 'text', c => c.notNull())
    /** 'fails-to-engage' | 'refuses-place' | 'not-attending-accepted-school' */
    .addColumn('reason', 'text', c => c.notNull())
    /** 'open' | 'ended' */
    .addColumn('status', 'text', c => c.notNull())
    .addColumn('current_stage', 'text', c => c.notNull())
    /** The school the notice of intention or the order names: other rules ask "is an open SAO naming this school?" */
    .addColumn('named_school_id', 'text', c => c.references('organisations.id'))
    /** 1 for the first run of the stages; one more each time they start again (protocol Appendix C). */
    .addColumn('round', 'integer', c => c.notNull().defaultTo(1))
    .addColumn('started_on', 'text', c => c.notNull())
    .addColumn('started_at', 'text', c => c.notNull())
    .addColumn('started_by', 'text', c => c.notNull())
    .addColumn('ended_on', 'text')
    .addColumn('end_reason', 'text')
    .addColumn('updated_at', 'text', c => c.notNull())
    .addColumn('version', 'integer', c => c.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('sao_processes_case').on('sao_processes').columns(['case_id', 'status']).execute()
  await db.schema
    .createIndex('sao_processes_school')
    .on('sao_processes')
    .columns(['named_school_id', 'child_id', 'status'])
    .execute()
  await db.schema.createIndex('sao_processes_la').on('sao_processes').columns(['la_code', 'status']).execute()

  await db.schema
    .createTable('sao_steps')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('process_id', 'text', c => c.notNull().references('sao_processes.id'))
    /** Order within the process, from 1. */
    .addColumn('seq', 'integer', c => c.notNull())
    .addColumn('round', 'integer', c => c.notNull())
    .addColumn('stage_key', 'text', c => c.notNull())
    /** The day the notice was served or the stage began. */
    .addColumn('started_on', 'text', c => c.notNull())
    /** The days the notice gave, when longer than the statute or policy. */
    .addColumn('specified_days', 'integer')
    /** The last day of the stage's period, when it has one. */
    .addColumn('deadline', 'text')
    .addColumn('named_school_id', 'text', c => c.references('organisations.id'))
    .addColumn('outcome_key', 'text')
    .addColumn('outcome_on', 'text')
    .addColumn('notes', 'text')
    .addColumn('outcome_notes', 'text')
    .addColumn('task_id', 'text')
    .addColumn('started_by', 'text', c => c.notNull())
    .addColumn('started_by_name', 'text', c => c.notNull())
    .addColumn('outcome_by_name', 'text')
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('sao_steps_process').on('sao_steps').columns(['process_id', 'seq']).unique().execute()

  await db.schema
    .createTable('letter_templates')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('kind', 'text', c => c.notNull())
    /** Editing makes a new version; generated letters keep the version they were made from. */
    .addColumn('version', 'integer', c => c.notNull())
    .addColumn('title', 'text', c => c.notNull())
    .addColumn('body', 'text', c => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_by_name', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema
    .createIndex('letter_templates_kind')
    .on('letter_templates')
    .columns(['la_code', 'kind', 'version'])
    .unique()
    .execute()

  await db.schema
    .createTable('case_letters')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('case_id', 'text', c => c.notNull().references('cases.id'))
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('kind', 'text', c => c.notNull())
    .addColumn('template_id', 'text', c => c.notNull().references('letter_templates.id'))
    .addColumn('template_version', 'integer', c => c.notNull())
    .addColumn('sao_step_id', 'text', c => c.references('sao_steps.id'))
    /** By case reference and kind, never the child's name: "CME-317-000123-s437-notice-1.pdf". */
    .addColumn('file_name', 'text', c => c.notNull())
    /** Who it is to, for the list on the case: "Parent at address 1", never the address itself. */
    .addColumn('addressed_to', 'text', c => c.notNull())
    .addColumn('content_base64', 'text', c => c.notNull())
    .addColumn('byte_size', 'integer', c => c.notNull())
    .addColumn('created_by', 'text', c => c.notNull())
    .addColumn('created_by_name', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema.createIndex('case_letters_case').on('case_letters').columns(['case_id', 'created_at']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('case_letters').execute()
  await db.schema.dropTable('letter_templates').execute()
  await db.schema.dropTable('sao_steps').execute()
  await db.schema.dropTable('sao_processes').execute()
}
