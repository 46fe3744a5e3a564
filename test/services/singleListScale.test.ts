/**
 * The Single List past its caps (more than 10,000 open cases; a name that begins more than 2,000
 * children's names), and the query plans that keep it fast at 100,000: each query must use the index
 * migration 007 made for it. SQLite keeps no statistics, so its plans are checked as they are; PostgreSQL
 * chooses by statistics, so its plans are checked with sequential scans priced out (the index must be
 * usable: its WHERE matches the query's and its expressions are the query's).
 */
import {
  CompiledQuery,
  type KyselyPlugin,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedCases } from '../../bench/support/seed.js'
import { demoId, loadDemoData } from '../../src/demo/demoData.js'
import { nameKey } from '../../src/domain/names.js'
import type { Db } from '../../src/data/db.js'
import { OPEN as INDEXED_OPEN_CASES } from '../../src/data/migrations/007_single_list_indexes.js'
import {
  OPEN_CASES_SQL,
  countChildrenFound,
  countOpenCases,
  listOpenCases,
  type CaseListFilter,
} from '../../src/data/repositories/caseRepository.js'
import { COUNT_CAP, SEARCH_CHILD_CAP } from '../../src/services/singleListService.js'
import { callerFor } from '../support/callers.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'

/**
 * Records the operation tree of each query run, so that the test can ask the database how it would run
 * it. Subqueries pass through transformQuery too, so only the trees whose results come back are kept.
 */
class Capture implements KyselyPlugin {
  private nodes = new Map<QueryId, RootOperationNode>()
  queries: { node: RootOperationNode; queryId: QueryId }[] = []
  transformQuery(args: { node: RootOperationNode; queryId: QueryId }): RootOperationNode {
    this.nodes.set(args.queryId, args.node)
    return args.node
  }
  async transformResult(args: { queryId: QueryId; result: QueryResult<UnknownRow> }): Promise<QueryResult<UnknownRow>> {
    const node = this.nodes.get(args.queryId)
    if (node) this.queries.push({ node, queryId: args.queryId })
    return args.result
  }
}

async function plans(rt: TestRuntime, run: (db: Db) => Promise<unknown>): Promise<string[]> {
  const capture = new Capture()
  await run(rt.db.withPlugin(capture))
  const explained: string[] = []
  for (const { node, queryId } of capture.queries) {
    const q = rt.db.getExecutor().compileQuery(node, queryId)
    if (rt.engine === 'sqlite') {
      const plan = await rt.db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`EXPLAIN QUERY PLAN ${q.sql}`, [...q.parameters]),
      )
      explained.push(plan.rows.map(r => r.detail).join('\n'))
    } else {
      explained.push(
        await rt.db.transaction().execute(async trx => {
          await trx.executeQuery(CompiledQuery.raw('SET LOCAL enable_seqscan = off'))
          const plan = await trx.executeQuery<{ 'QUERY PLAN': string }>(
            CompiledQuery.raw(`EXPLAIN ${q.sql}`, [...q.parameters]),
          )
          return plan.rows.map(r => r['QUERY PLAN']).join('\n')
        }),
      )
    }
  }
  return explained
}

