import { describe, expect, it } from 'vitest'
import { loadDemoData } from '../src/demo/demoData.js'
import { loadDemoReferrals } from '../src/demo/demoReferrals.js'
import { ENGINES, openTestRuntime } from './support/db.js'

describe.each(ENGINES)('the demo data set on %s', engine => {
  it('loads referrals in every state once, through the referral service', async () => {
    const rt = await openTestRuntime(engine)
    try {
      await loadDemoData(rt.db, rt.clock, '317')
      expect(await loadDemoReferrals(rt.db, rt.clock, rt.services, '317')).toBe(6)
      expect(await loadDemoReferrals(rt.db, rt.clock, rt.services, '317')).toBe(0)
      const statuses = (await rt.db.selectFrom('referrals').select('status').execute()).map(r => r.status).sort()
      expect(statuses).toEqual(['accepted', 'draft', 'returned', 'submitted', 'submitted', 'submitted'])
      const duplicate = await rt.db.selectFrom('cases').select('id').where('possible_duplicate', '=', 1).execute()
      expect(duplicate.length).toBeGreaterThanOrEqual(1)
    } finally {
      await rt.close()
    }
  })
})
