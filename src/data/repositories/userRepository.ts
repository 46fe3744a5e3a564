import type { Kysely } from 'kysely'
import { isRole, type OrganisationKind, type Role } from '../../domain/roles.js'
import type { Database } from '../schema.js'

export interface UserWithAccess {
  id: string
  email: string
  name: string
  phone: string | null
  active: boolean
  organisationId: string
  organisationName: string
  organisationKind: OrganisationKind
  organisationActive: boolean
  laCode: string
  roles: Role[]
  lastSignInAt: string | null
}

function baseQuery(db: Kysely<Database>) {
  return db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select([
      'users.id',
      'users.email',
      'users.name',
      'users.phone',
      'users.active',
      'users.last_sign_in_at',
      'users.organisation_id',
      'organisations.name as organisation_name',
      'organisations.kind as organisation_kind',
      'organisations.active as organisation_active',
      'organisations.la_code',
    ])
}

async function withRoles(
  db: Kysely<Database>,
  rows: Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>,
): Promise<UserWithAccess[]> {
  if (rows.length === 0) return []
  const roleRows = await db
    .selectFrom('user_roles')
    .select(['user_id', 'role'])
    .where(
      'user_id',
      'in',
      rows.map(r => r.id),
    )
    .execute()
  return toUsers(rows, roleRows)
}

function toUsers(
  rows: Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>,
  roleRows: { user_id: string; role: string }[],
): UserWithAccess[] {
  return rows.map(r => ({
    id: r.id,
    email: r.email,
    name: r.name,
    phone: r.phone,
    active: r.active === 1,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    organisationKind: r.organisation_kind as OrganisationKind,
    organisationActive: r.organisation_active === 1,
    laCode: r.la_code,
    lastSignInAt: r.last_sign_in_at,
    roles: roleRows
      .filter(x => x.user_id === r.id)
      .map(x => x.role)
      .filter(isRole)
      .sort(),
  }))
}

/** One user and their roles in one query (a row per role): this runs on every signed-in request. */
export async function findUserById(db: Kysely<Database>, id: string): Promise<UserWithAccess | undefined> {
  const rows = await baseQuery(db)
    .leftJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select('user_roles.role')
    .where('users.id', '=', id)
    .execute()
  const first = rows[0]
  return (
    first &&
    toUsers(
      [first],
      rows.flatMap(r => (r.role === null ? [] : [{ user_id: first.id, role: r.role }])),
    )[0]
  )
}

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<UserWithAccess | undefined> {
  const rows = await baseQuery(db).where('users.email', '=', email.trim().toLowerCase()).execute()
  return (await withRoles(db, rows))[0]
}

export async function listUsers(
  db: Kysely<Database>,
  filter: { organisationId?: string; laCode?: string } = {},
): Promise<UserWithAccess[]> {
  let q = baseQuery(db)
  if (filter.organisationId) q = q.where('users.organisation_id', '=', filter.organisationId)
  if (filter.laCode) q = q.where('organisations.la_code', '=', filter.laCode)
  const rows = await q.orderBy('organisations.name').orderBy('users.name').execute()
  return withRoles(db, rows)
}
