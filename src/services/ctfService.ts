/**
 * The Common Transfer File for a pupil who left (issue 8; law-and-formats.md §5): one pupil per
 * file, destination XXX/XXXX (unknown: the Lost Pupil Database), MMM/MMMM (outside the maintained
 * sector) or the new school's numbers, named by the DfE convention and kept until the school marks
 * it uploaded to School to School. The deadline is 15 school days in the school's own calendar.
 */
import {
  CURRENT_CTF_VERSION,
  ctfAcademicYear,
  ctfDateTime,
  ctfFileName,
  destinationCodes,
  validateCtf,
  type CtfFile,
} from '../domain/ctf.js'
import type { IsoDate } from '../domain/dates.js'
import { computeDeadline } from '../domain/policy.js'
import { ctfDestination, ctfPupilFromRoll, isGroundLetter } from '../domain/schoolReturns.js'
import { buildCtfXml } from '../integrations/ctf/ctfXml.js'
import type { Transaction } from 'kysely'
import type { Db } from '../data/db.js'
import { newId } from '../data/ids.js'
import type { Database } from '../data/schema.js'
import { audit } from './audit.js'
import type { createCalendarService } from './calendarService.js'
import type { Caller, Deps } from './deps.js'
import { ConflictError, NotFoundError, ValidationError } from './errors.js'
import type { createPolicyService } from './policyService.js'
import { assertOwnSchool, ownPupil, pupilForCtf, pupilName } from './pupilRecords.js'

type Calendars = ReturnType<typeof createCalendarService>
type Policy = ReturnType<typeof createPolicyService>

