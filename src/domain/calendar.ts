import { addDays, dateOf, daysBetween, isIsoDate, isWeekend, maxDate, minDate, parts, type IsoDate } from './dates.js'
import { answer, noAnswer, type Answer, type SchoolDays } from './schoolDays.js'

/**
 * School calendars: terms, closures and bank holidays, and the school-day arithmetic the
 * CME protocol counts in (domain.md §8; docs/rules/calendars.md).
 *
 * A calendar only "knows" the academic years (1 September to 31 August) in which at least
 * one of its terms starts. Inside such a year every date is known — the summer holiday is a
 * known run of non-school days — and outside it every answer is "No term dates for …",
 * because a statutory deadline computed from guessed term dates would be wrong without
 * anyone noticing.
 */

/** Inclusive: the first and last day pupils attend in the term. */
export interface Term {
  name: string
  startsOn: IsoDate
  endsOn: IsoDate
}

export type ClosureKind = 'half-term' | 'inset' | 'closure'

/** Inclusive; a single INSET day has startsOn === endsOn. */
export interface Closure {
  kind: ClosureKind
  name: string
  startsOn: IsoDate
  endsOn: IsoDate
}

export interface CalendarData {
  name: string
  terms: Term[]
  closures: Closure[]
}

/** A run of non-school weekdays (weekends inside the run are part of it; the ends are weekdays). */
export interface HolidayPeriod {
  startsOn: IsoDate
  endsOn: IsoDate
  /** Weekdays in the period: 1 for a lone INSET day or bank holiday, 5 for a half-term week. */
  weekdays: number
}

/** The academic year a date falls in, named by the calendar year it starts in (2025 for 2025/26). */
export function academicYearOf(date: IsoDate): number {
  const { year, month } = parts(date)
  return month >= 9 ? year : year - 1
}

