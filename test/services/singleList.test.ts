import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CASE_COUNT, demoId, loadDemoData } from '../../src/demo/demoData.js'
import { ForbiddenError } from '../../src/services/errors.js'
import { verifyAuditChain } from '../../src/data/repositories/auditRepository.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'
import { callerFor } from '../support/callers.js'
import { casesNamedBy } from '../support/audit.js'

describe.each(ENGINES)('Single List on %s', engine => {
  let rt: TestRuntime
  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadDemoData(rt.db, rt.clock, '317')
  })
  afterAll(async () => {
    await rt.close()
  })

  it('loads the demo data once however often it is run', async () => {
    expect((await loadDemoData(rt.db, rt.clock, '317')).inserted).toBe(0)
    const n = await rt.db
      .selectFrom('cases')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(n.n).toBe(DEMO_CASE_COUNT)
  })

  it('lists open cases only, awaiting triage first, and audits every row shown', async () => {
    const caller = await callerFor(rt, 'cme.officer@demo.onroll.invalid')
    const before = await rt.db
      .selectFrom('audit_events')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const page = await rt.services.singleList.list(caller, { page: 1 })
    const open = await rt.db
      .selectFrom('cases')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .where('status', 'not in', ['closed', 'transferred'])
      .executeTakeFirstOrThrow()
    expect(page.total).toBe(open.n)
    expect(page.entries).toHaveLength(25)
    expect(page.entries[0]?.priority).toBeNull()
    const after = await rt.db
      .selectFrom('audit_events')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    // One event for the page, naming the 25 cases on it.
    expect(after.n - before.n).toBe(1)
    const event = await rt.db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow()
    expect(event).toMatchObject({
      action: 'single-list.view',
      actor_id: demoId('user:cme.officer@demo.onroll.invalid'),
    })
    expect(await casesNamedBy(rt.db, event.seq)).toEqual(new Set(page.entries.map(e => e.caseId)))
    expect((await verifyAuditChain(rt.db)).ok).toBe(true)
  })

  it('shows a page view in the case’s audit search and its viewers, though one event names the page', async () => {
    const officer = await callerFor(rt, 'cme.officer@demo.onroll.invalid')
    const manager = await callerFor(rt, 'ews.manager@demo.onroll.invalid')
    const seen = (await rt.services.singleList.list(officer, {})).entries.at(-1)!
    const found = await rt.services.audit.search(manager, { caseReference: seen.reference })
    expect(found.events.map(e => e.action)).toContain('single-list.view')
    const viewers = await rt.services.audit.viewersOf(manager, seen.caseId)
    expect(viewers?.map(v => v.actor_id)).toContain(demoId('user:cme.officer@demo.onroll.invalid'))
  })

  it('pages through every open case exactly once', async () => {
    const caller = await callerFor(rt, 'ews.manager@demo.onroll.invalid')
    const first = await rt.services.singleList.list(caller, { page: 1, pageSize: 50 })
    const seen = new Set<string>()
    for (let p = 1; p <= first.pageCount; p++)
      for (const e of (await rt.services.singleList.list(caller, { page: p, pageSize: 50 })).entries) seen.add(e.caseId)
    expect(seen.size).toBe(first.total)
  })

  it.each([
    'attendance@larkspur.demo.onroll.invalid',
    'police.referrer@demo.onroll.invalid',
    'admin@demo.onroll.invalid',
  ])('refuses %s', async email => {
    const caller = await callerFor(rt, email)
    await expect(rt.services.singleList.list(caller, { page: 1 })).rejects.toThrow(ForbiddenError)
  })
})
