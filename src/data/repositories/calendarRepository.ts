import type { Kysely } from 'kysely'
import type { CalendarPeriodTable, CalendarTable, Database } from '../schema.js'
import type { Insertable, Selectable } from 'kysely'

export type CalendarRow = Selectable<CalendarTable>
export type CalendarPeriodRow = Selectable<CalendarPeriodTable>
export type NewCalendarPeriod = Insertable<CalendarPeriodTable>

/** A calendar with the school it belongs to (null for the LA default). */
export interface CalendarWithSchool extends CalendarRow {
  school_name: string | null
  school_urn: string | null
}

function withSchool(db: Kysely<Database>) {
  return db
    .selectFrom('calendars')
    .leftJoin('organisations', 'organisations.id', 'calendars.school_id')
    .selectAll('calendars')
    .select(['organisations.name as school_name', 'organisations.urn as school_urn'])
}

/** The LA default first, then schools' calendars by school name. */
export async function listCalendars(db: Kysely<Database>, laCode: string): Promise<CalendarWithSchool[]> {
  const rows = await withSchool(db).where('calendars.la_code', '=', laCode).execute()
  return rows.sort((a, b) =>
    a.school_id === null ? -1 : b.school_id === null ? 1 : (a.school_name ?? '').localeCompare(b.school_name ?? ''),
  )
}

export async function findCalendar(db: Kysely<Database>, id: string): Promise<CalendarWithSchool | undefined> {
  return withSchool(db).where('calendars.id', '=', id).executeTakeFirst()
}

/**
 * The calendars that could apply to a school: its own and the LA default (at most one of each).
 * One small query, because this runs for every row of the Single List.
 */
export async function findCalendarCandidates(
  db: Kysely<Database>,
  laCode: string,
  schoolId: string | null,
): Promise<Pick<CalendarRow, 'id' | 'version' | 'name' | 'school_id'>[]> {
  return db
    .selectFrom('calendars')
    .select(['id', 'version', 'name', 'school_id'])
    .where('la_code', '=', laCode)
    .where(eb =>
      schoolId === null
        ? eb('school_id', 'is', null)
        : eb.or([eb('school_id', 'is', null), eb('school_id', '=', schoolId)]),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

export async function listPeriods(db: Kysely<Database>, calendarId: string): Promise<CalendarPeriodRow[]> {
  return db
    .selectFrom('calendar_periods')
    .selectAll()
    .where('calendar_id', '=', calendarId)
    .orderBy('starts_on')
    .orderBy('ends_on')
    .orderBy('id')
    .execute()
}

/** Academic-year starts of every term, per calendar, for the list page. */
export async function listTermStarts(
  db: Kysely<Database>,
  laCode: string,
): Promise<{ calendar_id: string; starts_on: string }[]> {
  return db
    .selectFrom('calendar_periods')
    .innerJoin('calendars', 'calendars.id', 'calendar_periods.calendar_id')
    .select(['calendar_periods.calendar_id', 'calendar_periods.starts_on'])
    .where('calendars.la_code', '=', laCode)
    .where('calendar_periods.kind', '=', 'term')
    .execute()
}

export async function insertCalendar(
  db: Kysely<Database>,
  row: { id: string; la_code: string; name: string; school_id: string | null; now: string },
): Promise<void> {
  await db
    .insertInto('calendars')
    .values({
      id: row.id,
      la_code: row.la_code,
      name: row.name,
      school_id: row.school_id,
      created_at: row.now,
      updated_at: row.now,
      version: 1,
    })
    .execute()
}

/** Every change to a calendar's periods goes with a new version, which is what invalidates cached school days. */
export async function bumpCalendarVersion(db: Kysely<Database>, id: string, now: string): Promise<void> {
  await db
    .updateTable('calendars')
    .set(eb => ({ version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .execute()
}

export async function replacePeriods(
  db: Kysely<Database>,
  calendarId: string,
  periods: readonly NewCalendarPeriod[],
): Promise<void> {
  await db.deleteFrom('calendar_periods').where('calendar_id', '=', calendarId).execute()
  if (periods.length > 0)
    await db
      .insertInto('calendar_periods')
      .values([...periods])
      .execute()
}

export async function insertPeriod(db: Kysely<Database>, period: NewCalendarPeriod): Promise<void> {
  await db.insertInto('calendar_periods').values(period).execute()
}

export async function updatePeriod(
  db: Kysely<Database>,
  calendarId: string,
  id: string,
  change: Pick<CalendarPeriodRow, 'kind' | 'name' | 'starts_on' | 'ends_on'>,
): Promise<number> {
  const r = await db
    .updateTable('calendar_periods')
    .set(change)
    .where('id', '=', id)
    .where('calendar_id', '=', calendarId)
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

export async function deletePeriod(db: Kysely<Database>, calendarId: string, id: string): Promise<number> {
  const r = await db
    .deleteFrom('calendar_periods')
    .where('id', '=', id)
    .where('calendar_id', '=', calendarId)
    .executeTakeFirst()
  return Number(r.numDeletedRows)
}
