/**
 * The Single List's pages: filters in the address, search by POST (its text in no address), sortable
 * headers, views, pagination, and the CSV export, through every layer.
 */
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemoData } from '../../src/demo/demoData.js'
import { parseFilters, listHref } from '../../src/web/routes/cases.js'
import { openTestRuntime, type TestRuntime } from '../support/db.js'
import { LIST_IDS, caseId, insertCase, loadListFixture, reference } from '../support/samples/singleList.js'
import { Browser, buildTestApp, csrfFrom } from '../support/web.js'

/** Every address a page links to or posts to. */
const addresses = (html: string): string[] => [...html.matchAll(/(?:href|action|src)="([^"]*)"/g)].map(m => m[1] ?? '')
const rowRefs = (html: string): string[] => [...html.matchAll(/CME-T-00000([A-Z])/g)].map(m => m[1] ?? '')

describe('Single List pages', () => {
  let rt: TestRuntime
  let app: FastifyInstance
  let officer: Browser

  beforeAll(async () => {
    rt = await openTestRuntime('sqlite')
    await loadDemoData(rt.db, rt.clock, '317')
    await loadListFixture(rt)
    // Thirty children called Quarry, so that a search has more than one page.
    for (let i = 0; i < 30; i++)
      await insertCase(
        rt,
        {
          key: 'Q',
          first: `Quinn${String(i)}`,
          last: 'Quarry',
          dob: '2014-01-01',
          status: 'stage-one',
          priority: 'routine',
          referredOn: '2026-10-01',
        },
        {
          caseId: `0000ca5e-0000-4000-9000-0000000a${i.toString(16).padStart(4, '0')}`,
          childId: `0000c41d-0000-4000-9000-0000000a${i.toString(16).padStart(4, '0')}`,
          reference: `CME-Q-${String(i).padStart(6, '0')}`,
        },
      )
    app = await buildTestApp(rt)
    officer = new Browser(app)
    await officer.signInAsId(LIST_IDS.officer)
  })
  afterAll(async () => {
    await app.close()
    await rt.close()
  })

  it('reads filters from the address and ignores what is not a choice', () => {
    const { filters, page } = parseFilters({
      view: 'mine',
      stage: ['stage-one', 'closed', 'nonsense'],
      priority: 'urgent',
      worker: LIST_IDS.vco,
      school: 'not-an-id',
      overdue: '1',
      flag: ['cp-plan', 'x'],
      sort: 'name',
      dir: 'sideways',
      page: '-3',
    })
    expect(page).toBe(1)
    expect(filters).toEqual({
      view: 'mine',
      stages: ['stage-one'],
      priorities: ['urgent'],
      workerId: undefined,
      schoolId: undefined,
      overdue: true,
      flags: ['cp-plan'],
      sort: 'name',
      dir: 'asc',
    })
    expect(listHref('/cases', filters, 2)).toBe(
      '/cases?view=mine&stage=stage-one&priority=urgent&overdue=1&flag=cp-plan&sort=name&page=2',
    )
  })

  it('shows the list with its views, filters, sortable headers and export', async () => {
    const res = await officer.get('/cases')
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(rowRefs(res.body).filter(r => r !== 'Q')).toEqual(['A', 'B', 'C', 'D', 'G', 'E'])
    expect(res.body).toContain('<strong>36 open cases</strong>')
    expect(res.body).toMatch(/<a [^>]*href="\/cases" aria-current="page">All open cases<\/a>/)
    expect(res.body).toContain('href="/cases?view=mine"')
    expect(res.body).toContain('href="/cases?view=unassigned"')
    expect(res.body).toMatch(/aria-sort="ascending">\s*<a [^>]*href="\/cases\?dir=desc">Priority/)
    expect(res.body).toMatch(/aria-sort="none">\s*<a [^>]*href="\/cases\?sort=name">Child/)
    expect(res.body).toContain('href="/cases/export.csv"')
    expect(res.body).not.toContain('Clear filters')
    expect(res.body).toContain('<option value="' + LIST_IDS.vco + '">Vic Vulnerable</option>')
    // Overdue in red; an unknown school-day count says why to a screen reader.
    expect(res.body).toContain('<span class="app-overdue">Overdue: due 24 Nov 2026</span>')
    expect(res.body).toMatch(
      /<span aria-hidden="true">—<\/span><span class="govuk-visually-hidden">Not known: [^<]*term dates/i,
    )
    // Pages: 36 cases, 25 a page.
    expect(res.body).toContain('href="/cases?page=2"')
  })

  it('filters, keeps the filters in the links it makes, and offers to clear them', async () => {
    const res = await officer.get(`/cases?priority=urgent&priority=high&school=${LIST_IDS.schoolLa}&sort=referred`)
    expect(rowRefs(res.body)).toEqual(['D'])
    expect(res.body).toMatch(/value="urgent" checked/)
    expect(res.body).toMatch(new RegExp(`<option value="${LIST_IDS.schoolLa}" selected>`))
    expect(res.body).toContain(
      `href="/cases?priority=urgent&amp;priority=high&amp;school=${LIST_IDS.schoolLa}&amp;sort=referred&amp;dir=desc"`,
    )
    expect(res.body).toMatch(/<a class="govuk-link" href="\/cases">Clear filters<\/a>/)
    const mine = await officer.get('/cases?view=mine&overdue=1')
    expect(rowRefs(mine.body)).toEqual(['C'])
    expect(mine.body).not.toContain('id="worker"')
    expect(mine.body).toContain('href="/cases?view=mine">Clear filters')
    const odd = await officer.get('/cases?page=abc&sort=nothing&stage=closed')
    expect(odd.statusCode).toBe(200)
  })

  it('searches by POST, puts what was typed in no address, and pages the results with buttons', async () => {
    const page = await officer.get('/cases')
    const res = await officer.post('/cases/search', { q: 'Quarry', _csrf: csrfFrom(page.body) })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('30 open cases</strong> match your search')
    expect(res.body).toContain('value="Quarry"')
    for (const address of addresses(res.body)) expect(address.toLowerCase()).not.toContain('quarry')
    expect(res.body).toMatch(/<button type="submit" name="page" value="2"[^>]*>Next page<\/button>/)
    expect(res.body).toMatch(/<form method="post" action="\/cases\/export.csv"/)
    // Headers say the order but are not links: a link would lose the search.
    expect(res.body).toMatch(/aria-sort="ascending">\s*Priority\s*<\/th>/)
    const second = await officer.post('/cases/search', { q: 'Quarry', page: '2', _csrf: csrfFrom(page.body) })
    expect(second.body).toContain('Page 2 of 2')
    expect(second.body).toMatch(/value="1"[^>]*>Previous page<\/button>/)
  })

  it('keeps the filters when searching, and finds by reference and UPN', async () => {
    const token = csrfFrom((await officer.get('/cases')).body)
    const res = await officer.post('/cases/search', { q: 'stone', priority: 'none', _csrf: token })
    expect(rowRefs(res.body)).toEqual(['A', 'B'])
    expect(res.body).toContain('<input type="hidden" name="priority" value="none">')
    expect(res.body).toContain('href="/cases?priority=none">Clear search')
    const byRef = await officer.post('/cases/search', { q: reference('D').toLowerCase(), _csrf: token })
    expect(rowRefs(byRef.body)).toEqual(['D'])
    expect(byRef.body).toContain(`href="/cases/${caseId('D')}"`)
  })

  it('asks for something to search for, and refuses a search without its CSRF token', async () => {
    const token = csrfFrom((await officer.get('/cases')).body)
    const empty = await officer.post('/cases/search', { q: '  ', _csrf: token })
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('govuk-error-summary')
    expect(empty.body).toContain('href="#q"')
    expect(empty.body).toContain('Enter a name, case reference or UPN')
    expect((await officer.post('/cases/search', { q: 'stone' })).statusCode).toBe(403)
  })

  it('exports the filtered list as an attachment that is not cached', async () => {
    const res = await officer.get('/cases/export.csv?view=mine&sort=name')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(res.headers['content-disposition']).toBe('attachment; filename="single-list-2026-11-25.csv"')
    expect(res.headers['cache-control']).toBe('no-store')
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(lines.map(l => l.split(',')[0])).toEqual(['Reference', reference('C'), reference('E')])
  })

  it('exports a search’s results by POST', async () => {
    const token = csrfFrom((await officer.get('/cases')).body)
    const res = await officer.post('/cases/export.csv', { q: 'stone', _csrf: token })
    expect(res.statusCode).toBe(200)
    expect(
      res.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n'),
    ).toHaveLength(4)
  })

  it('refuses every Single List route to a school', async () => {
    const school = new Browser(app)
    await school.signInAs('attendance@larkspur.demo.onroll.invalid')
    expect((await school.get('/cases')).statusCode).toBe(403)
    expect((await school.get('/cases/export.csv')).statusCode).toBe(403)
    const token = await school.csrf()
    expect((await school.post('/cases/search', { q: 'stone', _csrf: token })).statusCode).toBe(403)
    expect((await school.post('/cases/export.csv', { _csrf: token })).statusCode).toBe(403)
  })
})
