/**
 * Pupils of concern (issue 8; domain.md §3; protocol Appendix B): a school records that a pupil
 * stopped attending, works through the enquiries Appendix B asks for, logs each contact and what it
 * learnt, takes the child-protection route when there is a risk of harm, and records the outcome.
 * When the outcome needs a CME referral, a draft referral is made from the concern and its enquiry
 * log, due within the policy's school days of the enquiries failing. School days are counted on
 * the school's own calendar, looked up before each transaction (SQLite has one connection).
 */
import type { Transaction } from 'kysely'
import { can } from '../domain/access.js'
import { concernProgress, type ConcernProgress } from '../domain/concernProgress.js'
import { isAfter, isBefore, isIsoDate, type IsoDate } from '../domain/dates.js'
import { decideOutcome, isOutcome, outcomeDecision } from '../domain/enquiryOutcome.js'
import { computeDeadline } from '../domain/policy.js'
import {
  contactMade,
  enquirySteps,
  isCircumstance,
  isContactKind,
  isContactResult,
  isVisitBy,
  neverAttended,
  outstandingSteps,
  schoolDaysMissing,
  type ContactKind,
  type ContactResult,
  type EnquiryFacts,
  type EnquiryStep,
} from '../domain/pupilConcern.js'
import type { SchoolDays } from '../domain/schoolDays.js'
import { newId } from '../data/ids.js'
import type { ConcernContact, Database, Pupil, PupilConcern } from '../data/schema.js'
import { audit } from './audit.js'
import type { CalendarService } from './calendarService.js'
import type { Caller, Deps } from './deps.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.js'
import type { PolicyService } from './policyService.js'
import { parseAddress, parseContacts, viewPupil } from './rollService.js'
import { insertPrefilledReferral } from './concernReferral.js'
import { ownsRecord, requirePupil, requireSchoolUser } from './schoolAccess.js'

type Problem = { field: string; message: string }
type Input = Record<string, string | undefined>

const text = (v: string | undefined) => (v ?? '').trim()
const orNull = (v: string | undefined) => (text(v) === '' ? null : text(v))

export interface ConcernSummary {
  id: string
  pupilId: string
  pupilName: string
  circumstance: string
  lastAttendedOn: string | null
  expectedOn: string | null
  daysMissing: number | null
  daysMissingProblem: string | null
  progress: ConcernProgress
  referral: { id: string; status: string; reference: string | null; caseStatus: string | null } | null
  status: string
}

/** A school's calendar problem ("no term dates for…") is shown, never guessed round. */
function dateProblems(
  input: Input,
  field: string,
  label: string,
  today: IsoDate,
  required: boolean,
  problems: Problem[],
): IsoDate | null {
  const v = text(input[field])
  if (v === '') {
    if (required) problems.push({ field, message: `Enter the ${label.toLowerCase()}` })
    return null
  }
  if (!isIsoDate(v)) {
    problems.push({ field, message: `${label} must be a real date` })
    return null
  }
  if (isAfter(v, today)) {
    problems.push({ field, message: `${label} must be today or in the past` })
    return null
  }
  return v
}

function factsOf(concern: PupilConcern, pupil: Pupil, contacts: readonly ConcernContact[]): EnquiryFacts {
  const phones = [...new Set(parseContacts(pupil.contacts).flatMap(c => (c.phone ? [c.phone] : [])))]
  const home = parseAddress(pupil.address_lines)
  const addresses = [
    ...(home.length > 0 ? [[...home, pupil.postcode].filter(Boolean).join(', ')] : []),
    ...contacts.flatMap(c => (c.learnt_address ? [c.learnt_address] : [])),
  ]
  return {
    cpPlan: concern.cp_plan === 1,
    childInNeed: concern.child_in_need === 1,
    lookedAfter: concern.looked_after === 1,
    socialWorker: concern.social_worker,
    phones,
    addresses: [...new Set(addresses)],
    contacts: contacts.map(c => ({
      kind: c.kind as ContactKind,
      target: c.target,
      result: c.result as ContactResult,
      agreedPlan: c.agreed_plan,
      riskOfHarm: c.risk_of_harm === 1,
    })),
    ewoConsulted: concern.ewo_consulted_on !== null,
    marfMade: concern.marf_made_on !== null,
  }
}

