/**
 * The LA's side of a school's leavers and joiners, on a CME case (issue 8): the CME team records
 * the LA's part of the joint enquiries that Grounds H and I need (the school sees it on its
 * deletion check), and confirms or dismisses the "possibly located" alerts that admissions raise.
 */
import type { Transaction } from 'kysely'
import { can } from '../domain/access.js'
import { isIsoDate, type IsoDate } from '../domain/dates.js'
import { newId } from '../data/ids.js'
import type { Database } from '../data/schema.js'
import { audit } from './audit.js'
import { recordCaseEvent } from './caseEvents.js'
import type { Caller, Deps } from './deps.js'
import { ForbiddenError, NotFoundError, ValidationError } from './errors.js'

export const ALERT_OUTCOMES = {
  confirmed: 'Confirmed: this is the child, now on the school’s roll',
  'not-the-child': 'Not the same child',
} as const
type AlertOutcome = keyof typeof ALERT_OUTCOMES
const isAlertOutcome = (v: string | undefined): v is AlertOutcome => v !== undefined && Object.hasOwn(ALERT_OUTCOMES, v)

export function createJointEnquiryService(deps: Deps) {
  const { db, clock } = deps

  /** The case, read in the transaction that authorises and audits the call (a child's record). */
  async function caseFor(trx: Transaction<Database>, caller: Caller, caseId: string) {
    const c = await trx
      .selectFrom('cases')
      .select(['id', 'reference', 'la_code', 'child_id', 'status'])
      .where('id', '=', caseId)
      .executeTakeFirst()
    if (!c) throw new NotFoundError('Case')
    if (c.la_code !== caller.actor.laCode || caller.actor.organisationKind !== 'la')
      throw new ForbiddenError('single-list:view')
    return c
  }

  return {
    /** The case's joint enquiries and possibly-located alerts. */
    async view(caller: Caller, caseId: string) {
      if (!can(caller.actor, 'single-list:view')) throw new ForbiddenError('single-list:view')
      return db.transaction().execute(async trx => {
        const c = await caseFor(trx, caller, caseId)
        const [enquiries, alerts] = await Promise.all([
          trx
            .selectFrom('la_enquiries')
            .select(['recorded_on', 'details', 'recorded_by_name', 'created_at'])
            .where('case_id', '=', c.id)
            .orderBy('recorded_on', 'desc')
            .execute(),
          trx
            .selectFrom('possibly_located_alerts')
            .innerJoin('pupils', 'pupils.id', 'possibly_located_alerts.pupil_id')
            .innerJoin('organisations', 'organisations.id', 'possibly_located_alerts.school_id')
            .select([
              'possibly_located_alerts.id',
              'possibly_located_alerts.status',
              'possibly_located_alerts.reasons',
              'possibly_located_alerts.raised_at',
              'possibly_located_alerts.return_id',
              'possibly_located_alerts.pupil_id',
              'pupils.first_name',
              'pupils.last_name',
              'pupils.date_of_birth',
              'pupils.admission_date',
              'organisations.name as school_name',
            ])
            .where('possibly_located_alerts.case_id', '=', c.id)
            .orderBy('possibly_located_alerts.raised_at', 'desc')
            .execute(),
        ])
        // The admitted pupils shown beside the case are looks at the schools' records too.
        await audit(trx, clock, caller.actor, caller.request, 'case.school-links.view', [
          { caseId: c.id, childId: c.child_id },
          ...alerts.map(a => ({ caseId: c.id, childId: c.child_id, detail: { pupilId: a.pupil_id } })),
        ])
        return {
          caseId: c.id,
          reference: c.reference,
          enquiries,
          alerts: alerts.map(a => ({
            id: a.id,
            status: a.status,
            reasons: JSON.parse(a.reasons) as string[],
            raisedAt: a.raised_at,
            returnId: a.return_id,
            pupilName: `${a.first_name} ${a.last_name}`,
            dateOfBirth: a.date_of_birth,
            admittedOn: a.admission_date,
            schoolName: a.school_name,
          })),
          canWork: can(caller.actor, 'case:work'),
          today: clock.today(),
        }
      })
    },

    /** The LA's part of the joint enquiries (Grounds H and I): what was done and when. */
    async recordEnquiries(
      caller: Caller,
      caseId: string,
      input: { recordedOn?: IsoDate | undefined; details?: string | undefined },
    ): Promise<void> {
      if (!can(caller.actor, 'case:work')) throw new ForbiddenError('case:work')
      await db.transaction().execute(async trx => {
        const c = await caseFor(trx, caller, caseId)
        const problems: { field: string; message: string }[] = []
        const today = clock.today()
        if (!input.recordedOn || !isIsoDate(input.recordedOn))
          problems.push({ field: 'recordedOn', message: 'Enter the date the LA’s enquiries were completed' })
        else if (input.recordedOn > today)
          problems.push({
            field: 'recordedOn',
            message: 'The date the LA’s enquiries were completed must be today or in the past',
          })
        const details = input.details?.trim() ?? ''
        if (details === '')
          problems.push({
            field: 'details',
            message: 'Enter what the LA did to find the child (the checks made and what they found)',
          })
        else if (details.length > 2000)
          problems.push({ field: 'details', message: 'What the LA did must be 2000 characters or fewer' })
        if (problems.length > 0 || !input.recordedOn) throw new ValidationError(problems)
        const recordedOn = input.recordedOn
        await trx
          .insertInto('la_enquiries')
          .values({
            id: newId(),
            la_code: c.la_code,
            case_id: c.id,
            recorded_on: recordedOn,
            details,
            recorded_by: caller.actor.kind === 'user' ? caller.actor.id : null,
            recorded_by_name: caller.actor.name,
            created_at: clock.now().toISOString(),
          })
          .execute()
        await recordCaseEvent(
          trx,
          clock,
          caller.actor,
          c.id,
          'la-enquiries',
          `The LA’s part of the joint enquiries recorded (completed ${recordedOn}); the school sees it on its deletion check`,
        )
        await audit(trx, clock, caller.actor, caller.request, 'case.la-enquiries', [
          { caseId: c.id, childId: c.child_id, detail: { recordedOn } },
        ])
      })
    },

    /** The CME team's answer to a possibly-located alert. */
    async resolveAlert(caller: Caller, caseId: string, alertId: string, outcome: string | undefined): Promise<void> {
      if (!can(caller.actor, 'case:work')) throw new ForbiddenError('case:work')
      await db.transaction().execute(async trx => {
        const c = await caseFor(trx, caller, caseId)
        if (!isAlertOutcome(outcome))
          throw new ValidationError([{ field: `outcome-${alertId}`, message: 'Select whether this is the child' }])
        const alert = await trx
          .selectFrom('possibly_located_alerts')
          .innerJoin('organisations', 'organisations.id', 'possibly_located_alerts.school_id')
          .select(['possibly_located_alerts.id', 'possibly_located_alerts.status', 'organisations.name'])
          .where('possibly_located_alerts.id', '=', alertId)
          .where('possibly_located_alerts.case_id', '=', c.id)
          .executeTakeFirst()
        if (!alert) throw new NotFoundError('Alert')
        await trx
          .updateTable('possibly_located_alerts')
          .set({
            status: outcome,
            resolved_at: clock.now().toISOString(),
            resolved_by: caller.actor.kind === 'user' ? caller.actor.id : null,
          })
          .where('id', '=', alert.id)
          .execute()
        await recordCaseEvent(
          trx,
          clock,
          caller.actor,
          c.id,
          'possibly-located-resolved',
          outcome === 'confirmed'
            ? `Located: confirmed on the roll of ${alert.name}`
            : `Possibly-located alert dismissed: the pupil admitted to ${alert.name} is not this child`,
        )
        await audit(trx, clock, caller.actor, caller.request, 'case.possibly-located.resolve', [
          { caseId: c.id, childId: c.child_id, detail: { alertId, outcome } },
        ])
      })
    },
  }
}

export type JointEnquiryService = ReturnType<typeof createJointEnquiryService>
