/**
 * The school roll (issue 8): a school's own pupils, imported from its MIS as CSV or added by hand,
 * listed and searched by name. Each call is authorised for the caller's own school, runs in one
 * transaction and writes its audit events there.
 */
import type { Transaction } from 'kysely'
import { nameKey, normaliseName } from '../domain/names.js'
import { readPupil, type PupilContact, type PupilFields, type PupilRecord } from '../domain/pupil.js'
import { parseRollCsv, type RollProblem } from '../integrations/roll/rollCsv.js'
import { newId } from '../data/ids.js'
import type { Database, NewPupil, Pupil } from '../data/schema.js'
import type { Clock } from '../domain/clock.js'
import { audit } from './audit.js'
import type { Caller, Deps } from './deps.js'
import { ValidationError } from './errors.js'
import { requirePupil, requireSchoolUser } from './schoolAccess.js'

export interface RollEntry {
  id: string
  name: string
  dateOfBirth: string
  upn: string | null
  ncYear: string | null
  openConcern: boolean
}

const ROLL_PAGE = 500

export function parseContacts(text: string | null): PupilContact[] {
  if (!text) return []
  try {
    const list = JSON.parse(text) as unknown
    return Array.isArray(list) ? (list as PupilContact[]) : []
  } catch {
    return []
  }
}

export function parseAddress(text: string | null): string[] {
  if (!text) return []
  try {
    const list = JSON.parse(text) as unknown
    return Array.isArray(list) ? list.filter((l): l is string => typeof l === 'string') : []
  } catch {
    return [text]
  }
}

function columns(p: PupilRecord, now: string) {
  return {
    upn: p.upn,
    first_name: p.firstName,
    last_name: p.lastName,
    other_names: p.otherNames,
    date_of_birth: p.dateOfBirth,
    gender: p.gender,
    nc_year: p.ncYear,
    admission_date: p.admissionDate,
    address_lines: p.addressLines.length > 0 ? JSON.stringify(p.addressLines) : null,
    postcode: p.postcode,
    contacts: JSON.stringify(p.contacts),
    ehcp: p.ehcp ? 1 : 0,
    sen_provision: p.senProvision,
    looked_after: p.lookedAfter ? 1 : 0,
    cp_plan: p.cpPlan ? 1 : 0,
    child_in_need: p.childInNeed ? 1 : 0,
    social_worker: p.socialWorker,
    name_key: nameKey(p.firstName, p.lastName),
    updated_at: now,
  }
}

/** One pupil of the caller's own school, read and its look audited in the caller's transaction (the pupil page). */
export async function viewPupil(
  trx: Transaction<Database>,
  clock: Clock,
  caller: Caller,
  pupilId: string,
): Promise<Pupil> {
  const pupil = await requirePupil(trx, caller.actor, pupilId)
  await audit(trx, clock, caller.actor, caller.request, 'pupil.view', [{ detail: { pupilId } }])
  return pupil
}

