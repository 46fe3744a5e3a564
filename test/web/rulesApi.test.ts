import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemoData } from '../../src/demo/demoData.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'
import { buildTestApp } from '../support/web.js'
import { groundIFacts } from '../support/deletionFacts.js'

/** The rules API needs no token: every call here is anonymous, as another system's would be. */
describe.each(ENGINES)('rules API on %s', engine => {
  let rt: TestRuntime
  let app: FastifyInstance

  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadDemoData(rt.db, rt.clock, '317')
    app = await buildTestApp(rt)
  }, 60_000)
  afterAll(async () => {
    await app.close()
    await rt.close()
  })

  const get = (url: string) => app.inject({ method: 'GET', url })

  const expectProblem = (res: Awaited<ReturnType<typeof get>>, status: number) => {
    expect(res.statusCode).toBe(status)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    return res.json<{ title: string; detail: string; errors?: { pointer: string; detail: string }[] }>()
  }

  describe('GET /api/v1/rules/compulsory-school-age', () => {
    it('gives the start and end of compulsory school age', async () => {
      const res = await get('/api/v1/rules/compulsory-school-age?dateOfBirth=2015-02-28')
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({ dateOfBirth: '2015-02-28', startsOn: '2020-03-31', endsOn: '2031-06-27' })
    })

    it('says whether the child is of compulsory school age on a date, both ends included', async () => {
      const on = (date: string) => get(`/api/v1/rules/compulsory-school-age?dateOfBirth=2015-02-28&on=${date}`)
      expect((await on('2020-03-31')).json()).toMatchObject({ on: '2020-03-31', isOfCompulsorySchoolAge: true })
      expect((await on('2020-03-30')).json()).toMatchObject({ isOfCompulsorySchoolAge: false })
      expect((await on('2031-06-27')).json()).toMatchObject({ isOfCompulsorySchoolAge: true })
      expect((await on('2031-06-28')).json()).toMatchObject({ isOfCompulsorySchoolAge: false })
    })

    it('answers an impossible date with a 400 problem naming the parameter', async () => {
      const body = expectProblem(await get('/api/v1/rules/compulsory-school-age?dateOfBirth=2015-02-29'), 400)
      expect(body.errors).toEqual([
        { pointer: '/querystring/dateOfBirth', detail: 'dateOfBirth must be a real date in the form YYYY-MM-DD' },
      ])
      const on = expectProblem(
        await get('/api/v1/rules/compulsory-school-age?dateOfBirth=2015-02-28&on=28/11/2026'),
        400,
      )
      expect(on.errors).toEqual([
        { pointer: '/querystring/on', detail: 'on must be a real date in the form YYYY-MM-DD' },
      ])
    })

    it('answers a missing parameter with a 400 problem naming it', async () => {
      const body = expectProblem(await get('/api/v1/rules/compulsory-school-age'), 400)
      expect(body.errors).toEqual([
        { pointer: '/querystring/dateOfBirth', detail: 'dateOfBirth is required (YYYY-MM-DD)' },
      ])
    })
  })

  describe('GET /api/v1/rules/upn/{upn}', () => {
    it('accepts a valid UPN, ignoring spaces', async () => {
      const res = await get('/api/v1/rules/upn/F801%20200%20100%20001')
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({ upn: 'F801200100001', valid: true, temporary: false, problems: [] })
    })

    it('reports every problem with a bad UPN and the temporary form', async () => {
      expect((await get('/api/v1/rules/upn/A801200100001')).json()).toEqual({
        upn: 'A801200100001',
        valid: false,
        temporary: false,
        problems: ['The check letter does not match the rest of the UPN: check it has been copied correctly'],
      })
      const temporary = (await get('/api/v1/rules/upn/A80120010000A')).json<{ temporary: boolean }>()
      expect(temporary.temporary).toBe(true)
      const un = (await get('/api/v1/rules/upn/UN1')).json<{ valid: boolean; problems: string[] }>()
      expect(un.valid).toBe(false)
      expect(un.problems[0]).toMatch(/leave the UPN empty/i)
    })

    it('refuses an absurdly long UPN with a 400 problem', async () => {
      const body = expectProblem(await get(`/api/v1/rules/upn/${'1'.repeat(41)}`), 400)
      expect(body.errors?.[0]?.pointer).toBe('/params/upn')
    })
  })

  describe('GET /api/v1/rules/school-days', () => {
    it('counts school days, both ends included, in the LA default calendar', async () => {
      const res = await get('/api/v1/rules/school-days?from=2026-11-02&to=2026-11-30')
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({ from: '2026-11-02', to: '2026-11-30', schoolDays: 21 })
      // A half-term week is not counted.
      expect((await get('/api/v1/rules/school-days?from=2026-10-26&to=2026-10-30')).json()).toMatchObject({
        schoolDays: 0,
      })
    })

    it('counts in a school’s own calendar, or the LA default for a school without one', async () => {
      expect((await get('/api/v1/rules/school-days?from=2026-11-02&to=2026-11-30&school=990002')).json()).toMatchObject(
        {
          schoolDays: 20,
        },
      )
      expect((await get('/api/v1/rules/school-days?from=2026-11-02&to=2026-11-30&school=990001')).json()).toMatchObject(
        {
          schoolDays: 21,
        },
      )
    })

    it('answers an unknown URN with a 404 problem', async () => {
      const body = expectProblem(
        await get('/api/v1/rules/school-days?from=2026-11-02&to=2026-11-30&school=123456'),
        404,
      )
      expect(body.detail).toBe('School with URN 123456 was not found.')
    })

    it('answers a range without term dates with a 422 problem whose detail is the sentence', async () => {
      const body = expectProblem(await get('/api/v1/rules/school-days?from=2026-11-02&to=2027-11-30'), 422)
      expect(body).toMatchObject({
        title: 'No term dates',
        detail: 'No term dates for 2027/28 in the Redbridge (demo) term dates calendar',
      })
    })

    it('answers bad and missing dates, a bad URN and a backwards range with 400 problems naming each', async () => {
      const bad = expectProblem(await get('/api/v1/rules/school-days?from=2026-11-31&school=99'), 400)
      expect(bad.errors).toEqual([
        { pointer: '/querystring/from', detail: 'from must be a real date in the form YYYY-MM-DD' },
        { pointer: '/querystring/to', detail: 'to is required (YYYY-MM-DD)' },
        { pointer: '/querystring/school', detail: 'school must be a school URN: 6 digits' },
      ])
      const backwards = expectProblem(await get('/api/v1/rules/school-days?from=2026-11-30&to=2026-11-02'), 400)
      expect(backwards.errors).toEqual([{ pointer: '/querystring/to', detail: 'to must be the same as or after from' }])
    })
  })

  describe('GET /api/v1/rules/school-days/add', () => {
    it('gives the Nth school day after a date, not counting the date itself', async () => {
      expect((await get('/api/v1/rules/school-days/add?from=2026-11-02&days=20')).json()).toEqual({
        from: '2026-11-02',
        days: 20,
        date: '2026-11-30',
      })
      // Friday to Monday; and across Christmas into the spring term (4 January 2027 is an INSET day).
      expect((await get('/api/v1/rules/school-days/add?from=2026-11-27&days=1')).json()).toMatchObject({
        date: '2026-11-30',
      })
      expect((await get('/api/v1/rules/school-days/add?from=2026-12-18&days=1')).json()).toMatchObject({
        date: '2027-01-05',
      })
      expect((await get('/api/v1/rules/school-days/add?from=2026-11-02&days=20&school=990002')).json()).toMatchObject({
        date: '2026-12-01',
      })
    })

    it('answers a count beyond the known term dates with a 422 problem', async () => {
      const body = expectProblem(await get('/api/v1/rules/school-days/add?from=2027-07-01&days=30'), 422)
      expect(body.detail).toBe('No term dates for 2027/28 in the Redbridge (demo) term dates calendar')
    })

    it('answers a missing or bad number of days with a 400 problem naming it', async () => {
      const missing = expectProblem(await get('/api/v1/rules/school-days/add?from=2026-11-02'), 400)
      expect(missing.errors).toEqual([{ pointer: '/querystring/days', detail: 'days is required' }])
      for (const days of ['0', '2.5', 'ten', '1001', '-1']) {
        const bad = expectProblem(await get(`/api/v1/rules/school-days/add?from=2026-11-02&days=${days}`), 400)
        expect(bad.errors).toEqual([
          { pointer: '/querystring/days', detail: 'days must be a whole number from 1 to 1000' },
        ])
      }
      const unknown = expectProblem(
        await get('/api/v1/rules/school-days/add?from=2026-11-02&days=3&school=654321'),
        404,
      )
      expect(unknown.detail).toBe('School with URN 654321 was not found.')
    })
  })

  describe('POST /api/v1/rules/deletion-check', () => {
    const post = (payload: unknown) =>
      app.inject({ method: 'POST', url: '/api/v1/rules/deletion-check', payload: payload as object })

    it('allows deletion under Ground I after 20 school days of G, N or O and the LA’s part of the enquiries', async () => {
      const facts = await groundIFacts(rt, '317')
      const res = await post(facts)
      expect(res.statusCode).toBe(200)
      const body = res.json<{
        allowedToday: boolean
        applicableGrounds: string[]
        earliestDate: string
        reasons: string[]
        policyVersion: number
        calendar: string
        grounds: { ground: string; status: string }[]
        deletionReturns: { ground: string; fields: { key: string; required: boolean }[] }[]
      }>()
      expect(body).toMatchObject({
        today: '2026-11-25',
        allowedToday: true,
        applicableGrounds: ['I'],
        earliestDate: '2026-11-25',
        reasons: [],
        policyVersion: 1,
        calendar: 'Redbridge (demo) term dates',
      })
      expect(body.grounds.find(g => g.ground === 'I')?.status).toBe('applies')
      expect(body.deletionReturns.map(r => r.ground)).toEqual(['I'])
      expect(body.deletionReturns[0]?.fields.find(f => f.key === 'pupil.fullName')?.required).toBe(true)
    })

    it('blocks an EHCP pupil under the protocol whatever the day count, saying why', async () => {
      const facts = { ...(await groundIFacts(rt, '317')), hasEhcp: true }
      const body = (await post(facts)).json<{ allowedToday: boolean; protocolBlocks: string[]; reasons: string[] }>()
      expect(body.allowedToday).toBe(false)
      expect(body.protocolBlocks).toContain(
        'The pupil has an EHCP: under the borough protocol the name stays on roll, whatever the ground or day count, until a new education provision is confirmed and the child is attending there',
      )
      expect(body.reasons).toContain(
        'The pupil has an EHCP: consult the LA’s SEN team before removing the name (borough protocol)',
      )
    })

    it('never calls a pupil eligible without the LA’s part of the joint enquiries', async () => {
      const facts = await groundIFacts(rt, '317')
      const body = (await post({ ...facts, enquiries: { schoolMade: true } })).json<{
        allowedToday: boolean
        earliestDate?: string
        reasons: string[]
      }>()
      expect(body.allowedToday).toBe(false)
      expect(body.earliestDate).toBeUndefined()
      expect(body.reasons.some(r => r.includes('LA’s part of the joint enquiries'))).toBe(true)
    })

    it('counts in the school’s calendar when a URN is given, and 404s an unknown one', async () => {
      const facts = await groundIFacts(rt, '317')
      const kingfisher = (await post({ ...facts, school: '990002' })).json<{ calendar: string }>()
      expect(kingfisher.calendar).toBe('Kingfisher Academy (demo) term dates')
      expectProblem(await post({ ...facts, school: '123456' }), 404)
    })

    it('answers bad facts with a 400 problem pointing at each', async () => {
      const body = expectProblem(
        await post({ lastAttendedOn: '2026-02-30', hasEhcp: 'yes', sessions: [{ date: '2026-11-02', am: 'N' }] }),
        400,
      )
      expect(body.errors).toEqual(
        expect.arrayContaining([
          { pointer: '/body/lastAttendedOn', detail: 'lastAttendedOn must be a real date in the form YYYY-MM-DD' },
          { pointer: '/body/sessions/0/pm', detail: 'must be an attendance code' },
          { pointer: '/body/hasEhcp', detail: 'must be true or false' },
        ]),
      )
      const empty = expectProblem(await app.inject({ method: 'POST', url: '/api/v1/rules/deletion-check' }), 400)
      expect(empty.errors).toEqual([{ pointer: '/body', detail: 'The body must be a JSON object of pupil facts' }])
    })
  })

  it('documents every rules endpoint in the OpenAPI document, with no security', async () => {
    const doc = (await get('/api/docs/json')).json<{
      paths: Record<string, Record<string, { security?: unknown[]; tags?: string[] }>>
    }>()
    const paths = {
      '/api/v1/rules/compulsory-school-age': 'get',
      '/api/v1/rules/upn/{upn}': 'get',
      '/api/v1/rules/school-days': 'get',
      '/api/v1/rules/school-days/add': 'get',
      '/api/v1/rules/deletion-check': 'post',
    }
    for (const [path, method] of Object.entries(paths)) {
      const op = doc.paths[path]?.[method]
      expect(op, path).toBeDefined()
      expect(op?.security).toEqual([])
      expect(op?.tags).toEqual(['rules'])
    }
  })
})
