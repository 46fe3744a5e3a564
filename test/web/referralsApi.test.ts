import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exampleReferral } from '../../src/domain/referralExample.js'
import { demoId, loadDemoData } from '../../src/demo/demoData.js'
import { systemActor } from '../../src/domain/actor.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'
import { buildTestApp } from '../support/web.js'

describe.each(ENGINES)('referrals API on %s', engine => {
  let rt: TestRuntime
  let app: FastifyInstance
  let schoolToken: string
  let otherSchoolToken: string
  let laToken: string
  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadDemoData(rt.db, rt.clock, '317')
    app = await buildTestApp(rt)
    const caller = { actor: systemActor('317', 'system'), request: { requestId: 't', clientIp: null } }
    schoolToken = await rt.services.admin.createToken(caller, {
      organisationId: demoId('org:larkspur'),
      roles: ['school-staff'],
      name: 'MIS',
    })
    otherSchoolToken = await rt.services.admin.createToken(caller, {
      organisationId: demoId('org:kingfisher'),
      roles: ['school-staff'],
      name: 'MIS 2',
    })
    laToken = await rt.services.admin.createToken(caller, {
      organisationId: demoId('org:la'),
      roles: ['ehe-officer'],
      name: 'EHE system',
    })
  })
  afterAll(async () => {
    await app.close()
    await rt.close()
  })

  const post = (body: unknown, token?: string, key?: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/referrals',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(key ? { 'idempotency-key': key } : {}) },
      payload: body as Record<string, unknown>,
    })

  it('accepts a complete referral with 201 and a reference, and puts the child on the Single List', async () => {
    const res = await post(exampleReferral(rt.clock.today()), schoolToken)
    expect(res.statusCode).toBe(201)
    const { reference, status } = res.json<{ reference: string; status: string }>()
    expect(reference).toMatch(/^CME-2026-\d{6}$/)
    expect(status).toBe('submitted')
    const c = await rt.db
      .selectFrom('cases')
      .select(['status', 'referrer_org_id'])
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow()
    expect(c).toEqual({ status: 'received', referrer_org_id: demoId('org:larkspur') })
    const audit = await rt.db.selectFrom('audit_events').select('action').where('actor_kind', '=', 'token').execute()
    expect(audit.map(a => a.action)).toContain('referral.submit')
  })

  it('returns the first result for a retry with the same Idempotency-Key', async () => {
    const body = exampleReferral(rt.clock.today())
    const first = await post(body, schoolToken, 'mis-42')
    const again = await post(body, schoolToken, 'mis-42')
    expect(again.statusCode).toBe(201)
    expect(again.json()).toEqual(first.json())
    expect(again.headers['idempotent-replayed']).toBe('true')
    const both = await Promise.all([post(body, schoolToken, 'mis-43'), post(body, schoolToken, 'mis-43')])
    expect(new Set(both.map(r => r.json<{ reference: string }>().reference)).size).toBe(1)
    const referrals = await rt.db
      .selectFrom('referrals')
      .select('id')
      .where('idempotency_key', 'in', ['mis-42', 'mis-43'])
      .execute()
    expect(referrals).toHaveLength(2)
  })

  it('refuses an incomplete referral with 400 problem+json naming every bad field', async () => {
    const body = exampleReferral(rt.clock.today()) as unknown as Record<string, Record<string, unknown>>
    const broken = { ...body, child: { ...body.child, firstName: '', dateOfBirth: '2016-02-30' }, siblings: undefined }
    const res = await post(broken, schoolToken)
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toContain('application/problem+json')
    const problem = res.json<{ status: number; errors: { pointer: string; detail: string }[] }>()
    expect(problem.status).toBe(400)
    const pointers = problem.errors.map(e => e.pointer)
    expect(pointers).toEqual(expect.arrayContaining(['/child/firstName', '/child/dateOfBirth', '/siblings/answer']))
    expect(problem.errors.find(e => e.pointer === '/child/firstName')?.detail).toBe("Enter the child's first name")
  })

  it('refuses a child outside compulsory school age, saying where to go instead', async () => {
    const body = exampleReferral(rt.clock.today())
    const res = await post({ ...body, child: { ...body.child, dateOfBirth: '2024-01-01' } }, schoolToken)
    expect(res.statusCode).toBe(400)
    expect(JSON.stringify(res.json())).toContain('not yet of compulsory school age')
  })

  it('answers 401 without a token and 403 for a role that cannot refer', async () => {
    expect((await post(exampleReferral(rt.clock.today()))).statusCode).toBe(401)
    const forbidden = await post(exampleReferral(rt.clock.today()), laToken)
    expect(forbidden.statusCode).toBe(403)
    expect(forbidden.json()).toMatchObject({ status: 403 })
  })

  it('tells the referring organisation the status, and anyone else 404', async () => {
    const { reference } = (await post(exampleReferral(rt.clock.today()), schoolToken)).json<{ reference: string }>()
    const mine = await app.inject({
      url: `/api/v1/referrals/${reference}`,
      headers: { authorization: `Bearer ${schoolToken}` },
    })
    expect(mine.statusCode).toBe(200)
    expect(mine.json()).toMatchObject({ reference, status: 'submitted', version: 1, progress: 'Received' })
    expect(mine.headers['cache-control']).toBe('no-store')
    const theirs = await app.inject({
      url: `/api/v1/referrals/${reference}`,
      headers: { authorization: `Bearer ${otherSchoolToken}` },
    })
    expect(theirs.statusCode).toBe(404)
    const bad = await app.inject({
      url: '/api/v1/referrals/not-a-reference',
      headers: { authorization: `Bearer ${schoolToken}` },
    })
    expect(bad.statusCode).toBe(400)
  })

  it('documents both endpoints in the OpenAPI', async () => {
    const doc = (await app.inject('/api/docs/json')).json<{ paths: Record<string, unknown> }>()
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/referrals', '/api/v1/referrals/{reference}']),
    )
  })
})
