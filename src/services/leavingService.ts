/**
 * A pupil leaving the roll (issue 8; domain.md §3.5, §6, §9): "can I remove this pupil?", the
 * deletion itself with its deletion return to the LA, and the parent's written notice of elective
 * home education. The rules engine (domain/deletion.ts) decides; this service gives it the facts
 * onroll holds (EHCP, looked after, LA-placed, any school attendance order, the LA's part of the
 * joint enquiries, the home-education notice) so a school cannot type them away, and it re-checks
 * every deletion itself: no page, form or API can delete a name the rules forbid.
 */
import type { Transaction } from 'kysely'
import {
  checkDeletion,
  DELETION_GROUNDS,
  isStandardTransition,
  GROUND_LETTERS,
  type DeletionCheck,
  type GroundCheck,
  type GroundLetter,
  type PupilFacts,
} from '../domain/deletion.js'
import { can } from '../domain/access.js'
import { OPEN_STATUSES } from '../domain/caseStatus.js'
import { addDays, isIsoDate, type IsoDate } from '../domain/dates.js'
import type { PolicyVersion } from '../domain/policy.js'
import type { SchoolDays } from '../domain/schoolDays.js'
import {
  declaredAbsenceSessions,
  deletionDateProblem,
  deletionReturnDocument,
  eheNoticeDocument,
  type DeletionReturnInput,
} from '../domain/schoolReturns.js'
import { newId } from '../data/ids.js'
import type { Database, Pupil } from '../data/schema.js'
import { audit } from './audit.js'
import type { createCalendarService } from './calendarService.js'
import type { Caller, Deps } from './deps.js'
import { ConflictError, ForbiddenError, ValidationError } from './errors.js'
import { insertEheReferral } from './eheReferral.js'
import { roleHolderEmails } from './escalationRecords.js'
import type { MailService } from './mailService.js'
import type { createPolicyService } from './policyService.js'
import {
  assertOwnSchool,
  casesForPupil,
  ownPupil,
  pupilContacts,
  pupilAddress,
  pupilForReturn,
  pupilName,
} from './pupilRecords.js'
import { lastSchoolDayBefore, type DeletionFacts } from './rulesService.js'
import type { SaoNamesSchool } from './saoLookup.js'

/** Facts onroll holds and the school does not give: whatever a form sends for them is ignored. */
const HELD_FACTS = [
  'hasEhcp',
  'lookedAfter',
  'placedByLaAtSpecialSchool',
  'saoNamingSchoolInForce',
  'writtenEheNotice',
  'eheVerifiedByEwsOn',
  'laConsentToEheDeletion',
  'dateOfBirth',
] as const

/** What the school tells onroll: the rules' facts less the ones onroll holds, plus a declared absence run. */
export type SchoolGivenFacts = Omit<DeletionFacts, (typeof HELD_FACTS)[number]> & {
  /** The officer confirms every session since the first day of absence is coded G, N or O (Ground I). */
  absenceDeclared?: boolean | undefined
}

/** The facts onroll holds about a pupil, shown to the school beside the check. */
export interface HeldFacts {
  hasEhcp: boolean
  lookedAfter: boolean
  placedByLaAtSpecialSchool: boolean
  saoNamingSchoolInForce: boolean
  linkedCase: {
    caseId: string
    reference: string
    laEnquiriesOn: IsoDate | null
  } | null
  eheNotice: {
    receivedOn: IsoDate
    educatedFrom: IsoDate
    verifiedOn: IsoDate | null
    laConsentOn: IsoDate | null
    referralId: string | null
  } | null
}

export interface LeavingCheck {
  asAt: IsoDate
  calendar: string
  check: DeletionCheck
  grounds: (GroundCheck & { title: string; regulation: string })[]
  held: HeldFacts
}

export interface RecordDeletionInput {
  given: SchoolGivenFacts
  ground: string | undefined
  deletedOn: IsoDate | undefined
  returnInput: DeletionReturnInput
  /** The school says the pupil is in its most senior class (reg 13(5)). */
  inMostSeniorClass: boolean
}

type Calendars = ReturnType<typeof createCalendarService>
type Policy = ReturnType<typeof createPolicyService>

/** The school's calendar and the policy in force on the day asked about: read before the transaction. */
interface Rules {
  asAt: IsoDate
  days: SchoolDays
  inForce: PolicyVersion
}

