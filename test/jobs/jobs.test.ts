import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../../src/data/db.js'
import { loadDemoData } from '../../src/demo/demoData.js'
import { addDays } from '../../src/domain/dates.js'
import { halfTermNoteDates, unfoundReviewDates } from '../../src/domain/schedule.js'
import { runnerFor } from '../../src/jobs/jobs.js'
import { createJobRunner, type JobBody } from '../../src/jobs/runner.js'
import { JOB_NAMES, type JobName } from '../../src/domain/jobs.js'
import { createServices } from '../../src/services/index.js'
import { movableClock } from '../support/clock.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'

const noWait = () => Promise.resolve()
const idle: JobBody = () => Promise.resolve({ summary: {}, problems: [] })
const bodiesWith = (job: JobName, body: JobBody) =>
  Object.fromEntries(JOB_NAMES.map(n => [n, n === job ? body : idle])) as Record<JobName, JobBody>

describe.each(ENGINES)('the job runner on %s', engine => {
  let rt: TestRuntime
  beforeAll(async () => {
    rt = await openTestRuntime(engine)
  })
  afterAll(async () => {
    await rt.close()
  })

  it('retries a failing job with backoff and records one run with its attempts', async () => {
    let calls = 0
    const waits: number[] = []
    const runner = createJobRunner({
      db: rt.db,
      clock: rt.clock,
      sleep: ms => {
        waits.push(ms)
        return Promise.resolve()
      },
      bodies: bodiesWith('purge-sessions', () => {
        calls += 1
        if (calls < 3) return Promise.reject(new Error(`attempt ${String(calls)} failed`))
        return Promise.resolve({ summary: { removed: 0 }, problems: [] })
      }),
    })
    const r = await runner.runJob('purge-sessions')
    expect(r).toMatchObject({ status: 'succeeded', attempts: 3 })
    expect(waits).toEqual([2000, 4000])
    const runs = await rt.db.selectFrom('job_runs').selectAll().where('job', '=', 'purge-sessions').execute()
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatchObject({ status: 'succeeded', attempts: 3, error: null })
  })

  it('gives up after three attempts and records the failure', async () => {
    const runner = createJobRunner({
      db: rt.db,
      clock: rt.clock,
      sleep: noWait,
      bodies: bodiesWith('deliver-mail', () => Promise.reject(new Error('SMTP is down'))),
    })
    const r = await runner.runJob('deliver-mail')
    expect(r).toMatchObject({ status: 'failed', attempts: 3, error: 'SMTP is down' })
    const run = await rt.db.selectFrom('job_runs').selectAll().where('job', '=', 'deliver-mail').executeTakeFirst()
    expect(run).toMatchObject({ status: 'failed', attempts: 3, error: 'SMTP is down' })
    expect(run?.finished_at).not.toBeNull()
  })

  it('runs a job once when two runners in one process start it together', async () => {
    let calls = 0
    const body: JobBody = async () => {
      calls += 1
      await new Promise(resolve => setTimeout(resolve, 100))
      return { summary: {}, problems: [] }
    }
    const a = createJobRunner({ db: rt.db, clock: rt.clock, bodies: bodiesWith('half-term-note', body), instance: 'a' })
    const b = createJobRunner({ db: rt.db, clock: rt.clock, bodies: bodiesWith('half-term-note', body), instance: 'b' })
    const results = await Promise.all([a.runJob('half-term-note'), b.runJob('half-term-note')])
    expect(calls).toBe(1)
    expect(results.map(r => r.status).sort()).toEqual(['skipped', 'succeeded'])
    // The lease is given back: the next run by hand goes ahead.
    expect((await b.runJob('half-term-note')).status).toBe('succeeded')
  })

  it('runs a due job once per slot when the scheduler asks', async () => {
    let calls = 0
    const clock = movableClock('2026-11-25T06:59:00Z')
    const runner = createJobRunner({
      db: rt.db,
      clock,
      bodies: bodiesWith('reminder-digest', () => {
        calls += 1
        return Promise.resolve({ summary: {}, problems: [] })
      }),
    })
    expect(await runner.runJob('reminder-digest', { onlyIfDue: true })).toEqual({
      status: 'skipped',
      reason: 'not-due',
    })
    clock.set('2026-11-25T07:00:00Z')
    expect((await runner.runJob('reminder-digest', { onlyIfDue: true })).status).toBe('succeeded')
    clock.set('2026-11-25T15:00:00Z')
    expect((await runner.runJob('reminder-digest', { onlyIfDue: true })).status).toBe('skipped')
    clock.set('2026-11-26T07:01:00Z')
    expect((await runner.runJob('reminder-digest', { onlyIfDue: true })).status).toBe('succeeded')
    expect(calls).toBe(2)
  })
})

