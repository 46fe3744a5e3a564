import type { SampleFactory } from './index.js'

/** Case work on one case: checks, tasks, notes, outcomes, closure. */
export const caseWorkSamples: SampleFactory = async () => ({ params: {}, recordRules: {} })
