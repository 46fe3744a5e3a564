import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Clock } from '../../src/domain/clock.js'
import { londonDate } from '../../src/domain/dates.js'
import { loadDemoData } from '../../src/demo/demoData.js'
import { openTestRuntime, type TestRuntime } from '../support/db.js'
import { Browser, buildTestApp } from '../support/web.js'

/** A clock the test moves forward, to cross the idle and absolute session limits. */
function movableClock(start: string) {
  let now = new Date(start).getTime()
  const clock: Clock = { now: () => new Date(now), today: () => londonDate(new Date(now)) }
  return { clock, advanceMinutes: (m: number) => (now += m * 60_000) }
}

describe('session limits', () => {
  let rt: TestRuntime
  let app: FastifyInstance
  const time = movableClock('2026-11-25T09:00:00Z')
  beforeAll(async () => {
    rt = await openTestRuntime('sqlite', { clock: time.clock })
    await loadDemoData(rt.db, rt.clock, '317')
    app = await buildTestApp(rt)
  })
  afterAll(async () => {
    await app.close()
    await rt.close()
  })

  it('keeps an active person signed in past the idle limit, without writing the session on every request', async () => {
    const browser = new Browser(app)
    await browser.signInAs('cme.officer@demo.onroll.invalid')
    const before = await rt.db.selectFrom('sessions').select('expires_at').execute()
    await browser.get('/start')
    await browser.get('/start')
    expect(await rt.db.selectFrom('sessions').select('expires_at').execute()).toEqual(before)
    for (let i = 0; i < 5; i++) {
      time.advanceMinutes(20)
      expect((await browser.get('/start')).statusCode).toBe(200)
    }
  })

  it('ends a session after 30 idle minutes', async () => {
    const browser = new Browser(app)
    await browser.signInAs('cme.officer@demo.onroll.invalid')
    time.advanceMinutes(31)
    expect((await browser.get('/start')).statusCode).toBe(302)
  })

  it('ends a session after 12 hours however active', async () => {
    const browser = new Browser(app)
    await browser.signInAs('cme.officer@demo.onroll.invalid')
    for (let i = 0; i < 25; i++) {
      time.advanceMinutes(29)
      await browser.get('/start')
    }
    expect((await browser.get('/start')).statusCode).toBe(302)
  })
})
