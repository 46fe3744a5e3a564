import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemoData } from '../../src/demo/demoData.js'
import { openTestRuntime, type TestRuntime } from '../support/db.js'
import { Browser, buildTestApp } from '../support/web.js'

describe('web application', () => {
  let rt: TestRuntime
  let app: FastifyInstance
  beforeAll(async () => {
    rt = await openTestRuntime('sqlite')
    await loadDemoData(rt.db, rt.clock, '317')
    app = await buildTestApp(rt)
  })
  afterAll(async () => {
    await app.close()
    await rt.close()
  })

  it('answers health probes as JSON without creating a session', async () => {
    const live = await app.inject('/health/live')
    expect(live.statusCode).toBe(200)
    expect(live.json()).toEqual({ status: 'up' })
    const ready = await app.inject('/health/ready')
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toEqual({ status: 'up', components: { database: 'up' } })
    expect(ready.headers['set-cookie']).toBeUndefined()
  })

  it('echoes a safe request id and replaces an unsafe one', async () => {
    expect(
      (await app.inject({ url: '/health/live', headers: { 'x-request-id': 'abc-123' } })).headers['x-request-id'],
    ).toBe('abc-123')
    const bad = await app.inject({ url: '/health/live', headers: { 'x-request-id': '<script>' } })
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('sends anonymous visitors to sign in', async () => {
    const res = await app.inject('/cases')
    expect(res.statusCode).toBe(302)
    expect(res.headers.location).toBe('/sign-in')
  })

  it('shows a GOV.UK 404 page with no stack trace', async () => {
    const res = await app.inject('/no-such-page')
    expect(res.statusCode).toBe(404)
    expect(res.body).toContain('Page not found')
    expect(res.body).toContain('govuk-template')
  })

  it('renders the Single List for a CME officer, through every layer', async () => {
    const browser = new Browser(app)
    await browser.signInAs('cme.officer@demo.onroll.invalid')
    const res = await browser.get('/cases')
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.body).toContain('<h1 class="govuk-heading-l">Single List')
    expect(res.body).toContain('govuk-table')
    expect(res.body).toMatch(/CME-DEMO-\d{6}/)
    expect(res.body).toContain('Signed in as <strong>Alex Morgan</strong>')
  })

  it('refuses a school user the Single List with a 403 page', async () => {
    const browser = new Browser(app)
    await browser.signInAs('attendance@larkspur.demo.onroll.invalid')
    const res = await browser.get('/cases')
    expect(res.statusCode).toBe(403)
    expect(res.body).toContain('You do not have access to this page')
  })

  it('rejects a form post without its CSRF token', async () => {
    const browser = new Browser(app)
    const res = await browser.post('/sign-in/demo', { userId: 'x' })
    expect(res.statusCode).toBe(403)
    expect(res.body).toContain('Your form could not be sent')
  })

  it('re-renders the demo sign-in with an error summary when nobody is chosen', async () => {
    const browser = new Browser(app)
    const res = await browser.post('/sign-in/demo', {}, '/sign-in')
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('govuk-error-summary')
    expect(res.body).toContain('Select a demo user to sign in as')
  })

  it('ends the session on sign-out', async () => {
    const browser = new Browser(app)
    await browser.signInAs('cme.officer@demo.onroll.invalid')
    expect((await browser.get('/cases')).statusCode).toBe(200)
    await browser.post('/sign-out', {}, '/cases')
    expect((await browser.get('/cases')).statusCode).toBe(302)
  })
})
