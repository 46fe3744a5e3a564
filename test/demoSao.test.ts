import { describe, expect, it } from 'vitest'
import { loadDemo } from '../src/demo/index.js'
import { EA1996_SAO } from '../src/domain/sao.js'
import { ENGINES, openTestRuntime } from './support/db.js'

describe.each(ENGINES)('the demo school attendance orders on %s', engine => {
  it('has a process at every stage, one started again, one ended, and a letter of each kind, once', async () => {
    const rt = await openTestRuntime(engine)
    try {
      const first = await loadDemo(rt, '317')
      expect(first['school attendance orders and letters']).toBeGreaterThanOrEqual(11)
      expect((await loadDemo(rt, '317'))['school attendance orders and letters']).toBe(0)
      const processes = await rt.db.selectFrom('sao_processes').selectAll().execute()
      const open = processes.filter(p => p.status === 'open')
      expect(new Set(open.map(p => p.current_stage))).toEqual(new Set(EA1996_SAO.stages.map(s => s.key)))
      expect(processes.some(p => p.round === 2)).toBe(true)
      expect(processes.some(p => p.status === 'ended')).toBe(true)
      const kinds = new Set((await rt.db.selectFrom('case_letters').select('kind').execute()).map(k => k.kind))
      expect(kinds).toEqual(
        new Set([
          'family-letter',
          's437-notice',
          'notice-of-intention',
          'school-attendance-order',
          'education-department-abroad',
        ]),
      )
    } finally {
      await rt.close()
    }
  })
})