describe.runIf(process.env.TEST_DATABASE_URL)('job leasing across two app instances on PostgreSQL', () => {
  it('runs the job body once when both instances start it at the same moment', async () => {
    const first = await openTestRuntime('postgres')
    // A second "instance": its own pool and services on the same database.
    const db2 = createDb(first.config.database, { poolSize: 4 })
    const second = {
      db: db2,
      clock: first.clock,
      services: createServices({ db: db2, clock: first.clock, config: first.config }),
    }
    try {
      let calls = 0
      const body: JobBody = async () => {
        calls += 1
        await new Promise(resolve => setTimeout(resolve, 300))
        return { summary: {}, problems: [] }
      }
      const runners = [first, second].map((rt, i) =>
        createJobRunner({
          db: rt.db,
          clock: rt.clock,
          bodies: bodiesWith('overdue-alerts', body),
          instance: `i${String(i)}`,
        }),
      )
      const results = await Promise.all(
        [0, 1, 2, 3].map(i => runners[i % 2]!.runJob('overdue-alerts', { onlyIfDue: false })),
      )
      expect(calls).toBe(1)
      expect(results.filter(r => r.status === 'succeeded')).toHaveLength(1)
      expect(results.filter(r => r.status === 'skipped')).toHaveLength(3)
      expect(
        await first.db.selectFrom('job_runs').select('id').where('job', '=', 'overdue-alerts').execute(),
      ).toHaveLength(1)
    } finally {
      await db2.destroy()
      await first.close()
    }
  })
})

