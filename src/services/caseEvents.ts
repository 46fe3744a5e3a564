import type { Transaction } from 'kysely'
import type { Actor } from '../domain/actor.js'
import type { Clock } from '../domain/clock.js'
import { newId } from '../data/ids.js'
import type { Database } from '../data/schema.js'

/** Adds an entry to a case's timeline: who did what, when. Summaries are for the CME team's eyes. */
export async function recordCaseEvent(
  trx: Transaction<Database>,
  clock: Clock,
  actor: Actor,
  caseId: string,
  kind: string,
  summary: string,
  detail?: Record<string, unknown>,
): Promise<void> {
  await trx
    .insertInto('case_events')
    .values({
      id: newId(),
      case_id: caseId,
      at: clock.now().toISOString(),
      actor_id: actor.kind === 'system' ? null : actor.id,
      actor_name: actor.kind === 'token' ? `${actor.organisationName} (system)` : actor.name,
      kind,
      summary,
      detail: detail ? JSON.stringify(detail) : null,
    })
    .execute()
}
