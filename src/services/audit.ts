import type { Transaction } from 'kysely'
import type { Actor, RequestContext } from '../domain/actor.js'
import type { Clock } from '../domain/clock.js'
import { appendAuditEvents, type AuditEventInput, type AuditRecord } from '../data/repositories/auditRepository.js'
import type { Database } from '../data/schema.js'

export interface AuditSubject {
  childId?: string | null
  caseId?: string | null
  detail?: Record<string, unknown>
}

/** Who did what, when and from where: the part of an event that every event of one call shares. */
function eventBy(clock: Clock, actor: Actor, request: RequestContext, action: string): AuditEventInput {
  return {
    at: clock.now().toISOString(),
    actorId: actor.kind === 'system' ? null : actor.id,
    actorKind: actor.kind,
    roles: actor.roles,
    organisationId: actor.organisationId,
    laCode: actor.laCode,
    action,
    requestId: request.requestId,
    clientIp: request.clientIp,
  }
}

/**
 * Records what an actor did, inside the transaction that did it. Detail must never hold
 * personal data (names, addresses, UPNs): ids, references and counts only.
 */
export async function audit(
  trx: Transaction<Database>,
  clock: Clock,
  actor: Actor,
  request: RequestContext,
  action: string,
  subjects: readonly AuditSubject[] = [{}],
): Promise<void> {
  const base = eventBy(clock, actor, request, action)
  await appendAuditEvents(
    trx,
    subjects.map(s => ({ ...base, childId: s.childId ?? null, caseId: s.caseId ?? null, detail: s.detail ?? null })),
  )
}

/**
 * Records that an actor was shown many records at once (a page of a list, an export): one event
 * naming every case and child shown, rather than one event each. "Who has seen this child" finds it
 * all the same (audit_subjects), and its hash covers the records. Detail as for audit().
 */
export async function auditShown(
  trx: Transaction<Database>,
  clock: Clock,
  actor: Actor,
  request: RequestContext,
  action: string,
  records: readonly AuditRecord[],
  detail: Record<string, unknown> = {},
): Promise<void> {
  await appendAuditEvents(trx, [
    { ...eventBy(clock, actor, request, action), detail: { ...detail, shown: records.length }, records },
  ])
}
