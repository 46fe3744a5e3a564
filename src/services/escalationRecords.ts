/**
 * Writing escalation records inside a caller's transaction: shared by the escalation service (a
 * person escalates or answers) and the overdue-alerts job (automatic escalations), so an automatic
 * escalation is the same record, in the same queue, answered the same way as a person's.
 */
import type { Transaction } from 'kysely'
import type { Actor } from '../domain/actor.js'
import type { Clock } from '../domain/clock.js'
import { ESCALATION_LABELS, type AutomaticReason, type EscalationLevel } from '../domain/escalation.js'
import { newId } from '../data/ids.js'
import type { Database } from '../data/schema.js'
import { recordCaseEvent } from './caseEvents.js'
import type { MailService } from './mailService.js'

/** Everyone active in the LA who holds the role: who an escalation at that level is for. */
export async function roleHolderEmails(trx: Transaction<Database>, laCode: string, role: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select('users.email')
    .where('user_roles.role', '=', role)
    .where('users.active', '=', 1)
    .where('organisations.la_code', '=', laCode)
    .orderBy('users.email')
    .execute()
  return [...new Set(rows.map(r => r.email))]
}

export interface NewEscalation {
  laCode: string
  caseId: string
  reference: string
  level: EscalationLevel
  reason: string
  /** Null when raised automatically. */
  by: Actor | null
  automatic?: AutomaticReason
  alertId?: string | null
  previousId?: string | null
}

/**
 * Opens an escalation at a level, puts it on the case's timeline and tells the holders of that role.
 * The email carries the case reference and a link only, never the child's name.
 */
export async function openEscalation(
  trx: Transaction<Database>,
  clock: Clock,
  mail: MailService,
  serviceUrl: string,
  e: NewEscalation,
  timelineActor: Actor,
  options: { notify?: boolean } = {},
): Promise<string> {
  const id = newId()
  const label = ESCALATION_LABELS[e.level]
  await trx
    .insertInto('escalations')
    .values({
      id,
      la_code: e.laCode,
      case_id: e.caseId,
      level: e.level,
      reason: e.reason,
      raised_by: e.by?.id ?? null,
      raised_by_name: e.by?.name ?? 'onroll (automatic)',
      automatic_reason: e.automatic ?? null,
      alert_id: e.alertId ?? null,
      previous_id: e.previousId ?? null,
      raised_at: clock.now().toISOString(),
      status: 'open',
      decision: null,
      instruction: null,
      answered_by: null,
      answered_by_name: null,
      answered_at: null,
    })
    .execute()
  await recordCaseEvent(
    trx,
    clock,
    timelineActor,
    e.caseId,
    'escalation',
    `${e.automatic ? 'Escalated automatically' : 'Escalated'} to the ${label}: ${e.reason}`,
    { escalationId: id, level: e.level, ...(e.automatic ? { automatic: e.automatic } : {}) },
  )
  if (options.notify !== false) {
    const to = await roleHolderEmails(trx, e.laCode, e.level)
    await mail.queue(
      trx,
      e.laCode,
      to.map(address => ({
        to: address,
        subject: `Case ${e.reference} has been escalated to you`,
        body: `Case ${e.reference} has been escalated to the ${label}${e.automatic ? ' automatically' : ''}.\n\nAnswer it: ${serviceUrl}/escalations/${id}\nEverything escalated to you: ${serviceUrl}/escalations`,
      })),
    )
  }
  return id
}
