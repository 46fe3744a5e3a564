import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REFERRAL_SECTIONS } from '../../src/domain/referral.js'
import { exampleReferral } from '../../src/domain/referralExample.js'
import { loadDemoData } from '../../src/demo/demoData.js'
import { flatten } from '../../src/web/formState.js'
import { openTestRuntime, type TestRuntime } from '../support/db.js'
import { Browser, buildTestApp } from '../support/web.js'

const DATE_FIELDS = /(dateOfBirth|date|departureDate|\.on)$/

describe('the referral journey (pages)', () => {
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

  async function startDraft(browser: Browser): Promise<string> {
    const res = await browser.post('/referrals', {}, '/referrals')
    expect(res.statusCode).toBe(302)
    const id = /\/referrals\/([0-9a-f-]{36})$/.exec(res.headers.location as string)?.[1]
    expect(id).toBeTruthy()
    return id!
  }

  async function fillEverySection(browser: Browser, id: string, today = rt.clock.today()) {
    const referral = exampleReferral(today)
    for (const s of REFERRAL_SECTIONS) {
      const res = await browser.post(
        `/referrals/${id}/${s.key}`,
        { ...flatten(referral[s.key], s.key, DATE_FIELDS), _action: 'continue' },
        `/referrals/${id}/${s.key}`,
      )
      expect(res.statusCode, `${s.key}: ${res.body.match(/govuk-error-summary__list[\s\S]*?<\/ul>/)?.[0] ?? ''}`).toBe(
        302,
      )
    }
  }

  it('takes a school user from a new draft to a submitted referral with a reference', async () => {
    const browser = new Browser(app)
    await browser.signInAs('attendance@larkspur.demo.onroll.invalid')
    const id = await startDraft(browser)
    const taskList = await browser.get(`/referrals/${id}`)
    expect(taskList.body).toContain('You have completed 0 of 11 sections')
    await fillEverySection(browser, id)
    expect((await browser.get(`/referrals/${id}`)).body).toContain('You have completed 11 of 11 sections')
    const check = await browser.get(`/referrals/${id}/check`)
    expect(check.body).toContain('Check your answers before sending your referral')
    expect(check.body).toContain('Amara')
    const refused = await browser.post(`/referrals/${id}/submit`, {}, `/referrals/${id}/check`)
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('Confirm that the information is correct')
    const sent = await browser.post(`/referrals/${id}/submit`, { declaration: 'yes' }, `/referrals/${id}/check`)
    expect(sent.headers.location).toBe(`/referrals/${id}/confirmation`)
    const confirmation = await browser.get(`/referrals/${id}/confirmation`)
    expect(confirmation.body).toMatch(/CME-2026-\d{6}/)
    // A second click submits nothing new.
    const again = await browser.post(`/referrals/${id}/submit`, { declaration: 'yes' }, `/referrals/${id}/check`)
    expect(again.headers.location).toBe(`/referrals/${id}/confirmation`)
    const cases = await rt.db.selectFrom('cases').selectAll().where('referral_id', '=', id).execute()
    expect(cases.map(c => c.status)).toEqual(['received', 'received']) // the child and the sibling referred too
    const mail = await rt.db.selectFrom('outbox').selectAll().execute()
    expect(mail.some(m => m.to_address === 'attendance@example-primary.sch.uk')).toBe(true)
    expect(mail.every(m => !m.body.includes('Amara') && !m.subject.includes('Amara'))).toBe(true)
  })

  it('keeps what was typed when a page has mistakes, and shows an error summary', async () => {
    const browser = new Browser(app)
    await browser.signInAs('police.referrer@demo.onroll.invalid')
    const id = await startDraft(browser)
    const res = await browser.post(
      `/referrals/${id}/child`,
      {
        'child.firstName': '',
        'child.lastName': 'Brightwater',
        'child.dateOfBirth-day': '31',
        'child.dateOfBirth-month': '2',
        'child.dateOfBirth-year': '2016',
        _action: 'continue',
      },
      `/referrals/${id}/child`,
    )
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('govuk-error-summary')
    expect(res.body).toContain('Enter the child&#39;s first name')
    expect(res.body).toContain('Date of birth must be a real date')
    expect(res.body).toContain('value="Brightwater"')
    // Signing out and back in finds the same answers.
    await browser.post('/sign-out', {}, '/referrals')
    await browser.signInAs('police.referrer@demo.onroll.invalid')
    expect((await browser.get('/referrals')).body).toContain(`/referrals/${id}`)
    expect((await browser.get(`/referrals/${id}/child`)).body).toContain('value="Brightwater"')
  })

  it('adds and removes siblings without losing answers', async () => {
    const browser = new Browser(app)
    await browser.signInAs('attendance@larkspur.demo.onroll.invalid')
    const id = await startDraft(browser)
    const one = await browser.post(
      `/referrals/${id}/siblings`,
      { 'siblings.answer': 'yes', _action: 'add:siblings.list' },
      `/referrals/${id}/siblings`,
    )
    expect(one.body).toContain('Sibling 1')
    const two = await browser.post(
      `/referrals/${id}/siblings`,
      { 'siblings.answer': 'yes', 'siblings.list.0.firstName': 'Kofi', _action: 'add:siblings.list' },
      `/referrals/${id}/siblings`,
    )
    expect(two.body).toContain('Sibling 2')
    expect(two.body).toContain('value="Kofi"')
    const removed = await browser.post(
      `/referrals/${id}/siblings`,
      {
        'siblings.answer': 'yes',
        'siblings.list.0.firstName': 'Kofi',
        'siblings.list.1.firstName': 'Ama',
        _action: 'remove:siblings.list:0',
      },
      `/referrals/${id}/siblings`,
    )
    expect(removed.body).not.toContain('Sibling 2')
    expect(removed.body).toContain('value="Ama"')
  })

  it('refuses a child outside compulsory school age with where to go instead', async () => {
    const browser = new Browser(app)
    await browser.signInAs('attendance@larkspur.demo.onroll.invalid')
    const id = await startDraft(browser)
    const child = flatten(
      { ...exampleReferral(rt.clock.today()).child, dateOfBirth: '2023-01-01' },
      'child',
      DATE_FIELDS,
    )
    const res = await browser.post(
      `/referrals/${id}/child`,
      { ...child, _action: 'continue' },
      `/referrals/${id}/child`,
    )
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('not yet of compulsory school age')
  })

  it('lets another school see nothing of this school’s referral', async () => {
    const mine = new Browser(app)
    await mine.signInAs('attendance@larkspur.demo.onroll.invalid')
    const id = await startDraft(mine)
    const other = new Browser(app)
    await other.signInAs('attendance@kingfisher.demo.onroll.invalid')
    expect((await other.get(`/referrals/${id}`)).statusCode).toBe(403)
    expect((await other.get(`/referrals/${id}/child`)).statusCode).toBe(403)
  })
})
