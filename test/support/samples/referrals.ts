import { CASEWORK_ROLES, hasAnyRole } from '../../../src/domain/roles.js'
import { demoId } from '../../../src/demo/demoData.js'
import type { Actor } from '../../../src/domain/actor.js'
import type { SampleFactory } from './index.js'

/** The referral journey's routes: a Larkspur draft, which only Larkspur and the CME team may open. */
export const referralSamples: SampleFactory = async rt => {
  const actor = (await rt.services.users.actorFor(demoId('user:attendance@larkspur.demo.onroll.invalid')))!
  const id = await rt.services.referrals.start({ actor, request: { requestId: 'samples', clientIp: null } })
  const mayUse = (a: Actor) =>
    a.laCode === '317' && (a.organisationId === demoId('org:larkspur') || hasAnyRole(a.roles, CASEWORK_ROLES))
  const routes = [
    '/referrals/:id',
    '/referrals/:id/check',
    '/referrals/:id/submit',
    '/referrals/:id/confirmation',
    '/referrals/:id/:section',
  ]
  return {
    params: {
      ...Object.fromEntries(routes.map(r => [r, { id, section: 'additional' }])),
      '/api/v1/referrals/:reference': { reference: 'CME-2026-000001' },
    },
    recordRules: Object.fromEntries(routes.map(r => [r, mayUse])),
  }
}
