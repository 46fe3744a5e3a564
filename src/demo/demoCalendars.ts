import type { Kysely } from 'kysely'
import type { Clock } from '../domain/clock.js'
import type { Database } from '../data/schema.js'
import { demoId } from './demoData.js'

/*
 * demoData.ts imports this module and this module imports demoId from it. The cycle is safe
 * because demoId is a hoisted function declaration and is only called inside loadDemoCalendars,
 * long after both modules have finished loading.
 */

type Kind = 'term' | 'half-term' | 'inset' | 'closure'
type Period = [kind: Kind, name: string, startsOn: string, endsOn: string]

interface DemoCalendar {
  key: string
  name: string
  /** The demo organisation key of the school, or null for the LA default. */
  school: string | null
  periods: Period[]
}

/**
 * Fictional term dates in the shape London boroughs publish (INSET days just before the autumn
 * term, a few inside term, half terms inside their term). They are demo data, not Redbridge's.
 */
export const DEMO_CALENDARS: DemoCalendar[] = [
  {
    key: 'la',
    name: 'Redbridge (demo) term dates',
    school: null,
    periods: [
      ['inset', 'INSET days', '2025-09-01', '2025-09-02'],
      ['term', 'Autumn term 2025', '2025-09-03', '2025-12-19'],
      ['half-term', 'October half term', '2025-10-27', '2025-10-31'],
      ['term', 'Spring term 2026', '2026-01-05', '2026-03-27'],
      ['inset', 'INSET day', '2026-01-05', '2026-01-05'],
      ['half-term', 'February half term', '2026-02-16', '2026-02-20'],
      ['term', 'Summer term 2026', '2026-04-13', '2026-07-21'],
      ['half-term', 'May half term', '2026-05-25', '2026-05-29'],
      ['inset', 'INSET day', '2026-06-26', '2026-06-26'],
      ['inset', 'INSET days', '2026-09-01', '2026-09-02'],
      ['term', 'Autumn term 2026', '2026-09-03', '2026-12-18'],
      ['half-term', 'October half term', '2026-10-26', '2026-10-30'],
      ['term', 'Spring term 2027', '2027-01-04', '2027-03-26'],
      ['inset', 'INSET day', '2027-01-04', '2027-01-04'],
      ['half-term', 'February half term', '2027-02-15', '2027-02-19'],
      ['term', 'Summer term 2027', '2027-04-12', '2027-07-21'],
      ['half-term', 'May half term', '2027-05-31', '2027-06-04'],
      ['inset', 'INSET day', '2027-06-25', '2027-06-25'],
    ],
  },
  {
    // An academy sets its own dates: autumn starts a day earlier and the INSET days differ.
    key: 'kingfisher',
    name: 'Kingfisher Academy (demo) term dates',
    school: 'kingfisher',
    periods: [
      ['inset', 'INSET day', '2025-09-01', '2025-09-01'],
      ['term', 'Autumn term 2025', '2025-09-02', '2025-12-19'],
      ['half-term', 'October half term', '2025-10-27', '2025-10-31'],
      ['inset', 'INSET day', '2025-11-28', '2025-11-28'],
      ['term', 'Spring term 2026', '2026-01-05', '2026-03-27'],
      ['half-term', 'February half term', '2026-02-16', '2026-02-20'],
      ['term', 'Summer term 2026', '2026-04-13', '2026-07-21'],
      ['half-term', 'May half term', '2026-05-25', '2026-05-29'],
      ['inset', 'INSET day', '2026-09-01', '2026-09-01'],
      ['term', 'Autumn term 2026', '2026-09-02', '2026-12-18'],
      ['half-term', 'October half term', '2026-10-26', '2026-10-30'],
      ['inset', 'INSET day', '2026-11-27', '2026-11-27'],
      ['term', 'Spring term 2027', '2027-01-04', '2027-03-26'],
      ['half-term', 'February half term', '2027-02-15', '2027-02-19'],
      ['inset', 'INSET day', '2027-02-22', '2027-02-22'],
      ['term', 'Summer term 2027', '2027-04-12', '2027-07-21'],
      ['half-term', 'May half term', '2027-05-31', '2027-06-04'],
    ],
  },
]

export const demoCalendarId = (key: string): string => demoId(`calendar:${key}`)

/** Demo term dates (issue 4): the LA's for 2025/26 and 2026/27, and one academy's own. */
export async function loadDemoCalendars(db: Kysely<Database>, clock: Clock, laCode: string): Promise<number> {
  const now = clock.now().toISOString()
  let inserted = 0
  await db.transaction().execute(async trx => {
    for (const c of DEMO_CALENDARS) {
      const id = demoCalendarId(c.key)
      const added = await trx
        .insertInto('calendars')
        .values({
          id,
          la_code: laCode,
          name: c.name,
          school_id: c.school ? demoId(`org:${c.school}`) : null,
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .onConflict(oc => oc.column('id').doNothing())
        .executeTakeFirst()
      let changed = Number(added.numInsertedOrUpdatedRows ?? 0)
      for (const [kind, name, startsOn, endsOn] of c.periods) {
        const r = await trx
          .insertInto('calendar_periods')
          .values({
            // Keyed by what the period is, so reordering the list above never changes an id.
            id: demoId(`calendar:${c.key}:${kind}:${startsOn}`),
            calendar_id: id,
            kind,
            name,
            starts_on: startsOn,
            ends_on: endsOn,
          })
          .onConflict(oc => oc.column('id').doNothing())
          .executeTakeFirst()
        changed += Number(r.numInsertedOrUpdatedRows ?? 0)
      }
      inserted += changed
      // A period put back into an existing calendar is a change: the new version drops cached school days.
      if (changed > 0 && Number(added.numInsertedOrUpdatedRows ?? 0) === 0)
        await trx
          .updateTable('calendars')
          .set(eb => ({ version: eb('version', '+', 1), updated_at: now }))
          .where('id', '=', id)
          .execute()
    }
  })
  return inserted
}
