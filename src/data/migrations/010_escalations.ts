import type { Kysely } from 'kysely'

/**
 * Escalations up the chain of the protocol's Appendix E (domain/escalation.ts). One row per level a
 * matter reached: escalating again, or answering "escalate further", closes the row and opens the next
 * one above it (`previous_id`), so the history of who held the matter and what each said is kept.
 * An automatic escalation links the `case_alerts` row that raised it; answering the escalation (at
 * whatever level it has reached by then) closes that alert.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('escalations')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('case_id', 'text', c => c.notNull().references('cases.id'))
    /** The role in ESCALATION_CHAIN whose queue it is in. */
    .addColumn('level', 'text', c => c.notNull())
    .addColumn('reason', 'text', c => c.notNull())
    /** The person who raised it; null when it was raised automatically. */
    .addColumn('raised_by', 'text')
    .addColumn('raised_by_name', 'text', c => c.notNull())
    /** 'triage-overdue' | 'no-action' for automatic escalations; null for a person's. */
    .addColumn('automatic_reason', 'text')
    .addColumn('alert_id', 'text', c => c.references('case_alerts.id'))
    .addColumn('previous_id', 'text')
    .addColumn('raised_at', 'text', c => c.notNull())
    /** 'open' | 'answered' | 'escalated' (moved up to the next level) */
    .addColumn('status', 'text', c => c.notNull())
    .addColumn('decision', 'text')
    .addColumn('instruction', 'text')
    .addColumn('answered_by', 'text')
    .addColumn('answered_by_name', 'text')
    .addColumn('answered_at', 'text')
    .execute()
  await db.schema
    .createIndex('escalations_queue')
    .on('escalations')
    .columns(['la_code', 'status', 'level', 'raised_at'])
    .execute()
  await db.schema.createIndex('escalations_case').on('escalations').columns(['case_id', 'raised_at']).execute()
  // Answering finds the escalation an alert became, to close the alert.
  await db.schema.createIndex('escalations_alert').on('escalations').columns(['alert_id', 'previous_id']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('escalations').execute()
}
