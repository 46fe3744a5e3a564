/**
 * Model-based: random people from several organisations (and another LA) do random things to random
 * records. A response is 2xx exactly when the policy model allows it, and every 2xx that returned child
 * data left its audit event (same request id, same case) in the trail.
 */
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { caseViewFor, can } from '../../src/domain/access.js'
import type { Actor } from '../../src/domain/actor.js'
import { DEMO_USERS, demoId } from '../../src/demo/demoData.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'
import { loadSecurityFixture, type SecurityFixture } from '../support/fixture.js'
import { Browser, buildTestApp } from '../support/web.js'
import { casesNamedBy } from '../support/audit.js'

type Command =
  | { kind: 'single-list'; who: number }
  | { kind: 'case'; who: number; record: number }
  | { kind: 'audit'; who: number }
  | { kind: 'admin'; who: number }
  | { kind: 'api-me'; who: number }

describe.each(ENGINES)('access model on %s', engine => {
  let rt: TestRuntime
  let app: FastifyInstance
  let fx: SecurityFixture
  const people: { userId: string; email?: string; actor: Actor; browser: Browser }[] = []
  const records: { id: string; laCode: string; schoolId: string | null; referrerOrgId: string | null }[] = []

  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    fx = await loadSecurityFixture(rt)
    app = await buildTestApp(rt)
    const ids: { id: string; email?: string }[] = [
      ...DEMO_USERS.map(u => ({ id: demoId(`user:${u.email}`), email: u.email })),
      { id: 'ffffffff-0000-4000-8000-000000000002' },
    ]
    for (const { id, email } of ids) {
      const browser = new Browser(app)
      await browser.signInAsId(id)
      people.push({ userId: id, ...(email ? { email } : {}), actor: (await rt.services.users.actorFor(id))!, browser })
    }
    // Cases from every school, partner referrals, and the other LA's case.
    const rows = await rt.db
      .selectFrom('cases')
      .select(['id', 'la_code', 'school_id', 'referrer_org_id'])
      .orderBy('reference')
      .limit(40)
      .execute()
    for (const r of [
      ...rows,
      {
        id: fx.otherLaCaseId,
        la_code: '999',
        school_id: null,
        referrer_org_id: 'ffffffff-0000-4000-8000-000000000001',
      },
    ])
      records.push({ id: r.id, laCode: r.la_code, schoolId: r.school_id, referrerOrgId: r.referrer_org_id })
  }, 120_000)
  afterAll(async () => {
    await app.close()
    await rt.close()
  })

  const command = (): fc.Arbitrary<Command> => {
    const who = fc.integer({ min: 0, max: people.length - 1 })
    return fc.oneof(
      fc.record({ kind: fc.constant('single-list' as const), who }),
      fc.record({ kind: fc.constant('case' as const), who, record: fc.integer({ min: 0, max: records.length - 1 }) }),
      fc.record({ kind: fc.constant('audit' as const), who }),
      fc.record({ kind: fc.constant('admin' as const), who }),
      fc.record({ kind: fc.constant('api-me' as const), who }),
    )
  }

  async function auditFor(requestId: string) {
    return rt.db
      .selectFrom('audit_events')
      .select(['case_id', 'action', 'actor_id'])
      .where('request_id', '=', requestId)
      .execute()
  }

  it('answers 2xx exactly when the policy allows, and audits every child record it shows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command(), { minLength: 1, maxLength: 12 }), async commands => {
        for (const c of commands) {
          const p = people[c.who]!
          switch (c.kind) {
            case 'single-list': {
              const res = await p.browser.get('/cases')
              const allowed = can(p.actor, 'single-list:view')
              expect(res.statusCode === 200).toBe(allowed)
              if (allowed) {
                const events = await auditFor(String(res.headers['x-request-id']))
                const shown = [...res.body.matchAll(/href="\/cases\/([0-9a-f-]{36})"/g)].map(m => m[1])
                const page = await rt.db
                  .selectFrom('audit_events')
                  .select('seq')
                  .where('request_id', '=', String(res.headers['x-request-id']))
                  .executeTakeFirstOrThrow()
                expect(events).toHaveLength(1)
                expect(await casesNamedBy(rt.db, page.seq)).toEqual(new Set(shown))
                expect(events.every(e => e.actor_id === p.userId && e.action === 'single-list.view')).toBe(true)
              }
              break
            }
            case 'case': {
              const r = records[c.record]!
              const res = await p.browser.get(`/cases/${r.id}`)
              const view = caseViewFor(p.actor, r)
              expect(res.statusCode, `${p.actor.name} → case in ${r.laCode}`).toBe(view === 'none' ? 403 : 200)
              if (view !== 'none') {
                const events = await auditFor(String(res.headers['x-request-id']))
                expect(events).toContainEqual({
                  case_id: r.id,
                  action: view === 'full' ? 'case.view' : 'case.view-status',
                  actor_id: p.userId,
                })
              }
              break
            }
            case 'audit': {
              const res = await p.browser.get('/audit?caseReference=CME-DEMO-000001')
              expect(res.statusCode === 200).toBe(can(p.actor, 'audit:view'))
              break
            }
            case 'admin': {
              const res = await p.browser.get('/admin/users')
              expect(res.statusCode === 200).toBe(can(p.actor, 'admin:users'))
              break
            }
            case 'api-me': {
              const token = p.email ? fx.tokens.get(p.email) : undefined
              const res = await app.inject({
                url: '/api/v1/me',
                headers: token ? { authorization: `Bearer ${token}` } : {},
              })
              expect(res.statusCode).toBe(token ? 200 : 401)
              break
            }
          }
        }
      }),
      { numRuns: 25 },
    )
  }, 120_000)
})
