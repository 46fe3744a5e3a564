import { describe, expect, it } from 'vitest'
import { loadDemo } from '../../src/demo/index.js'
import { POSSIBLY_LOCATED } from '../../src/services/singleListService.js'
import { callerFor } from '../support/callers.js'
import { ENGINES, openTestRuntime } from '../support/db.js'

describe.each(ENGINES)('a possibly-located alert on the Single List on %s', engine => {
  it('flags the case while the alert is open, and not once the CME team has dealt with it', async () => {
    const rt = await openTestRuntime(engine)
    try {
      await loadDemo(rt, '317')
      const alert = await rt.db
        .selectFrom('possibly_located_alerts')
        .innerJoin('cases', 'cases.id', 'possibly_located_alerts.case_id')
        .select(['possibly_located_alerts.id', 'cases.reference'])
        .where('possibly_located_alerts.status', '=', 'open')
        .executeTakeFirstOrThrow()
      const caller = await callerFor(rt, 'cme.officer@demo.onroll.invalid')
      const flagsOf = async () => {
        const page = await rt.services.singleList.list(caller, {
          search: { kind: 'reference', reference: alert.reference },
        })
        expect(page.entries).toHaveLength(1)
        return page.entries[0]?.flags ?? []
      }
      expect(await flagsOf()).toContain(POSSIBLY_LOCATED)
      await rt.db
        .updateTable('possibly_located_alerts')
        .set({ status: 'not-the-child' })
        .where('id', '=', alert.id)
        .execute()
      expect(await flagsOf()).not.toContain(POSSIBLY_LOCATED)
    } finally {
      await rt.close()
    }
  })
})
