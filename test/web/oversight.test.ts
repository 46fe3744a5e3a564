import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemoData } from '../../src/demo/demoData.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'
import { Browser, buildTestApp } from '../support/web.js'

describe.each(ENGINES)('monthly oversight and the jobs page on %s', engine => {
  let rt: TestRuntime
  let app: FastifyInstance
  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadDemoData(rt.db, rt.clock, '317')
    app = await buildTestApp(rt)
  })
  afterAll(async () => {
    await app.close()
    await rt.close()
  })

  it('shows the EWS Operational Manager the figures, each a link to the Single List', async () => {
    const browser = new Browser(app)
    await browser.signInAs('ews.manager@demo.onroll.invalid')
    const page = await browser.get('/oversight')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Monthly oversight')
    expect(page.body).toContain('href="/cases?overdue=1"')
    expect(page.body).toContain('href="/cases?stage=closure-requested"')
    expect(page.body).toContain('href="/cases?view=unassigned"')
    expect(page.body).toMatch(/href="\/cases\?stage=[a-z-]+&(amp;)?priority=[a-z]+"/)
    expect(page.body).toContain('Oversight is due this month')
    expect(page.body).toContain('Last recorded: never')
    expect(page.body).toContain('href="/oversight"')
  })

  it('records oversight and shows it as done this month', async () => {
    const browser = new Browser(app)
    await browser.signInAs('ews.manager@demo.onroll.invalid')
    const res = await browser.post(
      '/oversight',
      { 'recordedOn-day': '24', 'recordedOn-month': '11', 'recordedOn-year': '2026', notes: 'Reviewed CME-0001.' },
      '/oversight',
    )
    expect(res.statusCode).toBe(302)
    const page = await browser.get('/oversight?saved=1')
    expect(page.body).toContain('Oversight recorded')
    expect(page.body).toContain('Recorded this month')
    expect(page.body).toContain('Last recorded: 24 November 2026 by Sam Taylor')
    const audit = await rt.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'oversight.record')
      .execute()
    expect(audit).toHaveLength(1)
  })

  it('refuses a date in the future, keeping what was typed', async () => {
    const browser = new Browser(app)
    await browser.signInAs('ews.manager@demo.onroll.invalid')
    const res = await browser.post(
      '/oversight',
      { 'recordedOn-day': '1', 'recordedOn-month': '1', 'recordedOn-year': '2027', notes: 'Too soon' },
      '/oversight',
    )
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('There is a problem')
    expect(res.body).toContain('today or in the past')
    expect(res.body).toContain('href="#recordedOn-day"')
    expect(res.body).toContain('Too soon')
  })

  it('is not for a CME officer or an administrator', async () => {
    for (const email of ['cme.officer@demo.onroll.invalid', 'admin@demo.onroll.invalid']) {
      const browser = new Browser(app)
      await browser.signInAs(email)
      expect((await browser.get('/oversight')).statusCode).toBe(403)
    }
  })

  it('lists the jobs and recent runs for an administrator', async () => {
    await rt.services.sessions.purgeExpired()
    const browser = new Browser(app)
    await browser.signInAs('admin@demo.onroll.invalid')
    const page = await browser.get('/admin/jobs')
    expect(page.statusCode).toBe(200)
    for (const job of [
      'deliver-mail',
      'purge-sessions',
      'reminder-digest',
      'overdue-alerts',
      'half-term-note',
      'unfound-reviews',
    ])
      expect(page.body).toContain(job)
    expect(page.body).toContain('No job has run yet')
    expect((await browser.get('/admin')).body).toContain('href="/admin/jobs"')

    const manager = new Browser(app)
    await manager.signInAs('ews.manager@demo.onroll.invalid')
    expect((await manager.get('/admin/jobs')).statusCode).toBe(403)
  })
})
