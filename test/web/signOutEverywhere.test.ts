import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemoData } from '../../src/demo/demoData.js'
import { openTestRuntime, type TestRuntime } from '../support/db.js'
import { Browser, buildTestApp } from '../support/web.js'

describe('signing out everywhere', () => {
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

  it('ends every session the person has, on every device', async () => {
    const laptop = new Browser(app)
    const phone = new Browser(app)
    await laptop.signInAs('cme.officer@demo.onroll.invalid')
    await phone.signInAs('cme.officer@demo.onroll.invalid')
    expect((await phone.get('/start')).statusCode).toBe(200)
    await laptop.post('/sign-out', { everywhere: 'yes' }, '/start')
    expect((await phone.get('/start')).statusCode).toBe(302)
    expect((await laptop.get('/start')).statusCode).toBe(302)
  })
})

describe('changing an organisation', () => {
  it('keeps what was typed on a mistake and saves a correct change', async () => {
    const rt = await openTestRuntime('sqlite')
    try {
      await loadDemoData(rt.db, rt.clock, '317')
      const app = await buildTestApp(rt)
      const admin = new Browser(app)
      await admin.signInAs('admin@demo.onroll.invalid')
      const { demoId } = await import('../../src/demo/demoData.js')
      const url = `/admin/organisations/${demoId('org:larkspur')}`
      const bad = await admin.post(
        url,
        { name: 'Larkspur Primary', urn: '12', establishmentNumber: '2001', schoolType: 'community' },
        url,
      )
      expect(bad.statusCode).toBe(400)
      expect(bad.body).toContain('URN must be 6 digits')
      expect(bad.body).toContain('value="Larkspur Primary"')
      const ok = await admin.post(
        url,
        { name: 'Larkspur Primary', urn: '990001', establishmentNumber: '2001', schoolType: 'community' },
        url,
      )
      expect(ok.statusCode).toBe(302)
      const org = await rt.db
        .selectFrom('organisations')
        .select('name')
        .where('id', '=', demoId('org:larkspur'))
        .executeTakeFirstOrThrow()
      expect(org.name).toBe('Larkspur Primary')
      await app.close()
    } finally {
      await rt.close()
    }
  })
})
