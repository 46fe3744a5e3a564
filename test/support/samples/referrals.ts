import type { SampleFactory } from './index.js'

/** The referral journey's routes. */
export const referralSamples: SampleFactory = async () => ({ params: {}, recordRules: {} })
