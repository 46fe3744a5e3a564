import { describe, expect, it } from 'vitest'
import { loadDemoData } from '../src/demo/demoData.js'
import { loadDemoReferrals } from '../src/demo/demoReferrals.js'
import { loadDemo } from '../src/demo/index.js'
import { DEMO_ROLLS } from '../src/demo/demoRolls.js'
import { isOfCompulsorySchoolAge } from '../src/domain/schoolAge.js'
import { checkUpn } from '../src/domain/upn.js'
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

describe.each(ENGINES)('the demo school rolls on %s', engine => {
  it('gives two schools a roll of pupils of school age with valid UPNs, once', async () => {
    const rt = await openTestRuntime(engine)
    try {
      const first = await loadDemo(rt, '317')
      expect(first.pupils).toBe(DEMO_ROLLS.reduce((n, r) => n + r.years.length * r.perYear, 0))
      expect((await loadDemo(rt, '317')).pupils).toBe(0)
      const pupils = await rt.db.selectFrom('pupils').selectAll().execute()
      expect(new Set(pupils.map(p => p.school_id)).size).toBe(2)
      for (const p of pupils) {
        expect(checkUpn(p.upn ?? '').valid).toBe(true)
        expect(isOfCompulsorySchoolAge(p.date_of_birth, rt.clock.today()) || p.nc_year === 'R').toBe(true)
      }
      expect(new Set(pupils.map(p => p.upn)).size).toBe(pupils.length)
    } finally {
      await rt.close()
    }
  })
})
