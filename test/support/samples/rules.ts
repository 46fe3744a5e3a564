import type { SampleFactory } from './index.js'

/** The rules engine's pages, calendars and policy settings. */
export const rulesSamples: SampleFactory = async () => ({ params: {}, recordRules: {} })
