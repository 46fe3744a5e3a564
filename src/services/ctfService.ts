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

  /**
   * The CTF deadline for any leaving date at one school: 15 school days (policy) in the school's
   * calendar. The calendar and the policy are read once, here, before any transaction (they read
   * through their own connection, and SQLite has one); the answer for each date needs no query.
   */
  async function dueOnAt(laCode: string, schoolId: string): Promise<(leftOn: IsoDate) => IsoDate | null> {
    const days = await calendars.schoolDaysForSchool(laCode, { id: schoolId })
    const inForce = await policy.inForceOn(laCode)
    return leftOn => {
      const due = computeDeadline('ctfAfterDeletionDays', leftOn, inForce(leftOn), days)
      return due.ok ? due.value.dueOn : null
    }
  }

  /** The caller's own school's deadlines: school staff only, the pupil's record checked in the transaction. */
  async function ownDeadlines(caller: Caller): Promise<(leftOn: IsoDate) => IsoDate | null> {
    const { actor } = caller
    assertOwnSchool(actor, actor.organisationId, actor.laCode)
    return dueOnAt(actor.laCode, actor.organisationId)
  }

  async function ownFile(caller: Caller, ctfId: string, executor: Transaction<Database>) {
    const file = await executor.selectFrom('ctf_files').selectAll().where('id', '=', ctfId).executeTakeFirst()
    if (!file) throw new NotFoundError('CTF')
    assertOwnSchool(caller.actor, file.school_id, file.la_code)
    return file
  }

  return {
    dueOnAt,

    /** The CTF page for a pupil whose name was deleted: the files made so far and the deadline. */
    async page(caller: Caller, pupilId: string) {
      const dueOn = await ownDeadlines(caller)
      // The pupil is read, authorised and audited in one transaction.
      return db.transaction().execute(async trx => {
        const pupil = await ownPupil(trx, caller.actor, pupilId)
        const due = pupil.left_on ? dueOn(pupil.left_on) : null
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
      const dueOn = await ownDeadlines(caller)
      // The pupil's record is read, authorised, turned into the file and audited in one transaction.
      return db.transaction().execute(async trx => {
        const pupil = await ownPupil(trx, caller.actor, pupilId)
        if (pupil.on_roll === 1 || !pupil.left_on || !pupil.deletion_ground || !isGroundLetter(pupil.deletion_ground))
          throw new ConflictError('A CTF is made once the pupil’s name has been deleted; the pupil')
        const dest = ctfDestination(
          input.destination ?? '',
          input.laCode?.trim() ?? '',
          input.establishmentNumber?.trim() ?? '',
        )
        if (!dest.ok) throw new ValidationError([{ field: dest.field, message: dest.message }])
        const school = await trx
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
        const due = dueOn(pupil.left_on)
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
            left_on: pupil.left_on,
            due_on: due ?? pupil.left_on,
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
      // The file (the pupil's details) is read, authorised and marked in the transaction that audits it.
      return db.transaction().execute(async trx => {
        const file = await ownFile(caller, ctfId, trx)
        await trx
          .updateTable('ctf_files')
          .set({ uploaded_on: clock.today() })
          .where('id', '=', ctfId)
          .where('uploaded_on', 'is', null)
          .execute()
        await audit(trx, clock, caller.actor, caller.request, 'pupil.ctf.uploaded', [
          { detail: { pupilId: file.pupil_id, ctfId } },
        ])
        return { pupilId: file.pupil_id }
      })
    },
  }
}

export type CtfService = ReturnType<typeof createCtfService>
