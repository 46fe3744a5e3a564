/**
 * Reading one pupil of a school's roll for the school's own journeys (leaving, home education,
 * CTF, returns): the record-level rule (a school sees only its own pupils) and the shapes the
 * domain rules take. Every caller runs these inside its transaction and writes its own audit event.
 */
import type { Transaction } from 'kysely'
import { can } from '../domain/access.js'
import type { Actor } from '../domain/actor.js'
import { possiblyLocated, type PupilForCtf, type PupilForReturn } from '../domain/schoolReturns.js'
import type { Database, Pupil } from '../data/schema.js'
import type { Db } from '../data/db.js'
import { ForbiddenError, NotFoundError } from './errors.js'

export interface PupilContact {
  name: string
  relationship: string | null
  phone: string | null
  email: string | null
}

/** School staff of the school whose roll it is, and nobody else. */
export function assertOwnSchool(actor: Actor, schoolId: string, laCode: string): void {
  if (!can(actor, 'school:pupils')) throw new ForbiddenError('school:pupils')
  if (actor.organisationKind !== 'school' || actor.organisationId !== schoolId || actor.laCode !== laCode)
    throw new ForbiddenError('school:pupils')
}

/**
 * A pupil of the caller's own school: another school's pupil is refused, a missing one not found. Read
 * in the caller's transaction, the one that writes its audit event.
 */
export async function ownPupil(trx: Transaction<Database>, actor: Actor, pupilId: string): Promise<Pupil> {
  if (!can(actor, 'school:pupils')) throw new ForbiddenError('school:pupils')
  const pupil = await trx.selectFrom('pupils').selectAll().where('id', '=', pupilId).executeTakeFirst()
  if (!pupil) throw new NotFoundError('Pupil')
  assertOwnSchool(actor, pupil.school_id, pupil.la_code)
  return pupil
}

const parseJson = <T>(text: string | null, fallback: T): T => {
  if (text === null || text === '') return fallback
  try {
    return JSON.parse(text) as T
  } catch {
    return fallback
  }
}

export const pupilContacts = (p: Pupil): PupilContact[] => parseJson<PupilContact[]>(p.contacts, [])
export const pupilAddressLines = (p: Pupil): string[] => parseJson<string[]>(p.address_lines, [])
export const pupilAddress = (p: Pupil): string => [...pupilAddressLines(p), p.postcode ?? ''].filter(Boolean).join(', ')
export const pupilName = (p: Pupil): string => `${p.first_name} ${p.last_name}`

export function pupilForReturn(p: Pupil): PupilForReturn {
  return {
    firstName: p.first_name,
    lastName: p.last_name,
    otherNames: p.other_names,
    dateOfBirth: p.date_of_birth,
    gender: p.gender,
    upn: p.upn,
    ncYear: p.nc_year,
    admissionDate: p.admission_date,
    address: pupilAddress(p),
  }
}

export function pupilForCtf(p: Pupil): PupilForCtf {
  const { address: _address, ...rest } = pupilForReturn(p)
  return {
    ...rest,
    formerUpn: p.former_upn,
    ethnicity: p.ethnicity,
    senProvision: p.sen_provision,
    addressLines: pupilAddressLines(p),
    postcode: p.postcode,
    contacts: pupilContacts(p),
  }
}

/**
 * The LA's CME cases for this child: same UPN, or same name and date of birth (the rule the
 * "possibly located" alert uses too). Newest first; open cases before closed ones is the caller's choice.
 */
export async function casesForPupil(
  trx: Transaction<Database> | Db,
  pupil: Pick<Pupil, 'la_code' | 'first_name' | 'last_name' | 'date_of_birth' | 'upn'>,
): Promise<{ caseId: string; reference: string; status: string; reasons: string[] }[]> {
  const rows = await trx
    .selectFrom('cases')
    .innerJoin('children', 'children.id', 'cases.child_id')
    .select([
      'cases.id',
      'cases.reference',
      'cases.status',
      'cases.referred_on',
      'children.first_name',
      'children.last_name',
      'children.date_of_birth',
      'children.upn',
    ])
    .where('cases.la_code', '=', pupil.la_code)
    .where(eb =>
      pupil.upn
        ? eb.or([eb('children.upn', '=', pupil.upn), eb('children.date_of_birth', '=', pupil.date_of_birth)])
        : eb('children.date_of_birth', '=', pupil.date_of_birth),
    )
    .orderBy('cases.referred_on', 'desc')
    .execute()
  return rows.flatMap(r => {
    const m = possiblyLocated(
      { firstName: pupil.first_name, lastName: pupil.last_name, dateOfBirth: pupil.date_of_birth, upn: pupil.upn },
      { firstName: r.first_name, lastName: r.last_name, dateOfBirth: r.date_of_birth, upn: r.upn },
    )
    return m.located ? [{ caseId: r.id, reference: r.reference, status: r.status, reasons: m.reasons }] : []
  })
}
