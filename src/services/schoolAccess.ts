/**
 * Who may see a school's roll and its pupils of concern: the school's own staff (permission
 * `school:pupils`, an actor of a school organisation), and only for records of their own school in
 * their own LA. The LA's CME team sees a pupil when the school refers them (docs/security.md).
 */
import type { Transaction } from 'kysely'
import { can } from '../domain/access.js'
import type { Actor } from '../domain/actor.js'
import type { Database, Pupil } from '../data/schema.js'
import { ForbiddenError, NotFoundError } from './errors.js'

export function requireSchoolUser(actor: Actor): { schoolId: string; laCode: string } {
  if (!can(actor, 'school:pupils') || actor.organisationKind !== 'school') throw new ForbiddenError('school:pupils')
  return { schoolId: actor.organisationId, laCode: actor.laCode }
}

export const ownsRecord = (actor: Actor, row: { la_code: string; school_id: string }): boolean =>
  row.la_code === actor.laCode && row.school_id === actor.organisationId

/** A pupil of the caller's own school, or a refusal (another school's pupil is as if it did not exist to them). */
export async function requirePupil(trx: Transaction<Database>, actor: Actor, pupilId: string): Promise<Pupil> {
  requireSchoolUser(actor)
  const pupil = await trx.selectFrom('pupils').selectAll().where('id', '=', pupilId).executeTakeFirst()
  if (!pupil) throw new NotFoundError('Pupil')
  if (!ownsRecord(actor, pupil)) throw new ForbiddenError('school:pupils')
  return pupil
}
