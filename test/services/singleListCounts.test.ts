/**
 * The Single List reuses a count only while no case has been written since it was taken: the
 * cases_changes counter (migration 015) is moved by the database on every write to cases, whichever
 * connection makes it. On both engines.
 */
import { sql, type KyselyPlugin } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { casesChanges } from '../../src/data/repositories/caseRepository.js'
import { createSingleListService, DEFAULT_FILTERS } from '../../src/services/singleListService.js'
import type { Caller } from '../../src/services/deps.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'
import { watchDb } from '../support/watchedDb.js'
import {
  FIXTURE_CASES,
  LIST_IDS,
  caseId,
  insertCase,
  listCaller,
  loadListFixture,
} from '../support/samples/singleList.js'

/** Counts the count(*) queries a service runs: each one is a count taken, not reused. */
function countingCounts(): { plugin: KyselyPlugin; taken: () => number } {
  let n = 0
  return {
    plugin: {
      transformQuery: args => {
        if (args.node.kind === 'SelectQueryNode' && JSON.stringify(args.node).includes('"func":"count"')) n += 1
        return args.node
      },
      transformResult: args => Promise.resolve(args.result),
    },
    taken: () => n,
  }
}

describe.each(ENGINES)('Single List counts on %s', engine => {
  let rt: TestRuntime
  let officer: Caller
  const open = FIXTURE_CASES.filter(c => !['closed', 'transferred'].includes(c.status) && !c.la).length

  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadListFixture(rt)
    officer = await listCaller(rt, LIST_IDS.officer)
  })
  afterAll(async () => {
    await rt.close()
  })

  it('moves the counter on every insert, update and delete of a case, and on nothing else', async () => {
    const moved = async (write: () => Promise<unknown>) => {
      const before = await casesChanges(rt.db)
      await write()
      return (await casesChanges(rt.db))! - before!
    }
    expect(await moved(() => insertCase(rt, { ...FIXTURE_CASES[0]!, key: 'P', la: '902' }))).toBeGreaterThan(0)
    expect(
      await moved(() =>
        rt.db.updateTable('cases').set({ next_action: 'Call' }).where('id', '=', caseId('P')).execute(),
      ),
    ).toBeGreaterThan(0)
    expect(await moved(() => rt.db.deleteFrom('cases').where('id', '=', caseId('P')).execute())).toBeGreaterThan(0)
    // Raw SQL and a write inside a transaction count too: the trigger, not the code, notices.
    expect(
      await moved(() =>
        rt.db
          .transaction()
          .execute(trx => sql`UPDATE cases SET next_action = next_action WHERE la_code = '901'`.execute(trx)),
      ),
    ).toBeGreaterThan(0)
    expect(await moved(() => rt.db.updateTable('children').set({ gender: null }).execute())).toBe(0)
  })

  it('counts once while nothing changes, and again as soon as a case is written', async () => {
    const counting = countingCounts()
    const list = createSingleListService({ db: rt.db.withPlugin(counting.plugin), clock: rt.clock, config: rt.config })
    const total = async () => (await list.list(officer, { filters: DEFAULT_FILTERS })).total

    expect(await total()).toBe(open)
    expect(await total()).toBe(open)
    expect(counting.taken()).toBe(1)

    await insertCase(rt, { ...FIXTURE_CASES[0]!, key: 'Q' })
    expect(await total()).toBe(open + 1)
    expect(counting.taken()).toBe(2)

    await rt.db.updateTable('cases').set({ status: 'closed' }).where('id', '=', caseId('Q')).execute()
    expect(await total()).toBe(open)

    await rt.db.deleteFrom('cases').where('id', '=', caseId('Q')).execute()
    expect(await total()).toBe(open)
    expect(counting.taken()).toBe(4)
  })

  it('keeps one count per set of filters', async () => {
    const counting = countingCounts()
    const list = createSingleListService({ db: rt.db.withPlugin(counting.plugin), clock: rt.clock, config: rt.config })
    const urgent = { ...DEFAULT_FILTERS, priorities: ['urgent' as const] }
    const all = (await list.list(officer, { filters: DEFAULT_FILTERS })).total
    const some = (await list.list(officer, { filters: urgent })).total
    expect(some).toBeLessThan(all)
    expect((await list.list(officer, { filters: DEFAULT_FILTERS })).total).toBe(all)
    expect((await list.list(officer, { filters: urgent })).total).toBe(some)
    expect(counting.taken()).toBe(2)
  })

  it('keeps no count from a page whose transaction did not commit', async () => {
    const counting = countingCounts()
    const watched = watchDb(rt.db)
    const list = createSingleListService({
      db: watched.db.withPlugin(counting.plugin),
      clock: rt.clock,
      config: rt.config,
    })
    watched.refuseAudit = true
    await expect(list.list(officer, { filters: DEFAULT_FILTERS })).rejects.toThrow()
    watched.refuseAudit = false
    expect((await list.list(officer, { filters: DEFAULT_FILTERS })).total).toBe(open)
    expect(counting.taken()).toBe(2)
  })
})
