/**
 * The CME team's list of school attendance order processes (`/sao`): read in the same number of
 * queries however many processes there are, the same views as each process's own page, only the
 * caller's LA, and one audit event naming every case and child shown. On both engines.
 */
import type { KyselyPlugin } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoId, loadDemoData } from '../../src/demo/demoData.js'
import { OPEN_STATUSES } from '../../src/domain/caseStatus.js'
import { addDays } from '../../src/domain/dates.js'
import type { Caller } from '../../src/services/deps.js'
import { ForbiddenError } from '../../src/services/errors.js'
import { createSaoService } from '../../src/services/saoService.js'
import { casesNamedBy } from '../support/audit.js'
import { callerFor } from '../support/callers.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'

/** Counts every query a service runs on the handle, in or out of its transactions. */
function countingQueries(): { plugin: KyselyPlugin; count: () => number; reset: () => void } {
  let n = 0
  return {
    plugin: {
      transformQuery: args => {
        n += 1
        return args.node
      },
      transformResult: args => Promise.resolve(args.result),
    },
    count: () => n,
    reset: () => {
      n = 0
    },
  }
}

describe.each(ENGINES)('the list of school attendance order processes on %s', engine => {
  let rt: TestRuntime
  let officer: Caller
  let free: string[]
  const larkspur = demoId('org:larkspur')

  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadDemoData(rt.db, rt.clock, '317')
    officer = await callerFor(rt, 'cme.officer@demo.onroll.invalid')
    free = (
      await rt.db
        .selectFrom('cases')
        .select('id')
        .where('la_code', '=', '317')
        .where('status', 'in', OPEN_STATUSES)
        .orderBy('reference')
        .execute()
    ).map(c => c.id)
  })
  afterAll(async () => {
    await rt.close()
  })

  /**
   * Starts n processes, a third of each kind: an s437 notice served (a letter and a deadline), one
   * that has reached the notice of intention naming a school (two rounds of letters), and one ended.
   */
  const made: string[] = []
  const makeProcesses = async (n: number) => {
    const today = rt.clock.today()
    const on = (d: number) => addDays(today, d - 40)
    for (let i = 0; i < n; i += 1) {
      const caseId = free.shift()
      if (!caseId) throw new Error('not enough open demo cases')
      const kind = made.length % 3
      if (kind === 0) {
        made.push(
          await rt.services.sao.start(officer, caseId, {
            reason: 'fails-to-engage',
            stage: 's437-notice',
            startedOn: on(35),
          }),
        )
        continue
      }
      const id = await rt.services.sao.start(officer, caseId, {
        reason: 'fails-to-engage',
        stage: 'informal-enquiries',
        startedOn: on(0),
      })
      made.push(id)
      if (kind === 2) {
        await rt.services.sao.recordOutcome(officer, id, { outcome: 'education-confirmed', outcomeOn: on(5) })
        continue
      }
      await rt.services.sao.recordOutcome(officer, id, { outcome: 'not-confirmed', outcomeOn: on(7) })
      await rt.services.sao.startNext(officer, id, { startedOn: on(7) })
      await rt.services.sao.recordOutcome(officer, id, { outcome: 'period-ended', outcomeOn: on(22) })
      await rt.services.sao.startNext(officer, id, { startedOn: on(22) })
      await rt.services.sao.recordOutcome(officer, id, { outcome: 'not-satisfied-expedient', outcomeOn: on(23) })
      await rt.services.sao.startNext(officer, id, { startedOn: on(23), school: larkspur })
    }
  }

  const listEvents = async (requestId: string) =>
    rt.db
      .selectFrom('audit_events')
      .select(['seq', 'case_id', 'child_id', 'detail'])
      .where('action', '=', 'sao.list')
      .where('request_id', '=', requestId)
      .execute()

  it('audits an empty list as one event naming no one', async () => {
    const caller = await callerFor(rt, 'cme.officer@demo.onroll.invalid')
    expect(await rt.services.sao.list(caller)).toEqual([])
    const events = await listEvents(caller.request.requestId)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ case_id: null, child_id: null })
    expect(JSON.parse(events[0]!.detail!)).toMatchObject({ shown: 0, processes: 0 })
    expect(await casesNamedBy(rt.db, events[0]!.seq)).toEqual(new Set())
  })

  it('reads the list in the same number of queries for 3 processes as for 12', async () => {
    const counting = countingQueries()
    const sao = createSaoService(
      { db: rt.db.withPlugin(counting.plugin), clock: rt.clock, config: rt.config },
      rt.services.policy,
      (laCode, schoolId) => rt.services.calendars.schoolDaysForSchool(laCode, schoolId ? { id: schoolId } : undefined),
    )
    const queriesFor = async (expected: number) => {
      counting.reset()
      const list = await sao.list(officer)
      expect(list).toHaveLength(expected)
      return counting.count()
    }
    await makeProcesses(3)
    const three = await queriesFor(3)
    await makeProcesses(9)
    const twelve = await queriesFor(12)
    expect(twelve).toBe(three)
    expect(three).toBeLessThanOrEqual(12)
  })

  it('shows each process as its own page does, open first', async () => {
    const list = await rt.services.sao.list(officer)
    expect(new Set(list.map(p => p.id))).toEqual(new Set(made))
    expect(list.map(p => p.status)).toEqual([...list.map(p => p.status)].sort((a, b) => b.localeCompare(a)))
    expect(list.some(p => p.schoolName !== null && p.steps.some(s => s.schoolName !== null))).toBe(true)
    expect(list.some(p => p.steps.some(s => s.letters.length > 0))).toBe(true)
    for (const row of list) {
      const { schools: _s, namedSchoolId: _n, roll: _r, ...page } = await rt.services.sao.process(officer, row.id)
      expect(row).toEqual(page)
    }
    const ended = await rt.services.sao.list(officer, { status: 'ended' })
    expect(ended.map(p => p.id).sort()).toEqual(made.filter((_, i) => i % 3 === 2).sort())
  })

  it('audits the list as one event naming every case and child shown', async () => {
    const caller = await callerFor(rt, 'ews.manager@demo.onroll.invalid')
    const list = await rt.services.sao.list(caller)
    const events = await listEvents(caller.request.requestId)
    expect(events).toHaveLength(1)
    const event = events[0]!
    expect(JSON.parse(event.detail!)).toMatchObject({ shown: list.length, processes: list.length })
    expect(await casesNamedBy(rt.db, event.seq)).toEqual(new Set(list.map(p => p.caseId)))
    const children = await rt.db
      .selectFrom('audit_subjects')
      .select(['case_id', 'child_id'])
      .where('seq', '=', event.seq)
      .execute()
    const childOf = new Map(
      (
        await rt.db
          .selectFrom('cases')
          .select(['id', 'child_id'])
          .where(
            'id',
            'in',
            list.map(p => p.caseId),
          )
          .execute()
      ).map(c => [c.id, c.child_id]),
    )
    expect(children.every(r => r.case_id !== null && r.child_id === childOf.get(r.case_id))).toBe(true)
  })

  it("shows only the caller's LA, and only to the CME team and managers", async () => {
    const moved = made[0]!
    await rt.db.updateTable('sao_processes').set({ la_code: '999' }).where('id', '=', moved).execute()
    try {
      const caller = await callerFor(rt, 'cme.officer@demo.onroll.invalid')
      const list = await rt.services.sao.list(caller)
      expect(list.map(p => p.id)).not.toContain(moved)
      expect(list).toHaveLength(made.length - 1)
      const [event] = await listEvents(caller.request.requestId)
      const movedCase = await rt.db
        .selectFrom('sao_processes')
        .select('case_id')
        .where('id', '=', moved)
        .executeTakeFirstOrThrow()
      expect(await casesNamedBy(rt.db, event!.seq)).not.toContain(movedCase.case_id)
    } finally {
      await rt.db.updateTable('sao_processes').set({ la_code: '317' }).where('id', '=', moved).execute()
    }
    const school = await callerFor(rt, 'attendance@larkspur.demo.onroll.invalid')
    await expect(rt.services.sao.list(school)).rejects.toBeInstanceOf(ForbiddenError)
    const admin = await callerFor(rt, 'admin@demo.onroll.invalid')
    await expect(rt.services.sao.list(admin)).rejects.toBeInstanceOf(ForbiddenError)
  })
})
