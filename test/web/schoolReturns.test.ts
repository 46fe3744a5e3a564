import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoId, loadDemoData } from '../../src/demo/demoData.js'
import { loadDemoReturns } from '../../src/demo/demoReturns.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'
import { addOpenCase, addPupil } from '../support/pupils.js'
import { Browser, buildTestApp } from '../support/web.js'
import { typedDate } from '../../src/web/formState.js'

const LARKSPUR = 'attendance@larkspur.demo.onroll.invalid'

describe.each(ENGINES)('the school’s leaving and returns pages on %s', engine => {
  let rt: TestRuntime
  let app: FastifyInstance
  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadDemoData(rt.db, rt.clock, '317')
    await loadDemoReturns(rt.db, rt.clock, rt.services, '317')
    app = await buildTestApp(rt)
  }, 60_000)
  afterAll(async () => {
    await app.close()
    await rt.close()
  })

  it('answers "can I remove this pupil?" for a pupil with an EHCP: no, and why', async () => {
    const browser = new Browser(app)
    await browser.signInAs(LARKSPUR)
    const url = `/school/pupils/${demoId('pupil:leavers:ehcp')}/leaving`
    const page = await browser.get(url)
    expect(page.statusCode).toBe(200)
    expect(page.headers['cache-control']).toBe('no-store')
    const res = await browser.post(
      url,
      {
        ...typedDate('firstDayOfAbsence', '2026-09-21'),
        absence: 'absenceDeclared',
        steps: ['schoolEnquiries', 'ewsAgreedRemoval'],
      },
      url,
    )
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('may not be deleted today')
    expect(res.body).toContain('has an EHCP')
    expect(res.body).not.toContain('Delete the name and send the return')
    // Posting the record form anyway is refused by the service, and the page says why.
    const forced = await browser.post(
      `${url}/record`,
      {
        facts: JSON.stringify({ ...typedDate('firstDayOfAbsence', '2026-09-21'), absence: 'absenceDeclared' }),
        ground: 'I',
        ...typedDate('deletedOn', '2026-11-25'),
        'parents-0-fullName': 'A',
        'parents-0-address': 'B',
        'parents-0-emergencyPhone': '1',
      },
      url,
    )
    expect(forced.statusCode).toBe(400)
    expect(forced.body).toContain('There is a problem')
    expect(forced.body).toContain('Ground I does not apply')
  })

  it('re-renders bad dates with what was typed', async () => {
    const browser = new Browser(app)
    await browser.signInAs(LARKSPUR)
    const url = `/school/pupils/${demoId('pupil:leavers:ehcp')}/leaving`
    const res = await browser.post(
      url,
      { 'firstDayOfAbsence-day': '31', 'firstDayOfAbsence-month': '2', 'firstDayOfAbsence-year': '2026' },
      url,
    )
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('First day of absence must be a real date')
    expect(res.body).toContain('value="31"')
  })

  it('deletes under Ground I through the pages, then makes and serves the lost-pupil CTF', async () => {
    const pupilId = await addPupil(rt, 'larkspur', { first_name: 'Wren', last_name: 'Pagefield', upn: 'B801200005001' })
    const caseId = await addOpenCase(rt, {
      firstName: 'Wren',
      lastName: 'Pagefield',
      dateOfBirth: '2016-04-02',
      upn: null,
    })
    const officer = new Browser(app)
    await officer.signInAs('cme.officer@demo.onroll.invalid')
    const links = `/cases/${caseId}/school-links`
    expect((await officer.post(`/cases/${caseId}/la-enquiries`, { details: '' }, links)).statusCode).toBe(400)
    expect(
      (
        await officer.post(
          `/cases/${caseId}/la-enquiries`,
          { ...typedDate('recordedOn', '2026-11-23'), details: 'Lost Pupil Database: no trace' },
          links,
        )
      ).statusCode,
    ).toBe(302)

    const browser = new Browser(app)
    await browser.signInAs(LARKSPUR)
    const url = `/school/pupils/${pupilId}/leaving`
    const facts = {
      ...typedDate('firstDayOfAbsence', '2026-10-19'),
      absence: 'absenceDeclared',
      steps: ['schoolEnquiries', 'ewsAgreedRemoval'],
      ...typedDate('cmeReferralOn', '2026-11-02'),
    }
    const checked = await browser.post(url, facts, url)
    expect(checked.body).toContain('Yes: the name may be deleted today')
    const factsJson = /name="facts" value="([^"]*)"/.exec(checked.body)?.[1]?.replace(/&quot;/g, '"') ?? ''
    const recorded = await browser.post(
      `${url}/record`,
      {
        facts: factsJson,
        ground: 'I',
        ...typedDate('deletedOn', '2026-11-25'),
        'parents-0-fullName': 'Sam Pagefield',
        'parents-0-address': '1 Heron Way',
        'parents-0-emergencyPhone': '07700 900123',
      },
      url,
    )
    expect(recorded.statusCode).toBe(302)
    expect((await browser.get(url)).body).toContain('under Ground I')

    const ctfUrl = `/school/pupils/${pupilId}/ctf`
    expect(
      (await browser.post(ctfUrl, { destination: 'school', laCode: '31', establishmentNumber: '' }, ctfUrl)).statusCode,
    ).toBe(400)
    expect((await browser.post(ctfUrl, { destination: 'unknown' }, ctfUrl)).statusCode).toBe(302)
    const page = await browser.get(ctfUrl)
    const ctfId = /\/school\/ctf\/([0-9a-f-]{36})\/download/.exec(page.body)?.[1]
    const file = await browser.get(`/school/ctf/${ctfId ?? ''}/download`)
    expect(file.statusCode).toBe(200)
    expect(file.headers['cache-control']).toBe('no-store')
    expect(file.headers['content-disposition']).toMatch(/attachment; filename="3172001_CTF_XXXXXXX_\d{3}\.xml"/)
    expect(file.body).toContain('<CTfile>')

    const other = new Browser(app)
    await other.signInAs('attendance@kingfisher.demo.onroll.invalid')
    expect((await other.get(`/school/ctf/${ctfId ?? ''}/download`)).statusCode).toBe(403)
    expect((await other.get(url)).statusCode).toBe(403)
  })

  it('admits a pupil with an error summary for bad answers, then sends the return', async () => {
    const browser = new Browser(app)
    await browser.signInAs(LARKSPUR)
    const bad = await browser.post(
      '/school/admissions/new',
      { firstName: 'Tam', 'dateOfBirth-day': '40', 'dateOfBirth-month': '2', 'dateOfBirth-year': '2018' },
      '/school/admissions/new',
    )
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Enter the pupil’s last name')
    expect(bad.body).toContain('Date of birth must be a real date')
    expect(bad.body).toContain('value="Tam"')
    const ok = await browser.post(
      '/school/admissions/new',
      {
        firstName: 'Tam',
        lastName: 'Lindqvist',
        ...typedDate('dateOfBirth', '2018-02-03'),
        gender: 'M',
        ncYear: '3',
        ...typedDate('admissionDate', '2026-11-24'),
        addressLine1: '2 Mill Lane',
        postcode: 'IG9 2BD',
        parentName: 'Kit Lindqvist',
        parentPhone: '07700 900321',
      },
      '/school/admissions/new',
    )
    expect(ok.statusCode).toBe(302)
    const ret = await browser.get(ok.headers.location as string)
    expect(ret.body).toContain('New pupil return')
    expect(ret.body).toContain('Tam Lindqvist')
    expect((await browser.get('/school/returns')).body).toContain('Tam Lindqvist')
  })

  it('shows the LA feed with filters, and each return', async () => {
    const browser = new Browser(app)
    await browser.signInAs('cme.officer@demo.onroll.invalid')
    const feed = await browser.get('/returns')
    expect(feed.statusCode).toBe(200)
    expect(feed.body).toContain('Deletion return')
    expect(feed.body).toContain('Late')
    expect(feed.body).toContain('Possibly located')
    const onlyNew = await browser.get('/returns?kind=new-pupil')
    expect(onlyNew.body).not.toContain('(Ground I)')
    const id = /href="\/returns\/([0-9a-f-]{36})"/.exec(feed.body)?.[1]
    expect((await browser.get(`/returns/${id ?? ''}`)).statusCode).toBe(200)
    const school = new Browser(app)
    await school.signInAs(LARKSPUR)
    expect((await school.get('/returns')).statusCode).toBe(403)
  })
})
