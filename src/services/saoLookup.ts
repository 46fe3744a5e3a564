import type { Transaction } from 'kysely'
import type { Db } from '../data/db.js'
import type { Database, Pupil } from '../data/schema.js'
import { casesForPupil } from './pupilRecords.js'

/** Whether a School Attendance Order naming this school is in force for the pupil (Grounds A, C and F). */
export type SaoNamesSchool = (pupil: Pupil, schoolId: string, executor?: Db | Transaction<Database>) => Promise<boolean>

/**
 * The pupil's CME cases (matched as the leaving check matches them: UPN, or name and date of birth)
 * with an open SAO process naming the school. Any open process that names the school counts, from the
 * notice of intention on, not only a served order: a school must not take a pupil off roll while the
 * LA is directing the child to it. Runs outside any transaction (the leaving check calls it first).
 */
export function createSaoLookup(db: Db): SaoNamesSchool {
  return async (pupil, schoolId, executor = db) => {
    const caseIds = (await casesForPupil(executor, pupil)).map(c => c.caseId)
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
