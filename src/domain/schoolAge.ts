import { addDays, anniversary, dateOf, dayOfWeek, isIsoDate, parts, type IsoDate } from './dates.js'

/**
 * Compulsory school age in England, Education Act 1996 s8 (see docs/rules/age-and-upn.md).
 *
 * Birthdays come from `anniversary`, so a child born on 29 February reaches 5 and 16 on
 * 1 March in a common year. Family Law Reform Act 1969 s9 says an age is attained at the
 * start of the relevant anniversary but does not say which day that is when there is no
 * 29 February; 1 March is the common reading (and the one `ageOn` uses). The choice never
 * changes a result here: 28 February, 29 February and 1 March lead to the same prescribed
 * day (31 March) and sit in the same school year.
 */
export interface CompulsorySchoolAge {
  /** First day of compulsory school age. */
  startsOn: IsoDate
  /** Last day of compulsory school age (the child ceases at the end of it). */
  endsOn: IsoDate
}

const FRIDAY = 5

/** The school leaving date for a calendar year: the last Friday in June (Education (School Leaving Date) Order 1997). */
export function schoolLeavingDate(year: number): IsoDate {
  const june30 = dateOf(year, 6, 30)
  return addDays(june30, -((dayOfWeek(june30) - FRIDAY + 7) % 7))
}

/**
 * The prescribed days are 31 March, 31 August and 31 December; listed in calendar order so
 * the first one not before the birthday is the one s8(2) means.
 */
function nextPrescribedDay(date: IsoDate): IsoDate {
  const { year } = parts(date)
  const candidates = [dateOf(year, 3, 31), dateOf(year, 8, 31), dateOf(year, 12, 31)]
  return candidates.find(d => d >= date) ?? dateOf(year + 1, 3, 31)
}

/** The calendar year in which the school year (1 September to 31 August) containing `date` ends. */
function schoolYearEnding(date: IsoDate): number {
  const { year, month } = parts(date)
  return month >= 9 ? year + 1 : year
}

function requireDate(date: IsoDate, name: string): void {
  if (!isIsoDate(date)) throw new RangeError(`${name} is not a calendar date: ${date}`)
}

export function compulsorySchoolAge(dateOfBirth: IsoDate): CompulsorySchoolAge {
  requireDate(dateOfBirth, 'Date of birth')
  const fifth = anniversary(dateOfBirth, 5)
  const sixteenth = anniversary(dateOfBirth, 16)
  // s8(3)(a)-(c) collapse to one rule: a 16th birthday before, on, or after the June leaving
  // date but before 1 September all end on that June's leaving date; an autumn birthday waits
  // for the next one.
  return { startsOn: nextPrescribedDay(fifth), endsOn: schoolLeavingDate(schoolYearEnding(sixteenth)) }
}

export function isOfCompulsorySchoolAge(dateOfBirth: IsoDate, on: IsoDate): boolean {
  requireDate(on, 'Date')
  const { startsOn, endsOn } = compulsorySchoolAge(dateOfBirth)
  return startsOn <= on && on <= endsOn
}

/**
 * The National Curriculum year of the child's cohort on a date: Reception = 0, Year 1 = 1,
 * Nursery = -1. The cohort is children born 1 September to 31 August, and Reception is the
 * school year in which they turn 5. This is the cohort's year, not where a school may have
 * placed a child out of year group.
 */
export function yearGroupOn(dateOfBirth: IsoDate, on: IsoDate): number {
  requireDate(dateOfBirth, 'Date of birth')
  requireDate(on, 'Date')
  return schoolYearEnding(on) - schoolYearEnding(dateOfBirth) - 5
}

export function yearGroupLabel(yearGroup: number): string {
  if (!Number.isInteger(yearGroup)) throw new RangeError(`Not a year group: ${yearGroup}`)
  if (yearGroup <= -2) return 'Early years'
  if (yearGroup === -1) return 'Nursery'
  if (yearGroup === 0) return 'Reception'
  if (yearGroup <= 11) return `Year ${yearGroup}`
  return 'Post-16'
}
