/**
 * The Single List's filters, sorts, searches, views, overdue rule, school days, export and audit, on a
 * small LA whose every case is chosen (test/support/samples/singleList.ts), on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyAuditChain } from '../../src/data/repositories/auditRepository.js'
import { listOpenCases } from '../../src/data/repositories/caseRepository.js'
import {
  DEFAULT_FILTERS,
  csvCell,
  parseSearch,
  type ListFilters,
  type ListSearch,
} from '../../src/services/singleListService.js'
import type { Caller } from '../../src/services/deps.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'
import {
  LIST_IDS,
  LIST_LA,
  UPN_C,
  caseId,
  childId,
  listCaller,
  loadListFixture,
  reference,
} from '../support/samples/singleList.js'
import { casesNamedBy } from '../support/audit.js'

const filters = (f: Partial<ListFilters> = {}): ListFilters => ({ ...DEFAULT_FILTERS, ...f })
const search = (text: string): ListSearch => {
  const parsed = parseSearch(text)
  if (!parsed.ok) throw new Error(parsed.problem)
  return parsed.value
}

describe('parseSearch', () => {
  it.each([
    ['  ', false, undefined],
    ['Amelia Stone', true, { kind: 'name', words: ['amelia', 'stone'] }],
    ['  ÁLVAREZ ', true, { kind: 'name', words: ['alvarez'] }],
    ['cme-2026-000123', true, { kind: 'reference', reference: 'CME-2026-000123' }],
    [`${UPN_C.slice(0, 4).toLowerCase()} ${UPN_C.slice(4)}`, true, { kind: 'upn', upn: UPN_C }],
    ['a b c d e f', false, undefined],
    ['!!!', false, undefined],
  ])('reads %j', (text, ok, value) => {
    const parsed = parseSearch(text)
    expect(parsed.ok).toBe(ok)
    if (parsed.ok) expect(parsed.value).toEqual(value)
  })
})

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=1+1', "'=1+1"],
    ['+44 20', "'+44 20"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    [null, ''],
    [12, '12'],
  ])('writes %j as %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell)
  })
})

describe.each(ENGINES)('Single List filters, sorts and searches on %s', engine => {
  let rt: TestRuntime
  let officer: Caller
  let vco: Caller
  let other: Caller
  const refs = async (options: Parameters<TestRuntime['services']['singleList']['list']>[1], who?: Caller) =>
    (await rt.services.singleList.list(who ?? officer, options)).entries.map(e => e.reference.slice(-1))

  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadListFixture(rt)
    officer = await listCaller(rt, LIST_IDS.officer)
    vco = await listCaller(rt, LIST_IDS.vco)
    other = await listCaller(rt, LIST_IDS.otherOfficer)
  })
  afterAll(async () => {
    await rt.close()
  })

  it('lists the open cases of the caller’s LA only: awaiting triage first, then urgent to routine, oldest first', async () => {
    expect(await refs({})).toEqual(['A', 'B', 'C', 'D', 'G', 'E'])
    expect(await refs({ filters: filters({ dir: 'desc' }) })).toEqual(['E', 'G', 'D', 'C', 'B', 'A'])
    expect(await refs({}, other)).toEqual(['X'])
  })

  it.each([
    ['referred', 'asc', ['G', 'C', 'E', 'D', 'A', 'B']],
    ['referred', 'desc', ['B', 'A', 'D', 'E', 'C', 'G']],
    // Due: the triage deadline while awaiting triage, else the next action's; no date last.
    ['due', 'asc', ['C', 'A', 'B', 'E', 'D', 'G']],
    ['due', 'desc', ['G', 'D', 'E', 'B', 'A', 'C']],
    ['name', 'asc', ['G', 'D', 'A', 'B', 'C', 'E']],
    ['name', 'desc', ['E', 'C', 'B', 'A', 'D', 'G']],
  ] as const)('sorts by %s %s', async (sort, dir, expected) => {
    expect(await refs({ filters: filters({ sort, dir }) })).toEqual(expected)
  })

  it('sorts by name the same way whether it walks the children or sorts the matches', async () => {
    const f = {
      laCode: LIST_LA,
      today: rt.clock.today(),
      statuses: [],
      priorities: [],
      overdue: false,
      flags: [],
    }
    for (const dir of ['asc', 'desc'] as const) {
      const walk = await listOpenCases(rt.db, f, { sort: 'name', dir }, { limit: 10, offset: 0, small: false })
      const sorted = await listOpenCases(rt.db, f, { sort: 'name', dir }, { limit: 10, offset: 0, small: true })
      expect(walk.map(r => r.reference)).toEqual(sorted.map(r => r.reference))
    }
  })

  it.each([
    ['stage', filters({ stages: ['received'] }), ['A', 'B']],
    ['two stages', filters({ stages: ['stage-one', 'stage-three'] }), ['D', 'G']],
    ['awaiting triage', filters({ priorities: ['none'] }), ['A', 'B']],
    ['priorities', filters({ priorities: ['urgent', 'high'] }), ['C', 'D']],
    ['priority or awaiting triage', filters({ priorities: ['none', 'routine'] }), ['A', 'B', 'G', 'E']],
    ['worker', filters({ workerId: LIST_IDS.vco }), ['D']],
    ['school', filters({ schoolId: LIST_IDS.schoolLa }), ['A', 'D']],
    ['overdue', filters({ overdue: true }), ['A', 'C']],
    ['CP plan', filters({ flags: ['cp-plan'] }), ['A']],
    ['any of two flags', filters({ flags: ['looked-after', 'ehcp'] }), ['C', 'D']],
    ['believed abroad', filters({ flags: ['believed-abroad'] }), ['D']],
    ['lead professional', filters({ flags: ['lead-professional'] }), ['E']],
    ['possible duplicate', filters({ flags: ['possible-duplicate'] }), ['E']],
    ['filters together', filters({ overdue: true, priorities: ['urgent'] }), ['C']],
    ['nothing', filters({ stages: ['outcome'] }), []],
  ])('filters by %s', async (_name, f, expected) => {
    const list = await rt.services.singleList.list(officer, { filters: f })
    expect(list.entries.map(e => e.reference.slice(-1))).toEqual(expected)
    expect(list.total).toBe(expected.length)
  })

  it('shows my cases and unassigned cases; the views decide the worker', async () => {
    expect(await refs({ filters: filters({ view: 'mine' }) })).toEqual(['C', 'E'])
    expect(await refs({ filters: filters({ view: 'mine' }) }, vco)).toEqual(['D'])
    expect(await refs({ filters: filters({ view: 'unassigned' }) })).toEqual(['A', 'B', 'G'])
    expect(await refs({ filters: filters({ view: 'mine', workerId: LIST_IDS.vco }) })).toEqual(['C', 'E'])
  })

  it.each([
    ['stone', ['A', 'B', 'C']],
    ['Amelia Stone', ['A']],
    ['stone amelia', ['A']],
    ['STONE  b', ['B']],
    ['ston', ['A', 'B', 'C']],
    ['ella van', ['E']],
    ['van der berg', ['E']],
    ['Álvarez', ['G']],
    ['alvarez jose', ['G']],
    // One word must begin the last name: that is what keeps a search an index range (docs/benchmarks.md).
    ['jose', []],
    ['berg', []],
    ['marsh', ['D']],
    [reference('C').toLowerCase(), ['C']],
    [`${UPN_C.slice(0, 5)} ${UPN_C.slice(5).toLowerCase()}`, ['C']],
    ['CME-T-00000F', []],
  ])('searches for %j', async (text, expected) => {
    const list = await rt.services.singleList.list(officer, { search: search(text) })
    expect(list.entries.map(e => e.reference.slice(-1))).toEqual(expected)
    expect(list.search).toBe(search(text).kind)
  })

  it('searches within the filters and never finds another LA’s child', async () => {
    expect(await refs({ search: search('stone'), filters: filters({ priorities: ['none'] }) })).toEqual(['A', 'B'])
    expect(await refs({ search: search('amelia stone') }, other)).toEqual(['X'])
    expect(await refs({ search: search(reference('X')) })).toEqual([])
  })

  it('shows each case’s child, school, worker, next action and flags', async () => {
    const list = await rt.services.singleList.list(officer, {})
    const byRef = new Map(list.entries.map(e => [e.reference.slice(-1), e]))
    expect(byRef.get('A')).toMatchObject({
      caseId: caseId('A'),
      childName: 'Amelia Stone',
      age: 11,
      yearGroup: 'Year 7',
      schoolName: 'Alder Primary',
      stage: 'Received',
      priority: null,
      nextAction: 'Triage the referral',
      dueOn: '2026-11-24',
      overdue: true,
      workerName: null,
      flags: ['CP plan'],
    })
    expect(byRef.get('B')).toMatchObject({ dueOn: '2026-11-25', overdue: false, yearGroup: 'Year 5', age: 10 })
    expect(byRef.get('C')).toMatchObject({
      priority: 'Urgent',
      nextAction: 'Home visit',
      dueOn: '2026-11-20',
      overdue: true,
      workerName: 'Olive Officer',
      schoolName: 'Birch Academy',
      flags: ['Looked after'],
      yearGroup: 'Year 10',
    })
    expect(byRef.get('E')).toMatchObject({ overdue: false, flags: ['Possible duplicate', 'Lead professional'] })
    expect(byRef.get('G')).toMatchObject({ nextAction: null, dueOn: null, overdue: false, yearGroup: 'Post-16' })
  })

  it('counts school days open on the school’s own calendar, else the LA’s, and says why when it cannot', async () => {
    const list = await rt.services.singleList.list(officer, {})
    const open = new Map(list.entries.map(e => [e.reference.slice(-1), e.schoolDaysOpen]))
    // 24 and 25 November 2026 are both school days, and both ends count.
    expect(open.get('A')).toEqual({ ok: true, value: 2 })
    expect(open.get('B')).toEqual({ ok: true, value: 1 })
    // Birch Academy starts the autumn term on 2 September, a day before the LA's schools.
    const onLa = await rt.services.calendars.schoolDaysForSchool(LIST_LA)
    const onOwn = await rt.services.calendars.schoolDaysForSchool(LIST_LA, { id: LIST_IDS.schoolOwn })
    expect(open.get('C')).toEqual(onOwn.count('2026-09-01', '2026-11-25'))
    expect(onOwn.count('2026-09-01', '2026-11-25')).toEqual({
      ok: true,
      value: (onLa.count('2026-09-01', '2026-11-25') as { value: number }).value + 1,
    })
    // No term dates for 2024/25: no number is guessed.
    expect(open.get('G')).toMatchObject({ ok: false, problem: expect.stringMatching(/term dates/i) })
  })

  it('pages by 25 at most, keeps a page number in range, and shows every case once', async () => {
    const first = await rt.services.singleList.list(officer, { pageSize: 4 })
    expect(first).toMatchObject({ total: 6, moreThan: false, page: 1, pageCount: 2 })
    const second = await rt.services.singleList.list(officer, { pageSize: 4, page: 2 })
    expect([...first.entries, ...second.entries].map(e => e.reference.slice(-1))).toEqual([
      'A',
      'B',
      'C',
      'D',
      'G',
      'E',
    ])
    expect((await rt.services.singleList.list(officer, { pageSize: 4, page: 99 })).page).toBe(2)
    expect((await rt.services.singleList.list(officer, { pageSize: 4, page: 0 })).page).toBe(1)
    const none = await rt.services.singleList.list(officer, { filters: filters({ stages: ['outcome'] }), page: 3 })
    expect(none).toMatchObject({ total: 0, page: 1, pageCount: 1, entries: [] })
  })

  it('audits each row shown, and a search by its kind only, in the same transaction', async () => {
    const caller = await listCaller(rt, LIST_IDS.officer)
    const list = await rt.services.singleList.list(caller, { search: search('Amelia Stone') })
    const events = await rt.db
      .selectFrom('audit_events')
      .selectAll()
      .where('request_id', '=', caller.request.requestId)
      .orderBy('seq')
      .execute()
    expect(events.map(e => e.action)).toEqual(['single-list.view', 'single-list.search'])
    const shown = await rt.db.selectFrom('audit_subjects').selectAll().where('seq', '=', events[0]!.seq).execute()
    expect(shown.map(r => [r.case_id, r.child_id])).toEqual([[caseId('A'), childId('A')]])
    expect(JSON.parse(events[0]!.detail!)).toEqual({ shown: 1 })
    expect(list.entries).toHaveLength(1)
    const detail = JSON.parse(events[1]!.detail!) as Record<string, unknown>
    expect(detail).toMatchObject({ search: 'name', results: 1 })
    expect(JSON.stringify(events).toLowerCase()).not.toContain('amelia')
    expect((await verifyAuditChain(rt.db)).ok).toBe(true)
  })

  it('exports the filtered list as CSV, escaped and guarded against formulas, and audits every row', async () => {
    const caller = await listCaller(rt, LIST_IDS.officer)
    const result = await rt.services.singleList.exportCsv(caller, { filters: filters({ sort: 'referred' }) })
    if (!result.ok) throw new Error('export refused')
    expect(result.filename).toBe('single-list-2026-11-25.csv')
    expect(result.csv.startsWith('\uFEFFReference,Child,Age,Year group,School,Referred on,Priority,Stage,')).toBe(true)
    const lines = result.csv.slice(1).split('\r\n')
    expect(lines.at(-1)).toBe('')
    expect(lines.slice(1, -1).map(l => l.split(',')[0])).toEqual(['G', 'C', 'E', 'D', 'A', 'B'].map(reference))
    // 1 October to 25 November 2026 on the LA's calendar: 35 school days (the October half term is not).
    expect(lines).toContain(
      `${reference('D')},Dev Marsh,13,Year 9,Alder Primary,2026-10-01,High,Stage one checks,35,` +
        `"Phone ""Mum"", then visit",2026-12-01,No,Vic Vulnerable,EHCP; Believed abroad`,
    )
    expect(result.csv).toContain(`"'=HYPERLINK(""http://example.test"")"`)
    const events = await rt.db
      .selectFrom('audit_events')
      .selectAll()
      .where('request_id', '=', caller.request.requestId)
      .orderBy('seq')
      .execute()
    // One event for the export, naming every case in it.
    expect(events.map(e => e.action)).toEqual(['single-list.export'])
    expect(await casesNamedBy(rt.db, events[0]!.seq)).toEqual(new Set(['A', 'B', 'C', 'D', 'E', 'G'].map(caseId)))
    expect(JSON.parse(events[0]!.detail!)).toMatchObject({ rows: 6, shown: 6, sort: 'referred', search: null })
  })

  it('exports a search’s results only', async () => {
    const result = await rt.services.singleList.exportCsv(officer, { search: search('stone') })
    if (!result.ok) throw new Error('export refused')
    expect(result.rows).toBe(3)
    expect(result.csv).toContain('Cara Stonehill')
    expect(result.csv).not.toContain('Dev Marsh')
  })

  it('offers the LA’s caseworkers and schools as filters', async () => {
    const options = await rt.services.singleList.filterOptions(officer)
    expect(options.workers.map(w => w.name)).toEqual(['Olive Officer', 'Vic Vulnerable'])
    expect(options.schools.map(s => s.name)).toEqual(['Alder Primary', 'Birch Academy'])
  })
})
