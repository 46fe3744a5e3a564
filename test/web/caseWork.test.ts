import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STAGE_TWO_SOURCES } from '../../src/domain/case.js'
import { exampleReferral } from '../../src/domain/referralExample.js'
import { loadDemoData } from '../../src/demo/demoData.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'
import { callerFor } from '../support/callers.js'
import { Browser, buildTestApp } from '../support/web.js'

describe.each(ENGINES)('case work from receipt to outcome on %s', engine => {
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

  async function newCase(): Promise<string> {
    const school = await callerFor(rt, 'attendance@larkspur.demo.onroll.invalid')
    const { reference } = await rt.services.referrals.submitFromApi(
      school,
      exampleReferral(rt.clock.today(), { siblings: { answer: 'no' } }),
      undefined,
    )
    return (await rt.db.selectFrom('cases').select('id').where('reference', '=', reference).executeTakeFirstOrThrow())
      .id
  }
  const version = async (id: string) =>
    (await rt.db.selectFrom('cases').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version
  const status = async (id: string) =>
    (await rt.db.selectFrom('cases').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status
  const today = () => rt.clock.today()
  const dateFields = (name: string, iso: string) => {
    const [y, m, d] = iso.split('-')
    return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! }
  }

  async function workThroughChecks(browser: Browser, id: string) {
    const page = await browser.get(`/cases/${id}`)
    const items = [...page.body.matchAll(/<option value="((?:phone|address|school|contact)-[0-9a-f]{8})"/g)].map(
      m => m[1]!,
    )
    expect(items.length).toBeGreaterThan(2)
    for (const item of new Set(items))
      expect(
        (
          await browser.post(
            `/cases/${id}/checks`,
            { stage: 'one', item, result: 'not-found', ...dateFields('checkedOn', today()) },
            `/cases/${id}`,
          )
        ).statusCode,
      ).toBe(302)
    expect(
      (
        await browser.post(
          `/cases/${id}/actions/start-stage-two`,
          { version: String(await version(id)) },
          `/cases/${id}`,
        )
      ).statusCode,
    ).toBe(302)
    for (const s of STAGE_TWO_SOURCES)
      await browser.post(
        `/cases/${id}/checks`,
        { stage: 'two', item: s.key, result: 'not-found', details: '', ...dateFields('checkedOn', today()) },
        `/cases/${id}`,
      )
    expect(
      (
        await browser.post(
          `/cases/${id}/actions/start-stage-three`,
          { version: String(await version(id)) },
          `/cases/${id}`,
        )
      ).statusCode,
    ).toBe(302)
    expect(await status(id)).toBe('stage-three')
  }

  it('takes a case from receipt to located and closed, every step on the timeline', async () => {
    const id = await newCase()
    const officer = new Browser(app)
    await officer.signInAs('cme.officer@demo.onroll.invalid')
    const triaged = await officer.post(
      `/cases/${id}/triage`,
      { priority: 'high', reason: 'Believed abroad', version: String(await version(id)) },
      `/cases/${id}`,
    )
    expect(triaged.statusCode).toBe(302)
    expect(await status(id)).toBe('triaged')
    expect(
      (
        await officer.post(
          `/cases/${id}/actions/start-stage-one`,
          { version: String(await version(id)) },
          `/cases/${id}`,
        )
      ).statusCode,
    ).toBe(302)
    // Stage two cannot start while the referral's intelligence is unchecked.
    const early = await officer.post(
      `/cases/${id}/actions/start-stage-two`,
      { version: String(await version(id)) },
      `/cases/${id}`,
    )
    expect(early.statusCode).toBe(400)
    expect(early.body).toContain('govuk-error-summary')
    await workThroughChecks(officer, id)
    const outcome = await officer.post(
      `/cases/${id}/actions/record-outcome`,
      {
        version: String(await version(id)),
        outcomeKind: 'located-on-roll-here',
        'evidence.located-on-roll-here.school': 'Larkspur Primary School (demo)',
        ...dateFields('evidence.located-on-roll-here.startDate', today()),
      },
      `/cases/${id}`,
    )
    expect(outcome.statusCode, outcome.body.match(/govuk-error-summary__list[\s\S]*?<\/ul>/)?.[0]).toBe(302)
    expect(
      (await officer.post(`/cases/${id}/actions/close`, { version: String(await version(id)) }, `/cases/${id}`))
        .statusCode,
    ).toBe(302)
    expect(await status(id)).toBe('closed')
    const events = await rt.db
      .selectFrom('case_events')
      .select('summary')
      .where('case_id', '=', id)
      .orderBy('at')
      .execute()
    expect(events.map(e => e.summary).join('\n')).toMatch(
      /Referral received[\s\S]*Priority set to high[\s\S]*Stage one checks started[\s\S]*Outcome recorded[\s\S]*Case closed/,
    )
  })

  it('closes as not found only when the EWS Operational Manager authorises it', async () => {
    const id = await newCase()
    const officer = new Browser(app)
    await officer.signInAs('cme.officer@demo.onroll.invalid')
    await officer.post(
      `/cases/${id}/triage`,
      { priority: 'high', reason: 'x', version: String(await version(id)) },
      `/cases/${id}`,
    )
    await officer.post(`/cases/${id}/actions/start-stage-one`, { version: String(await version(id)) }, `/cases/${id}`)
    await workThroughChecks(officer, id)
    await officer.post(
      `/cases/${id}/checks`,
      { stage: 'three', result: 'visited-not-found', details: 'House empty', ...dateFields('checkedOn', today()) },
      `/cases/${id}`,
    )
    const requested = await officer.post(
      `/cases/${id}/actions/request-closure-not-found`,
      { version: String(await version(id)), reason: 'Every check made; nobody knows where the family went.' },
      `/cases/${id}`,
    )
    expect(requested.statusCode).toBe(302)
    expect(await status(id)).toBe('closure-requested')
    // The officer cannot authorise it.
    const refused = await officer.post(
      `/cases/${id}/actions/authorise-closure`,
      { version: String(await version(id)) },
      `/cases/${id}`,
    )
    expect(refused.statusCode).toBe(400)
    expect(await status(id)).toBe('closure-requested')
    const manager = new Browser(app)
    await manager.signInAs('ews.manager@demo.onroll.invalid')
    const page = await manager.get(`/cases/${id}`)
    expect(page.body).toContain('Authorise closure')
    expect(
      (
        await manager.post(
          `/cases/${id}/actions/authorise-closure`,
          { version: String(await version(id)) },
          `/cases/${id}`,
        )
      ).statusCode,
    ).toBe(302)
    expect(await status(id)).toBe('closed')
    const reopened = await officer.post(
      `/cases/${id}/actions/reopen`,
      { version: String(await version(id)), newInformation: 'A neighbour saw the family in town.' },
      `/cases/${id}`,
    )
    expect(reopened.statusCode).toBe(302)
    expect(await status(id)).toBe('triaged')
  })

  it('turns a second officer’s stale save into a conflict, keeping their input', async () => {
    const id = await newCase()
    const caller = await callerFor(rt, 'cme.officer@demo.onroll.invalid')
    const v = await version(id)
    await rt.services.caseWork.triage(caller, id, { priority: 'high', reason: 'first' }, v)
    await expect(rt.services.caseWork.recordFacts(caller, id, { residency: 'resident' }, v)).rejects.toThrow(
      /changed by someone else/,
    )
    const officer = new Browser(app)
    await officer.signInAs('vco@demo.onroll.invalid')
    const res = await officer.post(`/cases/${id}/notes`, { note: 'Called the school again.' }, `/cases/${id}`)
    expect(res.statusCode).toBe(302)
    const stale = await officer.post(
      `/cases/${id}/facts`,
      { version: String(v), residency: 'resident', safeguardingConcern: 'no', leadProfessional: 'no' },
      `/cases/${id}`,
    )
    expect(stale.statusCode).toBe(409)
    expect(stale.body).toContain('changed by someone else')
  })

  it('turns an awaiting-reply check into a chase task', async () => {
    const id = await newCase()
    const caller = await callerFor(rt, 'cme.officer@demo.onroll.invalid')
    await rt.services.caseWork.triage(caller, id, { priority: 'routine', reason: 'routine' }, await version(id))
    await rt.services.caseWork.addCheck(caller, id, {
      stage: 'two',
      item: 'health',
      result: 'awaiting-reply',
      checkedOn: today(),
    })
    const tasks = await rt.db.selectFrom('tasks').selectAll().where('case_id', '=', id).execute()
    expect(tasks).toHaveLength(1)
    expect(tasks[0]).toMatchObject({ kind: 'chase', description: 'Chase the reply from Health' })
  })
})
