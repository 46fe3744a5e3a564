import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { engineOf, type Db } from '../../src/data/db.js'
import { appendAuditEvents, verifyAuditChain } from '../../src/data/repositories/auditRepository.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'

const event = (n: number) => ({
  at: `2026-11-25T10:00:0${String(n)}Z`,
  actorId: 'user-1',
  actorKind: 'user',
  roles: ['cme-information-officer'],
  organisationId: 'org-1',
  laCode: '317',
  action: 'case.view',
  caseId: `case-${String(n)}`,
  childId: `child-${String(n)}`,
})

/** What someone with direct database access would have to do first: switch the guard off. */
async function disableGuard(db: Db): Promise<void> {
  if (engineOf(db) === 'sqlite') {
    await sql`drop trigger audit_events_no_update`.execute(db)
    await sql`drop trigger audit_events_no_delete`.execute(db)
  } else {
    await sql`alter table audit_events disable trigger audit_events_no_change`.execute(db)
  }
}

async function disableSubjectsGuard(db: Db): Promise<void> {
  if (engineOf(db) === 'sqlite') {
    await sql`drop trigger audit_subjects_no_update`.execute(db)
    await sql`drop trigger audit_subjects_no_delete`.execute(db)
  } else {
    await sql`alter table audit_subjects disable trigger audit_subjects_no_change`.execute(db)
  }
}

describe.each(ENGINES)('audit chain tampering on %s', engine => {
  let rt: TestRuntime | undefined
  afterEach(async () => {
    await rt?.close()
  })

  async function withFiveEvents(): Promise<Db> {
    rt = await openTestRuntime(engine)
    await rt.db.transaction().execute(trx => appendAuditEvents(trx, [event(1), event(2)]))
    await rt.db.transaction().execute(trx => appendAuditEvents(trx, [event(3), event(4), event(5)]))
    expect(await verifyAuditChain(rt.db)).toEqual({ ok: true, events: 5 })
    await disableGuard(rt.db)
    return rt.db
  }

  it('names an altered event', async () => {
    const db = await withFiveEvents()
    await sql`update audit_events set case_id = 'case-x' where seq = 3`.execute(db)
    const result = await verifyAuditChain(db)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.problem).toMatch(/^event 3 .* has been altered$/)
  })

  it('names a removed event in the middle', async () => {
    const db = await withFiveEvents()
    await sql`delete from audit_events where seq = 2`.execute(db)
    const result = await verifyAuditChain(db)
    expect(!result.ok && result.problem).toBe('event 2 is missing (next is 3)')
  })

  it('notices events removed from the end', async () => {
    const db = await withFiveEvents()
    await sql`delete from audit_events where seq >= 4`.execute(db)
    const result = await verifyAuditChain(db)
    expect(!result.ok && result.problem).toMatch(/events after 3 have been removed/)
  })

  it('notices an event rewritten with a recomputed hash of its own', async () => {
    const db = await withFiveEvents()
    // Changing an event and its own hash still breaks the link from the next event.
    const { hashEvent } = await import('../../src/data/repositories/auditRepository.js')
    const row = await db.selectFrom('audit_events').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow()
    const { hash: _old, ...rest } = row
    const forged = { ...rest, action: 'nothing-to-see' }
    await db
      .updateTable('audit_events')
      .set({ action: forged.action, hash: hashEvent(forged) })
      .where('seq', '=', 2)
      .execute()
    const result = await verifyAuditChain(db)
    expect(!result.ok && result.problem).toMatch(/^event 3 .* does not follow the event before it$/)
  })

  describe('an event about many records (a page of a list)', () => {
    const page = {
      ...event(6),
      action: 'single-list.view',
      caseId: null,
      childId: null,
      records: [1, 2, 3].map(n => ({ caseId: `case-${String(n)}`, childId: `child-${String(n)}` })),
    }

    async function withAPage(): Promise<Db> {
      const db = await withFiveEvents()
      await db.transaction().execute(trx => appendAuditEvents(trx, [page]))
      expect(await verifyAuditChain(db)).toEqual({ ok: true, events: 6 })
      await disableSubjectsGuard(db)
      return db
    }

    it('refuses changes to the records it names, like the events themselves', async () => {
      rt = await openTestRuntime(engine)
      await rt.db.transaction().execute(trx => appendAuditEvents(trx, [page]))
      await expect(sql`delete from audit_subjects`.execute(rt.db)).rejects.toThrow(/append-only/)
      await expect(sql`update audit_subjects set case_id = 'case-x'`.execute(rt.db)).rejects.toThrow(/append-only/)
    })

    it('notices a record removed from it', async () => {
      const db = await withAPage()
      await sql`delete from audit_subjects where case_id = 'case-2'`.execute(db)
      const result = await verifyAuditChain(db)
      expect(!result.ok && result.problem).toMatch(/^event 6 .* has been altered$/)
    })

    it('notices a record changed or added', async () => {
      const db = await withAPage()
      await sql`update audit_subjects set child_id = 'child-x' where case_id = 'case-3'`.execute(db)
      expect((await verifyAuditChain(db)).ok).toBe(false)
      await sql`update audit_subjects set child_id = 'child-3' where case_id = 'case-3'`.execute(db)
      expect((await verifyAuditChain(db)).ok).toBe(true)
      await sql`insert into audit_subjects (seq, case_id, child_id) values (6, 'case-9', 'child-9')`.execute(db)
      expect((await verifyAuditChain(db)).ok).toBe(false)
    })
  })
})