export function createConcernService({ db, clock }: Deps, calendars: CalendarService, policy: PolicyService) {
  const today = () => clock.today()

  async function schoolDays(caller: Caller): Promise<SchoolDays> {
    const { laCode, schoolId } = requireSchoolUser(caller.actor)
    return calendars.schoolDaysForSchool(laCode, { id: schoolId })
  }

  /** A pupil's concerns, read in the transaction that read the pupil, and the look audited there. */
  async function concernsOf(
    trx: Transaction<Database>,
    caller: Caller,
    pupil: Pupil,
    days: SchoolDays,
  ): Promise<ConcernSummary[]> {
    const concerns = await trx
      .selectFrom('pupil_concerns')
      .selectAll()
      .where('pupil_id', '=', pupil.id)
      .orderBy('created_at', 'desc')
      .execute()
    const out: ConcernSummary[] = []
    for (const c of concerns) {
      const contacts = await trx.selectFrom('concern_contacts').selectAll().where('concern_id', '=', c.id).execute()
      out.push(summarise(c, pupil, factsOf(c, pupil, contacts), await referralOf(trx, c.referral_id), days))
    }
    if (concerns.length > 0)
      await audit(
        trx,
        clock,
        caller.actor,
        caller.request,
        'concern.list',
        concerns.map(c => ({ detail: { pupilId: pupil.id, concernId: c.id } })),
      )
    return out
  }

  async function requireConcern(trx: Transaction<Database>, caller: Caller, id: string) {
    requireSchoolUser(caller.actor)
    const concern = await trx.selectFrom('pupil_concerns').selectAll().where('id', '=', id).executeTakeFirst()
    if (!concern) throw new NotFoundError('Concern')
    if (!ownsRecord(caller.actor, concern)) throw new ForbiddenError('school:pupils')
    const pupil = await trx
      .selectFrom('pupils')
      .selectAll()
      .where('id', '=', concern.pupil_id)
      .executeTakeFirstOrThrow()
    const contacts = await trx
      .selectFrom('concern_contacts')
      .selectAll()
      .where('concern_id', '=', id)
      .orderBy('contacted_on')
      .orderBy('created_at')
      .execute()
    return { concern, pupil, contacts, facts: factsOf(concern, pupil, contacts) }
  }

  async function referralOf(trx: Transaction<Database>, referralId: string | null) {
    if (!referralId) return null
    const r = await trx
      .selectFrom('referrals')
      .leftJoin('cases', 'cases.id', 'referrals.case_id')
      .select([
        'referrals.id',
        'referrals.status',
        'referrals.reference',
        'referrals.case_id',
        'cases.status as case_status',
      ])
      .where('referrals.id', '=', referralId)
      .executeTakeFirst()
    return r
      ? { id: r.id, status: r.status, reference: r.reference, caseId: r.case_id, caseStatus: r.case_status }
      : null
  }

  function summarise(
    concern: PupilConcern,
    pupil: Pick<Pupil, 'first_name' | 'last_name'>,
    facts: EnquiryFacts,
    referral: { id: string; status: string; reference: string | null; caseStatus: string | null } | null,
    days: SchoolDays,
  ): ConcernSummary {
    const missing = schoolDaysMissing(
      { lastAttendedOn: concern.last_attended_on, expectedOn: concern.expected_on },
      days,
      today(),
    )
    return {
      id: concern.id,
      pupilId: concern.pupil_id,
      pupilName: `${pupil.first_name} ${pupil.last_name}`,
      circumstance: concern.circumstance,
      lastAttendedOn: concern.last_attended_on,
      expectedOn: concern.expected_on,
      daysMissing: missing.ok ? missing.value : null,
      daysMissingProblem: missing.ok ? null : missing.problem,
      progress: concernProgress({
        facts,
        status: concern.status === 'closed' ? 'closed' : 'open',
        outcome: concern.outcome && isOutcome(concern.outcome) ? concern.outcome : null,
        recordedOn: concern.created_at.slice(0, 10),
        referralDueOn: concern.referral_due_on,
        referralStatus: referral?.status ?? null,
        today: today(),
      }),
      referral: referral
        ? { id: referral.id, status: referral.status, reference: referral.reference, caseStatus: referral.caseStatus }
        : null,
      status: concern.status,
    }
  }

  /**
   * Changes the concern. With `unless`, only while that column is still empty: two people deciding the
   * outcome (or starting the referral) at once cannot both succeed, on either engine.
   */
  async function touch(
    trx: Transaction<Database>,
    id: string,
    set: Partial<PupilConcern> = {},
    unless?: 'outcome' | 'referral_id',
  ) {
    let q = trx
      .updateTable('pupil_concerns')
      .set(eb => ({ ...set, updated_at: clock.now().toISOString(), version: eb('version', '+', 1) }))
      .where('id', '=', id)
    if (unless) q = q.where(unless, 'is', null)
    const r = await q.executeTakeFirst()
    if (Number(r.numUpdatedRows) === 0) throw new ConflictError('The concern')
  }

  const requireOpen = (concern: PupilConcern) => {
    if (concern.status !== 'open') throw new ConflictError('The concern')
  }

  return {
    /** The school dashboard: open concerns first (most urgent deadline first), then the recently closed. */
    async dashboard(caller: Caller): Promise<{ open: ConcernSummary[]; closed: ConcernSummary[]; calendar: string }> {
      const days = await schoolDays(caller)
      const { schoolId, laCode } = requireSchoolUser(caller.actor)
      return db.transaction().execute(async trx => {
        const concerns = await trx
          .selectFrom('pupil_concerns')
          .selectAll()
          .where('school_id', '=', schoolId)
          .where('la_code', '=', laCode)
          .orderBy('created_at', 'desc')
          .limit(300)
          .execute()
        const pupilIds = [...new Set(concerns.map(c => c.pupil_id))]
        const concernIds = concerns.map(c => c.id)
        const referralIds = concerns.flatMap(c => (c.referral_id ? [c.referral_id] : []))
        const [pupils, contacts, referrals] = await Promise.all([
          pupilIds.length > 0 ? trx.selectFrom('pupils').selectAll().where('id', 'in', pupilIds).execute() : [],
          concernIds.length > 0
            ? trx.selectFrom('concern_contacts').selectAll().where('concern_id', 'in', concernIds).execute()
            : [],
          referralIds.length > 0
            ? trx
                .selectFrom('referrals')
                .leftJoin('cases', 'cases.id', 'referrals.case_id')
                .select(['referrals.id', 'referrals.status', 'referrals.reference', 'cases.status as caseStatus'])
                .where('referrals.id', 'in', referralIds)
                .execute()
            : [],
        ])
        const summaries = concerns.flatMap(c => {
          const pupil = pupils.find(p => p.id === c.pupil_id)
          if (!pupil) return []
          const facts = factsOf(
            c,
            pupil,
            contacts.filter(k => k.concern_id === c.id),
          )
          return [summarise(c, pupil, facts, referrals.find(r => r.id === c.referral_id) ?? null, days)]
        })
        await audit(
          trx,
          clock,
          caller.actor,
          caller.request,
          'concern.dashboard',
          summaries.length > 0 ? summaries.map(s => ({ detail: { concernId: s.id, pupilId: s.pupilId } })) : [{}],
        )
        const byDue = (a: ConcernSummary, b: ConcernSummary) =>
          (a.progress.dueOn ?? '9999').localeCompare(b.progress.dueOn ?? '9999')
        return {
          open: summaries.filter(s => s.status === 'open').sort(byDue),
          closed: summaries.filter(s => s.status !== 'open').slice(0, 50),
          calendar: days.name,
        }
      })
    },

    /**
     * The pupil page: the pupil and the concerns about them, read in one transaction with both audit
     * events (`pupil.view`, then `concern.list` when there are concerns).
     */
    async pupilPage(caller: Caller, pupilId: string): Promise<{ pupil: Pupil; concerns: ConcernSummary[] }> {
      const days = await schoolDays(caller)
      return db.transaction().execute(async trx => {
        const pupil = await viewPupil(trx, clock, caller, pupilId)
        return { pupil, concerns: await concernsOf(trx, caller, pupil, days) }
      })
    },

    async record(caller: Caller, pupilId: string, input: Input, flagList: readonly string[] = []): Promise<string> {
      const { schoolId, laCode } = requireSchoolUser(caller.actor)
      const problems: Problem[] = []
      const circumstance = text(input.circumstance)
      if (!isCircumstance(circumstance))
        problems.push({ field: 'circumstance', message: 'Select why the school is concerned about the pupil' })
      const never = isCircumstance(circumstance) && neverAttended(circumstance)
      const lastAttendedOn = never
        ? null
        : dateProblems(
            input,
            'lastAttendedOn',
            'Date of last attendance',
            today(),
            isCircumstance(circumstance),
            problems,
          )
      const expectedOn = never
        ? dateProblems(input, 'expectedOn', 'Date the pupil was expected', today(), true, problems)
        : null
      const flags = new Set(flagList)
      const socialWorker = flags.has('social-worker') ? orNull(input.socialWorker) : null
      if (flags.has('social-worker') && !socialWorker)
        problems.push({ field: 'socialWorker', message: 'Enter the name of the allocated social worker' })
      if (problems.length > 0) throw new ValidationError(problems)
      return db.transaction().execute(async trx => {
        const pupil = await requirePupil(trx, caller.actor, pupilId)
        if (pupil.on_roll !== 1)
          throw new ValidationError([{ field: 'circumstance', message: 'The pupil is no longer on the roll' }])
        const open = await trx
          .selectFrom('pupil_concerns')
          .select('id')
          .where('pupil_id', '=', pupilId)
          .where('status', '=', 'open')
          .executeTakeFirst()
        if (open)
          throw new ValidationError([
            { field: 'circumstance', message: 'There is already an open concern about this pupil' },
          ])
        const id = newId()
        const now = clock.now().toISOString()
        await trx
          .insertInto('pupil_concerns')
          .values({
            id,
            la_code: laCode,
            school_id: schoolId,
            pupil_id: pupilId,
            circumstance,
            last_attended_on: lastAttendedOn,
            expected_on: expectedOn,
            cp_plan: flags.has('cp-plan') ? 1 : 0,
            child_in_need: flags.has('child-in-need') ? 1 : 0,
            looked_after: flags.has('looked-after') ? 1 : 0,
            ehcp_sen: flags.has('ehcp-sen') ? 1 : 0,
            social_worker: socialWorker,
            social_worker_phone: socialWorker ? orNull(input.socialWorkerPhone) : null,
            status: 'open',
            created_by: caller.actor.id,
            created_at: now,
            updated_at: now,
          })
          .execute()
        await audit(trx, clock, caller.actor, caller.request, 'concern.record', [
          { detail: { concernId: id, pupilId, circumstance } },
        ])
        return id
      })
    },

    /** One concern with its enquiry task list, the contact log and where it stands. */
    async get(caller: Caller, id: string) {
      const days = await schoolDays(caller)
      return db.transaction().execute(async trx => {
        const { concern, pupil, contacts, facts } = await requireConcern(trx, caller, id)
        const referral = await referralOf(trx, concern.referral_id)
        await audit(trx, clock, caller.actor, caller.request, 'concern.view', [
          { detail: { concernId: id, pupilId: pupil.id } },
        ])
        const steps: EnquiryStep[] = enquirySteps(facts)
        return {
          concern,
          pupil,
          contacts,
          facts,
          steps,
          contactMade: contactMade(facts),
          outstanding: outstandingSteps(facts),
          summary: summarise(concern, pupil, facts, referral, days),
          referral,
          decision: concern.outcome && isOutcome(concern.outcome) ? outcomeDecision(concern.outcome) : null,
        }
      })
    },

    /** One contact of the enquiries: who, how, when, with what result, and anything learnt. */
    async logContact(caller: Caller, id: string, input: Input): Promise<{ riskOfHarm: boolean }> {
      const problems: Problem[] = []
      const kind = text(input.kind)
      if (!isContactKind(kind)) problems.push({ field: 'kind', message: 'Select the kind of contact' })
      const contactedOn = dateProblems(input, 'contactedOn', 'Date of the contact', today(), true, problems)
      const madeBy = text(input.madeBy)
      if (madeBy === '') problems.push({ field: 'madeBy', message: 'Enter who made the contact' })
      const visitBy = text(input.visitBy)
      if (kind === 'home-visit' && !isVisitBy(visitBy))
        problems.push({ field: 'visitBy', message: 'Select who made the home visit' })
      const result = text(input.result)
      if (!isContactResult(result)) problems.push({ field: 'result', message: 'Select the result of the contact' })
      if (kind === 'social-worker' && text(input.agreedPlan) === '')
        problems.push({ field: 'agreedPlan', message: 'Enter the plan agreed with the social worker: who does what' })
      const risk = text(input.riskOfHarm)
      if (risk !== 'yes' && risk !== 'no')
        problems.push({ field: 'riskOfHarm', message: 'Select whether anything suggests the child is at risk of harm' })
      for (const f of [
        'notes',
        'agreedPlan',
        'learntAddress',
        'learntSchool',
        'learntTravel',
        'target',
        'targetOther',
        'madeBy',
      ])
        if (text(input[f]).length > 2000) problems.push({ field: f, message: 'Enter 2000 characters or fewer' })
      if (problems.length > 0) throw new ValidationError(problems)
      return db.transaction().execute(async trx => {
        const { concern } = await requireConcern(trx, caller, id)
        requireOpen(concern)
        if (contactedOn && concern.last_attended_on && isBefore(contactedOn, concern.last_attended_on))
          throw new ValidationError([
            { field: 'contactedOn', message: 'Date of the contact must be on or after the last attendance' },
          ])
        const contactId = newId()
        await trx
          .insertInto('concern_contacts')
          .values({
            id: contactId,
            concern_id: id,
            kind,
            target: orNull(input.target) ?? orNull(input.targetOther),
            contacted_on: contactedOn ?? today(),
            made_by: madeBy,
            visit_by: kind === 'home-visit' ? visitBy : null,
            result,
            notes: orNull(input.notes),
            agreed_plan: kind === 'social-worker' ? orNull(input.agreedPlan) : null,
            learnt_address: orNull(input.learntAddress),
            learnt_school: orNull(input.learntSchool),
            learnt_travel: orNull(input.learntTravel),
            risk_of_harm: risk === 'yes' ? 1 : 0,
            created_by: caller.actor.id,
            created_at: clock.now().toISOString(),
          })
          .execute()
        await touch(trx, id)
        await audit(trx, clock, caller.actor, caller.request, 'concern.contact', [
          { detail: { concernId: id, contactId, kind, result, riskOfHarm: risk === 'yes' } },
        ])
        return { riskOfHarm: risk === 'yes' }
      })
    },

    /** The child-protection route taken: the MARF and when (at any step of the enquiries). */
    async recordMarf(caller: Caller, id: string, input: Input): Promise<void> {
      const problems: Problem[] = []
      const madeOn = dateProblems(input, 'madeOn', 'Date the MARF was made', today(), true, problems)
      if (problems.length > 0) throw new ValidationError(problems)
      await db.transaction().execute(async trx => {
        await requireConcern(trx, caller, id)
        await touch(trx, id, { marf_made_on: madeOn, marf_reference: orNull(input.reference) })
        await audit(trx, clock, caller.actor, caller.request, 'concern.marf', [{ detail: { concernId: id } }])
      })
    },

    /** The education welfare officer consulted (the protocol asks for it before a CME referral). */
    async recordEwo(caller: Caller, id: string, input: Input): Promise<void> {
      const problems: Problem[] = []
      const consultedOn = dateProblems(
        input,
        'consultedOn',
        'Date you consulted the education welfare officer',
        today(),
        true,
        problems,
      )
      if (text(input.ewoName) === '')
        problems.push({ field: 'ewoName', message: 'Enter the education welfare officer’s name' })
      if (text(input.advice) === '')
        problems.push({ field: 'advice', message: 'Enter what the education welfare officer advised' })
      if (problems.length > 0) throw new ValidationError(problems)
      await db.transaction().execute(async trx => {
        const { concern } = await requireConcern(trx, caller, id)
        requireOpen(concern)
        await touch(trx, id, {
          ewo_consulted_on: consultedOn,
          ewo_name: text(input.ewoName),
          ewo_advice: text(input.advice),
        })
        await audit(trx, clock, caller.actor, caller.request, 'concern.ewo', [{ detail: { concernId: id } }])
      })
    },

    /**
     * The outcome of the enquiries (enquiryOutcome.ts decides what each needs). An outcome needing a
     * CME referral sets its deadline: policy `schoolReferralDays` school days after the enquiries failed.
     */
    async recordOutcome(caller: Caller, id: string, input: Input) {
      const days = await schoolDays(caller)
      const rules = await policy.inForce(caller.actor.laCode, today())
      const problems: Problem[] = []
      const outcome = text(input.outcome)
      if (!isOutcome(outcome))
        throw new ValidationError([{ field: 'outcome', message: 'Select the outcome of the enquiries' }])
      const referral = outcomeDecision(outcome).referral
      const failedOn = referral
        ? dateProblems(input, 'failedOn', 'Date the enquiries failed', today(), true, problems)
        : null
      const recordsRequestedOn =
        outcome === 'new-school'
          ? dateProblems(input, 'recordsRequestedOn', 'Date the records were requested', today(), false, problems)
          : null
      return db.transaction().execute(async trx => {
        const { concern, facts } = await requireConcern(trx, caller, id)
        requireOpen(concern)
        if (concern.outcome) throw new ConflictError('The concern')
        const decided = decideOutcome({
          outcome,
          contactMade: contactMade(facts),
          outstanding: outstandingSteps(facts).filter(s => !s.startsWith('Consult')),
          ewoConsulted: facts.ewoConsulted,
          explanation: text(input.explanation),
          newSchool: text(input.newSchool),
          newSchoolConfirmed: text(input.newSchoolConfirmed) === 'yes',
          recordsRequestedOn: recordsRequestedOn ?? undefined,
        })
        if (!decided.ok) problems.push(...decided.problems.filter(p => !problems.some(q => q.field === p.field)))
        let due: { dueOn: IsoDate; policyVersion: number } | null = null
        if (referral && failedOn) {
          const deadline = computeDeadline('schoolReferralDays', failedOn, rules, days)
          if (!deadline.ok) problems.push({ field: 'failedOn', message: deadline.problem })
          else due = deadline.value
        }
        if (problems.length > 0 || !decided.ok) throw new ValidationError(problems)
        await touch(
          trx,
          id,
          {
            outcome,
            outcome_on: today(),
            outcome_detail: orNull(input.explanation),
            new_school: outcome === 'new-school' ? text(input.newSchool) : null,
            records_requested_on: recordsRequestedOn,
            enquiries_failed_on: failedOn,
            referral_due_on: due?.dueOn ?? null,
            referral_policy_version: due?.policyVersion ?? null,
            status: decided.decision.closes ? 'closed' : 'open',
          },
          'outcome',
        )
        await audit(trx, clock, caller.actor, caller.request, 'concern.outcome', [
          { detail: { concernId: id, outcome, referralDueOn: due?.dueOn ?? null } },
        ])
        return { decision: decided.decision, pupilId: concern.pupil_id }
      })
    },

    /**
     * The CME referral for a concern whose outcome needs one: a draft pre-filled from the concern and
     * its enquiry log (once; later calls return the same draft), for the school to finish and submit.
     */
    async startReferral(caller: Caller, id: string): Promise<string | null> {
      if (!can(caller.actor, 'referral:create')) throw new ForbiddenError('referral:create')
      const user = await db
        .selectFrom('users')
        .select(['name', 'email', 'phone'])
        .where('id', '=', caller.actor.id)
        .executeTakeFirst()
      try {
        return await db.transaction().execute(async trx => {
          const { concern, pupil, contacts } = await requireConcern(trx, caller, id)
          if (concern.referral_id) return concern.referral_id
          const outcome = concern.outcome
          if (!outcome || !isOutcome(outcome) || !outcomeDecision(outcome).referral) return null
          const { referralId, completed } = await insertPrefilledReferral(trx, clock, caller, {
            concern,
            outcome,
            pupil,
            contacts,
            user,
          })
          await touch(trx, id, { referral_id: referralId }, 'referral_id')
          await audit(trx, clock, caller.actor, caller.request, 'referral.start', [
            { detail: { referralId, concernId: id, prefilled: completed } },
          ])
          return referralId
        })
      } catch (err) {
        // A second click (or a colleague) started it at the same moment: theirs is the referral.
        if (!(err instanceof ConflictError)) throw err
        const row = await db.selectFrom('pupil_concerns').select('referral_id').where('id', '=', id).executeTakeFirst()
        if (!row?.referral_id) throw err
        return row.referral_id
      }
    },
  }
}

export type ConcernService = ReturnType<typeof createConcernService>