/** "2027/28", as schools and LAs write it. */
export function academicYearLabel(startYear: number): string {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`
}

const yearStart = (startYear: number): IsoDate => dateOf(startYear, 9, 1)

/** Years outside this range are almost always a typing slip (0225, 2205) rather than real term dates. */
const EARLIEST_YEAR = 2000
const LATEST_YEAR = 2099

/**
 * Precomputed school days for the covered academic years. Covered years are laid end to end
 * in one day index (gaps between non-adjacent years are simply absent), so a date maps to an
 * index in O(1) and `prefix[i]` is the number of school days before index i. `runStart` and
 * `runEnd` give, for each covered year, the first and last year of the unbroken run of covered
 * years it belongs to: a count or an add may cross year boundaries only inside one run.
 */
interface Index {
  offset: Map<number, number>
  runStart: Map<number, number>
  runEnd: Map<number, number>
  school: Uint8Array
  prefix: Int32Array
  /** The school days in order; schoolDates[k] is the (k+1)th school day of the whole calendar. */
  schoolDates: IsoDate[]
}

function buildIndex(calendar: CalendarData, bankHolidays: readonly IsoDate[]): Index {
  const years = [...new Set(calendar.terms.map(t => academicYearOf(t.startsOn)))].sort((a, b) => a - b)
  const offset = new Map<number, number>()
  const runStart = new Map<number, number>()
  const runEnd = new Map<number, number>()
  let total = 0
  let start = years[0] ?? 0
  for (const [i, y] of years.entries()) {
    offset.set(y, total)
    total += daysBetween(yearStart(y), yearStart(y + 1))
    if (i > 0 && years[i - 1] !== y - 1) start = y
    runStart.set(y, start)
  }
  let end = years[years.length - 1] ?? 0
  for (let i = years.length - 1; i >= 0; i--) {
    const y = years[i] as number
    if (i < years.length - 1 && years[i + 1] !== y + 1) end = y
    runEnd.set(y, end)
  }

  const school = new Uint8Array(total)
  const indexOf = (date: IsoDate): number | undefined => {
    const y = academicYearOf(date)
    const base = offset.get(y)
    return base === undefined ? undefined : base + daysBetween(yearStart(y), date)
  }
  // Ranges are walked a day at a time (a calendar spans a few thousand days, built once),
  // clipped to the covered years so a mistyped end year cannot make the walk run for ever.
  const first = years.length > 0 ? yearStart(years[0] as number) : ''
  const last = years.length > 0 ? addDays(yearStart((years[years.length - 1] as number) + 1), -1) : ''
  const mark = (from: IsoDate, to: IsoDate, value: 0 | 1) => {
    if (years.length === 0) return
    for (let d = maxDate(from, first); d <= minDate(to, last); d = addDays(d, 1)) {
      const i = indexOf(d)
      if (i !== undefined && !(value === 1 && isWeekend(d))) school[i] = value
    }
  }

  for (const t of calendar.terms) mark(t.startsOn, t.endsOn, 1)
  for (const c of calendar.closures) mark(c.startsOn, c.endsOn, 0)
  for (const b of bankHolidays) mark(b, b, 0)

  const prefix = new Int32Array(total + 1)
  const schoolDates: IsoDate[] = []
  for (const y of years) {
    const base = offset.get(y) as number
    const days = daysBetween(yearStart(y), yearStart(y + 1))
    for (let k = 0; k < days; k++) {
      const i = base + k
      prefix[i + 1] = (prefix[i] as number) + (school[i] as number)
      if (school[i] === 1) schoolDates.push(addDays(yearStart(y), k))
    }
  }
  return { offset, runStart, runEnd, school, prefix, schoolDates }
}

/**
 * School-day arithmetic for one calendar. `bankHolidays` are England and Wales bank holidays
 * (integrations/calendars/bankHolidays.ts); they are passed in so this stays pure.
 * Expects a calendar that validateCalendar accepts; throws RangeError on a date that is not
 * YYYY-MM-DD, since that is a programming error rather than an answer.
 */
export function schoolDaysFor(calendar: CalendarData, bankHolidays: readonly IsoDate[]): SchoolDays {
  const index = buildIndex(calendar, bankHolidays)
  const { offset, runStart, runEnd, school, prefix, schoolDates } = index
  const name = calendar.name
  const unknownYear = <T>(startYear: number): Answer<T> =>
    noAnswer(`No term dates for ${academicYearLabel(startYear)} in the ${name} calendar`)
  const notADate = <T>(text: string): Answer<T> => noAnswer(`'${text}' is not a date in the form YYYY-MM-DD`)

  /** The day index of a date in a covered year, or the problem with it. */
  const locate = (date: IsoDate): Answer<{ i: number; year: number }> => {
    if (!isIsoDate(date)) return notADate(date)
    const year = academicYearOf(date)
    const base = offset.get(year)
    if (base === undefined) return unknownYear(year)
    return answer({ i: base + daysBetween(yearStart(year), date), year })
  }

  const add = (from: IsoDate, days: number): Answer<IsoDate> => {
    if (!Number.isInteger(days) || days < 0) return noAnswer(`Cannot count ${days} school days; use a whole number`)
    const at = locate(from)
    if (!at.ok) return at
    if (days === 0) return answer(from)
    // School days up to and including `from`; the target is the (done + days)th school day.
    const done = prefix[at.value.i + 1] as number
    const target = schoolDates[done + days - 1]
    const lastKnown = runEnd.get(at.value.year) as number
    if (target === undefined || academicYearOf(target) > lastKnown) return unknownYear(lastKnown + 1)
    return answer(target)
  }

  return {
    name,
    isSchoolDay(date) {
      const at = locate(date)
      return at.ok ? answer(school[at.value.i] === 1) : at
    },
    isHoliday(date) {
      const at = locate(date)
      return at.ok ? answer(school[at.value.i] === 0 && !isWeekend(date)) : at
    },
    count(from, to) {
      if (!isIsoDate(from)) return notADate(from)
      if (!isIsoDate(to)) return notADate(to)
      if (to < from) return answer(0)
      const a = locate(from)
      if (!a.ok) return a
      const b = locate(to)
      // Name the first unknown year after `from`, which is the one the administrator must add.
      if (!b.ok || (runStart.get(b.value.year) as number) > a.value.year) {
        return unknownYear((runEnd.get(a.value.year) as number) + 1)
      }
      return answer((prefix[b.value.i + 1] as number) - (prefix[a.value.i] as number))
    },
    add,
    next: date => add(date, 1),
  }
}

/**
 * The holiday periods between `from` and `to` (inclusive), clipped to that window: maximal
 * runs of non-school days that contain a weekday, reported from their first to their last
 * non-school weekday. Christmas, Easter, summer and half-terms appear, and so do a lone
 * INSET day or bank holiday in term (weekdays 1), because a review "in the school holidays"
 * may be held on any of them; callers wanting whole weeks filter on `weekdays`.
 */
export function schoolHolidays(
  calendar: CalendarData,
  bankHolidays: readonly IsoDate[],
  from: IsoDate,
  to: IsoDate,
): Answer<HolidayPeriod[]> {
  const days = schoolDaysFor(calendar, bankHolidays)
  // count() checks both dates and that every academic year between them is known.
  const covered = days.count(from, to)
  if (!covered.ok) return covered
  const periods: HolidayPeriod[] = []
  let open: HolidayPeriod | undefined
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const isSchool = days.isSchoolDay(d)
    if (!isSchool.ok) return isSchool
    if (isSchool.value) {
      if (open) periods.push(open)
      open = undefined
    } else if (!isWeekend(d)) {
      if (open) {
        open.endsOn = d
        open.weekdays += 1
      } else {
        open = { startsOn: d, endsOn: d, weekdays: 1 }
      }
    }
  }
  if (open) periods.push(open)
  return answer(periods)
}

/**
 * The last school day of each half term, in date order: each term is split by its half-term
 * closures, and the last school day of each part is a boundary (so normally two per term).
 * A part with no school days gives no boundary. Used for the "every half term" duties.
 */
export function halfTermBoundaries(calendar: CalendarData, bankHolidays: readonly IsoDate[]): IsoDate[] {
  const days = schoolDaysFor(calendar, bankHolidays)
  const halfTerms = calendar.closures.filter(c => c.kind === 'half-term')
  const boundaries = new Set<IsoDate>()
  for (const term of calendar.terms) {
    // Each half-term break inside the term ends the part before it on the day before the break.
    const partEnds = halfTerms
      .filter(h => h.startsOn > term.startsOn && h.startsOn <= term.endsOn)
      .map(h => addDays(h.startsOn, -1))
    partEnds.push(term.endsOn)
    partEnds.sort()
    let partStart = term.startsOn
    for (const end of partEnds) {
      const last = lastSchoolDay(days, partStart, end)
      if (last) boundaries.add(last)
      partStart = addDays(end, 1)
    }
  }
  return [...boundaries].sort()
}

function lastSchoolDay(days: SchoolDays, from: IsoDate, to: IsoDate): IsoDate | undefined {
  for (let d = to; d >= from; d = addDays(d, -1)) {
    const s = days.isSchoolDay(d)
    if (s.ok && s.value) return d
  }
  return undefined
}

/** Written for an LA administrator: "20 Dec 2025", not "2025-12-20". */
function show(date: IsoDate): string {
  const { year, month, day } = parts(date)
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
  return `${day} ${months[month - 1] ?? ''} ${String(year).padStart(4, '0')}`
}

const KIND_LABEL: Record<ClosureKind, string> = { 'half-term': 'Half term', inset: 'INSET day', closure: 'Closure' }

/**
 * Problems with a calendar, in plain words for the LA administrator who loaded it; empty when
 * it can be used. Decisions: a half term must lie inside one term (it splits that term); an
 * INSET day or closure outside every term is accepted (many calendars give pupils' term dates
 * with the INSET days just before them, and such a day is not a school day either way) but
 * it must fall in an academic year the calendar has terms for, or it is almost certainly a
 * mistyped year.
 */
export function validateCalendar(calendar: CalendarData): string[] {
  const problems: string[] = []
  if (calendar.name.trim() === '') problems.push('The calendar has no name.')
  if (calendar.terms.length === 0) problems.push('The calendar has no terms, so no school days can be counted from it.')

  const periodProblems = (what: string, p: { startsOn: IsoDate; endsOn: IsoDate }): string[] => {
    const found: string[] = []
    for (const [label, date] of [
      ['start', p.startsOn],
      ['end', p.endsOn],
    ] as const) {
      if (!isIsoDate(date)) found.push(`${what}: the ${label} date '${date}' is not a real date (use YYYY-MM-DD).`)
      else if (parts(date).year < EARLIEST_YEAR || parts(date).year > LATEST_YEAR) {
        found.push(`${what}: the ${label} date ${show(date)} looks mistyped; check the year.`)
      }
    }
    if (found.length === 0 && p.endsOn < p.startsOn) {
      found.push(`${what} ends (${show(p.endsOn)}) before it starts (${show(p.startsOn)}).`)
    }
    return found
  }

  const goodTerms: Term[] = []
  for (const term of calendar.terms) {
    const what = term.name.trim() === '' ? 'A term with no name' : term.name
    const found = periodProblems(what, term)
    if (term.name.trim() === '' && found.length === 0) {
      found.push(`The term from ${show(term.startsOn)} to ${show(term.endsOn)} has no name.`)
    }
    if (found.length === 0 && academicYearOf(term.startsOn) !== academicYearOf(term.endsOn)) {
      found.push(
        `${what} runs across 1 September; a term must fall within one academic year (1 September to 31 August).`,
      )
    }
    problems.push(...found)
    if (found.length === 0) goodTerms.push(term)
  }

  const sorted = [...goodTerms].sort((a, b) => (a.startsOn < b.startsOn ? -1 : a.startsOn > b.startsOn ? 1 : 0))
  for (const [i, a] of sorted.entries()) {
    for (const b of sorted.slice(i + 1)) {
      if (b.startsOn > a.endsOn) break
      problems.push(
        `${a.name} (${show(a.startsOn)} to ${show(a.endsOn)}) overlaps ${b.name} (${show(b.startsOn)} to ${show(b.endsOn)}).`,
      )
    }
  }

  const years = new Set(goodTerms.map(t => academicYearOf(t.startsOn)))
  for (const c of calendar.closures) {
    const what = `${KIND_LABEL[c.kind]} '${c.name}'`
    const found = periodProblems(what, c)
    if (found.length > 0 || goodTerms.length === 0) {
      problems.push(...found)
      continue
    }
    const span = `${show(c.startsOn)} to ${show(c.endsOn)}`
    if (c.kind === 'half-term') {
      if (!goodTerms.some(t => t.startsOn <= c.startsOn && c.endsOn <= t.endsOn)) {
        problems.push(`${what} (${span}) is not inside a term; a half term must fall within the term it divides.`)
      }
    } else if (!years.has(academicYearOf(c.startsOn)) || !years.has(academicYearOf(c.endsOn))) {
      problems.push(`${what} (${span}) falls in an academic year with no terms in this calendar; check the year.`)
    }
  }
  return problems
}
