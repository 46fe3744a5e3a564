import type { Kysely } from 'kysely'

/**
 * School calendars (the LA default and schools' own) and policy versions (the timescales as
 * dated data). A school with no calendar of its own follows its LA's default.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('calendars')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('name', 'text', c => c.notNull())
    /** The LA's default calendar has no school; a school's own calendar names it. */
    .addColumn('school_id', 'text', c => c.references('organisations.id'))
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('updated_at', 'text', c => c.notNull())
    .addColumn('version', 'integer', c => c.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('calendars_la').on('calendars').columns(['la_code', 'school_id']).execute()

  await db.schema
    .createTable('calendar_periods')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('calendar_id', 'text', c => c.notNull().references('calendars.id').onDelete('cascade'))
    /** 'term' | 'half-term' | 'inset' | 'closure' */
    .addColumn('kind', 'text', c => c.notNull())
    .addColumn('name', 'text', c => c.notNull())
    .addColumn('starts_on', 'text', c => c.notNull())
    .addColumn('ends_on', 'text', c => c.notNull())
    .execute()
  await db.schema
    .createIndex('calendar_periods_calendar')
    .on('calendar_periods')
    .columns(['calendar_id', 'starts_on'])
    .execute()

  await db.schema
    .createTable('policy_versions')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('version', 'integer', c => c.notNull())
    .addColumn('effective_from', 'text', c => c.notNull())
    .addColumn('policy_values', 'text', c => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', c => c.notNull())
    .addUniqueConstraint('policy_versions_la_version', ['la_code', 'version'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('policy_versions').execute()
  await db.schema.dropTable('calendar_periods').execute()
  await db.schema.dropTable('calendars').execute()
}