describe.each(ENGINES)('the scheduled jobs on the demo calendar on %s', engine => {
  let rt: TestRuntime
  const clock = movableClock('2026-11-25T07:30:00Z')
  beforeAll(async () => {
    rt = await openTestRuntime(engine, { clock })
    await loadDemoData(rt.db, clock, '317')
  })
  afterAll(async () => {
    await rt.close()
  })
  const run = (job: JobName) => runnerFor(rt, { sleep: noWait }).runJob(job)
  /** The messages queued at the clock's current instant: each test moves the clock to its own. */
  const queuedNow = () =>
    rt.db.selectFrom('outbox').selectAll().where('created_at', '=', clock.now().toISOString()).execute()
  const childNames = async () =>
    (await rt.db.selectFrom('children').select(['first_name', 'last_name']).execute()).flatMap(c => [
      c.first_name,
      c.last_name,
    ])

  it('sends each worker with tasks one digest on a school day, naming no child', async () => {
    clock.set('2026-11-25T07:30:00Z')
    const r = await run('reminder-digest')
    expect(r.status).toBe('succeeded')
    const sent = await queuedNow()
    expect(sent.length).toBeGreaterThan(0)
    const workers = await rt.db
      .selectFrom('tasks')
      .select('assigned_to')
      .distinct()
      .where('done_on', 'is', null)
      .where('due_on', '<=', addDays('2026-11-25', 7))
      .execute()
    expect(new Set(sent.map(m => m.to_address)).size).toBe(sent.length)
    expect(sent.length).toBeLessThanOrEqual(workers.length)
    const names = await childNames()
    for (const m of sent) {
      expect(m.subject).toMatch(/^You have \d+ tasks? due or overdue$/)
      expect(m.body).toContain('/cases?view=mine')
      for (const n of names) expect(`${m.subject}\n${m.body}`).not.toContain(n)
    }
  })

  it('sends no digest on a Saturday', async () => {
    clock.set('2026-11-28T07:30:00Z')
    const r = await run('reminder-digest')
    expect(r).toMatchObject({ status: 'succeeded', outcome: { summary: { emails: 0 } } })
  })

  it('makes the half-term note on the boundary day and not the day before', async () => {
    const { data, bankHolidays } = await rt.services.calendars.calendarFor('317')
    const dates = halfTermNoteDates(data, bankHolidays, 2026)
    if (!dates.ok) throw new Error(dates.problem)
    const boundary = dates.value[0]!
    expect(boundary).toBe('2026-10-23')
    // A case closed in the half term the note covers.
    const closed = await rt.db.selectFrom('cases').select('id').where('status', '=', 'closed').executeTakeFirstOrThrow()
    await rt.db
      .updateTable('cases')
      .set({ closed_on: '2026-10-01', outcome: 'not-found' })
      .where('id', '=', closed.id)
      .execute()

    clock.set(`${addDays(boundary, -1)}T17:30:00Z`)
    expect(await run('half-term-note')).toMatchObject({ status: 'succeeded', outcome: { summary: { notes: 0 } } })
    expect(await rt.db.selectFrom('reports').selectAll().execute()).toHaveLength(0)

    clock.set(`${boundary}T17:30:00Z`)
    expect(await run('half-term-note')).toMatchObject({ status: 'succeeded', outcome: { summary: { notes: 1 } } })
    const reports = await rt.db.selectFrom('reports').selectAll().execute()
    expect(reports).toHaveLength(1)
    expect(reports[0]).toMatchObject({ kind: 'half-term-note', period_to: boundary })
    const body = JSON.parse(reports[0]!.body) as { total: number; byOutcome: Record<string, number> }
    expect(body.byOutcome['not-found']).toBeGreaterThanOrEqual(1)
    const mail = await queuedNow()
    expect(mail.map(m => m.to_address)).toEqual(['ews.manager@demo.onroll.invalid'])
    expect(mail[0]?.body).toContain('/oversight')

    // Run again the same day (by hand, or by another instance): no second note.
    expect(await run('half-term-note')).toMatchObject({ outcome: { summary: { notes: 0 } } })
  })

  it('adds a review task for each case closed as not found on the review dates only', async () => {
    const { data, bankHolidays } = await rt.services.calendars.calendarFor('317')
    const dates = unfoundReviewDates(data, bankHolidays, 2026)
    if (!dates.ok) throw new Error(dates.problem)
    const christmas = dates.value[0]!
    expect(christmas).toBe('2026-12-21')
    const notFound = await rt.db
      .selectFrom('cases')
      .select('id')
      .where('status', '=', 'closed')
      .where('outcome', '=', 'not-found')
      .execute()
    expect(notFound.length).toBeGreaterThan(0)
    const reviews = () => rt.db.selectFrom('tasks').selectAll().where('kind', '=', 'review').execute()

    clock.set(`${addDays(christmas, -3)}T07:30:00Z`)
    await run('unfound-reviews')
    expect(await reviews()).toHaveLength(0)

    clock.set(`${christmas}T07:30:00Z`)
    const r = await run('unfound-reviews')
    expect(r).toMatchObject({ status: 'succeeded', outcome: { summary: { tasks: notFound.length } } })
    const tasks = await reviews()
    expect(tasks.map(t => t.case_id).sort()).toEqual(notFound.map(c => c.id).sort())
    expect(tasks.every(t => t.due_on === christmas)).toBe(true)

    await run('unfound-reviews')
    expect(await reviews()).toHaveLength(notFound.length)
  })

  it('escalates an urgent case not triaged in time once, and emails the EWS Operational Manager', async () => {
    clock.set('2026-11-25T08:00:00Z')
    const c = await rt.db.selectFrom('cases').select('id').where('status', '=', 'received').executeTakeFirstOrThrow()
    await rt.db
      .updateTable('cases')
      .set({ priority: 'urgent', referred_on: '2026-11-02', triage_due: '2026-11-03' })
      .where('id', '=', c.id)
      .execute()
    const first = await run('overdue-alerts')
    expect(first.status).toBe('succeeded')
    const alerts = await rt.db.selectFrom('case_alerts').selectAll().execute()
    expect(alerts.find(a => a.case_id === c.id && a.reason_key === 'triage-overdue:2026-11-02')).toMatchObject({
      status: 'open',
      level: 'ews-operational-manager',
    })
    const events = await rt.db.selectFrom('case_events').selectAll().where('kind', '=', 'escalation').execute()
    expect(events).toHaveLength(alerts.length)
    const mail = await queuedNow()
    expect(mail.map(m => m.to_address)).toEqual(['ews.manager@demo.onroll.invalid'])
    const names = await childNames()
    for (const n of names) expect(mail[0]?.body).not.toContain(n)

    clock.set('2026-11-25T12:00:00Z')
    const again = await run('overdue-alerts')
    expect(again).toMatchObject({ status: 'succeeded', outcome: { summary: { alerts: 0 } } })
    expect(await rt.db.selectFrom('case_alerts').selectAll().execute()).toHaveLength(alerts.length)
  })
})
