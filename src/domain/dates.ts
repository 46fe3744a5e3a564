/**
 * Date-only values. The law counts in whole days, so the domain works with ISO
 * calendar dates ("YYYY-MM-DD") and never with instants or time zones. Arithmetic
 * is done in UTC so that a clock change can never move a date.
 */
export type IsoDate = string

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

const DAY_MS = 86_400_000

/** True when the text is a real calendar date in YYYY-MM-DD form (no 31 April, no 29 Feb in 2025). */
export function isIsoDate(text: string): text is IsoDate {
  const m = ISO_DATE.exec(text)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (mo < 1 || mo > 12 || d < 1) return false
  return d <= daysInMonth(y, mo)
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

/** Builds a date from parts; throws on an impossible date because callers pass computed, not typed, values. */
export function dateOf(year: number, month: number, day: number): IsoDate {
  const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
  if (!isIsoDate(text)) throw new RangeError(`Not a calendar date: ${text}`)
  return text
}

export function parts(date: IsoDate): { year: number; month: number; day: number } {
  const m = ISO_DATE.exec(date)
  if (!m) throw new RangeError(`Not an ISO date: ${date}`)
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }
}

function toUtcMs(date: IsoDate): number {
  const { year, month, day } = parts(date)
  return Date.UTC(year, month - 1, day)
}

function fromUtcMs(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10)
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromUtcMs(toUtcMs(date) + days * DAY_MS)
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS)
}

/** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
export function dayOfWeek(date: IsoDate): number {
  return new Date(toUtcMs(date)).getUTCDay()
}

export function isWeekend(date: IsoDate): boolean {
  const d = dayOfWeek(date)
  return d === 0 || d === 6
}

/** ISO dates compare correctly as strings; these names make call sites read as the rule does. */
export const isBefore = (a: IsoDate, b: IsoDate): boolean => a < b
export const isAfter = (a: IsoDate, b: IsoDate): boolean => a > b
export const minDate = (a: IsoDate, b: IsoDate): IsoDate => (a < b ? a : b)
export const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (a > b ? a : b)

/** Whole years of age on a date; a 29 February birthday is reached on 1 March in common years. */
export function ageOn(dateOfBirth: IsoDate, on: IsoDate): number {
  const b = parts(dateOfBirth)
  const o = parts(on)
  let age = o.year - b.year
  if (o.month < b.month || (o.month === b.month && o.day < b.day)) age -= 1
  return age
}

/** The same month and day `years` later; 29 February becomes 1 March in a common year. */
export function anniversary(date: IsoDate, years: number): IsoDate {
  const { year, month, day } = parts(date)
  const y = year + years
  if (month === 2 && day === 29 && !isLeapYear(y)) return dateOf(y, 3, 1)
  return dateOf(y, month, day)
}

/** The date in Europe/London of an instant; used to turn "now" into "today". */
// Built once: constructing an Intl formatter costs far more than formatting with it, and "today" is asked often.
const LONDON_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

export function londonDate(instant: Date): IsoDate {
  return LONDON_DATE.format(instant)
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const

/** "31 March 2027": the GOV.UK style for dates in sentences read by referrers and parents. */
export function formatLongDate(date: IsoDate): string {
  if (!isIsoDate(date)) throw new RangeError(`Not a calendar date: ${date}`)
  const { year, month, day } = parts(date)
  return `${day} ${MONTH_NAMES[month - 1] ?? ''} ${year}`
}
