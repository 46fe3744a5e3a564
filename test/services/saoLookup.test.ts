import { describe, expect, it } from 'vitest'
import { demoId, loadDemoData } from '../../src/demo/demoData.js'
import { casesForPupil } from '../../src/services/pupilRecords.js'
import { createSaoLookup } from '../../src/services/saoLookup.js'
import { ENGINES, openTestRuntime } from '../support/db.js'

describe.each(ENGINES)('is an SAO naming the school open for this pupil? on %s', engine => {
  it('finds an open process naming the school on the pupil’s CME case, and nothing once it ends', async () => {
    const rt = await openTestRuntime(engine)
    try {
      await loadDemoData(rt.db, rt.clock, '317')
      const c = await rt.db
        .selectFrom('cases')
        .innerJoin('children', 'children.id', 'cases.child_id')
        .select(['cases.id', 'cases.child_id', 'children.first_name', 'children.last_name', 'children.date_of_birth'])
        .where('cases.status', '=', 'stage-two')
        .executeTakeFirstOrThrow()
      const now = rt.clock.now().toISOString()
      const larkspur = demoId('org:larkspur')
      const kingfisher = demoId('org:kingfisher')
      await rt.db
        .insertInto('pupils')
        .values({
          id: 'pupil-sao',
          la_code: '317',
          school_id: larkspur,
          upn: null,
          former_upn: null,
          first_name: c.first_name,
          last_name: c.last_name,
          other_names: null,
          date_of_birth: c.date_of_birth,
          gender: null,
          ethnicity: null,
          nc_year: null,
          admission_date: '2025-09-03',
          address_lines: null,
          postcode: null,
          contacts: null,
          sen_provision: null,
          social_worker: null,
          name_key: `${c.last_name} ${c.first_name}`.toLowerCase(),
          created_at: now,
          updated_at: now,
        })
        .execute()
      const pupil = await rt.db.selectFrom('pupils').selectAll().where('id', '=', 'pupil-sao').executeTakeFirstOrThrow()
      const saoLookup = createSaoLookup(rt.db)
      const lookup = async (p: typeof pupil, school: string) =>
        saoLookup(
          (await casesForPupil(rt.db, p)).map(c => c.caseId),
          school,
        )
      expect(await lookup(pupil, larkspur)).toBe(false)
      await rt.db
        .insertInto('sao_processes')
        .values({
          id: 'sao-1',
          la_code: '317',
          case_id: c.id,
          child_id: c.child_id,
          version_key: 'ea1996',
          reason: 'refuses-place',
          status: 'open',
          current_stage: 'monitor',
          named_school_id: larkspur,
          started_on: '2026-10-01',
          started_at: now,
          started_by: 'test',
          ended_on: null,
          end_reason: null,
          updated_at: now,
        })
        .execute()
      expect(await lookup(pupil, larkspur)).toBe(true)
      expect(await lookup(pupil, kingfisher)).toBe(false)
      await rt.db.updateTable('sao_processes').set({ status: 'ended' }).where('id', '=', 'sao-1').execute()
      expect(await lookup(pupil, larkspur)).toBe(false)
    } finally {
      await rt.close()
    }
  })
})
