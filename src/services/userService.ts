import type { Actor, RequestContext } from '../domain/actor.js'
import { findUserByEmail, findUserById, listUsers, type UserWithAccess } from '../data/repositories/userRepository.js'
import { audit } from './audit.js'
import type { Deps } from './deps.js'

export type SignInRefusal = 'unknown' | 'deactivated'

export function toActor(user: UserWithAccess): Actor {
  return {
    kind: 'user',
    id: user.id,
    name: user.name,
    organisationId: user.organisationId,
    organisationKind: user.organisationKind,
    organisationName: user.organisationName,
    laCode: user.laCode,
    roles: user.roles,
  }
}

export function createUserService({ db, clock }: Deps) {
  return {
    /** The actor for a session: re-read each request so a deactivation takes effect at once. */
    async actorFor(userId: string): Promise<Actor | undefined> {
      const user = await findUserById(db, userId)
      if (!user || !user.active || !user.organisationActive) return undefined
      return toActor(user)
    },

    /** Users are provisioned by an administrator and matched by email; nobody is created at sign-in. */
    async signIn(
      email: string,
      request: RequestContext,
      method: 'oidc' | 'demo',
    ): Promise<{ ok: true; user: UserWithAccess } | { ok: false; reason: SignInRefusal }> {
      const user = await findUserByEmail(db, email)
      if (!user) return { ok: false, reason: 'unknown' }
      if (!user.active || !user.organisationActive) return { ok: false, reason: 'deactivated' }
      await db.transaction().execute(async trx => {
        await trx
          .updateTable('users')
          .set({ last_sign_in_at: clock.now().toISOString() })
          .where('id', '=', user.id)
          .execute()
        await audit(trx, clock, toActor(user), request, 'sign-in', [{ detail: { method } }])
      })
      return { ok: true, user }
    },

    async recordSignOut(actor: Actor, request: RequestContext, everywhere: boolean): Promise<void> {
      await db.transaction().execute(async trx => {
        await audit(trx, clock, actor, request, everywhere ? 'sign-out-everywhere' : 'sign-out')
      })
    },

    /** Everyone in the caller's LA, for pickers such as the audit search (names only, no child data). */
    async peopleInLa(caller: { actor: Actor }): Promise<{ id: string; name: string; organisationName: string }[]> {
      return (await listUsers(db, { laCode: caller.actor.laCode })).map(u => ({
        id: u.id,
        name: u.name,
        organisationName: u.organisationName,
      }))
    },

    /** Demo users for the "choose a demo user" sign-in: every active user, grouped by organisation. */
    async demoUsers(): Promise<UserWithAccess[]> {
      return (await listUsers(db)).filter(u => u.active && u.organisationActive)
    },
  }
}
