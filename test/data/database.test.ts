import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateToLatest } from '../../src/data/migrate.js'
import { appendAuditEvents, verifyAuditChain } from '../../src/data/repositories/auditRepository.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'

describe.each(ENGINES)('database on %s', engine => {
  let rt: TestRuntime
  beforeAll(async () => {
    rt = await openTestRuntime(engine)
  })
  afterAll(async () => {
    await rt.close()
  })

  it('migrates once and then has nothing to do', async () => {
    expect(await migrateToLatest(rt.db)).toEqual([])
  })

  it('keeps date-only values as YYYY-MM-DD text and counts as numbers', async () => {
    const now = new Date().toISOString()
    await rt.db
      .insertInto('organisations')
      .values({
        id: 'o1',
        la_code: '317',
        kind: 'la',
        name: 'LA',
        urn: null,
        establishment_number: null,
        school_type: null,
        phase: null,
        agency_type: null,
        email: null,
        phone: null,
        created_at: now,
        updated_at: now,
      })
      .execute()
    await rt.db
      .insertInto('children')
      .values({
        id: 'c1',
        la_code: '317',
        first_name: 'A',
        last_name: 'B',
        other_names: null,
        date_of_birth: '2015-02-28',
        gender: null,
        ethnicity: null,
        upn: null,
        former_upn: null,
        social_worker: null,
        name_key: 'b a',
        family_id: null,
        created_at: now,
        updated_at: now,
      })
      .execute()
    const child = await rt.db.selectFrom('children').select(['date_of_birth', 'ehcp']).executeTakeFirstOrThrow()
    expect(child).toEqual({ date_of_birth: '2015-02-28', ehcp: 0 })
    const n = await rt.db
      .selectFrom('children')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(n.n).toBe(1)
  })

  it('refuses UPDATE and DELETE on the audit trail', async () => {
    await rt.db.transaction().execute(trx =>
      appendAuditEvents(trx, [
        {
          at: '2026-11-25T10:00:00Z',
          actorId: 'u',
          actorKind: 'user',
          roles: ['ewo'],
          organisationId: 'o1',
          laCode: '317',
          action: 'test',
        },
      ]),
    )
    await expect(sql`update audit_events set action = 'changed'`.execute(rt.db)).rejects.toThrow(/append-only/)
    await expect(sql`delete from audit_events`.execute(rt.db)).rejects.toThrow(/append-only/)
    expect(await verifyAuditChain(rt.db)).toEqual({ ok: true, events: 1 })
  })
})
