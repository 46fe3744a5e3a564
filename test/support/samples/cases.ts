import { caseViewFor } from '../../../src/domain/access.js'
import { demoId } from '../../../src/demo/demoData.js'
import type { SampleFactory } from './index.js'

/** Case pages and administration. */
export const caseSamples: SampleFactory = async (rt, fx) => {
  // A Larkspur case referred by Larkspur: its school sees the status, other schools nothing.
  const c = await rt.db
    .selectFrom('cases')
    .select('id')
    .where('school_id', '=', demoId('org:larkspur'))
    .where('referrer_org_id', '=', demoId('org:larkspur'))
    .executeTakeFirstOrThrow()
  return {
    params: {
      '/cases/:id': { id: c.id },
      '/cases/:id/triage': { id: c.id },
      '/cases/:id/return': { id: c.id },
      '/cases/:id/matches/:matchId/link': { id: c.id, matchId: '00000000-0000-4000-8000-000000000000' },
      '/cases/:id/matches/:matchId/dismiss': { id: c.id, matchId: '00000000-0000-4000-8000-000000000000' },
      '/admin/users/:id': { id: fx.targetUserId },
      '/admin/users/:id/deactivate': { id: fx.targetUserId },
      '/admin/users/:id/reactivate': { id: fx.targetUserId },
      '/admin/users/:id/end-sessions': { id: fx.targetUserId },
      '/admin/organisations/:id': { id: fx.targetOrgId },
      '/admin/organisations/:id/deactivate': { id: fx.targetOrgId },
      '/admin/organisations/:id/reactivate': { id: fx.targetOrgId },
      '/admin/tokens/:id/revoke': { id: fx.targetTokenId },
    },
    recordRules: {
      '/cases/:id': actor =>
        caseViewFor(actor, {
          laCode: '317',
          schoolId: demoId('org:larkspur'),
          referrerOrgId: demoId('org:larkspur'),
        }) !== 'none',
    },
  }
}
