/**
 * The checks a ZAP baseline scan makes, on every page the route table has, signed in and not.
 */
import { createHash } from 'node:crypto'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemoData } from '../../src/demo/demoData.js'
import { govukInlineScriptHash } from '../../src/web/plugins/security.js'
import { openTestRuntime, type TestRuntime } from '../support/db.js'
import { Browser, buildTestApp } from '../support/web.js'

function checkHeaders(res: LightMyRequestResponse, where: string): string[] {
  const h = res.headers
  const problems: string[] = []
  const csp = h['content-security-policy'] ?? ''
  if (!csp.includes("default-src 'self'")) problems.push(`${where}: CSP default-src`)
  if (!csp.includes("frame-ancestors 'none'")) problems.push(`${where}: CSP frame-ancestors`)
  if (/unsafe-inline|unsafe-eval/.test(csp)) problems.push(`${where}: CSP allows unsafe-inline/eval`)
  if (!csp.includes(`script-src 'self' ${govukInlineScriptHash()}`)) problems.push(`${where}: CSP script hash`)
  if (h['x-content-type-options'] !== 'nosniff') problems.push(`${where}: X-Content-Type-Options`)
  if (h['referrer-policy'] !== 'no-referrer') problems.push(`${where}: Referrer-Policy`)
  if (h['cache-control'] !== 'no-store') problems.push(`${where}: Cache-Control`)
  if (h['x-powered-by'] !== undefined) problems.push(`${where}: X-Powered-By leaks the framework`)
  if (!String(h['permissions-policy'] ?? '').includes('camera=()')) problems.push(`${where}: Permissions-Policy`)
  for (const c of res.cookies) {
    if (!c.httpOnly) problems.push(`${where}: cookie ${c.name} not HttpOnly`)
    if (c.sameSite !== 'Lax') problems.push(`${where}: cookie ${c.name} not SameSite=Lax`)
  }
  if (/at [\w.]+ \(.*:\d+:\d+\)/.test(res.body)) problems.push(`${where}: stack trace in the body`)
  return problems
}

describe('security headers', () => {
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

  it('are on every page, for every kind of visitor', async () => {
    const pages = app.routeTable.filter(
      r => r.method === 'GET' && !r.url.includes(':') && !r.url.startsWith('/sign-in/'),
    )
    expect(pages.length).toBeGreaterThan(8)
    const problems: string[] = []
    for (const email of [
      undefined,
      'cme.officer@demo.onroll.invalid',
      'admin@demo.onroll.invalid',
      'ews.manager@demo.onroll.invalid',
    ]) {
      const browser = new Browser(app)
      if (email) await browser.signInAs(email)
      for (const p of [...pages.map(x => x.url), '/no-such-page'])
        problems.push(...checkHeaders(await browser.get(p), `${p} as ${email ?? 'anonymous'}`))
    }
    expect(problems).toEqual([])
  })

  it('allow exactly the inline script the page carries, by its hash, and no other', async () => {
    const res = await new Browser(app).get('/sign-in')
    const inline = [...res.body.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([^<]*)<\/script>/g)].map(m => m[1]!)
    expect(inline).toHaveLength(1)
    const hash = `'sha256-${createHash('sha256').update(inline[0]!).digest('base64')}'`
    expect(res.headers['content-security-policy']).toContain(`script-src 'self' ${hash};`)
  })

  it('are on API answers and problems too, with no cookies', async () => {
    const res = await app.inject('/api/v1/me')
    expect(res.statusCode).toBe(401)
    expect(res.headers['content-type']).toContain('application/problem+json')
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['set-cookie']).toBeUndefined()
    expect(res.json()).toMatchObject({ status: 401, title: 'Unauthorised' })
  })

  it('marks the session cookie HttpOnly and SameSite=Lax', async () => {
    const browser = new Browser(app)
    const page = await browser.get('/sign-in')
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!
    const res = await app.inject({
      method: 'POST',
      url: '/sign-in/demo',
      headers: { cookie: browser.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: token, userId: (await rt.services.users.demoUsers())[0]!.id }).toString(),
    })
    const session = res.cookies.find(c => c.name === 'onroll_session')
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
  })
})
