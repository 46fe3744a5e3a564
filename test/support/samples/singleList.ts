import type { SampleFactory } from './index.js'

/** The Single List's routes (filters, search, export, views). */
export const singleListSamples: SampleFactory = async () => ({ params: {}, recordRules: {} })
