import { sql, type Kysely } from 'kysely'
import { engineOf } from '../db.js'

/*
 * Indexes for the Single List at 100,000 cases (docs/benchmarks.md, "Single List"). The text below is
 * repeated exactly by the queries in caseRepository.ts: SQLite uses a partial index only when the query
 * has the same WHERE term, and an expression index for ORDER BY only when the expression is the same.
 *
 * They are partial (open cases only), so the list costs what the open cases cost however many closed
 * cases the LA keeps. Each ordered index holds every column a filter tests and ends in id, so the page's
 * ids are found from the index alone; the count index serves the capped count of any filter combination.
 */
/** Frozen here (a migration must not change with the code); caseRepository.OPEN_CASES_SQL must equal it. */
export const OPEN = `status IN ('received', 'returned', 'triaged', 'stage-one', 'stage-two', 'stage-three', 'outcome', 'closure-requested')`
export const PRIORITY_RANK = `CASE priority WHEN 'urgent' THEN 1 WHEN 'high' THEN 2 WHEN 'routine' THEN 3 ELSE 0 END`
const DUE_ON = `COALESCE(CASE WHEN status = 'received' THEN triage_due END, next_action_due, '9999-12-31')`
/** The columns every open-case index carries so that any filter is answered from the index. */
export const FILTER_COLUMNS = [
  'status',
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
] as const
const FILTERS = FILTER_COLUMNS.join(', ')

const INDEXES: Record<string, string> = {
  // The default order: awaiting triage, then urgent to routine, oldest referral first.
  cases_open_priority: `la_code, (${PRIORITY_RANK}), referred_on, reference, id, ${FILTERS}`,
  cases_open_referred: `la_code, referred_on, reference, id, ${FILTERS}`,
  cases_open_due: `la_code, (${DUE_ON}), reference, id, ${FILTERS}`,
  // The count, and lists filtered by stage: status and priority lead.
  cases_open_filters: `la_code, ${FILTERS}, id`,
  // A search, and a sort by name, start from children; this finds each child's open cases from the index.
  cases_open_child: `child_id, la_code, ${FILTERS}, reference, id`,
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, columns] of Object.entries(INDEXES))
    await sql.raw(`CREATE INDEX ${name} ON cases (${columns}) WHERE ${OPEN}`).execute(db)
  // Name search is a prefix match on the lower-case key. SQLite uses an index for LIKE 'x%' only when
  // the index is NOCASE; PostgreSQL only with text_pattern_ops (unless the database collation is C).
  // Both end in id so that the children a search or a sort by name reads are found in the index alone.
  if (engineOf(db) === 'sqlite')
    await sql`CREATE INDEX children_la_name_prefix ON children (la_code, name_key COLLATE NOCASE, id)`.execute(db)
  else await sql`CREATE INDEX children_la_name_prefix ON children (la_code, name_key text_pattern_ops, id)`.execute(db)
  // Supersedes children_la_name (la_code, name_key), which it begins with.
  await sql`CREATE INDEX children_la_name_id ON children (la_code, name_key, id)`.execute(db)
  await db.schema.dropIndex('children_la_name').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('children_la_name').on('children').columns(['la_code', 'name_key']).execute()
  await db.schema.dropIndex('children_la_name_id').execute()
  await db.schema.dropIndex('children_la_name_prefix').execute()
  for (const name of Object.keys(INDEXES).reverse()) await db.schema.dropIndex(name).execute()
}
