/**
 * A year of the clock: an injected clock moves day by day through the 2026/27 school year on the demo
 * calendar, and at each tick every job is offered to the runner exactly as the scheduler offers it
 * (`runJob(name, { onlyIfDue: true })`). Afterwards the record shows that every reminder digest,
 * automatic escalation, review task and half-term note happened on its day, and only once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemoData } from '../../src/demo/demoData.js'
import { addDays, isWeekend, londonDate, type IsoDate } from '../../src/domain/dates.js'
import { JOBS, JOB_NAMES } from '../../src/domain/jobs.js'
import { halfTermNoteDates, unfoundReviewDates } from '../../src/domain/schedule.js'
import { runnerFor } from '../../src/jobs/jobs.js'
import { movableClock } from '../support/clock.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'

const FIRST_DAY = '2026-09-01'
const LAST_DAY = '2027-08-31'
/** Two ticks a day: after 07:00 in London (the daily jobs) and after 18:00 (the half-term note), BST or not. */
const TICKS = ['T12:00:00Z', 'T19:00:00Z']

const days = (from: IsoDate, to: IsoDate): IsoDate[] => {
  const out: IsoDate[] = []
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d)
  return out
}
const on = (instant: string) => londonDate(new Date(instant))

describe.each(ENGINES)('a school year of the clock on the demo calendar on %s', engine => {
  let rt: TestRuntime
  const clock = movableClock(`${addDays(FIRST_DAY, -1)}T12:00:00Z`)
  let urgentCaseId: string

  beforeAll(async () => {
    rt = await openTestRuntime(engine, { clock })
    await loadDemoData(rt.db, clock, '317')
    // An urgent referral that nobody triages: due on 2 September, escalated automatically on the 3rd.
    const c = await rt.db.selectFrom('cases').select('id').where('status', '=', 'received').executeTakeFirstOrThrow()
    urgentCaseId = c.id
    await rt.db
      .updateTable('cases')
      .set({ priority: 'urgent', referred_on: FIRST_DAY, triage_due: '2026-09-02' })
      .where('id', '=', c.id)
      .execute()
    const runner = runnerFor(rt, { sleep: () => Promise.resolve() })
    for (const day of days(FIRST_DAY, LAST_DAY))
      for (const tick of TICKS) {
        clock.set(`${day}${tick}`)
        for (const job of JOB_NAMES) await runner.runJob(job, { onlyIfDue: true })
      }
  }, 900_000)
  afterAll(async () => {
    await rt.close()
  })

  it('runs each daily job once per London day, never twice for the same day', async () => {
    const runs = await rt.db.selectFrom('job_runs').select(['job', 'scheduled_for', 'status']).execute()
    for (const job of JOB_NAMES.filter(j => 'daily' in JOBS[j].schedule)) {
      const mine = runs.filter(r => r.job === job && r.status === 'succeeded')
      expect(mine.length, job).toBe(days(FIRST_DAY, LAST_DAY).length)
      expect(new Set(mine.map(r => r.scheduled_for)).size, job).toBe(mine.length)
    }
    expect(runs.filter(r => r.status === 'failed')).toEqual([])
  })

  it('sends each worker at most one reminder digest a day, on working days only', async () => {
    const { bankHolidays } = await rt.services.calendars.calendarFor('317')
    const digests = await rt.db
      .selectFrom('outbox')
      .select(['to_address', 'created_at'])
      .where('subject', 'like', 'You have % due or overdue')
      .execute()
    const sentOn = new Map<string, number>()
    for (const d of digests) {
      const key = `${on(d.created_at)} ${d.to_address}`
      sentOn.set(key, (sentOn.get(key) ?? 0) + 1)
    }
    expect([...sentOn.values()].every(n => n === 1)).toBe(true)
    const daysWithDigests = new Set(digests.map(d => on(d.created_at)))
    for (const day of daysWithDigests) {
      expect(isWeekend(day), day).toBe(false)
      expect(bankHolidays.includes(day), day).toBe(false)
    }
    // The demo's tasks fall overdue and stay so: every working day of the year has its digests.
    const working = days(FIRST_DAY, LAST_DAY).filter(d => !isWeekend(d) && !bankHolidays.includes(d))
    expect([...daysWithDigests].sort()).toEqual(working)
  })

  it('escalates each breach automatically once, the day after it was due', async () => {
    const alerts = await rt.db.selectFrom('case_alerts').selectAll().execute()
    const escalations = await rt.db
      .selectFrom('escalations')
      .selectAll()
      .where('automatic_reason', 'is not', null)
      .execute()
    expect(alerts.length).toBeGreaterThan(0)
    expect(new Set(alerts.map(a => `${a.case_id} ${a.reason_key}`)).size).toBe(alerts.length)
    expect(escalations).toHaveLength(alerts.length)
    expect(new Set(escalations.map(e => e.alert_id)).size).toBe(alerts.length)
    for (const a of alerts) {
      // Breaches from before the clock started are caught up on the first day; the rest the day after.
      const expected = a.due_on >= FIRST_DAY ? addDays(a.due_on, 1) : FIRST_DAY
      expect(on(a.raised_at), `${a.reason_key} due ${a.due_on}`).toBe(expected)
    }
    const urgent = alerts.filter(a => a.case_id === urgentCaseId && a.reason === 'triage-overdue')
    expect(urgent.map(a => [a.reason_key, on(a.raised_at)])).toEqual([[`triage-overdue:${FIRST_DAY}`, '2026-09-03']])
    const emails = await rt.db
      .selectFrom('outbox')
      .select('created_at')
      .where('subject', 'like', '%escalated automatically')
      .execute()
    expect(new Set(emails.map(e => on(e.created_at)))).toEqual(new Set(alerts.map(a => on(a.raised_at))))
  })

  it('adds the review tasks for cases closed as not found on the review dates, once each', async () => {
    const { data, bankHolidays } = await rt.services.calendars.calendarFor('317')
    const dates = unfoundReviewDates(data, bankHolidays, 2026)
    if (!dates.ok) throw new Error(dates.problem)
    const inYear = dates.value.filter(d => d >= FIRST_DAY && d <= LAST_DAY)
    expect(inYear.length).toBe(2)
    const unfound = await rt.db
      .selectFrom('cases')
      .select(['id', 'closed_on'])
      .where('status', '=', 'closed')
      .where('outcome', '=', 'not-found')
      .execute()
    expect(unfound.length).toBeGreaterThan(0)
    const tasks = await rt.db.selectFrom('tasks').selectAll().where('kind', '=', 'review').execute()
    expect([...new Set(tasks.map(t => t.due_on))].sort()).toEqual(inYear)
    for (const t of tasks) expect(on(t.created_at)).toBe(t.due_on)
    for (const d of inYear)
      expect(
        tasks
          .filter(t => t.due_on === d)
          .map(t => t.case_id)
          .sort(),
      ).toEqual(
        unfound
          .filter(c => c.closed_on !== null && c.closed_on <= d)
          .map(c => c.id)
          .sort(),
      )
  })

  it('files each half-term note on its boundary day, once, and tells the EWS Operational Manager', async () => {
    const { data, bankHolidays } = await rt.services.calendars.calendarFor('317')
    const dates = halfTermNoteDates(data, bankHolidays, 2026)
    if (!dates.ok) throw new Error(dates.problem)
    const notes = await rt.db
      .selectFrom('reports')
      .selectAll()
      .where('kind', '=', 'half-term-note')
      .orderBy('period_to')
      .execute()
    expect(notes.map(n => n.period_to)).toEqual(dates.value.filter(d => d >= FIRST_DAY && d <= LAST_DAY))
    for (const n of notes) expect(on(n.created_at)).toBe(n.period_to)
    const told = await rt.db
      .selectFrom('outbox')
      .select('created_at')
      .where('subject', '=', 'Half-term note of closed cases')
      .execute()
    expect(told.map(t => on(t.created_at)).sort()).toEqual(notes.map(n => n.period_to))
  })
})