export interface LeavingDependencies {
  calendars: Calendars
  policy: Policy
  mail: MailService
  saoNamesSchool: SaoNamesSchool
}

/** The last school day of the school year a date falls in (the end of the summer term), or null if the calendar cannot say. */
function lastDayOfSchoolYear(date: IsoDate, days: SchoolDays): IsoDate | null {
  const year = Number(date.slice(0, 4)) + (Number(date.slice(5, 7)) >= 9 ? 1 : 0)
  for (let back = 0; back <= 70; back += 1) {
    const day = addDays(`${String(year)}-08-31`, -back)
    const is = days.isSchoolDay(day)
    if (!is.ok) return null
    if (is.value) return day
  }
  return null
}

export function createLeavingService(deps: Deps, services: LeavingDependencies) {
  const { db, clock, config } = deps
  const { calendars, policy, mail, saoNamesSchool } = services

  /** What onroll holds about the pupil, read in the caller's transaction (one query at a time, as SQLite needs). */
  async function held(pupil: Pupil, executor: Transaction<Database>): Promise<HeldFacts> {
    const cases = await casesForPupil(executor, pupil)
    const sao = await saoNamesSchool(
      cases.map(c => c.caseId),
      pupil.school_id,
      executor,
    )
    const notice = await executor
      .selectFrom('ehe_notices')
      .selectAll()
      .where('pupil_id', '=', pupil.id)
      .executeTakeFirst()
    let linkedCase: HeldFacts['linkedCase'] = null
    // The open case first; the LA's enquiries count from whichever of the child's cases they were recorded on.
    const linked = cases.find(c => (OPEN_STATUSES as readonly string[]).includes(c.status)) ?? cases[0]
    if (linked) {
      const enquiry = await executor
        .selectFrom('la_enquiries')
        // The date only: what the LA found is the CME team's record, not the school's (docs/security.md).
        .select(['recorded_on'])
        .where(
          'case_id',
          'in',
          cases.map(c => c.caseId),
        )
        .orderBy('recorded_on', 'desc')
        .executeTakeFirst()
      linkedCase = {
        caseId: linked.caseId,
        reference: linked.reference,
        laEnquiriesOn: enquiry?.recorded_on ?? null,
      }
    }
    return {
      hasEhcp: pupil.ehcp === 1,
      lookedAfter: pupil.looked_after === 1,
      placedByLaAtSpecialSchool: pupil.la_placed_special === 1,
      saoNamingSchoolInForce: sao,
      linkedCase,
      eheNotice: notice
        ? {
            receivedOn: notice.received_on,
            educatedFrom: notice.educated_from,
            verifiedOn: notice.verified_on,
            laConsentOn: notice.la_consent_on,
            referralId: notice.referral_id,
          }
        : null,
    }
  }

  /** The rules' facts: what the school gave, overridden by what onroll holds. */
  function factsFor(pupil: Pupil, given: SchoolGivenFacts, h: HeldFacts, asAt: IsoDate, days: SchoolDays): PupilFacts {
    const { firstDayOfAbsence, lastAttendedOn: givenLast, absenceDeclared, ...rest } = given
    const heldKeys: ReadonlySet<string> = new Set(HELD_FACTS)
    const safe = Object.fromEntries(Object.entries(rest).filter(([key]) => !heldKeys.has(key)))
    let sessions = rest.sessions
    if (absenceDeclared === true && sessions.length === 0 && firstDayOfAbsence && isIsoDate(firstDayOfAbsence)) {
      const built = declaredAbsenceSessions(firstDayOfAbsence, asAt, days)
      if (built.ok) sessions = built.sessions
    }
    const lastAttendedOn =
      givenLast ??
      (firstDayOfAbsence && isIsoDate(firstDayOfAbsence) ? lastSchoolDayBefore(firstDayOfAbsence, days) : asAt)
    const facts: PupilFacts = {
      ...(safe as Omit<PupilFacts, (typeof HELD_FACTS)[number] | 'lastAttendedOn' | 'sessions' | 'enquiries'>),
      sessions,
      lastAttendedOn,
      dateOfBirth: pupil.date_of_birth,
      hasEhcp: h.hasEhcp,
      lookedAfter: h.lookedAfter,
      placedByLaAtSpecialSchool: h.placedByLaAtSpecialSchool,
      saoNamingSchoolInForce: h.saoNamingSchoolInForce,
      laConsentToEheDeletion: h.eheNotice?.laConsentOn != null && h.eheNotice.laConsentOn <= asAt,
      // Only the CME team records the LA's part of the joint enquiries, on the linked case.
      enquiries: {
        schoolMade: rest.enquiries.schoolMade,
        ...(h.linkedCase?.laEnquiriesOn && h.linkedCase.laEnquiriesOn <= asAt
          ? { laPartRecordedOn: h.linkedCase.laEnquiriesOn }
          : {}),
      },
    }
    if (h.eheNotice && h.eheNotice.receivedOn <= asAt) {
      facts.writtenEheNotice = { receivedOn: h.eheNotice.receivedOn, educatedFrom: h.eheNotice.educatedFrom }
      if (h.eheNotice.verifiedOn && h.eheNotice.verifiedOn <= asAt) facts.eheVerifiedByEwsOn = h.eheNotice.verifiedOn
    }
    return facts
  }

  /**
   * The caller's school's calendar and the policy in force on a day. Both read through their own
   * connection, and SQLite has one, which a transaction holds: so they are read first, for the
   * caller's own school (a school reads only its own pupils; each pupil is checked in the transaction).
   */
  async function rulesAt(caller: Caller, asAt: IsoDate): Promise<Rules> {
    const { actor } = caller
    assertOwnSchool(actor, actor.organisationId, actor.laCode)
    const days = await calendars.schoolDaysForSchool(actor.laCode, { id: actor.organisationId })
    const inForce = await policy.inForce(actor.laCode, asAt)
    return { asAt, days, inForce }
  }

  /** The rules' answer as at `rules.asAt`, from what the school gave and what onroll holds. */
  function evaluate(pupil: Pupil, given: SchoolGivenFacts, h: HeldFacts, rules: Rules): LeavingCheck {
    const { asAt, days, inForce } = rules
    const check = checkDeletion(factsFor(pupil, given, h, asAt, days), {
      today: asAt,
      schoolDays: days,
      groundIDays: inForce.values.groundIAbsenceDays,
      groundHDays: inForce.values.groundHLeaveDays,
      codeNDays: inForce.values.codeNReplacedDays,
    })
    return {
      asAt,
      calendar: days.name,
      check,
      grounds: check.grounds.map(g => ({
        ...g,
        title: DELETION_GROUNDS[g.ground].title,
        regulation: DELETION_GROUNDS[g.ground].regulation,
      })),
      held: h,
    }
  }

  /**
   * A look at or change to a pupil's leaving record. When the page showed what onroll holds on the
   * child's CME case (its reference, the date of the LA's enquiries), the case is a subject too, so
   * the case's "who has viewed" shows the school.
   */
  const auditPupil = (
    trx: Transaction<Database>,
    caller: Caller,
    action: string,
    pupil: Pupil,
    detail = {},
    linkedCase?: { caseId: string } | null,
  ) =>
    audit(trx, clock, caller.actor, caller.request, action, [
      { ...(linkedCase ? { caseId: linkedCase.caseId } : {}), detail: { pupilId: pupil.id, ...detail } },
    ])

  /** The leaving page for a pupil read in this transaction: any deletion already recorded, and the look audited. */
  async function pageIn(trx: Transaction<Database>, caller: Caller, pupil: Pupil, h: HeldFacts) {
    const deletion = await trx
      .selectFrom('pupil_deletions')
      .selectAll()
      .where('pupil_id', '=', pupil.id)
      .executeTakeFirst()
    await auditPupil(trx, caller, 'pupil.leaving.view', pupil, {}, h.linkedCase)
    return {
      pupil: {
        id: pupil.id,
        name: pupilName(pupil),
        dateOfBirth: pupil.date_of_birth,
        upn: pupil.upn,
        ncYear: pupil.nc_year,
        onRoll: pupil.on_roll === 1,
        leftOn: pupil.left_on,
        ground: pupil.deletion_ground,
        admissionDate: pupil.admission_date,
      },
      contacts: pupilContacts(pupil),
      address: pupilAddress(pupil),
      held: h,
      deletion: deletion
        ? {
            ground: deletion.ground,
            deletedOn: deletion.deleted_on,
            returnId: deletion.return_id,
            returnExempt: deletion.return_exempt === 1,
          }
        : null,
      today: clock.today(),
    }
  }

  /** "Can I remove this pupil?": the pupil read, authorised, checked and the check audited, all in `trx`. */
  async function checkIn(
    trx: Transaction<Database>,
    caller: Caller,
    pupilId: string,
    given: SchoolGivenFacts,
    rules: Rules,
  ): Promise<{ pupil: Pupil; result: LeavingCheck }> {
    const pupil = await ownPupil(trx, caller.actor, pupilId)
    const result = evaluate(pupil, given, await held(pupil, trx), rules)
    await auditPupil(
      trx,
      caller,
      'pupil.deletion-check',
      pupil,
      { allowed: result.check.allowedToday, grounds: result.check.applicableGrounds },
      result.held.linkedCase,
    )
    return { pupil, result }
  }

  return {
    /** The pupil, what onroll holds, and any deletion already recorded: the leaving page. */
    async view(caller: Caller, pupilId: string) {
      // The pupil and what onroll holds about them are read, authorised and audited in one transaction.
      return db.transaction().execute(async trx => {
        const pupil = await ownPupil(trx, caller.actor, pupilId)
        return pageIn(trx, caller, pupil, await held(pupil, trx))
      })
    },

    /** "Can I remove this pupil?" as at today: every ground, the earliest date, or exactly why not. */
    async check(caller: Caller, pupilId: string, given: SchoolGivenFacts): Promise<LeavingCheck> {
      const rules = await rulesAt(caller, clock.today())
      return db.transaction().execute(async trx => (await checkIn(trx, caller, pupilId, given, rules)).result)
    },

    /**
     * The leaving page with the answer to "can I remove this pupil?": the record read once, in one
     * transaction with both audit events (the check, then the page), as `check` then `view` would write.
     */
    async checkPage(caller: Caller, pupilId: string, given: SchoolGivenFacts) {
      const rules = await rulesAt(caller, clock.today())
      return db.transaction().execute(async trx => {
        const { pupil, result } = await checkIn(trx, caller, pupilId, given, rules)
        return { view: await pageIn(trx, caller, pupil, result.held), result }
      })
    },

    /**
     * Deletes the name under a ground, as at the day it was deleted, and makes the deletion return.
     * Refused unless the rules engine says the ground applied on that day.
     */
    async recordDeletion(
      caller: Caller,
      pupilId: string,
      input: RecordDeletionInput,
    ): Promise<{ returnId: string | null }> {
      const today = clock.today()
      // The calendar and the policy as at the day given are read first (see rulesAt).
      const rules = await rulesAt(caller, input.deletedOn ?? today)
      // The pupil is read, authorised, re-checked, deleted and the deletion audited in one transaction.
      return db.transaction().execute(async trx => {
        const pupil = await ownPupil(trx, caller.actor, pupilId)
        const problems: { field: string; message: string }[] = []
        if (pupil.on_roll !== 1) throw new ConflictError('The pupil’s name was already deleted')
        const ground = (GROUND_LETTERS as readonly string[]).includes(input.ground ?? '')
          ? (input.ground as GroundLetter)
          : undefined
        if (!ground) problems.push({ field: 'ground', message: 'Select the ground the name is deleted under' })
        const deletedOn = input.deletedOn
        if (!deletedOn) problems.push({ field: 'deletedOn', message: 'Enter the date the name was deleted' })
        else {
          const p = deletionDateProblem(deletedOn, today, pupil.admission_date)
          if (p) problems.push({ field: 'deletedOn', message: p })
        }
        if (problems.length > 0 || !ground || !deletedOn) throw new ValidationError(problems)

        // The rules as at the day of deletion: a ground must have applied then, or the deletion is refused.
        const result = evaluate(pupil, input.given, await held(pupil, trx), rules)
        if (!result.check.applicableGrounds.includes(ground)) {
          const why = result.grounds.find(g => g.ground === ground)?.blockers ?? []
          throw new ValidationError([
            {
              field: 'ground',
              message: `Ground ${ground} does not apply on ${deletedOn}, so the name may not be deleted under it${why.length ? `: ${why.join('; ')}` : ''}`,
            },
          ])
        }
        const lastTermEndsOn = lastDayOfSchoolYear(deletedOn, rules.days)
        const exempt =
          lastTermEndsOn !== null &&
          isStandardTransition({ deletedOn, lastTermEndsOn, inMostSeniorClass: input.inMostSeniorClass })
        const made = deletionReturnDocument(pupilForReturn(pupil), ground, deletedOn, input.returnInput)
        if (!exempt && made.problems.length > 0) throw new ValidationError(made.problems)

        const now = clock.now().toISOString()
        const updated = await trx
          .updateTable('pupils')
          .set({ on_roll: 0, left_on: deletedOn, deletion_ground: ground, updated_at: now, version: pupil.version + 1 })
          .where('id', '=', pupil.id)
          .where('version', '=', pupil.version)
          .where('on_roll', '=', 1)
          .executeTakeFirst()
        if (Number(updated.numUpdatedRows) !== 1) throw new ConflictError('The pupil')
        const returnId = exempt ? null : newId()
        if (returnId)
          await trx
            .insertInto('school_returns')
            .values({
              id: returnId,
              la_code: pupil.la_code,
              school_id: pupil.school_id,
              pupil_id: pupil.id,
              kind: 'deletion',
              event_on: deletedOn,
              // Due at the latest when the name is deleted (reg 13(4)).
              due_on: deletedOn,
              made_on: today,
              ground,
              document: JSON.stringify(made.document),
              made_by: caller.actor.kind === 'user' ? caller.actor.id : null,
              made_by_name: caller.actor.name,
              created_at: now,
            })
            .execute()
        await trx
          .insertInto('pupil_deletions')
          .values({
            id: newId(),
            la_code: pupil.la_code,
            school_id: pupil.school_id,
            pupil_id: pupil.id,
            ground,
            deleted_on: deletedOn,
            facts: JSON.stringify({ given: input.given, held: result.held, asAt: result.asAt }),
            return_id: returnId,
            return_exempt: exempt ? 1 : 0,
            recorded_by: caller.actor.kind === 'user' ? caller.actor.id : null,
            created_at: now,
          })
          .execute()
        await auditPupil(trx, caller, 'pupil.delete', pupil, { ground, deletedOn, returnId, exempt })
        return { returnId }
      })
    },

    /** The home-education page: the notice, if recorded, and what it means for deletion under Ground F. */
    async eheView(caller: Caller, pupilId: string) {
      const rules = await rulesAt(caller, clock.today())
      // The pupil and what onroll holds about them are read, authorised and audited in one transaction.
      return db.transaction().execute(async trx => {
        const pupil = await ownPupil(trx, caller.actor, pupilId)
        const noFacts: SchoolGivenFacts = {
          sessions: [],
          enquiries: { schoolMade: false },
          reasonToBelieveSicknessOrUnavoidableCause: false,
          newProvisionConfirmed: false,
        }
        const result = evaluate(pupil, noFacts, await held(pupil, trx), rules)
        await auditPupil(trx, caller, 'pupil.ehe.view', pupil, {}, result.held.linkedCase)
        return {
          pupil: { id: pupil.id, name: pupilName(pupil), onRoll: pupil.on_roll === 1, ehcp: pupil.ehcp === 1 },
          held: result.held,
          groundF: result.grounds.find(g => g.ground === 'F'),
          today: clock.today(),
        }
      })
    },

    /**
     * The parent's written notice of home education. The first time it is recorded the LA's EHE
     * officer is told (an email without the child's name, and an item in the LA's feed) and a
     * draft CME referral is started for the school, because the protocol asks the school to make one:
     * pre-filled from the roll and the notice (eheReferral.ts), in the same transaction as the notice.
     */
    async recordEheNotice(
      caller: Caller,
      pupilId: string,
      input: {
        receivedOn?: IsoDate | undefined
        educatedFrom?: IsoDate | undefined
        verifiedOn?: IsoDate | undefined
        laConsentOn?: IsoDate | undefined
      },
    ): Promise<{ referralId: string | null }> {
      // The pupil is read, authorised, the notice recorded and audited in one transaction.
      return db.transaction().execute(async trx => {
        const pupil = await ownPupil(trx, caller.actor, pupilId)
        const today = clock.today()
        const problems: { field: string; message: string }[] = []
        if (!input.receivedOn)
          problems.push({ field: 'receivedOn', message: 'Enter the date the written notice arrived' })
        else if (input.receivedOn > today)
          problems.push({
            field: 'receivedOn',
            message: 'The date the written notice arrived must be today or in the past',
          })
        if (!input.educatedFrom)
          problems.push({
            field: 'educatedFrom',
            message: 'Enter the date the parent gave for home education to start',
          })
        for (const [field, label] of [
          ['verifiedOn', 'The date the EWS Operational Manager verified the notice'],
          ['laConsentOn', 'The date the local authority consented'],
        ] as const) {
          const v = input[field]
          if (v && v > today) problems.push({ field, message: `${label} must be today or in the past` })
        }
        if (pupil.on_roll !== 1) problems.push({ field: 'receivedOn', message: 'The pupil is no longer on the roll' })
        if (problems.length > 0 || !input.receivedOn || !input.educatedFrom) throw new ValidationError(problems)
        const receivedOn = input.receivedOn
        const educatedFrom = input.educatedFrom

        const existing = await trx
          .selectFrom('ehe_notices')
          .select(['id', 'referral_id'])
          .where('pupil_id', '=', pupil.id)
          .executeTakeFirst()
        // The first notice starts the referral, so the school must be able to make one (as the journey checks).
        if (!existing && !can(caller.actor, 'referral:create')) throw new ForbiddenError('referral:create')
        const user = await trx
          .selectFrom('users')
          .select(['name', 'email', 'phone'])
          .where('id', '=', caller.actor.id)
          .executeTakeFirst()
        const contacts = pupilContacts(pupil)

        const now = clock.now().toISOString()
        if (existing) {
          await trx
            .updateTable('ehe_notices')
            .set({
              received_on: receivedOn,
              educated_from: educatedFrom,
              verified_on: input.verifiedOn ?? null,
              la_consent_on: input.laConsentOn ?? null,
              updated_at: now,
            })
            .where('id', '=', existing.id)
            .execute()
          await auditPupil(trx, caller, 'pupil.ehe.update', pupil)
          return { referralId: existing.referral_id }
        }
        const notice = {
          receivedOn,
          educatedFrom,
          verifiedOn: input.verifiedOn ?? null,
          laConsentOn: input.laConsentOn ?? null,
        }
        const { referralId, completed } = await insertEheReferral(trx, clock, caller, { pupil, notice, user })
        await audit(trx, clock, caller.actor, caller.request, 'referral.start', [
          { detail: { referralId, pupilId: pupil.id, prefilled: completed } },
        ])
        await trx
          .insertInto('ehe_notices')
          .values({
            id: newId(),
            la_code: pupil.la_code,
            school_id: pupil.school_id,
            pupil_id: pupil.id,
            received_on: receivedOn,
            educated_from: educatedFrom,
            verified_on: input.verifiedOn ?? null,
            la_consent_on: input.laConsentOn ?? null,
            referral_id: referralId,
            recorded_by: caller.actor.kind === 'user' ? caller.actor.id : null,
            created_at: now,
            updated_at: now,
          })
          .execute()
        const returnId = newId()
        await trx
          .insertInto('school_returns')
          .values({
            id: returnId,
            la_code: pupil.la_code,
            school_id: pupil.school_id,
            pupil_id: pupil.id,
            kind: 'ehe-notice',
            event_on: receivedOn,
            due_on: receivedOn,
            made_on: today,
            ground: 'F',
            document: JSON.stringify(
              eheNoticeDocument(
                pupilForReturn(pupil),
                { receivedOn, educatedFrom },
                contacts.map(c => ({ fullName: c.name, phone: c.phone ?? '' })),
              ),
            ),
            made_by: caller.actor.kind === 'user' ? caller.actor.id : null,
            made_by_name: caller.actor.name,
            created_at: now,
          })
          .execute()
        const to = await roleHolderEmails(trx, pupil.la_code, 'ehe-officer')
        if (to.length > 0)
          await mail.queue(
            trx,
            pupil.la_code,
            to.map(address => ({
              to: address,
              subject: 'Elective home education: a school has received a parent’s notice',
              body: `${caller.actor.organisationName} has recorded a parent's written notice of elective home education.\n\n${config.serviceUrl}/returns/${returnId}`,
            })),
          )
        await auditPupil(trx, caller, 'pupil.ehe.record', pupil, { returnId, referralId })
        return { referralId }
      })
    },
  }
}

export type LeavingService = ReturnType<typeof createLeavingService>
/** The leaving page as `view` gives it. */
export type LeavingView = Awaited<ReturnType<LeavingService['view']>>
