/**
 * Admitting a pupil to the roll (issue 8; law-and-formats.md §2.2): the name enters the admission
 * register, the new pupil return is made to the LA (due by the end of the 5th day after), and if
 * the child matches an open CME case (same UPN, or same name and date of birth) the CME team gets
 * a "possibly located" alert on that case to confirm. The school is not told about the case.
 */
import type { IsoDate } from '../domain/dates.js'
import { isIsoDate } from '../domain/dates.js'
import { NC_YEAR_CODES } from '../domain/ctf.js'
import { OPEN_STATUSES } from '../domain/caseStatus.js'
import { nameKey } from '../domain/names.js'
import { computeDeadline } from '../domain/policy.js'
import { newPupilReturnDocument, newPupilReturnExempt } from '../domain/schoolReturns.js'
import { checkUpn } from '../domain/upn.js'
import { newId } from '../data/ids.js'
import { audit } from './audit.js'
import type { createCalendarService } from './calendarService.js'
import { recordCaseEvent } from './caseEvents.js'
import type { Caller, Deps } from './deps.js'
import { ValidationError } from './errors.js'
import type { createPolicyService } from './policyService.js'
import { assertOwnSchool, casesForPupil, pupilForReturn } from './pupilRecords.js'

export interface AdmissionInput {
  firstName?: string | undefined
  lastName?: string | undefined
  otherNames?: string | undefined
  dateOfBirth?: IsoDate | undefined
  gender?: string | undefined
  upn?: string | undefined
  ncYear?: string | undefined
  admissionDate?: IsoDate | undefined
  addressLine1?: string | undefined
  town?: string | undefined
  postcode?: string | undefined
  parentName?: string | undefined
  parentRelationship?: string | undefined
  parentPhone?: string | undefined
  previousSchool?: string | undefined
  ehcp?: boolean | undefined
  lookedAfter?: boolean | undefined
}

type Problem = { field: string; message: string }
const GENDERS = ['F', 'M'] as const

/** The admission as the register needs it, or every problem in page order. */
export function validateAdmission(input: AdmissionInput, today: IsoDate): Problem[] {
  const problems: Problem[] = []
  const need = (field: keyof AdmissionInput, message: string) => {
    const v = input[field]
    if (typeof v !== 'string' || v.trim() === '') problems.push({ field, message })
  }
  need('firstName', 'Enter the pupil’s first name')
  need('lastName', 'Enter the pupil’s last name')
  if (!input.dateOfBirth) problems.push({ field: 'dateOfBirth', message: 'Enter the pupil’s date of birth' })
  else if (input.dateOfBirth >= today)
    problems.push({ field: 'dateOfBirth', message: 'Date of birth must be in the past' })
  if (!input.gender || !(GENDERS as readonly string[]).includes(input.gender))
    problems.push({ field: 'gender', message: 'Select the pupil’s sex as the school records it' })
  if (input.upn && input.upn.trim() !== '') {
    const c = checkUpn(input.upn)
    if (!c.valid) problems.push({ field: 'upn', message: `UPN: ${c.problems.join('; ')}` })
  }
  if (!input.ncYear || !NC_YEAR_CODES.includes(input.ncYear))
    problems.push({ field: 'ncYear', message: 'Select the year group the pupil joins' })
  if (!input.admissionDate) problems.push({ field: 'admissionDate', message: 'Enter the date of admission' })
  else if (input.admissionDate > today)
    problems.push({
      field: 'admissionDate',
      message: 'Date of admission must be today or in the past: the name is entered on the first day the pupil attends',
    })
  else if (input.dateOfBirth && isIsoDate(input.dateOfBirth) && input.admissionDate <= input.dateOfBirth)
    problems.push({ field: 'admissionDate', message: 'Date of admission must be after the date of birth' })
  need('addressLine1', 'Enter the first line of the pupil’s address')
  need('postcode', 'Enter the pupil’s postcode')
  need('parentName', 'Enter the full name of a parent the pupil lives with')
  need('parentPhone', 'Enter an emergency telephone number for the parent')
  return problems
}

type Calendars = ReturnType<typeof createCalendarService>
type Policy = ReturnType<typeof createPolicyService>

