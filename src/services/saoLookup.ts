import type { Transaction } from 'kysely'
import type { Db } from '../data/db.js'
import type { Database } from '../data/schema.js'

/**
 * Whether a School Attendance Order naming this school is in force for the child of any of these CME
 * cases (Grounds A, C and F). The caller finds the pupil's cases (`casesForPupil`: UPN, or name and date
 * of birth), as the leaving check does anyway, and may pass its transaction.
 */
export type SaoNamesSchool = (
  caseIds: readonly string[],
  schoolId: string,
  executor?: Db | Transaction<Database>,
) => Promise<boolean>

/**
 * Any open process that names the school counts, from the notice of intention on, not only a served
 * order: a school must not take a pupil off roll while the LA is directing the child to it.
 */
export function createSaoLookup(db: Db): SaoNamesSchool {
  return async (caseIds, schoolId, executor = db) => {
    if (caseIds.length === 0) return false
    const open = await executor
      .selectFrom('sao_processes')
      .select('id')
      .where('case_id', 'in', caseIds)
      .where('status', '=', 'open')
      .where('named_school_id', '=', schoolId)
      .executeTakeFirst()
    return open !== undefined
  }
}
