import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoCalendarId } from '../../src/demo/demoCalendars.js'
import { loadDemoData } from '../../src/demo/demoData.js'
import { DEFAULT_POLICY_VALUES } from '../../src/domain/policy.js'
import { parseSessionLines } from '../../src/web/routes/rules.js'
import { groundIFacts } from '../support/deletionFacts.js'
import { openTestRuntime, type TestRuntime } from '../support/db.js'
import { Browser, buildTestApp } from '../support/web.js'

/** A date for the three GOV.UK date boxes. */
const date = (name: string, iso: string): Record<string, string> => {
  const [y, m, d] = iso.split('-')
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y ?? '' }
}

/** The error summary's entries, as text and link. */
const summary = (html: string): [string, string][] => {
  const block = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? ''
  return [...block.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map(m => [m[2]!.replace(/&#39;/g, "'"), m[1]!])
}

const inputValue = (html: string, name: string): string | undefined =>
  new RegExp(`name="${name}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="${name}"`).exec(html)?.slice(1).find(Boolean)

describe('parseSessionLines', () => {
  it('reads date, morning and afternoon codes, skipping blank lines', () => {
    expect(parseSessionLines('2026-11-02 N N\r\n\n 2026-11-03,G, O \n')).toEqual({
      sessions: [
        { date: '2026-11-02', am: 'N', pm: 'N' },
        { date: '2026-11-03', am: 'G', pm: 'O' },
      ],
      problems: [],
    })
  })

  it('reports every bad line with its number', () => {
    expect(parseSessionLines('2026-11-02 N\n2026-02-30 N N\n2026-11-04 NNN N').problems).toEqual([
      'Line 1: give the date, the morning code and the afternoon code, like 2026-11-02 N N',
      "Line 2: '2026-02-30' is not a real date; write it as YYYY-MM-DD, like 2026-11-02",
      'Line 3: an attendance code is one character, like N, G, O or /',
    ])
  })
})

describe('rules and settings pages', () => {
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

  const as = async (email: string) => {
    const browser = new Browser(app)
    await browser.signInAs(email)
    return browser
  }

  describe('the school days helper', () => {
    it('is in the navigation for anyone signed in, and counts school days', async () => {
      const browser = await as('ewo@demo.onroll.invalid')
      const page = await browser.get('/rules/school-days')
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('href="/rules/school-days"')
      const res = await browser.post(
        '/rules/school-days',
        { mode: 'count', ...date('countFrom', '2026-11-02'), ...date('countTo', '2026-11-30'), countSchool: '990002' },
        '/rules/school-days',
      )
      expect(res.statusCode).toBe(200)
      expect(res.body).toContain('20 school days')
      expect(res.body).toContain('From 2 November 2026 to 30 November 2026, counting both days.')
      expect(res.body).toContain('Counted with the Kingfisher Academy (demo) term dates calendar')
    })

    it('finds the Nth school day after a date', async () => {
      const browser = await as('attendance@larkspur.demo.onroll.invalid')
      const res = await browser.post(
        '/rules/school-days',
        { mode: 'add', ...date('addFrom', '2026-11-02'), addDays: '20', addSchool: '' },
        '/rules/school-days',
      )
      expect(res.statusCode).toBe(200)
      expect(res.body).toContain('30 November 2026')
      expect(res.body).toContain('20 school days after 2 November 2026')
    })

    it('defaults a school user to their own school’s term dates', async () => {
      const browser = await as('attendance@kingfisher.demo.onroll.invalid')
      const page = await browser.get('/rules/school-days')
      expect(page.body).toMatch(/<option value="990002" selected>/)
    })

    it('shows the form again with what was typed and an error summary linking to each field', async () => {
      const browser = await as('ewo@demo.onroll.invalid')
      const res = await browser.post(
        '/rules/school-days',
        {
          mode: 'count',
          'countFrom-day': '31',
          'countFrom-month': '2',
          'countFrom-year': '2026',
          'countTo-month': '11',
          'countTo-year': '2026',
          countSchool: '111111',
        },
        '/rules/school-days',
      )
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('<title>Error: School days')
      expect(summary(res.body)).toEqual([
        ['Start date must be a real date', '#countFrom-day'],
        ['End date must include a day', '#countTo-day'],
        ['Select a school from the list', '#countSchool'],
      ])
      expect(inputValue(res.body, 'countFrom-day')).toBe('31')
      expect(inputValue(res.body, 'countTo-year')).toBe('2026')
      expect(res.body).toContain('govuk-input--error')
    })

    it('says when there are no term dates instead of guessing', async () => {
      const browser = await as('ewo@demo.onroll.invalid')
      const res = await browser.post(
        '/rules/school-days',
        { mode: 'add', ...date('addFrom', '2027-07-01'), addDays: '40', addSchool: '' },
        '/rules/school-days',
      )
      expect(res.statusCode).toBe(200)
      expect(res.body).toContain('No term dates for 2027/28 in the Redbridge (demo) term dates calendar')
      const bad = await browser.post('/rules/school-days', { mode: 'add', addDays: 'lots' }, '/rules/school-days')
      expect(summary(bad.body)).toEqual([
        ['Enter the start date', '#addFrom-day'],
        ['Number of school days must be a whole number from 1 to 1000', '#addDays'],
      ])
      expect(inputValue(bad.body, 'addDays')).toBe('lots')
    })
  })

  describe('the deletion check', () => {
    const registerLines = (sessions: { date: string; am: string; pm: string }[]) =>
      sessions.map(s => `${s.date} ${s.am} ${s.pm}`).join('\n')

    it('is only for school users', async () => {
      const officer = await as('cme.officer@demo.onroll.invalid')
      expect((await officer.get('/rules/deletion-check')).statusCode).toBe(403)
      const school = await as('dsl@larkspur.demo.onroll.invalid')
      const page = await school.get('/rules/deletion-check')
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('href="/rules/deletion-check"')
      expect(page.body).toContain('2026-11-02 N N')
    })

    it('allows deletion under Ground I with 20 school days of G, N or O and the LA’s enquiries', async () => {
      const facts = await groundIFacts(rt, '317')
      const browser = await as('attendance@larkspur.demo.onroll.invalid')
      const res = await browser.post(
        '/rules/deletion-check',
        {
          ...date('firstDayOfAbsence', '2026-10-19'),
          sessions: registerLines(facts.sessions),
          steps: ['schoolEnquiries', 'ewsAgreedRemoval'],
          ...date('laEnquiriesOn', '2026-11-23'),
          ...date('cmeReferralOn', '2026-11-02'),
          leaving: 'no',
        },
        '/rules/deletion-check',
      )
      expect(res.statusCode).toBe(200)
      expect(res.body).toContain('Deletion allowed')
      expect(res.body).toContain('Ground I (continuously absent for 20 school days)')
      expect(res.body).toContain('The deletion return for Ground I')
      expect(res.body).toContain('SI 2024/208 reg 13(4)(a) [V]')
      expect(res.body).toContain('policy version 1')
    })

    it('blocks an EHCP pupil and gives every reason', async () => {
      const facts = await groundIFacts(rt, '317')
      const browser = await as('attendance@larkspur.demo.onroll.invalid')
      const res = await browser.post(
        '/rules/deletion-check',
        {
          ...date('firstDayOfAbsence', '2026-10-19'),
          sessions: registerLines(facts.sessions),
          pupil: 'hasEhcp',
          steps: ['schoolEnquiries', 'ewsAgreedRemoval'],
          ...date('laEnquiriesOn', '2026-11-23'),
          ...date('cmeReferralOn', '2026-11-02'),
        },
        '/rules/deletion-check',
      )
      expect(res.statusCode).toBe(200)
      expect(res.body).toContain('The pupil’s name may not be deleted today.')
      expect(res.body).toContain('No date can be given: something other than time stands in the way.')
      expect(res.body).toContain('The pupil has an EHCP: under the borough protocol the name stays on roll')
      expect(res.body).toContain('consult the LA’s SEN team')
    })

    it('counts in the school’s own calendar and gives the earliest date while waiting', async () => {
      const browser = await as('attendance@kingfisher.demo.onroll.invalid')
      const res = await browser.post(
        '/rules/deletion-check',
        {
          ...date('firstDayOfAbsence', '2026-11-02'),
          sessions: ['2026-11-02 N N', '2026-11-03 G G'].join('\n'),
          steps: ['schoolEnquiries', 'ewsAgreedRemoval'],
          ...date('laEnquiriesOn', '2026-11-23'),
          ...date('cmeReferralOn', '2026-11-02'),
        },
        '/rules/deletion-check',
      )
      expect(res.statusCode).toBe(200)
      // Kingfisher's INSET day on 27 November pushes the 20th school day to 30 November.
      expect(res.body).toContain('1 December 2026, if nothing else changes.')
      expect(res.body).toContain('Kingfisher Academy (demo) term dates calendar')
    })

    it('shows the form again with what was typed and every problem, line by line', async () => {
      const browser = await as('attendance@larkspur.demo.onroll.invalid')
      const res = await browser.post(
        '/rules/deletion-check',
        {
          sessions: '2026-11-02 N N\nnot-a-line\n2026-02-30 N N',
          pupil: ['hasEhcp', 'lookedAfter'],
          'diedOn-day': '3',
          ...date('eheReceivedOn', '2026-11-02'),
        },
        '/rules/deletion-check',
      )
      expect(res.statusCode).toBe(400)
      expect(summary(res.body)).toEqual([
        [
          'Enter the first day of absence: the attendance codes and the leave of absence are counted from it',
          '#firstDayOfAbsence-day',
        ],
        ['Line 2: give the date, the morning code and the afternoon code, like 2026-11-02 N N', '#sessions'],
        ["Line 3: '2026-02-30' is not a real date; write it as YYYY-MM-DD, like 2026-11-02", '#sessions'],
        ['Enter the date the parent gave in the written notice', '#eheEducatedFrom-day'],
        ['Date of death must include a month and year', '#diedOn-day'],
      ])
      expect(res.body).toContain('2026-11-02 N N\nnot-a-line\n2026-02-30 N N')
      expect(res.body).toMatch(/value="hasEhcp" checked/)
      expect(res.body).toMatch(/value="lookedAfter" checked/)
      expect(inputValue(res.body, 'diedOn-day')).toBe('3')
      expect(inputValue(res.body, 'eheReceivedOn-month')).toBe('11')
    })
  })

  describe('settings', () => {
    it('is for LA administrators and the EWS Operational Manager only', async () => {
      const officer = await as('cme.officer@demo.onroll.invalid')
      expect((await officer.get('/settings')).statusCode).toBe(403)
      const manager = await as('ews.manager@demo.onroll.invalid')
      const page = await manager.get('/settings')
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('href="/settings"')
      const list = await manager.get('/settings/calendars')
      expect(list.body).toContain('Redbridge (demo) term dates')
      expect(list.body).toContain('Kingfisher Academy (demo) (URN 990002)')
      expect(list.body).toContain('2025/26, 2026/27')
    })

    it('shows a calendar as a readable list of terms with half terms, INSET days and school days', async () => {
      const manager = await as('admin@demo.onroll.invalid')
      const page = await manager.get(`/settings/calendars/${demoCalendarId('kingfisher')}`)
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('School calendar for Kingfisher Academy (demo) (URN 990002)')
      expect(page.body).toContain('2 September 2026 to 18 December 2026')
      expect(page.body).toContain('INSET day: INSET day')
      expect(page.body).toContain('27 November 2026')
    })

    it('adds a period, and shows the form again with the problem when it would break the calendar', async () => {
      const manager = await as('ews.manager@demo.onroll.invalid')
      const id = demoCalendarId('la')
      const url = `/settings/calendars/${id}`
      const bad = await manager.post(
        `${url}/periods`,
        { kind: 'half-term', name: 'Summer', ...date('startsOn', '2027-08-02'), ...date('endsOn', '2027-08-06') },
        url,
      )
      expect(bad.statusCode).toBe(400)
      expect(summary(bad.body)).toEqual([
        [
          "Half term 'Summer' (2 Aug 2027 to 6 Aug 2027) is not inside a term; a half term must fall within the term it divides.",
          '#startsOn-day',
        ],
      ])
      expect(inputValue(bad.body, 'name')).toBe('Summer')
      const typed = await manager.post(
        `${url}/periods`,
        { 'startsOn-day': '40', 'startsOn-month': '1', 'startsOn-year': '2027' },
        url,
      )
      expect(summary(typed.body)).toEqual([
        ['Select what kind of period this is', '#kind'],
        ['Start date must be a real date', '#startsOn-day'],
        ['Enter the end date', '#endsOn-day'],
      ])
      const ok = await manager.post(
        `${url}/periods`,
        { kind: 'inset', name: '', ...date('startsOn', '2026-12-11'), ...date('endsOn', '2026-12-11') },
        url,
      )
      expect(ok.statusCode).toBe(302)
      expect(ok.headers.location).toBe(`${url}?saved=1`)
      const days = await rt.services.calendars.schoolDaysFor('317')
      expect(days.isSchoolDay('2026-12-11')).toEqual({ ok: true, value: false })
    })

    it('changes and removes a period', async () => {
      const manager = await as('ews.manager@demo.onroll.invalid')
      const id = demoCalendarId('la')
      const url = `/settings/calendars/${id}`
      const page = await manager.get(url)
      const periodId = new RegExp(
        `${url}/periods/([0-9a-f-]{36})">Change<span class="govuk-visually-hidden"> INSET day, 11 December 2026`,
      ).exec(page.body)?.[1]
      expect(periodId).toBeDefined()
      const form = await manager.get(`${url}/periods/${periodId!}`)
      expect(inputValue(form.body, 'startsOn-day')).toBe('11')
      const changed = await manager.post(
        `${url}/periods/${periodId!}`,
        { kind: 'inset', name: 'Training', ...date('startsOn', '2026-12-10'), ...date('endsOn', '2026-12-10') },
        url,
      )
      expect(changed.statusCode).toBe(302)
      expect((await rt.services.calendars.schoolDaysFor('317')).isSchoolDay('2026-12-10')).toEqual({
        ok: true,
        value: false,
      })
      const removed = await manager.post(`${url}/periods/${periodId!}/remove`, {}, url)
      expect(removed.statusCode).toBe(302)
      expect((await rt.services.calendars.schoolDaysFor('317')).isSchoolDay('2026-12-10')).toEqual({
        ok: true,
        value: true,
      })
    })

    it('imports pasted term dates, and lists every bad line when the file is wrong', async () => {
      const manager = await as('ews.manager@demo.onroll.invalid')
      const bad = await manager.post(
        '/settings/calendars/import',
        {
          school: '990004',
          format: 'csv',
          text: 'kind,name,starts_on,ends_on\nterm,Autumn term 2026,2026-09-03,2026-12-18\nholiday,Xmas,2026-12-21,2027-01-01\nterm,,2027-01-04,2027-03-26',
        },
        '/settings/calendars/import',
      )
      expect(bad.statusCode).toBe(400)
      expect(summary(bad.body)).toEqual([
        ["Line 3: The kind 'holiday' is not one of: term, half-term, inset, closure.", '#text'],
        ['Line 4: A term needs a name, such as "Autumn term 2025".'.replace(/"/g, '&quot;'), '#text'],
      ])
      expect(bad.body).toMatch(/<option value="990004" selected>/)
      expect(bad.body).toMatch(/value="csv" checked/)
      expect(bad.body).toContain('holiday,Xmas,2026-12-21,2027-01-01')
      const ok = await manager.post(
        '/settings/calendars/import',
        {
          school: '990004',
          format: 'csv',
          text: 'kind,name,starts_on,ends_on\nterm,Autumn term 2026,2026-09-03,2026-12-18',
        },
        '/settings/calendars/import',
      )
      expect(ok.statusCode).toBe(302)
      const shown = await manager.get(ok.headers.location as string)
      expect(shown.body).toContain('Willow Bank Special School (demo) term dates')
      expect(shown.body).toContain('Your changes have been saved')
    })

    it('shows the policy in force with each value, unit and source, and creates a new version', async () => {
      const manager = await as('ews.manager@demo.onroll.invalid')
      const page = await manager.get('/settings/policy')
      expect(page.body).toContain('<strong>version 1</strong>, from 19 August 2024')
      expect(page.body).toContain('20 school days')
      expect(page.body).toContain('SI 2024/208 reg 9(1)(i)')
      expect(page.body).toContain('every half term')
      const form = await manager.get('/settings/policy/new')
      expect(inputValue(form.body, 'groundIAbsenceDays')).toBe('20')

      const values = Object.fromEntries(Object.entries(DEFAULT_POLICY_VALUES).map(([k, v]) => [k, String(v)]))
      const bad = await manager.post(
        '/settings/policy',
        { ...values, groundIAbsenceDays: '15', 'effectiveFrom-day': '1' },
        '/settings/policy/new',
      )
      expect(bad.statusCode).toBe(400)
      expect(summary(bad.body)).toEqual([
        ['Date the new values take effect must include a month and year', '#effectiveFrom-day'],
        [
          'Ground I: continuous absence before a name may be deleted: enter a whole number of school days between 20 and 60',
          '#groundIAbsenceDays',
        ],
      ])
      expect(inputValue(bad.body, 'groundIAbsenceDays')).toBe('15')
      const ok = await manager.post(
        '/settings/policy',
        {
          ...values,
          groundIAbsenceDays: '25',
          ...date('effectiveFrom', '2027-01-04'),
          note: 'Stricter',
        },
        '/settings/policy/new',
      )
      expect(ok.statusCode).toBe(302)
      expect(ok.headers.location).toBe('/settings/policy?saved=1')
      const after = await manager.get('/settings/policy?saved=1')
      expect(after.body).toContain('Your changes have been saved')
      expect(after.body).toContain('4 January 2027')
      expect(after.body).toContain('Stricter')
      expect(after.body).toContain('Sam Taylor')
    })
  })
})
