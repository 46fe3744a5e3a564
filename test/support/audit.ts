import type { Db } from '../../src/data/db.js'

/** The cases an event about many records names (audit_subjects), as a set of case ids. */
export async function casesNamedBy(db: Db, seq: number): Promise<Set<string | null>> {
  const rows = await db.selectFrom('audit_subjects').select('case_id').where('seq', '=', seq).execute()
  return new Set(rows.map(r => r.case_id))
}
