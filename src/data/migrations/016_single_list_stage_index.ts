import { sql, type Kysely } from 'kysely'
import { OPEN } from './007_single_list_indexes.js'

/*
 * The Single List filtered to one stage, in the default order (docs/benchmarks.md, "Session 4"). The
 * default order's index (cases_open_priority) walks every open case in priority order and skips those
 * at other stages: to fill a page of urgent cases at stage two it read past the 12,000 cases awaiting
 * triage first. With the stage leading, a page of one stage is read straight from the index. The text
 * repeats migration 007's, as caseRepository's queries do.
 */
const PRIORITY_RANK = `CASE priority WHEN 'urgent' THEN 1 WHEN 'high' THEN 2 WHEN 'routine' THEN 3 ELSE 0 END`
const FILTERS = [
  'priority',
  'assigned_to',
  'school_id',
  'next_action_due',
  'triage_due',
  'flag_cp_plan',
  'flag_looked_after',
  'flag_ehcp',
  'flag_believed_abroad',
  'flag_lead_professional',
  'possible_duplicate',
].join(', ')

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `CREATE INDEX cases_open_stage_priority ON cases ` +
        `(la_code, status, (${PRIORITY_RANK}), referred_on, reference, id, ${FILTERS}) WHERE ${OPEN}`,
    )
    .execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('cases_open_stage_priority').execute()
}
