import { callerFor } from '../callers.js'
import type { SampleFactory } from './index.js'

/** School attendance orders and letters: a process started on an open case, and a letter made on it. */
export const saoSamples: SampleFactory = async rt => {
  const c = await rt.db
    .selectFrom('cases')
    .select('id')
    .where('la_code', '=', '317')
    .where('status', '=', 'stage-two')
    .orderBy('reference')
    .executeTakeFirstOrThrow()
  const officer = await callerFor(rt, 'cme.officer@demo.onroll.invalid')
  const processId = await rt.services.sao.start(officer, c.id, {
    reason: 'fails-to-engage',
    stage: 's437-notice',
    startedOn: rt.clock.today(),
  })
  const [letterId] = await rt.services.letters.generate(officer, c.id, {
    kind: 'education-department-abroad',
    recipient: 'Ministry of Education, Example City',
    country: 'Portugal',
  })
  return {
    params: {
      '/cases/:id/sao/start': { id: c.id },
      '/sao/:id': { id: processId },
      '/sao/:id/outcome': { id: processId },
      '/sao/:id/stage': { id: processId },
      '/sao/:id/end': { id: processId },
      '/cases/:id/letters/new': { id: c.id },
      '/cases/:id/letters': { id: c.id },
      '/cases/:id/letters/:letterId': { id: c.id, letterId: letterId ?? '' },
      '/settings/letters/:kind': { kind: 'family-letter' },
      '/settings/letters/:kind/preview': { kind: 'family-letter' },
    },
    recordRules: {},
  }
}