export function createAdmissionService(deps: Deps, calendars: Calendars, policy: Policy) {
  const { db, clock } = deps

  return {
    /** Adds the pupil to the caller's school roll and makes the new pupil return. */
    async admit(caller: Caller, input: AdmissionInput): Promise<{ pupilId: string; returnId: string | null }> {
      const { actor } = caller
      assertOwnSchool(actor, actor.organisationId, actor.laCode)
      const today = clock.today()
      const problems = validateAdmission(input, today)
      if (problems.length > 0) throw new ValidationError(problems)
      const admissionDate = input.admissionDate as IsoDate
      const school = await db
        .selectFrom('organisations')
        .select(['id', 'phase'])
        .where('id', '=', actor.organisationId)
        .executeTakeFirstOrThrow()
      const days = await calendars.schoolDaysForSchool(actor.laCode, { id: school.id })
      const inForce = await policy.inForce(actor.laCode, admissionDate)
      const deadline = computeDeadline('newPupilReturnDays', admissionDate, inForce, days)
      if (!deadline.ok) throw new ValidationError([{ field: 'admissionDate', message: deadline.problem }])
      const firstDay = days.next(`${admissionDate.slice(0, 4)}-08-31`)
      const mostJunior = school.phase === 'secondary' ? '7' : 'R'
      const exempt = newPupilReturnExempt({
        startsOn: admissionDate,
        firstDayOfSchoolYear: firstDay.ok ? firstDay.value : null,
        mostJuniorClass: input.ncYear === mostJunior,
        laAsksForThem: false,
      })

      const firstName = (input.firstName ?? '').trim()
      const lastName = (input.lastName ?? '').trim()
      const upn = input.upn && input.upn.trim() !== '' ? checkUpn(input.upn).upn : null
      const now = clock.now().toISOString()
      const pupilId = newId()
      const row = {
        id: pupilId,
        la_code: actor.laCode,
        school_id: school.id,
        upn,
        former_upn: null,
        first_name: firstName,
        last_name: lastName,
        other_names: input.otherNames?.trim() || null,
        date_of_birth: input.dateOfBirth as IsoDate,
        gender: input.gender ?? null,
        ethnicity: null,
        nc_year: input.ncYear ?? null,
        admission_date: admissionDate,
        address_lines: JSON.stringify([input.addressLine1?.trim() ?? '', input.town?.trim() ?? ''].filter(Boolean)),
        postcode: input.postcode?.trim().toUpperCase() ?? null,
        contacts: JSON.stringify([
          {
            name: input.parentName?.trim() ?? '',
            relationship: input.parentRelationship?.trim() || null,
            phone: input.parentPhone?.trim() ?? '',
            email: null,
          },
        ]),
        ehcp: input.ehcp ? 1 : 0,
        sen_provision: input.ehcp ? 'E' : null,
        looked_after: input.lookedAfter ? 1 : 0,
        social_worker: null,
        name_key: nameKey(firstName, lastName),
        created_at: now,
        updated_at: now,
      }
      return db.transaction().execute(async trx => {
        // The CME cases this child matches are read in the transaction that audits the match.
        const open = (await casesForPupil(trx, row)).filter(c =>
          (OPEN_STATUSES as readonly string[]).includes(c.status),
        )
        await trx.insertInto('pupils').values(row).execute()
        const returnId = exempt ? null : newId()
        if (returnId) {
          const pupil = await trx.selectFrom('pupils').selectAll().where('id', '=', pupilId).executeTakeFirstOrThrow()
          const doc = newPupilReturnDocument(
            pupilForReturn(pupil),
            [
              {
                fullName: input.parentName?.trim() ?? '',
                address: pupilForReturn(pupil).address,
                phone: input.parentPhone?.trim() ?? '',
              },
            ],
            input.previousSchool?.trim() || undefined,
          )
          await trx
            .insertInto('school_returns')
            .values({
              id: returnId,
              la_code: actor.laCode,
              school_id: school.id,
              pupil_id: pupilId,
              kind: 'new-pupil',
              event_on: admissionDate,
              due_on: deadline.value.dueOn,
              made_on: today,
              ground: null,
              document: JSON.stringify(doc),
              made_by: actor.kind === 'user' ? actor.id : null,
              made_by_name: actor.name,
              created_at: now,
            })
            .execute()
        }
        for (const c of open) {
          await trx
            .insertInto('possibly_located_alerts')
            .values({
              id: newId(),
              la_code: actor.laCode,
              case_id: c.caseId,
              pupil_id: pupilId,
              school_id: school.id,
              return_id: returnId,
              reasons: JSON.stringify(c.reasons),
              status: 'open',
              raised_at: now,
              resolved_at: null,
              resolved_by: null,
            })
            .execute()
          await recordCaseEvent(
            trx,
            clock,
            actor,
            c.caseId,
            'possibly-located',
            `Possibly located: admitted to ${actor.organisationName} on ${admissionDate} (${c.reasons.join(', ').toLowerCase()}); the CME team to confirm`,
            { pupilId, returnId },
          )
        }
        await audit(trx, clock, actor, caller.request, 'pupil.admit', [
          { detail: { pupilId, returnId, exempt, possiblyLocated: open.length } },
          ...open.map(c => ({ caseId: c.caseId, detail: { pupilId, alert: 'possibly-located' } })),
        ])
        return { pupilId, returnId }
      })
    },
  }
}

export type AdmissionService = ReturnType<typeof createAdmissionService>
