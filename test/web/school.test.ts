import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoId, loadDemoData } from '../../src/demo/demoData.js'
import { loadDemoRolls } from '../../src/demo/demoRolls.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'
import { Browser, buildTestApp } from '../support/web.js'
import { typedDate } from '../../src/web/formState.js'

const OFFICER = 'attendance@larkspur.demo.onroll.invalid'
const KINGFISHER = 'attendance@kingfisher.demo.onroll.invalid'

describe.each(ENGINES)('the school pages on %s', engine => {
  let rt: TestRuntime
  let app: FastifyInstance
  const pupilId = demoId('pupil:larkspur:30')
  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadDemoData(rt.db, rt.clock, '317')
    await loadDemoRolls(rt.db, rt.clock, '317')
    app = await buildTestApp(rt)
  })
  afterAll(async () => {
    await app.close()
    await rt.close()
  })

  it('walks a pupil from stopped attending through the enquiries to a pre-filled referral', async () => {
    const b = new Browser(app)
    await b.signInAs(OFFICER)
    const dash = await b.get('/school')
    expect(dash.statusCode).toBe(200)
    expect(dash.headers['cache-control']).toContain('no-store')
    expect((await b.get('/school/roll')).statusCode).toBe(200)
    const search = await b.post('/school/concerns/new', { search: 'a' }, '/school/concerns/new')
    expect(search.statusCode).toBe(200)
    expect((await b.get(`/school/concerns/new/${pupilId}`)).statusCode).toBe(200)
    const bad = await b.post(
      `/school/concerns/new/${pupilId}`,
      { circumstance: 'stopped-attending' },
      `/school/concerns/new/${pupilId}`,
    )
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Enter the date of last attendance')
    const made = await b.post(
      `/school/concerns/new/${pupilId}`,
      { circumstance: 'stopped-attending', ...typedDate('lastAttendedOn', '2026-11-13'), flags: [] },
      `/school/concerns/new/${pupilId}`,
    )
    expect(made.statusCode).toBe(302)
    const concernUrl = made.headers.location!
    const page = await b.get(concernUrl)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Phone every number and emergency contact')
    expect((await b.get(`${concernUrl}/contacts?kind=phone`)).statusCode).toBe(200)
    const phone = /<option value="(07[0-9 ]+)"/.exec((await b.get(`${concernUrl}/contacts`)).body)?.[1]
    expect(phone).toBeTruthy()
    const address = /<option value="([^"]*IG9[^"]*)"/.exec((await b.get(`${concernUrl}/contacts`)).body)?.[1]
    const log = (form: Record<string, string>) =>
      b.post(
        `${concernUrl}/contacts`,
        { madeBy: 'Dana Hughes', riskOfHarm: 'no', ...typedDate('contactedOn', '2026-11-17'), ...form },
        `${concernUrl}/contacts`,
      )
    expect((await log({ kind: 'phone', target: phone!, result: 'no-answer' })).statusCode).toBe(302)
    expect(
      (await log({ kind: 'letter', target: address!.replace(/&#39;/g, "'"), result: 'no-answer' })).statusCode,
    ).toBe(302)
    expect(
      (
        await log({
          kind: 'home-visit',
          visitBy: 'ewo',
          result: 'not-at-address',
          learntTravel: 'Neighbour says they flew out',
        })
      ).statusCode,
    ).toBe(302)
    const early = await b.post(
      `${concernUrl}/outcome`,
      { outcome: 'whereabouts-unknown', ...typedDate('failedOn', '2026-11-20') },
      `${concernUrl}/outcome`,
    )
    expect(early.statusCode).toBe(400)
    expect(early.body).toContain('Consult the education welfare officer before referring')
    expect(
      (
        await b.post(
          `${concernUrl}/ewo`,
          { ewoName: 'Casey Brooks', advice: 'Refer now', ...typedDate('consultedOn', '2026-11-20') },
          `${concernUrl}/ewo`,
        )
      ).statusCode,
    ).toBe(302)
    const done = await b.post(
      `${concernUrl}/outcome`,
      { outcome: 'whereabouts-unknown', ...typedDate('failedOn', '2026-11-20') },
      `${concernUrl}/outcome`,
    )
    expect(done.statusCode).toBe(302)
    const after = await b.get(concernUrl)
    expect(after.body).toContain('Make the CME referral')
    const ref = await b.post(`${concernUrl}/referral`, {}, concernUrl)
    expect(ref.statusCode).toBe(302)
    expect(ref.headers.location).toMatch(/^\/referrals\/[0-9a-f-]{36}$/)
    const tasks = await b.get(ref.headers.location!)
    expect(tasks.statusCode).toBe(200)
    expect(tasks.body).toContain('Completed')
    const again = await b.post(`${concernUrl}/referral`, {}, concernUrl)
    expect(again.headers.location).toBe(ref.headers.location)
    const board = await b.get('/school')
    expect(board.body).toContain('Referral not sent')
  })

  it('closes an explained absence with no referral, and sends a pupil at a new school to the deletion check', async () => {
    const b = new Browser(app)
    await b.signInAs(OFFICER)
    const record = async (pupil: string) => {
      const url = `/school/concerns/new/${demoId(pupil)}`
      const res = await b.post(
        url,
        { circumstance: 'left-without-notice', ...typedDate('lastAttendedOn', '2026-11-18') },
        url,
      )
      expect(res.statusCode).toBe(302)
      return res.headers.location!
    }
    const explained = await record('pupil:larkspur:41')
    const noContact = await b.post(
      `${explained}/outcome`,
      { outcome: 'absence-explained', explanation: 'Ill' },
      `${explained}/outcome`,
    )
    expect(noContact.statusCode).toBe(400)
    expect(noContact.body).toContain('Log the contact with the family that explained the absence')
    expect(noContact.body).toContain('>Ill</textarea>')
    await b.post(
      `${explained}/contacts`,
      {
        kind: 'phone',
        targetOther: '020 7946 0111',
        madeBy: 'Dana Hughes',
        result: 'contact-made',
        riskOfHarm: 'no',
        ...typedDate('contactedOn', '2026-11-20'),
      },
      `${explained}/contacts`,
    )
    expect(
      (
        await b.post(
          `${explained}/outcome`,
          { outcome: 'absence-explained', explanation: 'Ill' },
          `${explained}/outcome`,
        )
      ).statusCode,
    ).toBe(302)
    const closed = await b.get(explained)
    expect(closed.body).toContain('Closed')
    expect(closed.body).toContain('020 7946 0111')
    expect(closed.body).not.toContain('Make the CME referral')
    expect((await b.get(`${explained}/contacts`)).statusCode).toBe(302)

    const moved = await record('pupil:larkspur:42')
    const half = await b.post(`${moved}/outcome`, { outcome: 'new-school', newSchool: 'Beechwood' }, `${moved}/outcome`)
    expect(half.statusCode).toBe(400)
    expect(half.body).toContain('The new school must confirm the pupil is on its roll')
    const done = await b.post(
      `${moved}/outcome`,
      {
        outcome: 'new-school',
        newSchool: 'Beechwood',
        newSchoolConfirmed: 'yes',
        ...typedDate('recordsRequestedOn', '2026-11-23'),
      },
      `${moved}/outcome`,
    )
    expect(done.statusCode).toBe(302)
    const page = await b.get(moved)
    expect(page.body).toContain('At a new school')
    expect(page.body).toContain(`/school/pupils/${demoId('pupil:larkspur:42')}/leaving`)
    expect((await b.post(`${moved}/referral`, {}, moved)).headers.location).toBe(moved)
  })

  it('keeps one school out of another school’s pupils and concerns', async () => {
    const b = new Browser(app)
    await b.signInAs(KINGFISHER)
    expect((await b.get(`/school/pupils/${pupilId}`)).statusCode).toBe(403)
    const concern = await rt.db
      .selectFrom('pupil_concerns')
      .select('id')
      .where('pupil_id', '=', pupilId)
      .executeTakeFirstOrThrow()
    expect((await b.get(`/school/concerns/${concern.id}`)).statusCode).toBe(403)
    const la = new Browser(app)
    await la.signInAs('cme.officer@demo.onroll.invalid')
    expect((await la.get('/school')).statusCode).toBe(403)
  })

  it('imports a roll, reporting every bad row and importing nothing until it is right', async () => {
    const b = new Browser(app)
    await b.signInAs(OFFICER)
    expect((await b.get('/school/roll/import')).statusCode).toBe(200)
    const header = 'upn,legal_first_name,legal_last_name,date_of_birth,gender,admission_date'
    const bad = [
      header,
      'A801200126001,Ada,Alderbrook,2018-10-04,F,2022-09-05',
      'A801200126002,,Brook,2018-02-30,Q,2022-09-05',
    ].join('\n')
    const res = await b.post('/school/roll/import', { text: bad }, '/school/roll/import')
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('Nothing was imported')
    expect(res.body).toMatch(/<td[^>]*>3<\/td>/)
    const before = await rt.db
      .selectFrom('pupils')
      .select('id')
      .where('school_id', '=', demoId('org:larkspur'))
      .execute()
    expect(before.length).toBe(56)
    const roll = await b.get('/school/roll/add')
    expect(roll.statusCode).toBe(200)
  })
})
