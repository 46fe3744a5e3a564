import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemo } from '../../src/demo/index.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'
import { Browser, buildTestApp } from '../support/web.js'

const IO = 'cme.officer@demo.onroll.invalid'
const VCO = 'vco@demo.onroll.invalid'
const MANAGER = 'ews.manager@demo.onroll.invalid'

describe.each(ENGINES)('escalation, review and half-term note pages on %s', engine => {
  let rt: TestRuntime
  let app: FastifyInstance
  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadDemo(rt, '317')
    app = await buildTestApp(rt)
  })
  afterAll(async () => {
    await app.close()
    await rt.close()
  })

  async function freshOpenCase() {
    return rt.db
      .selectFrom('cases')
      .select(['id', 'reference'])
      .where('status', '=', 'stage-two')
      .where('id', 'not in', rt.db.selectFrom('escalations').select('case_id'))
      .orderBy('reference')
      .executeTakeFirstOrThrow()
  }

  it('lets a worker escalate from the case page, and the VCO answer from Escalated to me', async () => {
    const c = await freshOpenCase()
    const io = new Browser(app)
    await io.signInAs(IO)
    const page = await io.get(`/cases/${c.id}`)
    expect(page.body).toContain(`href="/cases/${c.id}/escalate"`)
    expect(page.body).toContain('This case has not been escalated.')
    const question = await io.get(`/cases/${c.id}/escalate`)
    expect(question.statusCode).toBe(200)
    expect(question.body).toContain('Escalate to the Vulnerable Children&#39;s Officer')

    const empty = await io.post(`/cases/${c.id}/escalate`, { reason: '' }, `/cases/${c.id}/escalate`)
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('There is a problem')
    expect(empty.body).toContain('Enter why the case needs escalating')
    const sent = await io.post(
      `/cases/${c.id}/escalate`,
      { reason: 'Father refuses all contact' },
      `/cases/${c.id}/escalate`,
    )
    expect(sent.statusCode).toBe(302)
    expect(sent.headers.location).toBe(`/cases/${c.id}#escalations`)
    const after = await io.get(`/cases/${c.id}`)
    expect(after.body).toContain('Escalated to the Vulnerable Children&#39;s Officer: Father refuses all contact')
    expect(after.body).toContain('Waiting for an answer')

    const vco = new Browser(app)
    await vco.signInAs(VCO)
    const queue = await vco.get('/escalations')
    expect(queue.statusCode).toBe(200)
    expect(queue.headers['cache-control']).toContain('no-store')
    expect(queue.body).toContain(c.reference)
    const e = await rt.db.selectFrom('escalations').select('id').where('case_id', '=', c.id).executeTakeFirstOrThrow()
    const bad = await vco.post(`/escalations/${e.id}`, { decision: 'instruction', note: '' }, `/escalations/${e.id}`)
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Write the instruction')
    expect(bad.body).toContain('value="instruction" checked')
    const ok = await vco.post(
      `/escalations/${e.id}`,
      { decision: 'instruction', note: 'Arrange a joint visit with social care' },
      `/escalations/${e.id}`,
    )
    expect(ok.statusCode).toBe(302)
    expect((await vco.get('/escalations')).body).not.toContain(`/escalations/${e.id}"`)
    const answered = await io.get(`/cases/${c.id}`)
    expect(answered.body).toContain('Instruction given')
    expect(answered.body).toContain('Arrange a joint visit with social care')
  })

  it('offers escalation only where the lifecycle allows it', async () => {
    const io = new Browser(app)
    await io.signInAs(IO)
    const received = await rt.db
      .selectFrom('cases')
      .select('id')
      .where('status', '=', 'received')
      .executeTakeFirstOrThrow()
    expect((await io.get(`/cases/${received.id}`)).body).toContain(`href="/cases/${received.id}/escalate"`)
    const closed = await rt.db.selectFrom('cases').select('id').where('status', '=', 'closed').executeTakeFirstOrThrow()
    expect((await io.get(`/cases/${closed.id}`)).body).not.toContain(`/cases/${closed.id}/escalate`)
    const refused = await io.post(
      `/cases/${closed.id}/escalate`,
      { reason: 'Too late' },
      `/cases/${closed.id}/escalate`,
    )
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('Escalate case is not possible: the case is closed')
    // The generic action route does not bypass the escalation record.
    const generic = await io.post(`/cases/${received.id}/actions/escalate`, { reason: 'x' }, `/cases/${received.id}`)
    expect(generic.statusCode).toBe(404)
  })

  it('refuses the queue to those outside the chain and the answer to those below its level', async () => {
    const ewo = new Browser(app)
    await ewo.signInAs('ewo@demo.onroll.invalid')
    expect((await ewo.get('/escalations')).statusCode).toBe(403)
    const atManager = await rt.db
      .selectFrom('escalations')
      .select('id')
      .where('level', '=', 'ews-operational-manager')
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow()
    const io = new Browser(app)
    await io.signInAs(IO)
    const page = await io.get(`/escalations/${atManager.id}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Only the EWS Operational Manager or someone above them can answer')
    expect((await io.post(`/escalations/${atManager.id}`, { decision: 'resolved' }, '/escalations')).statusCode).toBe(
      403,
    )
  })

  it('shows the Corporate Director that nothing goes further inside onroll', async () => {
    const top = await rt.db
      .selectFrom('escalations')
      .select('id')
      .where('level', '=', 'corporate-director')
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow()
    const cd = new Browser(app)
    await cd.signInAs('corp.director@demo.onroll.invalid')
    const page = await cd.get(`/escalations/${top.id}`)
    expect(page.body).toContain('Record the answer')
    expect(page.body).not.toContain('value="escalate-further"')
    const nav = await cd.get('/escalations')
    expect(nav.body).toContain('href="/escalations"')
  })

  it('counts open escalations on the oversight page and links to the queue and the half-term notes', async () => {
    const open = await rt.db.selectFrom('escalations').select('id').where('status', '=', 'open').execute()
    const manager = new Browser(app)
    await manager.signInAs(MANAGER)
    const page = await manager.get('/oversight')
    expect(page.body).toContain(
      `<a class="govuk-link" href="/escalations">${String(open.length)}<span class="govuk-visually-hidden"> escalations waiting`,
    )
    expect(page.body).toContain('href="/oversight/notes"')
    const notes = await manager.get('/oversight/notes')
    expect(notes.statusCode).toBe(200)
    const note = await rt.db.selectFrom('reports').select('id').executeTakeFirstOrThrow()
    expect(notes.body).toContain(`/oversight/notes/${note.id}`)
    const one = await manager.get(`/oversight/notes/${note.id}`)
    expect(one.statusCode).toBe(200)
    expect(one.body).toContain('Total closed')
    expect((await manager.get('/oversight/notes/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404)
  })

  it('records the review of a case closed as not found from the case page, keeping what was typed on a problem', async () => {
    const task = await rt.db
      .selectFrom('tasks')
      .select(['id', 'case_id'])
      .where('kind', '=', 'review')
      .where('done_on', 'is', null)
      .executeTakeFirstOrThrow()
    const io = new Browser(app)
    await io.signInAs(IO)
    const casePage = await io.get(`/cases/${task.case_id}`)
    expect(casePage.body).toContain(`/cases/${task.case_id}/reviews/${task.id}`)
    const url = `/cases/${task.case_id}/reviews/${task.id}`
    const bad = await io.post(
      url,
      {
        sources: ['health'],
        findings: 'Nothing new',
        'reviewedOn-day': '31',
        'reviewedOn-month': '2',
        'reviewedOn-year': '2026',
      },
      url,
    )
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Date of the review must be a real date')
    expect(bad.body).toContain('Select whether to confirm the closure or reopen the case')
    expect(bad.body).toContain('value="health" checked')
    const [y, m, d] = rt.clock.today().split('-')
    const ok = await io.post(
      url,
      {
        sources: ['health', 'police'],
        findings: 'Nothing new',
        decision: 'confirm',
        'reviewedOn-day': d!,
        'reviewedOn-month': m!,
        'reviewedOn-year': y!,
      },
      url,
    )
    expect(ok.statusCode).toBe(302)
    const done = await io.get(url)
    expect(done.body).toContain('This review was recorded on')
  })
})
