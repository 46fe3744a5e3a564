/**
 * Append-only, hash-chained audit events. Each write locks the chain head, so events from
 * concurrent transactions (and several app instances on PostgreSQL) take one order.
 */
import { createHash } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import { engineOf } from '../db.js'
import { newId } from '../ids.js'
import type { AuditEventTable, Database } from '../schema.js'

export interface AuditEventInput {
  at: string
  actorId: string | null
  actorKind: string
  roles: readonly string[]
  organisationId: string | null
  laCode: string | null
  action: string
  childId?: string | null
  caseId?: string | null
  detail?: Record<string, unknown> | null
  requestId?: string | null
  clientIp?: string | null
}

type Row = Omit<AuditEventTable, 'hash'>

export function hashEvent(row: Row): string {
  const canonical = JSON.stringify([
    row.seq,
    row.id,
    row.at,
    row.actor_id,
    row.actor_kind,
    row.roles,
    row.organisation_id,
    row.la_code,
    row.action,
    row.child_id,
    row.case_id,
    row.detail,
    row.request_id,
    row.client_ip,
    row.prev_hash,
  ])
  return createHash('sha256').update(canonical).digest('hex')
}

/** Appends events inside the caller's transaction: they commit or roll back with the work they record. */
export async function appendAuditEvents(trx: Transaction<Database>, events: readonly AuditEventInput[]): Promise<void> {
  if (events.length === 0) return
  const headQuery = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1)
  const head = await (engineOf(trx) === 'postgres' ? headQuery.forUpdate() : headQuery).executeTakeFirstOrThrow()
  let { seq, hash } = head
  const rows: AuditEventTable[] = []
  for (const e of events) {
    seq += 1
    const row: Row = {
      seq,
      id: newId(),
      at: e.at,
      actor_id: e.actorId,
      actor_kind: e.actorKind,
      roles: e.roles.join(' '),
      organisation_id: e.organisationId,
      la_code: e.laCode,
      action: e.action,
      child_id: e.childId ?? null,
      case_id: e.caseId ?? null,
      detail: e.detail ? JSON.stringify(e.detail) : null,
      request_id: e.requestId ?? null,
      client_ip: e.clientIp ?? null,
      prev_hash: hash,
    }
    hash = hashEvent(row)
    rows.push({ ...row, hash })
  }
  // Chunked so a large export stays inside both engines' bound-parameter limits.
  for (let i = 0; i < rows.length; i += 500)
    await trx
      .insertInto('audit_events')
      .values(rows.slice(i, i + 500))
      .execute()
  await trx.updateTable('audit_head').set({ seq, hash }).where('id', '=', 1).execute()
}

export type VerifyResult = { ok: true; events: number } | { ok: false; events: number; problem: string }

/** Walks the whole chain in order; the first event whose content, link or position is wrong is named. */
export async function verifyAuditChain(db: Kysely<Database>): Promise<VerifyResult> {
  const GENESIS = '0'.repeat(64)
  let expectedSeq = 1
  let prev = GENESIS
  let count = 0
  const pageSize = 5000
  for (;;) {
    const page = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute()
    for (const row of page) {
      if (row.seq !== expectedSeq)
        return {
          ok: false,
          events: count,
          problem: `event ${String(expectedSeq)} is missing (next is ${String(row.seq)})`,
        }
      if (row.prev_hash !== prev)
        return {
          ok: false,
          events: count,
          problem: `event ${String(row.seq)} (${row.id}) does not follow the event before it`,
        }
      const { hash, ...rest } = row
      if (hashEvent(rest) !== hash)
        return { ok: false, events: count, problem: `event ${String(row.seq)} (${row.id}) has been altered` }
      prev = hash
      expectedSeq += 1
      count += 1
    }
    if (page.length < pageSize) break
  }
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst()
  if (!head) return { ok: false, events: count, problem: 'the audit chain head is missing' }
  if (head.seq !== count || head.hash !== prev)
    return {
      ok: false,
      events: count,
      problem: `the chain ends at event ${String(count)} but ${String(head.seq)} were written: events after ${String(count)} have been removed`,
    }
  return { ok: true, events: count }
}
