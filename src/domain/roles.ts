/**
 * Roles and organisation kinds from the protocol (domain.md §2). A user belongs to one
 * organisation and holds one or more roles.
 */
export const ROLES = {
  'school-staff': 'School staff (attendance officer)',
  'school-dsl': 'School designated safeguarding lead',
  ewo: 'Education welfare officer',
  'partner-referrer': 'Partner agency referrer',
  'cme-information-officer': 'CME Information Officer',
  'vulnerable-childrens-officer': "Vulnerable Children's Officer",
  'ews-operational-manager': 'EWS Operational Manager',
  'operational-director': 'Operational Director for Education and Inclusion',
  'corporate-director': 'Corporate Director of People',
  'ehe-officer': 'Elective home education officer',
  'system-admin': 'System administrator',
} as const

export type Role = keyof typeof ROLES
export const ALL_ROLES = Object.keys(ROLES) as Role[]
export const isRole = (value: string): value is Role => Object.hasOwn(ROLES, value)

export const ORGANISATION_KINDS = { la: 'Local authority', school: 'School', partner: 'Partner agency' } as const
export type OrganisationKind = keyof typeof ORGANISATION_KINDS
export const isOrganisationKind = (value: string): value is OrganisationKind => Object.hasOwn(ORGANISATION_KINDS, value)

export const SCHOOL_TYPES = {
  community: 'Community school',
  foundation: 'Foundation school',
  'voluntary-aided': 'Voluntary aided school',
  academy: 'Academy',
  'free-school': 'Free school',
  independent: 'Independent school',
  special: 'Special school',
  'alternative-provision': 'Alternative provision',
} as const
export type SchoolType = keyof typeof SCHOOL_TYPES

export const SCHOOL_PHASES = { primary: 'Primary', secondary: 'Secondary', 'all-through': 'All-through' } as const

export const AGENCY_TYPES = {
  'social-care': "Children's social care",
  police: 'Police',
  health: 'Health',
  'early-help': 'Early help',
  'youth-offending': 'Youth offending service',
  housing: 'Housing',
  voluntary: 'Voluntary organisation',
  'other-la': 'Another local authority',
} as const

/** Which roles an organisation of each kind may give its users. */
export const ROLES_BY_ORGANISATION_KIND: Record<OrganisationKind, readonly Role[]> = {
  la: [
    'ewo',
    'cme-information-officer',
    'vulnerable-childrens-officer',
    'ews-operational-manager',
    'operational-director',
    'corporate-director',
    'ehe-officer',
    'system-admin',
  ],
  school: ['school-staff', 'school-dsl', 'system-admin'],
  partner: ['partner-referrer', 'ewo'],
}

/** The CME team: they work cases on the Single List. */
export const CASEWORK_ROLES: readonly Role[] = [
  'cme-information-officer',
  'vulnerable-childrens-officer',
  'ews-operational-manager',
]
/** Senior officers who oversee (read) all cases and the audit trail. */
export const MANAGER_ROLES: readonly Role[] = ['ews-operational-manager', 'operational-director', 'corporate-director']
export const SCHOOL_ROLES: readonly Role[] = ['school-staff', 'school-dsl']

export const hasAnyRole = (roles: readonly Role[], wanted: readonly Role[]): boolean =>
  roles.some(r => wanted.includes(r))
