import { describe, expect, it } from 'vitest'
import { loadDemo } from '../src/demo/index.js'
import { demoId } from '../src/demo/demoData.js'
import { DEMO_CONCERNS } from '../src/demo/demoConcerns.js'
import { callerFor } from './support/callers.js'
import { ENGINES, openTestRuntime } from './support/db.js'
import { Browser, buildTestApp } from './support/web.js'

describe.each(ENGINES)('the demo pupils of concern on %s', engine => {
  it('puts pupils of concern at every step at both schools, once, with a pre-filled draft referral', async () => {
    const rt = await openTestRuntime(engine)
    try {
      const first = await loadDemo(rt, '317')
      expect(first.concerns).toBe(DEMO_CONCERNS.length)
      expect((await loadDemo(rt, '317')).concerns).toBe(0)
      const larkspur = await rt.services.concerns.dashboard(
        await callerFor(rt, 'attendance@larkspur.demo.onroll.invalid'),
      )
      const tags = [...larkspur.open, ...larkspur.closed].map(s => s.progress.tag.text).sort()
      expect(tags).toEqual([
        'Closed',
        'Contact social worker',
        'Enquiries under way',
        'Referral not sent',
        'Risk of harm',
      ])
      const drafted = larkspur.open.find(s => s.id === demoId('concern:failed-enquiries'))!
      expect(drafted.progress.dueOn).toBeTruthy()
      expect(drafted.referral?.status).toBe('draft')
      const referral = await rt.db
        .selectFrom('referrals')
        .select('draft')
        .where('id', '=', drafted.referral!.id)
        .executeTakeFirstOrThrow()
      const draft = JSON.parse(referral.draft) as { sections: Record<string, unknown> }
      expect(Object.keys(draft.sections)).toEqual(expect.arrayContaining(['child', 'school', 'actions']))

      const kingfisher = await rt.services.concerns.dashboard(
        await callerFor(rt, 'attendance@kingfisher.demo.onroll.invalid'),
      )
      expect(kingfisher.calendar).not.toBe(larkspur.calendar)
      const own = kingfisher.open.find(s => s.id === demoId('concern:own-calendar'))!
      expect(own.daysMissing).toBeGreaterThan(0)
      expect([...kingfisher.open, ...kingfisher.closed].map(s => s.progress.tag.text).sort()).toEqual([
        'At a new school',
        'Enquiries under way',
        'Refer to CME',
      ])
    } finally {
      await rt.close()
    }
  })
})

describe.each(ENGINES)('the demo pupils of concern in the pages on %s', engine => {
  it('shows every demo concern, at every step, to its own school', async () => {
    const rt = await openTestRuntime(engine)
    const app = await buildTestApp(rt)
    try {
      await loadDemo(rt, '317')
      for (const [email, school] of [
        ['attendance@larkspur.demo.onroll.invalid', 'larkspur'],
        ['attendance@kingfisher.demo.onroll.invalid', 'kingfisher'],
      ] as const) {
        const b = new Browser(app)
        await b.signInAs(email)
        const board = await b.get('/school')
        expect(board.statusCode).toBe(200)
        for (const c of DEMO_CONCERNS.filter(d => d.school === school)) {
          const id = demoId(`concern:${c.key}`)
          expect(board.body).toContain(`/school/concerns/${id}`)
          const page = await b.get(`/school/concerns/${id}`)
          expect(page.statusCode, c.key).toBe(200)
          const pupil = await b.get(`/school/pupils/${demoId(`pupil:${school}:${String(c.pupil)}`)}`)
          expect(pupil.statusCode, c.key).toBe(200)
        }
      }
    } finally {
      await app.close()
      await rt.close()
    }
  })
})
