/**
 * Sample path parameters and record rules for the access matrix, one file per journey so that each
 * journey's routes are described beside the others without editing one shared list.
 */
import type { Actor } from '../../../src/domain/actor.js'
import type { TestRuntime } from '../db.js'
import type { SecurityFixture } from '../fixture.js'
import { caseSamples } from './cases.js'
import { caseWorkSamples } from './caseWork.js'
import { referralSamples } from './referrals.js'
import { rulesSamples } from './rules.js'
import { saoSamples } from './sao.js'
import { singleListSamples } from './singleList.js'
import { escalationSamples } from './escalations.js'
import { schoolReturnsSamples } from './schoolReturns.js'
import { schoolSamples } from './school.js'

export interface RouteSamples {
  /** url pattern → parameter name → a value to use */
  params: Record<string, Record<string, string>>
  /** url pattern → whether this actor may use the route with those parameters (for 'signed-in' routes with a record) */
  recordRules: Record<string, (actor: Actor) => boolean>
}

export type SampleFactory = (rt: TestRuntime, fx: SecurityFixture) => Promise<RouteSamples>

/** One per journey, one per line. */
const FACTORIES: SampleFactory[] = [
  caseSamples,
  referralSamples,
  rulesSamples,
  singleListSamples,
  caseWorkSamples,
  saoSamples,
  escalationSamples,
  schoolReturnsSamples,
  schoolSamples,
]

export async function routeSamples(rt: TestRuntime, fx: SecurityFixture): Promise<RouteSamples> {
  const all = await Promise.all(FACTORIES.map(f => f(rt, fx)))
  return {
    params: Object.assign({}, ...all.map(s => s.params)) as RouteSamples['params'],
    recordRules: Object.assign({}, ...all.map(s => s.recordRules)) as RouteSamples['recordRules'],
  }
}
