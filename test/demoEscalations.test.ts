import { describe, expect, it } from 'vitest'
import { loadDemo } from '../src/demo/index.js'
import { ESCALATION_CHAIN } from '../src/domain/escalation.js'
import { callerFor } from './support/callers.js'
import { ENGINES, openTestRuntime } from './support/db.js'

describe.each(ENGINES)('the demo escalations, reviews and half-term note on %s', engine => {
  it('gives every level of the chain an open escalation, with answered and automatic ones, once', async () => {
    const rt = await openTestRuntime(engine)
    try {
      const first = await loadDemo(rt, '317')
      expect(first.escalations).toBeGreaterThan(0)
      expect((await loadDemo(rt, '317')).escalations).toBe(0)
      const rows = await rt.db.selectFrom('escalations').selectAll().execute()
      const openLevels = new Set(rows.filter(r => r.status === 'open').map(r => r.level))
      for (const level of ESCALATION_CHAIN) expect(openLevels.has(level), level).toBe(true)
      expect(rows.some(r => r.status === 'answered')).toBe(true)
      expect(rows.some(r => r.automatic_reason !== null && r.alert_id !== null)).toBe(true)
      // What the Corporate Director holds climbed there: it links the Operational Director's answer.
      const top = rows.find(r => r.level === 'corporate-director')
      expect(rows.find(r => r.id === top?.previous_id)?.status).toBe('escalated')

      const vco = await callerFor(rt, 'vco@demo.onroll.invalid')
      expect((await rt.services.escalations.queue(vco)).length).toBeGreaterThanOrEqual(2)
      const reviews = await rt.db.selectFrom('tasks').selectAll().where('kind', '=', 'review').execute()
      expect(reviews.some(t => t.done_on === null)).toBe(true)
      expect(reviews.some(t => t.done_on !== null)).toBe(true)
      expect(
        await rt.db.selectFrom('case_checks').select('id').where('stage', '=', 'review').execute(),
      ).not.toHaveLength(0)
      expect(
        await rt.db.selectFrom('reports').select('id').where('kind', '=', 'half-term-note').execute(),
      ).toHaveLength(1)
    } finally {
      await rt.close()
    }
  })
})
