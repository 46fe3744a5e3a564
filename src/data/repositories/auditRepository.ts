/**
 * Append-only, hash-chained audit events. Each write locks the chain head, so events from
 * concurrent transactions (and several app instances on PostgreSQL) take one order.
 */
import { createHash } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import { engineOf } from '../db.js'
import { newTimeOrderedId } from '../ids.js'
import type { AuditEventTable, AuditSubjectTable, Database } from '../schema.js'

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
  /** The records an event about many is about (a page of a list): kept in audit_subjects. */
  records?: readonly AuditRecord[]
}

export interface AuditRecord {
  caseId: string | null
  childId: string | null
}

type Row = Omit<AuditEventTable, 'hash'>

/** One order for an event's records, the same when written and when verified. */
function canonicalRecords(records: readonly AuditRecord[]): [string | null, string | null][] {
  return records
    .map((r): [string | null, string | null] => [r.caseId, r.childId])
    .sort((a, b) => `${a[0] ?? ''} ${a[1] ?? ''}`.localeCompare(`${b[0] ?? ''} ${b[1] ?? ''}`))
}

/**
 * The event's hash covers its fields, the hash before it and, for an event about many records, those
 * records: an event with none hashes exactly as events did before records existed.
 */
export function hashEvent(row: Row, records: readonly AuditRecord[] = []): string {
  const fields = [
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
  ]
  const canonical = JSON.stringify(records.length > 0 ? [...fields, canonicalRecords(records)] : fields)
  return createHash('sha256').update(canonical).digest('hex')
}

/** Appends events inside the caller's transaction: they commit or roll back with the work they record. */
export async function appendAuditEvents(trx: Transaction<Database>, events: readonly AuditEventInput[]): Promise<void> {
  if (events.length === 0) return
  const postgres = engineOf(trx) === 'postgres'
  // On PostgreSQL the head row is locked from here to commit, and every writer waits for it: so it is
  // taken as late as possible, and held for as few round trips as possible. Claiming the sequence
  // numbers takes the lock and reads the hash to follow in one statement (RETURNING gives the new seq
  // and the unchanged hash); the events, their records and the new hash then go in one more.
  const head = postgres
    ? await trx
        .updateTable('audit_head')
        .set(eb => ({ seq: eb('seq', '+', events.length) }))
        .where('id', '=', 1)
        .returning(['seq', 'hash'])
        .executeTakeFirstOrThrow()
        .then(h => ({ seq: h.seq - events.length, hash: h.hash }))
    : await trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow()
  let { seq, hash } = head
  const rows: AuditEventTable[] = []
  const subjects: AuditSubjectTable[] = []
  for (const e of events) {
    seq += 1
    const row: Row = {
      seq,
      id: newTimeOrderedId(),
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
    const records = e.records ?? []
    hash = hashEvent(row, records)
    rows.push({ ...row, hash })
    for (const [caseId, childId] of canonicalRecords(records))
      subjects.push({ seq, case_id: caseId, child_id: childId })
  }
  if (postgres && rows.length <= 500 && subjects.length <= 1000) {
    // One statement: the inserts as data-modifying CTEs (foreign keys are checked at its end).
    const events = trx.with('appended', db => db.insertInto('audit_events').values(rows).returning('seq'))
    const withSubjects =
      subjects.length > 0
        ? events.with('named', db => db.insertInto('audit_subjects').values(subjects).returning('seq'))
        : events
    await withSubjects.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute()
    return
  }
  // Chunked so a large export stays inside both engines' bound-parameter limits.
  for (let i = 0; i < rows.length; i += 500)
    await trx
      .insertInto('audit_events')
      .values(rows.slice(i, i + 500))
      .execute()
  for (let i = 0; i < subjects.length; i += 1000)
    await trx
      .insertInto('audit_subjects')
      .values(subjects.slice(i, i + 1000))
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
    const records = new Map<number, AuditRecord[]>()
    const first = page.at(0)
    const last = page.at(-1)
    if (first && last)
      for (const r of await db
        .selectFrom('audit_subjects')
        .select(['seq', 'case_id', 'child_id'])
        .where('seq', '>=', first.seq)
        .where('seq', '<=', last.seq)
        .execute()) {
        const list = records.get(r.seq) ?? []
        list.push({ caseId: r.case_id, childId: r.child_id })
        records.set(r.seq, list)
      }
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
      if (hashEvent(rest, records.get(row.seq)) !== hash)
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
