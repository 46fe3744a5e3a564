/**
 * Every route × every role (and anonymous) → allowed, refused (403) or sent to sign in, generated
 * from the app's own route table. A new route needs sample parameters here (and a record rule when
 * access depends on the record), or this test fails.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { can } from '../../src/domain/access.js'
import type { Actor } from '../../src/domain/actor.js'
import { ALL_ROLES } from '../../src/domain/roles.js'
import { demoId } from '../../src/demo/demoData.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'
import { loadSecurityFixture, type SecurityFixture } from '../support/fixture.js'
import { routeSamples, type RouteSamples } from '../support/samples/index.js'
import { Browser, buildTestApp } from '../support/web.js'

/** Routes the matrix cannot drive without an identity provider round trip (covered by the browser test). */
const SKIP = new Set(['GET /sign-in/callback', 'GET /sign-in/oidc'])

describe.each(ENGINES)('access matrix on %s', engine => {
  let rt: TestRuntime
  let app: FastifyInstance
  let fx: SecurityFixture
  const actors = new Map<string, Actor>()
  let samples: RouteSamples
  let larkspurCaseId: string

  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    fx = await loadSecurityFixture(rt)
    app = await buildTestApp(rt)
    for (const [role, email] of fx.usersByRole)
      actors.set(role, (await rt.services.users.actorFor(demoId(`user:${email}`)))!)
    samples = await routeSamples(rt, fx)
    larkspurCaseId = samples.params['/cases/:id']!.id!
  }, 120_000)
  afterAll(async () => {
    await app.close()
    await rt.close()
  })

  function fill(url: string): string {
    const values = samples.params[url]
    return url.replace(/:(\w+)/g, (_m, name: string) => {
      const v = values?.[name]
      if (!v) throw new Error(`No sample value for ${name} in ${url}: add it to the access matrix`)
      return v
    })
  }

  function expected(route: { url: string; access: string }, actor: Actor | undefined): 'allow' | 'deny' | 'sign-in' {
    if (route.access === 'public') return 'allow'
    if (!actor) return 'sign-in'
    if (route.access === 'signed-in') {
      if (!route.url.includes(':')) return 'allow'
      const rule = samples.recordRules[route.url]
      if (!rule) throw new Error(`${route.url} is open to anyone signed in but has no record rule in the access matrix`)
      return rule(actor) ? 'allow' : 'deny'
    }
    return can(actor, route.access as Parameters<typeof can>[1]) ? 'allow' : 'deny'
  }

  function outcome(res: LightMyRequestResponse, api: boolean): 'allow' | 'deny' | 'sign-in' {
    if (res.statusCode === 403) return 'deny'
    if (api && res.statusCode === 401) return 'sign-in'
    if (!api && res.statusCode === 302 && res.headers.location === '/sign-in') return 'sign-in'
    if (res.statusCode >= 500) throw new Error(`${String(res.statusCode)}: ${res.body.slice(0, 300)}`)
    return 'allow'
  }

  it('has an access rule for every route', () => {
    expect(app.routeTable.length).toBeGreaterThan(10)
    for (const r of app.routeTable) expect(r.access, `${r.method} ${r.url}`).toBeTruthy()
  })

  for (const who of ['anonymous', ...ALL_ROLES] as const) {
    it(`gives ${who} exactly what the policy allows on every route`, async () => {
      const role = who === 'anonymous' ? undefined : who
      const actor = role ? actors.get(role) : undefined
      const email = role ? fx.usersByRole.get(role) : undefined
      const mismatches: string[] = []
      // One sign-in per role, kept until a sign-in or sign-out route may have changed the session:
      // signing in afresh for every route would pass the sign-in rate limit as routes are added.
      let signedIn: Browser | undefined
      for (const route of app.routeTable) {
        const key = `${route.method} ${route.url}`
        if (SKIP.has(key)) continue
        const api = route.url.startsWith('/api/')
        const url = fill(route.url)
        let res: LightMyRequestResponse
        if (api) {
          const token = email ? fx.tokens.get(email) : undefined
          if (role === 'system-admin') continue // administrators have no API tokens
          res = await app.inject({
            method: route.method as 'GET',
            url,
            headers: token ? { authorization: `Bearer ${token}` } : {},
          })
        } else {
          if (!signedIn) {
            signedIn = new Browser(app)
            if (email) await signedIn.signInAs(email)
          }
          const browser = signedIn
          res =
            route.method === 'GET' ? await browser.get(url) : await browser.post(url, { _csrf: await browser.csrf() })
          if (route.url.startsWith('/sign')) signedIn = undefined
        }
        const want = expected(route, actor)
        const got = outcome(res, api)
        // A public page may still send an anonymous visitor on to sign in (the start page does).
        if (want === 'allow' && route.access === 'public' && got === 'sign-in') continue
        if (want !== got) mismatches.push(`${key}: expected ${want}, got ${got} (${String(res.statusCode)})`)
      }
      expect(mismatches).toEqual([])
    })
  }

  it('never lets one LA see another LA’s case', async () => {
    const browser = new Browser(app)
    await browser.signInAsId('ffffffff-0000-4000-8000-000000000002')
    expect((await browser.get(`/cases/${fx.otherLaCaseId}`)).statusCode).toBe(200)
    expect((await browser.get(`/cases/${larkspurCaseId}`)).statusCode).toBe(403)
    const list = await browser.get('/cases')
    expect(list.body).toContain('CME-OTHER-000001')
    expect(list.body).not.toContain('CME-DEMO-')
    const ours = new Browser(app)
    await ours.signInAs('cme.officer@demo.onroll.invalid')
    expect((await ours.get(`/cases/${fx.otherLaCaseId}`)).statusCode).toBe(403)
  })
})