export function createRollService({ db, clock }: Deps) {
  async function entries(trx: Transaction<Database>, schoolId: string, search: string | undefined) {
    let q = trx
      .selectFrom('pupils')
      .select(['id', 'first_name', 'last_name', 'date_of_birth', 'upn', 'nc_year'])
      .select(eb =>
        eb
          .exists(
            eb
              .selectFrom('pupil_concerns')
              .select('pupil_concerns.id')
              .whereRef('pupil_concerns.pupil_id', '=', 'pupils.id')
              .where('pupil_concerns.status', '=', 'open'),
          )
          .as('open_concern'),
      )
      .where('school_id', '=', schoolId)
      .where('on_roll', '=', 1)
    const key = search ? normaliseName(search) : ''
    if (key !== '') for (const word of key.split(' ')) q = q.where('name_key', 'like', `%${word}%`)
    const rows = await q.orderBy('name_key').limit(ROLL_PAGE).execute()
    return rows.map((r): RollEntry => ({
      id: r.id,
      name: `${r.first_name} ${r.last_name}`,
      dateOfBirth: r.date_of_birth,
      upn: r.upn,
      ncYear: r.nc_year,
      openConcern: Boolean(Number(r.open_concern)),
    }))
  }

  return {
    /** The roll, or the pupils whose name has every word searched for. */
    async list(caller: Caller, search?: string): Promise<{ pupils: RollEntry[]; total: number }> {
      const { schoolId } = requireSchoolUser(caller.actor)
      return db.transaction().execute(async trx => {
        const pupils = await entries(trx, schoolId, search)
        const total = await trx
          .selectFrom('pupils')
          .select(eb => eb.fn.countAll<string | number>().as('n'))
          .where('school_id', '=', schoolId)
          .where('on_roll', '=', 1)
          .executeTakeFirstOrThrow()
        await audit(
          trx,
          clock,
          caller.actor,
          caller.request,
          search ? 'roll.search' : 'roll.list',
          pupils.length > 0 ? pupils.map(p => ({ detail: { pupilId: p.id } })) : [{ detail: { shown: 0 } }],
        )
        return { pupils, total: Number(total.n) }
      })
    },

    async get(caller: Caller, pupilId: string): Promise<Pupil> {
      return db.transaction().execute(async trx => viewPupil(trx, clock, caller, pupilId))
    },

    /** A pupil typed in by hand; the same rules as a row of the CSV, but the UPN may be left empty. */
    async add(caller: Caller, fields: PupilFields): Promise<string> {
      const { schoolId, laCode } = requireSchoolUser(caller.actor)
      const read = readPupil(fields, clock.today(), { upnRequired: false })
      if (!read.ok) throw new ValidationError(read.problems)
      return db.transaction().execute(async trx => {
        if (read.value.upn) {
          const same = await trx
            .selectFrom('pupils')
            .select('id')
            .where('school_id', '=', schoolId)
            .where('upn', '=', read.value.upn)
            .executeTakeFirst()
          if (same)
            throw new ValidationError([{ field: 'upn', message: 'A pupil with this UPN is already on the roll' }])
        }
        const now = clock.now().toISOString()
        const id = newId()
        const row: NewPupil = { id, la_code: laCode, school_id: schoolId, created_at: now, ...columns(read.value, now) }
        await trx.insertInto('pupils').values(row).execute()
        await audit(trx, clock, caller.actor, caller.request, 'pupil.add', [{ detail: { pupilId: id } }])
        return id
      })
    },

    /**
     * A roll exported from the MIS. Every bad row is reported (line and field) and then nothing is
     * imported; otherwise each row updates the pupil with its UPN, or adds a new one.
     */
    async importCsv(
      caller: Caller,
      text: string,
    ): Promise<{ ok: true; added: number; updated: number } | { ok: false; problems: RollProblem[] }> {
      const { schoolId, laCode } = requireSchoolUser(caller.actor)
      const parsed = parseRollCsv(text, clock.today())
      if (!parsed.ok) return parsed
      return db.transaction().execute(async trx => {
        const now = clock.now().toISOString()
        const existing = new Map<string, string>()
        const upns = parsed.pupils.map(p => p.upn ?? '')
        for (let i = 0; i < upns.length; i += 500) {
          const rows = await trx
            .selectFrom('pupils')
            .select(['id', 'upn'])
            .where('school_id', '=', schoolId)
            .where('upn', 'in', upns.slice(i, i + 500))
            .execute()
          for (const r of rows) if (r.upn) existing.set(r.upn, r.id)
        }
        let added = 0
        let updated = 0
        for (const p of parsed.pupils) {
          const id = existing.get(p.upn ?? '')
          if (id) {
            await trx
              .updateTable('pupils')
              .set(eb => ({ ...columns(p, now), version: eb('version', '+', 1) }))
              .where('id', '=', id)
              .execute()
            updated += 1
          } else {
            await trx
              .insertInto('pupils')
              .values({ id: newId(), la_code: laCode, school_id: schoolId, created_at: now, ...columns(p, now) })
              .execute()
            added += 1
          }
        }
        await audit(trx, clock, caller.actor, caller.request, 'roll.import', [{ detail: { added, updated } }])
        return { ok: true as const, added, updated }
      })
    },
  }
}

export type RollService = ReturnType<typeof createRollService>
