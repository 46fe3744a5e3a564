import { Migrator, type Migration, type MigrationProvider } from 'kysely'
import type { Db } from './db.js'
import * as m001 from './migrations/001_foundation.js'
import * as m002 from './migrations/002_people_and_access.js'
import * as m003 from './migrations/003_audit.js'
import * as m004 from './migrations/004_calendars_and_policy.js'
import * as m005 from './migrations/005_referrals.js'
import * as m006 from './migrations/006_case_work.js'
import * as m007 from './migrations/007_single_list_indexes.js'
import * as m008 from './migrations/008_jobs.js'
import * as m009 from './migrations/009_school_roll.js'
import * as m010 from './migrations/010_escalations.js'
import * as m011 from './migrations/011_sao_and_letters.js'
import * as m012 from './migrations/012_pupils_of_concern.js'
import * as m013 from './migrations/013_deletions_and_returns.js'
import * as m014 from './migrations/014_audit_subjects.js'
import * as m015 from './migrations/015_cases_changes.js'
import * as m016 from './migrations/016_single_list_stage_index.js'

/** Migrations are imported, not read from disk, so the compiled build and the tests run the same set. */
const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_people_and_access': m002,
  '003_audit': m003,
  '004_calendars_and_policy': m004,
  '005_referrals': m005,
  '006_case_work': m006,
  '007_single_list_indexes': m007,
  '008_jobs': m008,
  '009_school_roll': m009,
  '010_escalations': m010,
  '011_sao_and_letters': m011,
  '012_pupils_of_concern': m012,
  '013_deletions_and_returns': m013,
  '014_audit_subjects': m014,
  '015_cases_changes': m015,
  '016_single_list_stage_index': m016,
}

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) }

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error('Migration failed', { cause: error })
  return (results ?? []).filter(r => r.status === 'Success').map(r => r.migrationName)
}
