import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../src/domain/actor.js'
import { demoId, loadDemoData } from '../../src/demo/demoData.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'
import { buildTestApp } from '../support/web.js'

describe.each(ENGINES)('cases API on %s', engine => {
  let rt: TestRuntime
  let app: FastifyInstance
  let teamToken: string
  let schoolToken: string
  let caseId: string
  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadDemoData(rt.db, rt.clock, '317')
    app = await buildTestApp(rt)
    const caller = { actor: systemActor('317', 'system'), request: { requestId: 't', clientIp: null } }
    teamToken = await rt.services.admin.createToken(caller, {
      organisationId: demoId('org:la'),
      roles: ['cme-information-officer'],
      name: 'team tool',
    })
    schoolToken = await rt.services.admin.createToken(caller, {
      organisationId: demoId('org:larkspur'),
      roles: ['school-staff'],
      name: 'MIS',
    })
    caseId = (await rt.db.selectFrom('cases').select('id').where('status', '=', 'stage-two').executeTakeFirstOrThrow())
      .id
  })
  afterAll(async () => {
    await app.close()
    await rt.close()
  })
  const auth = (t: string) => ({ authorization: `Bearer ${t}` })

  it('reads a case for the CME team and audits it', async () => {
    const res = await app.inject({ url: `/api/v1/cases/${caseId}`, headers: auth(teamToken) })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id: caseId, status: 'stage-two' })
    const events = await rt.db
      .selectFrom('audit_events')
      .select('action')
      .where('case_id', '=', caseId)
      .where('actor_kind', '=', 'token')
      .execute()
    expect(events.map(e => e.action)).toContain('case.view')
  })

  it('adds a stage two check and a note, and refuses bad input with problem+json', async () => {
    const ok = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/checks`,
      headers: auth(teamToken),
      payload: { stage: 'two', item: 'housing', result: 'not-found', checkedOn: rt.clock.today() },
    })
    expect(ok.statusCode).toBe(201)
    const note = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/notes`,
      headers: auth(teamToken),
      payload: { note: 'Housing has no record.' },
    })
    expect(note.statusCode).toBe(201)
    const bad = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/checks`,
      headers: auth(teamToken),
      payload: { stage: 'two', item: 'nowhere', result: 'maybe', checkedOn: '2026-02-30' },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json<{ errors: { pointer: string }[] }>().errors.map(e => e.pointer)).toEqual(
      expect.arrayContaining(['item', 'checkedOn', 'result']),
    )
  })

  it('refuses a school token (403) and an unknown case (404)', async () => {
    expect((await app.inject({ url: `/api/v1/cases/${caseId}`, headers: auth(schoolToken) })).statusCode).toBe(403)
    expect(
      (await app.inject({ url: '/api/v1/cases/00000000-0000-4000-8000-000000000000', headers: auth(teamToken) }))
        .statusCode,
    ).toBe(404)
  })
})
