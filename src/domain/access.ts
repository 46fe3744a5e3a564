/**
 * Who may do what: the one policy module the services ask. Deny by default: a permission
 * not in this table, or a role not listed for it, is refused.
 */
import type { Actor } from './actor.js'
import { ESCALATION_CHAIN } from './escalation.js'
import { CASEWORK_ROLES, MANAGER_ROLES, SCHOOL_ROLES, hasAnyRole, type Role } from './roles.js'

export const PERMISSIONS = {
  /** See the LA's Single List of every open case, and export it. */
  'single-list:view': [...CASEWORK_ROLES, ...MANAGER_ROLES],
  /** Change a case: triage, checks, tasks, notes, outcomes. */
  'case:work': CASEWORK_ROLES,
  /** Authorise closing a case as "not found" (protocol: the EWS Operational Manager). */
  'case:authorise-closure': ['ews-operational-manager'],
  /** Make a CME referral (schools and partners for their own organisation; the CME team on a caller's behalf). */
  'referral:create': [...SCHOOL_ROLES, 'partner-referrer', ...CASEWORK_ROLES],
  /** Monthly oversight, escalations and reports. */
  'oversight:view': MANAGER_ROLES,
  /** Search the audit trail and see who viewed a record. */
  'audit:view': MANAGER_ROLES,
  /** A school's own pupils of concern, deletions and returns. */
  'school:pupils': SCHOOL_ROLES,
  'admin:users': ['system-admin'],
  'admin:organisations': ['system-admin'],
  'admin:settings': ['system-admin', 'ews-operational-manager'],
  /** The rules helpers (school days, deletion check) hold no personal data: anyone signed in. */
  'rules:use': [
    'school-staff',
    'school-dsl',
    'ewo',
    'partner-referrer',
    ...CASEWORK_ROLES,
    'operational-director',
    'corporate-director',
    'ehe-officer',
    'system-admin',
  ],
  /** Run a school attendance order process on a case (the CME team and managers). */
  'sao:work': [...CASEWORK_ROLES, ...MANAGER_ROLES],
  /** Make, list and download letters on a case. */
  'letters:use': [...CASEWORK_ROLES, ...MANAGER_ROLES],
  /** Edit the letter templates. */
  'letters:templates': [...MANAGER_ROLES, 'system-admin'],
  /** The "Escalated to me" queue and answering escalations: every level of the Appendix E chain. */
  'escalation:answer': ESCALATION_CHAIN,
  /** The LA's feed of schools' deletion and new pupil returns and home-education notices. */
  'returns:view': [...CASEWORK_ROLES, ...MANAGER_ROLES, 'ehe-officer'],
} as const satisfies Record<string, readonly Role[]>

export type Permission = keyof typeof PERMISSIONS

export function can(actor: Actor, permission: Permission): boolean {
  return hasAnyRole(actor.roles, PERMISSIONS[permission])
}

/** The parts of a case that decide who may see it. */
export interface CaseScope {
  laCode: string
  schoolId: string | null
  referrerOrgId: string | null
}

/**
 * How much of a case an actor may see: the whole case file (the LA's CME team and managers),
 * its status and outcome (the school or agency that referred, or the school the child left),
 * or nothing. System administrators see nothing unless they also hold a casework role.
 */
export type CaseView = 'full' | 'status' | 'none'

export function caseViewFor(actor: Actor, scope: CaseScope): CaseView {
  if (actor.laCode !== scope.laCode) return 'none'
  if (actor.organisationKind === 'la' && can(actor, 'single-list:view')) return 'full'
  const ownOrganisation = scope.referrerOrgId === actor.organisationId || scope.schoolId === actor.organisationId
  if (!ownOrganisation) return 'none'
  if (actor.organisationKind === 'school' && hasAnyRole(actor.roles, SCHOOL_ROLES)) return 'status'
  if (actor.organisationKind === 'partner' && actor.roles.includes('partner-referrer')) return 'status'
  return 'none'
}
