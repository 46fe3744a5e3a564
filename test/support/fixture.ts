/**
 * A populated system for the security tests: the demo data set, a second local authority with its own
 * case (nothing of it may leak to the first), and admin targets that tests may change freely.
 */
import { demoId, loadDemoData, DEMO_USERS } from '../../src/demo/demoData.js'
import { systemActor } from '../../src/domain/actor.js'
import type { Role } from '../../src/domain/roles.js'
import type { TestRuntime } from './db.js'

export const OTHER_LA = '999'

export interface SecurityFixture {
  /** One signed-in user per role (the demo users), plus the other LA's CME officer. */
  usersByRole: Map<Role, string>
  otherLaOfficer: string
  otherLaCaseId: string
  targetUserId: string
  targetOrgId: string
  targetTokenId: string
  /** An API token for each demo user's organisation and roles, keyed by email. */
  tokens: Map<string, string>
}

export async function loadSecurityFixture(rt: TestRuntime): Promise<SecurityFixture> {
  await loadDemoData(rt.db, rt.clock, '317')
  const now = rt.clock.now().toISOString()
  const usersByRole = new Map<Role, string>()
  for (const u of DEMO_USERS) for (const r of u.roles) if (!usersByRole.has(r)) usersByRole.set(r, u.email)

  // The other LA: an organisation, its CME officer and one child with an open case.
  const otherOrg = 'ffffffff-0000-4000-8000-000000000001'
  await rt.db
    .insertInto('organisations')
    .values({
      id: otherOrg,
      la_code: OTHER_LA,
      kind: 'la',
      name: 'Other LA CME team',
      urn: null,
      establishment_number: null,
      school_type: null,
      phase: null,
      agency_type: null,
      email: null,
      phone: null,

      created_at: now,
      updated_at: now,
    })
    .execute()
  const otherLaOfficer = 'cme@other-la.test'
  const otherUser = 'ffffffff-0000-4000-8000-000000000002'
  await rt.db
    .insertInto('users')
    .values({
      id: otherUser,
      organisation_id: otherOrg,
      email: otherLaOfficer,
      name: 'Other Officer',
      phone: null,
      created_at: now,
      updated_at: now,
      last_sign_in_at: null,
    })
    .execute()
  await rt.db.insertInto('user_roles').values({ user_id: otherUser, role: 'cme-information-officer' }).execute()
  const otherChild = 'ffffffff-0000-4000-8000-000000000003'
  await rt.db
    .insertInto('children')
    .values({
      id: otherChild,
      la_code: OTHER_LA,
      first_name: 'Other',
      last_name: 'Child',
      other_names: null,
      date_of_birth: '2015-05-05',
      gender: null,
      ethnicity: null,
      upn: null,
      former_upn: null,
      social_worker: null,
      name_key: 'child other',
      family_id: null,
      created_at: now,
      updated_at: now,
    })
    .execute()
  const otherLaCaseId = 'ffffffff-0000-4000-8000-000000000004'
  await rt.db
    .insertInto('cases')
    .values({
      id: otherLaCaseId,
      reference: 'CME-OTHER-000001',
      la_code: OTHER_LA,
      child_id: otherChild,
      status: 'stage-one',
      priority: 'high',
      priority_reason: null,
      school_id: null,
      referrer_org_id: otherOrg,
      referral_id: null,
      referred_on: '2026-10-01',
      assigned_to: null,
      next_action: null,
      next_action_due: null,
      triage_due: null,
      outcome: null,
      closed_on: null,
      created_at: now,
      updated_at: now,
    })
    .execute()

  const caller = { actor: systemActor('317', 'system'), request: { requestId: 'fixture', clientIp: null } }
  const targetOrgId = await rt.services.admin.createOrganisation(caller, {
    kind: 'partner',
    name: 'Target agency',
    agencyType: 'housing',
  })
  const targetUserId = await rt.services.admin.saveUser(caller, {
    name: 'Target Person',
    email: 'target@example.test',
    organisationId: targetOrgId,
    roles: ['partner-referrer'],
  })
  await rt.services.admin.createToken(caller, {
    organisationId: targetOrgId,
    roles: ['partner-referrer'],
    name: 'target',
  })
  const targetTokenId = (await rt.services.admin.listTokens(caller))[0]!.id

  const tokens = new Map<string, string>()
  for (const u of DEMO_USERS) {
    if (u.roles.includes('system-admin')) continue
    tokens.set(
      u.email,
      await rt.services.admin.createToken(caller, {
        organisationId: demoId(`org:${u.org}`),
        roles: u.roles,
        name: u.email,
      }),
    )
  }
  return { usersByRole, otherLaOfficer, otherLaCaseId, targetUserId, targetOrgId, targetTokenId, tokens }
}
