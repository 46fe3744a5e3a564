import { demoId } from '../../../src/demo/demoData.js'
import { loadDemoRolls } from '../../../src/demo/demoRolls.js'
import type { SampleFactory } from './index.js'

/**
 * The school's roll and pupils of concern: a Larkspur pupil with an open concern. The demo school
 * users for each school role are Larkspur's, so they may use it; every other role is refused by
 * the permission, and other schools by the service (test/web/school.test.ts).
 */
export const schoolSamples: SampleFactory = async rt => {
  await loadDemoRolls(rt.db, rt.clock, '317')
  const pupilId = demoId('pupil:larkspur:30')
  const id = demoId('concern:sample')
  const now = rt.clock.now().toISOString()
  await rt.db
    .insertInto('pupil_concerns')
    .values({
      id,
      la_code: '317',
      school_id: demoId('org:larkspur'),
      pupil_id: pupilId,
      circumstance: 'stopped-attending',
      last_attended_on: '2026-11-10',
      expected_on: null,
      social_worker: null,
      social_worker_phone: null,
      status: 'open',
      created_by: demoId('user:attendance@larkspur.demo.onroll.invalid'),
      created_at: now,
      updated_at: now,
    })
    .onConflict(oc => oc.column('id').doNothing())
    .execute()
  const concern = { id }
  return {
    params: {
      '/school/pupils/:pupilId': { pupilId },
      '/school/concerns/new/:pupilId': { pupilId },
      '/school/concerns/:id': concern,
      '/school/concerns/:id/contacts': concern,
      '/school/concerns/:id/marf': concern,
      '/school/concerns/:id/ewo': concern,
      '/school/concerns/:id/outcome': concern,
      '/school/concerns/:id/referral': concern,
    },
    recordRules: {},
  }
}
