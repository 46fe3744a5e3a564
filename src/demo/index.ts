/**
 * The whole demo data set in one call, for `onroll start` on an empty database and `onroll demo`.
 * Each loader is idempotent; later loaders may use the services, which need the earlier rows.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../data/schema.js'
import type { Clock } from '../domain/clock.js'
import type { Services } from '../services/index.js'
import { loadDemoData } from './demoData.js'
import { loadDemoReferrals } from './demoReferrals.js'
import { loadDemoRolls } from './demoRolls.js'
import { loadDemoSao } from './demoSao.js'
import { loadDemoEscalations } from './demoEscalations.js'
import { loadDemoReturns } from './demoReturns.js'
import { loadDemoConcerns } from './demoConcerns.js'

export interface DemoRuntime {
  db: Kysely<Database>
  clock: Clock
  services: Services
}

/** What each part of the demo data set added: all zero when it was already loaded. */
export async function loadDemo(runtime: DemoRuntime, laCode: string): Promise<Record<string, number>> {
  // In order: each part may build on the ones before it. One line per part.
  const counts: Record<string, number> = {}
  counts.records = (await loadDemoData(runtime.db, runtime.clock, laCode)).inserted
  counts.referrals = await loadDemoReferrals(runtime.db, runtime.clock, runtime.services, laCode)
  counts.pupils = await loadDemoRolls(runtime.db, runtime.clock, laCode)
  counts['school attendance orders and letters'] = await loadDemoSao(
    runtime.db,
    runtime.clock,
    runtime.services,
    laCode,
  )
  counts.escalations = await loadDemoEscalations(runtime.db, runtime.clock, runtime.services, laCode)
  counts.leavers = await loadDemoReturns(runtime.db, runtime.clock, runtime.services, laCode)
  counts.concerns = await loadDemoConcerns(runtime.db, runtime.clock, runtime.services, laCode)
  return counts
}

export function describeDemoLoad(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([what, n]) => `${String(n)} ${what}`)
  return parts.length === 0 ? 'The demo data set is already loaded.' : `Loaded the demo data set: ${parts.join(', ')}.`
}
