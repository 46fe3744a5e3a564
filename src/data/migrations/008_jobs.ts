import type { Kysely } from 'kysely'

/**
 * Scheduled jobs and what they produce: runs and leases (so several app instances never run the
 * same job at once), automatic escalation alerts, the half-termly notes and monthly oversight.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('job_runs')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('job', 'text', c => c.notNull())
    /** The slot the run was for: a minute, an hour or a London date, so "already done" is a lookup. */
    .addColumn('scheduled_for', 'text', c => c.notNull())
    .addColumn('started_at', 'text', c => c.notNull())
    .addColumn('finished_at', 'text')
    /** 'running' | 'succeeded' | 'failed' */
    .addColumn('status', 'text', c => c.notNull())
    .addColumn('attempts', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('instance', 'text', c => c.notNull())
    .addColumn('summary', 'text')
    .execute()
  await db.schema.createIndex('job_runs_job').on('job_runs').columns(['job', 'started_at']).execute()

  await db.schema
    .createTable('job_leases')
    .addColumn('job', 'text', c => c.primaryKey())
    .addColumn('holder', 'text')
    .addColumn('leased_until', 'text', c => c.notNull())
    .execute()

  await db.schema
    .createTable('case_alerts')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('case_id', 'text', c => c.notNull().references('cases.id'))
    .addColumn('reason', 'text', c => c.notNull())
    .addColumn('reason_key', 'text', c => c.notNull())
    .addColumn('message', 'text', c => c.notNull())
    .addColumn('level', 'text', c => c.notNull())
    .addColumn('due_on', 'text', c => c.notNull())
    /** 'open' until someone answers it; answered alerts are kept so the same breach is never raised twice. */
    .addColumn('status', 'text', c => c.notNull())
    .addColumn('raised_at', 'text', c => c.notNull())
    .addColumn('closed_at', 'text')
    .execute()
  await db.schema
    .createIndex('case_alerts_reason')
    .on('case_alerts')
    .columns(['case_id', 'reason_key'])
    .unique()
    .execute()
  await db.schema.createIndex('case_alerts_open').on('case_alerts').columns(['la_code', 'status']).execute()

  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('kind', 'text', c => c.notNull())
    .addColumn('period_from', 'text', c => c.notNull())
    .addColumn('period_to', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('body', 'text', c => c.notNull())
    .execute()
  // One note per period: a job retried or run on two instances cannot file the same note twice.
  await db.schema
    .createIndex('reports_period')
    .on('reports')
    .columns(['la_code', 'kind', 'period_to'])
    .unique()
    .execute()

  await db.schema
    .createTable('oversight_records')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('recorded_on', 'text', c => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('recorded_by', 'text', c => c.notNull())
    .addColumn('recorded_by_name', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  await db.schema
    .createIndex('oversight_records_la')
    .on('oversight_records')
    .columns(['la_code', 'recorded_on'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oversight_records').execute()
  await db.schema.dropTable('reports').execute()
  await db.schema.dropTable('case_alerts').execute()
  await db.schema.dropTable('job_leases').execute()
  await db.schema.dropTable('job_runs').execute()
}
