import { loadDemoReturns } from '../../../src/demo/demoReturns.js'
import { demoId } from '../../../src/demo/demoData.js'
import { SCHOOL_ROLES, hasAnyRole } from '../../../src/domain/roles.js'
import type { SampleFactory } from './index.js'

/** A school's leavers and returns (the demo's), the LA's feed, and the CME team's side on a case. */
export const schoolReturnsSamples: SampleFactory = async rt => {
  await loadDemoReturns(rt.db, rt.clock, rt.services, '317')
  const larkspur = demoId('org:larkspur')
  const pupil = { pupilId: demoId('pupil:leavers:ehcp') }
  const ctf = await rt.db
    .selectFrom('ctf_files')
    .select('id')
    .where('school_id', '=', larkspur)
    .executeTakeFirstOrThrow()
  const ret = await rt.db
    .selectFrom('school_returns')
    .select('id')
    .where('school_id', '=', larkspur)
    .executeTakeFirstOrThrow()
  const alert = await rt.db.selectFrom('possibly_located_alerts').select(['id', 'case_id']).executeTakeFirstOrThrow()
  const ownSchool = (actor: { organisationId: string; roles: readonly string[] }) =>
    actor.organisationId === larkspur && hasAnyRole(actor.roles as never, SCHOOL_ROLES)
  const pupilRoutes = [
    '/school/pupils/:pupilId/leaving',
    '/school/pupils/:pupilId/leaving/record',
    '/school/pupils/:pupilId/home-education',
    '/school/pupils/:pupilId/ctf',
  ]
  return {
    params: {
      ...Object.fromEntries(pupilRoutes.map(r => [r, pupil])),
      '/school/ctf/:ctfId/download': { ctfId: ctf.id },
      '/school/ctf/:ctfId/uploaded': { ctfId: ctf.id },
      '/school/returns/:returnId': { returnId: ret.id },
      '/returns/:returnId': { returnId: ret.id },
      '/cases/:id/school-links': { id: alert.case_id },
      '/cases/:id/la-enquiries': { id: alert.case_id },
      '/cases/:id/possibly-located/:alertId': { id: alert.case_id, alertId: alert.id },
    },
    recordRules: {
      ...Object.fromEntries(pupilRoutes.map(r => [r, ownSchool])),
      '/school/ctf/:ctfId/download': ownSchool,
      '/school/ctf/:ctfId/uploaded': ownSchool,
      '/school/returns/:returnId': ownSchool,
    },
  }
}
