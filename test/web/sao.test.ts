import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemoData } from '../../src/demo/demoData.js'
import { exampleReferral } from '../../src/domain/referralExample.js'
import { casesNamedBy } from '../support/audit.js'
import { callerFor } from '../support/callers.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'
import { pdfPlainText } from '../support/pdfText.js'
import { Browser, buildTestApp } from '../support/web.js'
import { typedDate } from '../../src/web/formState.js'

describe.each(ENGINES)('school attendance order and letter pages on %s', engine => {
  let rt: TestRuntime
  let app: FastifyInstance
  let caseId: string

  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadDemoData(rt.db, rt.clock, '317')
    app = await buildTestApp(rt)
    const school = await callerFor(rt, 'attendance@larkspur.demo.onroll.invalid')
    const { reference } = await rt.services.referrals.submitFromApi(
      school,
      exampleReferral(rt.clock.today(), {
        siblings: { answer: 'no' },
        destination: {
          address: { answer: 'uk', line1: '2 New Road', town: 'Romford', postcode: 'RM1 1AA' },
          school: { answer: 'not-known', reason: 'Not given' },
        },
      }),
      undefined,
    )
    caseId = (await rt.db.selectFrom('cases').select('id').where('reference', '=', reference).executeTakeFirstOrThrow())
      .id
  })
  afterAll(async () => {
    await app.close()
    await rt.close()
  })

  it('counts one visit to the case page once in "who has viewed", though the page records the SAO panel too', async () => {
    const browser = new Browser(app)
    await browser.signInAs('ews.manager@demo.onroll.invalid')
    const before = await rt.db.selectFrom('audit_events').select('seq').where('case_id', '=', caseId).execute()
    await browser.get(`/cases/${caseId}`)
    const page = await browser.get(`/cases/${caseId}`)
    const events = await rt.db.selectFrom('audit_events').select('action').where('case_id', '=', caseId).execute()
    expect(events.length - before.length).toBeGreaterThanOrEqual(4)
    const row = /Sam Taylor<\/td>\s*<td[^>]*>[^<]*<\/td>\s*<td[^>]*>(\d+)<\/td>/.exec(page.body)
    expect(row?.[1]).toBe('2')
  })

  it('starts a process from the case page, re-showing the form with an error summary when it is wrong', async () => {
    const browser = new Browser(app)
    await browser.signInAs('cme.officer@demo.onroll.invalid')
    const casePage = await browser.get(`/cases/${caseId}`)
    expect(casePage.body).toContain('School attendance order')
    expect(casePage.body).toContain(`/cases/${caseId}/sao/start`)

    const start = `/cases/${caseId}/sao/start`
    const bad = await browser.post(
      start,
      {
        reason: 'fails-to-engage',
        notes: 'Typed note',
        'startedOn-day': '31',
        'startedOn-month': '2',
        'startedOn-year': '2026',
      },
      start,
    )
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('govuk-error-summary')
    expect(bad.body).toContain('Date the stage began or the notice was served must be a real date')
    expect(bad.body).toContain('href="#startedOn-day"')
    expect(bad.body).toContain('Typed note')

    const missing = await browser.post(start, { ...typedDate('startedOn', '2026-11-02') }, start)
    expect(missing.statusCode).toBe(400)
    expect(missing.body).toContain('Select why the process is starting')

    const ok = await browser.post(
      start,
      { reason: 'fails-to-engage', stage: 's437-notice', ...typedDate('startedOn', '2026-11-02') },
      start,
    )
    expect(ok.statusCode).toBe(302)
    const processUrl = ok.headers.location as string
    const page = await browser.get(processUrl)
    expect(page.statusCode).toBe(200)
    expect(page.headers['cache-control']).toBe('no-store')
    expect(page.body).toContain('16 November 2026')
    expect(page.body).toMatch(/<dt class="govuk-summary-list__key">\s*Current stage\s*<\/dt>/)
    expect(page.body.match(/govuk-summary-list__row/g)).toHaveLength(6)
    // Only the stage's own outcomes are offered.
    expect(page.body).toContain('value="parent-responded"')
    expect(page.body).not.toContain('value="served"')

    const early = await browser.post(
      `${processUrl}/outcome`,
      { outcome: 'period-ended', ...typedDate('outcomeOn', '2026-11-10') },
      processUrl,
    )
    expect(early.statusCode).toBe(400)
    expect(early.body).toContain('The period does not end until 16 November 2026')

    const outcome = await browser.post(
      `${processUrl}/outcome`,
      { outcome: 'parent-responded', ...typedDate('outcomeOn', '2026-11-10') },
      processUrl,
    )
    expect(outcome.statusCode).toBe(302)
    const next = await browser.get(processUrl)
    expect(next.body).toContain('LA decides whether the parent has satisfied it')

    // The case page lists the notice; it downloads as an attachment that is not cached.
    const withLetter = await browser.get(`/cases/${caseId}`)
    const link = /href="(\/cases\/[^"]+\/letters\/[0-9a-f-]{36})"/.exec(withLetter.body)?.[1]
    expect(link).toBeDefined()
    const pdf = await browser.get(link!)
    expect(pdf.statusCode).toBe(200)
    expect(pdf.headers['content-type']).toBe('application/pdf')
    expect(pdf.headers['cache-control']).toBe('no-store')
    expect(pdf.headers['content-disposition']).toMatch(/^attachment; filename="CME-[A-Z0-9-]+-s437-notice-1\.pdf"$/)
    expect(pdfPlainText(pdf.rawPayload)).toContain('that is by 16 November 2026')
    const audited = await rt.db
      .selectFrom('audit_events')
      .select('action')
      .where('case_id', '=', caseId)
      .where('action', '=', 'letter.download')
      .execute()
    expect(audited).toHaveLength(1)

    const end = await browser.post(`${processUrl}/end`, { reason: '' }, `${processUrl}/end`)
    expect(end.statusCode).toBe(400)
    expect(end.body).toContain('Enter why the process is ending')
  })

  it('makes letters to the family and abroad, refusing an incomplete one', async () => {
    const browser = new Browser(app)
    await browser.signInAs('vco@demo.onroll.invalid')
    const form = `/cases/${caseId}/letters/new`
    expect((await browser.get(form)).statusCode).toBe(200)
    const bad = await browser.post(`/cases/${caseId}/letters`, { kind: 'education-department-abroad' }, form)
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Enter the education department’s name and address')
    expect((await browser.post(`/cases/${caseId}/letters`, { kind: 'family-letter' }, form)).statusCode).toBe(302)
    expect(
      (
        await browser.post(
          `/cases/${caseId}/letters`,
          { kind: 'education-department-abroad', recipient: 'Direção-Geral da Educação\nLisbon' },
          form,
        )
      ).statusCode,
    ).toBe(302)
    const kinds = await rt.db.selectFrom('case_letters').selectAll().where('case_id', '=', caseId).execute()
    // One letter to the family at each known address: where the child lived and the new address.
    expect(
      kinds
        .filter(k => k.kind === 'family-letter')
        .map(k => k.addressed_to)
        .sort(),
    ).toEqual(['Parent or carer at the last known address', 'Parent or carer at the new address given in the referral'])
    const abroad = kinds.find(k => k.kind === 'education-department-abroad')!
    expect(abroad.addressed_to).toBe('Education department in Ghana')
    const text = pdfPlainText(Buffer.from(abroad.content_base64, 'base64'))
    expect(text).toContain('Direção-Geral da Educação')
    expect(text).toContain('may have moved from our area to Ghana')
    expect(kinds.map(k => k.kind).sort()).toEqual([
      'education-department-abroad',
      'family-letter',
      'family-letter',
      's437-notice',
    ])
  })

  it('lists processes for managers and refuses schools', async () => {
    const manager = new Browser(app)
    await manager.signInAs('op.director@demo.onroll.invalid')
    const list = await manager.get('/sao')
    expect(list.statusCode).toBe(200)
    expect(list.body).toContain('LA decides whether the parent has satisfied it')
    // The page is one audit event naming the case and child of every process shown.
    const shown = [...list.body.matchAll(/href="\/sao\/([0-9a-f-]{36})"/g)].map(m => m[1]!)
    expect(shown.length).toBeGreaterThan(0)
    const events = await rt.db
      .selectFrom('audit_events')
      .select(['seq', 'action'])
      .where('request_id', '=', String(list.headers['x-request-id']))
      .execute()
    expect(events.map(e => e.action)).toEqual(['sao.list'])
    const cases = await rt.db.selectFrom('sao_processes').select('case_id').where('id', 'in', shown).execute()
    expect(await casesNamedBy(rt.db, events[0]!.seq)).toEqual(new Set(cases.map(c => c.case_id)))
    const school = new Browser(app)
    await school.signInAs('attendance@larkspur.demo.onroll.invalid')
    expect((await school.get('/sao')).statusCode).toBe(403)
  })

  it('edits a template as a new version, refusing unknown placeholders', async () => {
    const browser = new Browser(app)
    await browser.signInAs('ews.manager@demo.onroll.invalid')
    const url = '/settings/letters/family-letter'
    const page = await browser.get(url)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('{{child.name}}')
    const bad = await browser.post(url, { title: 'Hello {{child.nmae}}', body: 'Dear {{parent.name}}' }, url)
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('{{child.nmae}} is not a placeholder this letter can use')
    expect(bad.body).toContain('Hello {{child.nmae}}')
    const ok = await browser.post(
      url,
      { title: 'About {{child.name}}', body: '# Please call us\n\nDear {{parent.name}}' },
      url,
    )
    expect(ok.statusCode).toBe(302)
    const officer = await callerFor(rt, 'cme.officer@demo.onroll.invalid')
    const [id] = await rt.services.letters.generate(officer, caseId, { kind: 'family-letter' })
    const letter = await rt.db.selectFrom('case_letters').selectAll().where('id', '=', id!).executeTakeFirstOrThrow()
    expect(letter.template_version).toBe(2)
    expect(pdfPlainText(Buffer.from(letter.content_base64, 'base64'))).toContain('About Amara')
    expect((await browser.get('/settings/letters/not-a-kind')).statusCode).toBe(404)
    const preview = await browser.get('/settings/letters/family-letter/preview')
    expect(preview.headers['content-disposition']).toBe('attachment; filename="preview-family-letter-version-2.pdf"')
    expect(pdfPlainText(preview.rawPayload)).toContain('About Sample Child')
  })

  it('keeps templates to managers and administrators', async () => {
    const browser = new Browser(app)
    await browser.signInAs('cme.officer@demo.onroll.invalid')
    expect((await browser.get('/settings/letters')).statusCode).toBe(403)
  })
})
