import type { IsoDate } from './dates.js'

/**
 * An answer about school days: either a value, or a plain statement of why none can be
 * given ("No term dates for 2031-09-01 in the Redbridge calendar"). The law counts school
 * days, so a date outside any known calendar must never be guessed at.
 */
export type Answer<T> = { ok: true; value: T } | { ok: false; problem: string }

export const answer = <T>(value: T): Answer<T> => ({ ok: true, value })
export const noAnswer = <T = never>(problem: string): Answer<T> => ({ ok: false, problem })

/** School-day arithmetic for one school's (or the LA's) calendar. Implemented in calendar.ts. */
export interface SchoolDays {
  /** Name of the calendar, for messages. */
  readonly name: string
  isSchoolDay(date: IsoDate): Answer<boolean>
  /** School days from `from` to `to`, both ends inclusive; 0 when `to` is before `from`. */
  count(from: IsoDate, to: IsoDate): Answer<number>
  /** The Nth school day after `from` (N >= 1; `from` itself is not counted). */
  add(from: IsoDate, days: number): Answer<IsoDate>
  /** The first school day strictly after `date`. */
  next(date: IsoDate): Answer<IsoDate>
  /** True on a day inside the calendar that is not a school day and not a weekend (a holiday, bank holiday or INSET day). */
  isHoliday(date: IsoDate): Answer<boolean>
}
