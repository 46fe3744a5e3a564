import { createHash, randomBytes } from 'node:crypto'
import { can, type Permission } from '../domain/access.js'
import type { Actor } from '../domain/actor.js'
import { fieldProblems, organisationInput, rolesNotAllowedFor, userInput } from '../domain/admin.js'
import { isOrganisationKind, isRole } from '../domain/roles.js'
import { newId } from '../data/ids.js'
import { findOrganisation, insertOrganisation, listOrganisations } from '../data/repositories/organisationRepository.js'
import { deleteSessionsOfUser } from '../data/repositories/sessionRepository.js'
import { findTokenByHash, listTokens } from '../data/repositories/tokenRepository.js'
import { findUserByEmail, findUserById, listUsers } from '../data/repositories/userRepository.js'
import { audit } from './audit.js'
import type { Caller, Deps } from './deps.js'
import { ForbiddenError, NotFoundError, ValidationError } from './errors.js'

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex')

/** Organisations, users and API tokens. Administrators manage these but cannot open child records. */
export function createAdminService({ db, clock }: Deps) {
  const require = (caller: Caller, permission: Permission) => {
    if (caller.actor.kind !== 'system' && !can(caller.actor, permission)) throw new ForbiddenError(permission)
  }

  return {
    async listOrganisations(caller: Caller) {
      require(caller, 'admin:organisations')
      return listOrganisations(db, { laCode: caller.actor.laCode })
    },

    async getOrganisation(caller: Caller, id: string) {
      require(caller, 'admin:organisations')
      const org = await findOrganisation(db, id)
      if (!org || org.la_code !== caller.actor.laCode) throw new NotFoundError('Organisation')
      return org
    },

    async createOrganisation(caller: Caller, input: unknown): Promise<string> {
      require(caller, 'admin:organisations')
      const parsed = organisationInput.safeParse(input)
      if (!parsed.success) throw new ValidationError(fieldProblems(parsed.error))
      const o = parsed.data
      const id = newId()
      const now = clock.now().toISOString()
      await db.transaction().execute(async trx => {
        if (o.urn) {
          const clash = await trx.selectFrom('organisations').select('id').where('urn', '=', o.urn).executeTakeFirst()
          if (clash) throw new ValidationError([{ field: 'urn', message: 'A school with this URN already exists' }])
        }
        await insertOrganisation(trx, {
          id,
          la_code: caller.actor.laCode,
          kind: o.kind,
          name: o.name,
          urn: o.urn ?? null,
          establishment_number: o.establishmentNumber ?? null,
          school_type: o.kind === 'school' ? (o.schoolType ?? null) : null,
          phase: o.kind === 'school' ? (o.phase ?? null) : null,
          agency_type: o.kind === 'partner' ? (o.agencyType ?? null) : null,
          email: o.email ?? null,
          phone: null,
          created_at: now,
          updated_at: now,
        })
        await audit(trx, clock, caller.actor, caller.request, 'organisation.create', [
          { detail: { organisationId: id } },
        ])
      })
      return id
    },

    /** Changes an organisation's details (its kind stays: users' roles depend on it). */
    async updateOrganisation(caller: Caller, id: string, input: unknown): Promise<void> {
      require(caller, 'admin:organisations')
      const current = await this.getOrganisation(caller, id)
      const parsed = organisationInput.safeParse({ ...(input as Record<string, unknown>), kind: current.kind })
      if (!parsed.success) throw new ValidationError(fieldProblems(parsed.error))
      const o = parsed.data
      await db.transaction().execute(async trx => {
        if (o.urn) {
          const clash = await trx
            .selectFrom('organisations')
            .select('id')
            .where('urn', '=', o.urn)
            .where('id', '!=', id)
            .executeTakeFirst()
          if (clash) throw new ValidationError([{ field: 'urn', message: 'A school with this URN already exists' }])
        }
        await trx
          .updateTable('organisations')
          .set({
            name: o.name,
            urn: o.urn ?? null,
            establishment_number: o.establishmentNumber ?? null,
            school_type: o.kind === 'school' ? (o.schoolType ?? null) : null,
            phase: o.kind === 'school' ? (o.phase ?? null) : null,
            agency_type: o.kind === 'partner' ? (o.agencyType ?? null) : null,
            email: o.email ?? null,
            updated_at: clock.now().toISOString(),
          })
          .where('id', '=', id)
          .execute()
        await audit(trx, clock, caller.actor, caller.request, 'organisation.update', [
          { detail: { organisationId: id } },
        ])
      })
    },

    async setOrganisationActive(caller: Caller, id: string, active: boolean): Promise<void> {
      require(caller, 'admin:organisations')
      await this.getOrganisation(caller, id)
      await db.transaction().execute(async trx => {
        await trx
          .updateTable('organisations')
          .set({ active: active ? 1 : 0, updated_at: clock.now().toISOString() })
          .where('id', '=', id)
          .execute()
        await audit(
          trx,
          clock,
          caller.actor,
          caller.request,
          active ? 'organisation.reactivate' : 'organisation.deactivate',
          [{ detail: { organisationId: id } }],
        )
      })
    },

    async listUsers(caller: Caller) {
      require(caller, 'admin:users')
      return listUsers(db, { laCode: caller.actor.laCode })
    },

    async getUser(caller: Caller, id: string) {
      require(caller, 'admin:users')
      const user = await findUserById(db, id)
      if (!user || user.laCode !== caller.actor.laCode) throw new NotFoundError('User')
      return user
    },

    /** Adds a user, or (with `id`) changes one. Returns the user's id. */
    async saveUser(caller: Caller, input: unknown, id?: string): Promise<string> {
      require(caller, 'admin:users')
      const parsed = userInput.safeParse(input)
      if (!parsed.success) throw new ValidationError(fieldProblems(parsed.error))
      const u = parsed.data
      const org = await findOrganisation(db, u.organisationId)
      if (!org || org.la_code !== caller.actor.laCode || !isOrganisationKind(org.kind))
        throw new ValidationError([{ field: 'organisationId', message: 'Select the organisation' }])
      const wrong = rolesNotAllowedFor(org.kind, u.roles)
      if (wrong.length > 0)
        throw new ValidationError([
          {
            field: 'roles',
            message: `A ${org.kind === 'la' ? 'local authority' : org.kind} user cannot have the role ${wrong.join(', ')}`,
          },
        ])
      const existing = await findUserByEmail(db, u.email)
      if (existing && existing.id !== id)
        throw new ValidationError([{ field: 'email', message: 'A user with this email address already exists' }])
      const now = clock.now().toISOString()
      const userId = id ?? newId()
      await db.transaction().execute(async trx => {
        if (id) {
          const r = await trx
            .updateTable('users')
            .set({ name: u.name, email: u.email, organisation_id: org.id, phone: u.phone ?? null, updated_at: now })
            .where('id', '=', id)
            .executeTakeFirst()
          if (Number(r.numUpdatedRows) === 0) throw new NotFoundError('User')
          await trx.deleteFrom('user_roles').where('user_id', '=', id).execute()
        } else {
          await trx
            .insertInto('users')
            .values({
              id: userId,
              organisation_id: org.id,
              email: u.email,
              name: u.name,
              phone: u.phone ?? null,
              created_at: now,
              updated_at: now,
              last_sign_in_at: null,
            })
            .execute()
        }
        await trx
          .insertInto('user_roles')
          .values([...new Set(u.roles)].map(role => ({ user_id: userId, role })))
          .execute()
        await audit(trx, clock, caller.actor, caller.request, id ? 'user.update' : 'user.create', [
          { detail: { userId, roles: u.roles } },
        ])
      })
      return userId
    },

    /** Deactivating also ends every session the person has, so access stops at once. */
    async setUserActive(caller: Caller, id: string, active: boolean): Promise<void> {
      require(caller, 'admin:users')
      await this.getUser(caller, id)
      await db.transaction().execute(async trx => {
        await trx
          .updateTable('users')
          .set({ active: active ? 1 : 0, updated_at: clock.now().toISOString() })
          .where('id', '=', id)
          .execute()
        if (!active) await deleteSessionsOfUser(trx, id)
        await audit(trx, clock, caller.actor, caller.request, active ? 'user.reactivate' : 'user.deactivate', [
          { detail: { userId: id } },
        ])
      })
    },

    async endSessions(caller: Caller, id: string): Promise<number> {
      require(caller, 'admin:users')
      await this.getUser(caller, id)
      return db.transaction().execute(async trx => {
        const n = await deleteSessionsOfUser(trx, id)
        await audit(trx, clock, caller.actor, caller.request, 'user.end-sessions', [
          { detail: { userId: id, sessions: n } },
        ])
        return n
      })
    },

    async listTokens(caller: Caller) {
      require(caller, 'admin:users')
      return listTokens(db)
    },

    /** The token is returned once; only its hash is kept. */
    async createToken(
      caller: Caller,
      input: { organisationId: string; roles: string[]; name: string },
    ): Promise<string> {
      require(caller, 'admin:users')
      const org = await findOrganisation(db, input.organisationId)
      if (!org || org.la_code !== caller.actor.laCode || !isOrganisationKind(org.kind))
        throw new ValidationError([{ field: 'organisationId', message: 'Select the organisation' }])
      const roles = input.roles.filter(isRole)
      if (roles.length === 0 || roles.length !== input.roles.length)
        throw new ValidationError([{ field: 'roles', message: 'Give at least one valid role' }])
      const wrong = rolesNotAllowedFor(org.kind, roles)
      if (wrong.length > 0)
        throw new ValidationError([
          { field: 'roles', message: `Not a role for this organisation: ${wrong.join(', ')}` },
        ])
      if (input.name.trim() === '')
        throw new ValidationError([{ field: 'name', message: 'Enter a name for the token' }])
      const token = `onr_${randomBytes(32).toString('base64url')}`
      const id = newId()
      await db.transaction().execute(async trx => {
        await trx
          .insertInto('api_tokens')
          .values({
            id,
            name: input.name.trim(),
            organisation_id: org.id,
            roles: roles.join(' '),
            token_hash: hashToken(token),
            created_by: caller.actor.kind === 'system' ? null : caller.actor.id,
            created_at: clock.now().toISOString(),
            last_used_at: null,
            revoked_at: null,
          })
          .execute()
        await audit(trx, clock, caller.actor, caller.request, 'token.create', [{ detail: { tokenId: id } }])
      })
      return token
    },

    async revokeToken(caller: Caller, id: string): Promise<void> {
      require(caller, 'admin:users')
      await db.transaction().execute(async trx => {
        const r = await trx
          .updateTable('api_tokens')
          .set({ revoked_at: clock.now().toISOString() })
          .where('id', '=', id)
          .where('revoked_at', 'is', null)
          .executeTakeFirst()
        if (Number(r.numUpdatedRows) === 0) throw new NotFoundError('Token')
        await audit(trx, clock, caller.actor, caller.request, 'token.revoke', [{ detail: { tokenId: id } }])
      })
    },

    /** The actor behind a Bearer token, or undefined for a missing, unknown or revoked one. */
    async actorForToken(token: string): Promise<Actor | undefined> {
      const row = await findTokenByHash(db, hashToken(token))
      if (
        !row ||
        row.revoked_at !== null ||
        row.organisation_active !== 1 ||
        !isOrganisationKind(row.organisation_kind)
      )
        return undefined
      const now = clock.now()
      // Recording every use would make each API call a write; a minute's resolution is enough to show activity.
      if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > 60_000)
        await db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', row.id).execute()
      return {
        kind: 'token',
        id: row.id,
        name: row.name,
        organisationId: row.organisation_id,
        organisationKind: row.organisation_kind,
        organisationName: row.organisation_name,
        laCode: row.la_code,
        roles: row.roles.split(' ').filter(isRole),
      }
    },
  }
}