export function createCtfService(deps: Deps, calendars: Calendars, policy: Policy) {
  const { db, clock } = deps

  /** The CTF deadline for a pupil who left on a day: 15 school days (policy) in the school's calendar. */
  /** The CTF deadline for any leaving date at one school, its calendar looked up once for them all. */
  async function dueOnAt(laCode: string, schoolId: string): Promise<(leftOn: IsoDate) => Promise<IsoDate | null>> {
    const days = await calendars.schoolDaysForSchool(laCode, { id: schoolId })
    return async leftOn => {
      const due = computeDeadline('ctfAfterDeletionDays', leftOn, await policy.inForce(laCode, leftOn), days)
      return due.ok ? due.value.dueOn : null
    }
  }

  async function dueOn(laCode: string, schoolId: string, leftOn: IsoDate): Promise<IsoDate | null> {
    return (await dueOnAt(laCode, schoolId))(leftOn)
  }

  async function ownFile(caller: Caller, ctfId: string, executor: Db | Transaction<Database> = db) {
    const file = await executor.selectFrom('ctf_files').selectAll().where('id', '=', ctfId).executeTakeFirst()
    if (!file) throw new NotFoundError('CTF')
    assertOwnSchool(caller.actor, file.school_id, file.la_code)
    return file
  }

  return {
    dueOn,
    dueOnAt,

    /** The CTF page for a pupil whose name was deleted: the files made so far and the deadline. */
    async page(caller: Caller, pupilId: string) {
      const pupil = await ownPupil(db, caller.actor, pupilId)
      const due = pupil.left_on ? await dueOn(pupil.la_code, pupil.school_id, pupil.left_on) : null
      return db.transaction().execute(async trx => {
        const files = await trx
          .selectFrom('ctf_files')
          .select(['id', 'file_name', 'destination_kind', 'created_at', 'uploaded_on', 'due_on'])
          .where('pupil_id', '=', pupil.id)
          .orderBy('created_at', 'desc')
          .execute()
        await audit(trx, clock, caller.actor, caller.request, 'pupil.ctf.view', [{ detail: { pupilId: pupil.id } }])
        return {
          pupil: {
            id: pupil.id,
            name: pupilName(pupil),
            onRoll: pupil.on_roll === 1,
            leftOn: pupil.left_on,
            ground: pupil.deletion_ground,
            upn: pupil.upn,
          },
          dueOn: due,
          files,
          today: clock.today(),
        }
      })
    },

    /** Generates and stores the file; every problem validateCtf finds is refused for a person to fix. */
    async generate(
      caller: Caller,
      pupilId: string,
      input: {
        destination?: string | undefined
        laCode?: string | undefined
        establishmentNumber?: string | undefined
      },
    ): Promise<{ ctfId: string; fileName: string }> {
      const pupil = await ownPupil(db, caller.actor, pupilId)
      if (pupil.on_roll === 1 || !pupil.left_on || !pupil.deletion_ground || !isGroundLetter(pupil.deletion_ground))
        throw new ConflictError('A CTF is made once the pupil’s name has been deleted; the pupil')
      const dest = ctfDestination(
        input.destination ?? '',
        input.laCode?.trim() ?? '',
        input.establishmentNumber?.trim() ?? '',
      )
      if (!dest.ok) throw new ValidationError([{ field: dest.field, message: dest.message }])
      const school = await db
        .selectFrom('organisations')
        .select(['la_code', 'establishment_number', 'urn', 'name'])
        .where('id', '=', pupil.school_id)
        .executeTakeFirstOrThrow()
      const source = {
        laCode: school.la_code,
        establishmentNumber: school.establishment_number ?? '',
        urn: school.urn,
        schoolName: school.name,
      }
      const due = await dueOn(pupil.la_code, pupil.school_id, pupil.left_on)
      const now = clock.now()
      const today = clock.today()
      const generatedAt = ctfDateTime(now)
      const file: CtfFile = {
        version: CURRENT_CTF_VERSION,
        generatedAt,
        academicYear: ctfAcademicYear(generatedAt.slice(0, 10)),
        source,
        destination: dest.destination,
        pupils: [
          ctfPupilFromRoll(
            pupilForCtf(pupil),
            { laCode: source.laCode, establishmentNumber: source.establishmentNumber, name: source.schoolName },
            pupil.left_on,
            pupil.deletion_ground,
          ),
        ],
      }
      const problems = validateCtf(file)
      if (problems.length > 0) throw new ValidationError(problems.map(message => ({ field: 'destination', message })))
      const xml = buildCtfXml(file)

      return db.transaction().execute(async trx => {
        const sameDay = await trx
          .selectFrom('ctf_files')
          .select(eb => eb.fn.countAll<string>().as('n'))
          .where('school_id', '=', pupil.school_id)
          .where('created_at', '>=', `${today}T00:00:00`)
          .executeTakeFirst()
        const fileName = ctfFileName(source, dest.destination, Math.min(999, Number(sameDay?.n ?? 0) + 1))
        const ctfId = newId()
        const codes = destinationCodes(dest.destination)
        await trx
          .insertInto('ctf_files')
          .values({
            id: ctfId,
            la_code: pupil.la_code,
            school_id: pupil.school_id,
            pupil_id: pupil.id,
            file_name: fileName,
            destination_kind: dest.destination.kind,
            destination_la: codes.lea,
            destination_estab: codes.estab,
            xml,
            left_on: pupil.left_on as IsoDate,
            due_on: due ?? (pupil.left_on as IsoDate),
            uploaded_on: null,
            created_by: caller.actor.kind === 'user' ? caller.actor.id : null,
            created_at: now.toISOString(),
          })
          .execute()
        await audit(trx, clock, caller.actor, caller.request, 'pupil.ctf.generate', [
          { detail: { pupilId: pupil.id, ctfId, destination: dest.destination.kind } },
        ])
        return { ctfId, fileName }
      })
    },

    /** The stored file for download; the read is audited because it carries the pupil's details. */
    async download(caller: Caller, ctfId: string): Promise<{ fileName: string; xml: string }> {
      // Read, authorised and audited in one transaction: the file holds the pupil's details.
      const file = await db.transaction().execute(async trx => {
        const own = await ownFile(caller, ctfId, trx)
        await audit(trx, clock, caller.actor, caller.request, 'pupil.ctf.download', [
          { detail: { pupilId: own.pupil_id, ctfId } },
        ])
        return own
      })
      return { fileName: file.file_name, xml: file.xml }
    },

    /** The school says it has uploaded the file to School to School: the deadline stops being tracked. */
    async markUploaded(caller: Caller, ctfId: string): Promise<{ pupilId: string }> {
      const file = await ownFile(caller, ctfId)
      await db.transaction().execute(async trx => {
        await trx
          .updateTable('ctf_files')
          .set({ uploaded_on: clock.today() })
          .where('id', '=', ctfId)
          .where('uploaded_on', 'is', null)
          .execute()
        await audit(trx, clock, caller.actor, caller.request, 'pupil.ctf.uploaded', [
          { detail: { pupilId: file.pupil_id, ctfId } },
        ])
      })
      return { pupilId: file.pupil_id }
    },
  }
}

export type CtfService = ReturnType<typeof createCtfService>