describe.each(ENGINES)('Single List at scale on %s', engine => {
  let rt: TestRuntime
  const base = (): CaseListFilter => ({
    laCode: '317',
    today: rt.clock.today(),
    statuses: [],
    priorities: [],
    overdue: false,
    flags: [],
  })

  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadDemoData(rt.db, rt.clock, '317')
    await seedCases(rt.db, {
      laCode: '317',
      cases: 12_000,
      today: rt.clock.today(),
      workerIds: [demoId('user:cme.officer@demo.onroll.invalid'), demoId('user:vco@demo.onroll.invalid')],
    })
    // Children (without cases) who share the start of a name, more of them than a search will list.
    const now = rt.clock.now().toISOString()
    const broad = Array.from({ length: SEARCH_CHILD_CAP + 1 }, (_, i) => ({
      id: `0000b0ad-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      la_code: '317',
      first_name: `Kid${String(i)}`,
      last_name: 'Broadbent',
      other_names: null,
      date_of_birth: '2015-01-01',
      gender: null,
      ethnicity: null,
      upn: null,
      former_upn: null,
      social_worker: null,
      name_key: nameKey(`Kid${String(i)}`, 'Broadbent'),
      family_id: null,
      created_at: now,
      updated_at: now,
    }))
    for (let i = 0; i < broad.length; i += 500)
      await rt.db
        .insertInto('children')
        .values(broad.slice(i, i + 500))
        .execute()
    if (engine === 'postgres') await rt.db.executeQuery(CompiledQuery.raw('ANALYZE'))
  }, 120_000)
  afterAll(async () => {
    await rt.close()
  })

  it('counts up to 10,000, says "more than", and pages to the 400th page at most', async () => {
    const caller = await callerFor(rt, 'cme.officer@demo.onroll.invalid')
    const list = await rt.services.singleList.list(caller, { page: 1000 })
    expect(list).toMatchObject({ total: COUNT_CAP, moreThan: true, page: 400, pageCount: 400 })
    expect(list.entries).toHaveLength(25)
  })

  it('refuses to export more than 10,000 cases, and audits nothing it did not show', async () => {
    const caller = await callerFor(rt, 'cme.officer@demo.onroll.invalid')
    const result = await rt.services.singleList.exportCsv(caller, {})
    expect(result).toMatchObject({ ok: false, reason: 'too-many' })
    const events = await rt.db
      .selectFrom('audit_events')
      .select('id')
      .where('request_id', '=', caller.request.requestId)
      .execute()
    expect(events).toEqual([])
  })

  it('asks for more of a name that begins more than 2,000 children’s names', async () => {
    const caller = await callerFor(rt, 'cme.officer@demo.onroll.invalid')
    const list = await rt.services.singleList.list(caller, { search: { kind: 'name', words: ['broad'] } })
    expect(list).toMatchObject({ tooBroad: true, entries: [], total: 0 })
    const events = await rt.db
      .selectFrom('audit_events')
      .select(['action', 'detail'])
      .where('request_id', '=', caller.request.requestId)
      .execute()
    expect(events.map(e => e.action)).toEqual(['single-list.search'])
    // More of the name narrows it below the cap: those children have no open case, so nothing is listed.
    const narrower = await rt.services.singleList.list(caller, {
      search: { kind: 'name', words: ['broadbent', 'kid7'] },
    })
    expect(narrower.tooBroad).toBeUndefined()
  })

  /**
   * SQLite must use exactly the indexes named; PostgreSQL, which weighs statistics, must be able to use
   * the ones that only migration 007 makes possible (the partial and expression indexes, the pattern
   * index) and may pick among the rest. Neither may read every case.
   */
  const expectIndexes = (plan: string | undefined, sqlite: string[], postgres: string[] = []) => {
    for (const index of engine === 'sqlite' ? sqlite : postgres) expect(plan, plan).toContain(index)
    expect(plan).not.toMatch(engine === 'sqlite' ? /SCAN cases\b/ : /Seq Scan on cases\b/)
  }

  it('repeats the open-case indexes’ WHERE term exactly', () => {
    expect(OPEN_CASES_SQL).toBe(INDEXED_OPEN_CASES)
  })

  it('reads the first page, a filtered page and the count from the open-case indexes', async () => {
    const [count, page] = await plans(rt, async db => {
      await countOpenCases(db, base(), COUNT_CAP)
      await listOpenCases(db, base(), { sort: 'priority', dir: 'asc' }, { limit: 25, offset: 0 })
    })
    // Any of the open-case indexes answers the count alone (SQLite picks among them without statistics).
    expectIndexes(count, ['COVERING INDEX cases_open_'])
    expectIndexes(page, ['cases_open_priority'], ['cases_open_priority'])
    const [filtered] = await plans(rt, db =>
      listOpenCases(
        db,
        { ...base(), statuses: ['stage-two'], priorities: ['urgent'] },
        { sort: 'priority', dir: 'asc' },
        { limit: 25, offset: 0 },
      ),
    )
    // One stage, in the default order: read straight from the index that leads with the stage (016).
    expectIndexes(filtered, ['cases_open_stage_priority'], ['cases_open_'])
    const [twoStages] = await plans(rt, db =>
      listOpenCases(
        db,
        { ...base(), statuses: ['stage-one', 'stage-two'] },
        { sort: 'priority', dir: 'asc' },
        { limit: 25, offset: 0 },
      ),
    )
    // Two stages: the default order's own index, walked in order, not every case at both stages sorted.
    expectIndexes(twoStages, ['COVERING INDEX cases_open_priority'], ['cases_open_'])
  })

  it.each([
    ['referred', 'cases_open_referred'],
    ['due', 'cases_open_due'],
  ] as const)('sorts by %s from its index', async (sort, index) => {
    const [page] = await plans(rt, db => listOpenCases(db, base(), { sort, dir: 'desc' }, { limit: 25, offset: 0 }))
    expectIndexes(page, [index], [index])
  })

  it('walks the children in name order to sort a long list by name', async () => {
    const [page] = await plans(rt, db =>
      listOpenCases(db, base(), { sort: 'name', dir: 'asc' }, { limit: 25, offset: 0, small: false }),
    )
    expectIndexes(page, ['children_la_name_id', 'cases_open_child'])
  })

  it('searches a name through its prefix index and a UPN through its own', async () => {
    const byName = await plans(rt, async db => {
      await countChildrenFound(db, '317', { words: ['nora', 'meadman'] }, SEARCH_CHILD_CAP)
      await countOpenCases(db, base(), COUNT_CAP, { words: ['nora', 'meadman'] })
      await listOpenCases(
        db,
        base(),
        { sort: 'priority', dir: 'asc' },
        { limit: 25, offset: 0 },
        {
          words: ['nora', 'meadman'],
        },
      )
    })
    for (const plan of byName) expectIndexes(plan, ['children_la_name_prefix'], ['children_la_name_prefix'])
    expectIndexes(byName[2], ['cases_open_child'])
    const [byUpn] = await plans(rt, db =>
      listOpenCases(db, base(), { sort: 'priority', dir: 'asc' }, { limit: 25, offset: 0 }, { upn: 'A123' }),
    )
    expectIndexes(byUpn, ['children_la_upn', 'cases_open_child'], ['children_la_upn'])
  })
})
