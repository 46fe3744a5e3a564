import type { Transaction } from 'kysely'
import type { Actor, RequestContext } from '../domain/actor.js'
import type { Clock } from '../domain/clock.js'
import { appendAuditEvents } from '../data/repositories/auditRepository.js'
import type { Database } from '../data/schema.js'

export interface AuditSubject {
  childId?: string | null
  caseId?: string | null
  detail?: Record<string, unknown>
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
  const at = clock.now().toISOString()
  await appendAuditEvents(
    trx,
    subjects.map(s => ({
      at,
      actorId: actor.kind === 'system' ? null : actor.id,
      actorKind: actor.kind,
      roles: actor.roles,
      organisationId: actor.organisationId,
      laCode: actor.laCode,
      action,
      childId: s.childId ?? null,
      caseId: s.caseId ?? null,
      detail: s.detail ?? null,
      requestId: request.requestId,
      clientIp: request.clientIp,
    })),
  )
}
