import {
  academicYearLabel,
  halfTermBoundaries,
  schoolDaysFor,
  schoolHolidays,
  type CalendarData,
  type HolidayPeriod,
} from './calendar.js'
import { addDays, dateOf, daysInMonth, isWeekend, parts, type IsoDate } from './dates.js'
import { answer, noAnswer, type Answer, type SchoolDays } from './schoolDays.js'

/**
 * The dates the calendar-driven duties fall on (domain.md §5.7-5.8, §8; protocol Appendices D
 * and E): reviews of cases closed as not found "twice yearly during school holidays", the
 * half-termly note of closed cases to the EWS Operational Manager, monthly oversight, and each
 * worker's daily digest. Today is always a parameter so that every date is testable; jobs use
 * `isDue` to find what fell due since they last ran.
 */

/** The school holidays a review may be held in, in the order they are chosen as `perYear` grows. */
export type ReviewHoliday = 'summer' | 'christmas' | 'easter' | 'half-term'

export interface ReviewDate {
  on: IsoDate
  holiday: ReviewHoliday
}

/** Shorter breaks (a lone INSET day, an Easter weekend in term) are not "the school holidays". */
const MIN_HOLIDAY_WEEKDAYS = 3

/**
 * Review dates for cases closed as not found in one academic year (2025 for 2025/26), each the
 * first weekday of a school holiday that is not a bank holiday, so the review is held in the
 * holiday on a day the LA's office is open. Holidays are chosen in this order and returned in date
 * order: the summer holiday (1 a year), then Christmas (2, the protocol's default: about six
 * months apart), then Easter (3), then the half terms in date order (4 to 6).
 *
 * The holidays are found from the calendar, not from names: Christmas is the holiday containing
 * 25 December; Easter the longest holiday starting in March or April; summer the last holiday of
 * the year starting in July or August; half terms every other holiday of at least three weekdays
 * (days off before the first term belong to last year's summer and are not counted).
 * A year the calendar does not cover, or a holiday it lacks, is a problem, never a guess.
 */
export function unfoundReviewSchedule(
  calendar: CalendarData,
  bankHolidays: readonly IsoDate[],
  academicYear: number,
  perYear = 2,
): Answer<ReviewDate[]> {
  if (!Number.isInteger(perYear) || perYear < 1) return noAnswer(`Cannot hold ${perYear} reviews a year`)
  const from = dateOf(academicYear, 9, 1)
  const to = dateOf(academicYear + 1, 8, 31)
  const found = schoolHolidays(calendar, bankHolidays, from, to)
  if (!found.ok) return found
  // The days before the first term are the tail of last year's summer holiday, not a holiday of this year.
  const firstWeekday = firstWeekdayFrom(from)
  const holidays = found.value.filter(h => h.weekdays >= MIN_HOLIDAY_WEEKDAYS && h.startsOn !== firstWeekday)

  const christmasDay = dateOf(academicYear, 12, 25)
  const christmas = holidays.find(h => h.startsOn <= christmasDay && christmasDay <= h.endsOn)
  const easter = holidays
    .filter(h => h !== christmas && [3, 4].includes(parts(h.startsOn).month))
    .reduce<HolidayPeriod | undefined>(
      (best, h) => (best === undefined || h.weekdays > best.weekdays ? h : best),
      undefined,
    )
  const last = holidays[holidays.length - 1]
  const summer = last && [7, 8].includes(parts(last.startsOn).month) ? last : undefined
  const halfTerms = holidays.filter(h => h !== christmas && h !== easter && h !== summer)

  const wanted: [ReviewHoliday, HolidayPeriod | undefined][] = [
    ['summer', summer],
    ['christmas', christmas],
    ['easter', easter],
    ...halfTerms.map((h): [ReviewHoliday, HolidayPeriod] => ['half-term', h]),
  ]
  const year = academicYearLabel(academicYear)
  if (perYear > wanted.length) {
    return noAnswer(
      `The ${calendar.name} calendar has ${wanted.length} school holidays in ${year}, fewer than ${perYear}`,
    )
  }
  const bank = new Set(bankHolidays)
  const dates: ReviewDate[] = []
  for (const [holiday, period] of wanted.slice(0, perYear)) {
    if (!period) return noAnswer(`No ${holiday} holiday in the ${calendar.name} calendar for ${year}`)
    const on = firstWorkingDay(period, bank)
    if (!on) return noAnswer(`Every weekday of the ${holiday} holiday in ${year} is a bank holiday`)
    dates.push({ on, holiday })
  }
  return answer(dates.sort((a, b) => (a.on < b.on ? -1 : 1)))
}

/** The review dates alone; see `unfoundReviewSchedule` for the rule. */
export function unfoundReviewDates(
  calendar: CalendarData,
  bankHolidays: readonly IsoDate[],
  academicYear: number,
  perYear = 2,
): Answer<IsoDate[]> {
  const schedule = unfoundReviewSchedule(calendar, bankHolidays, academicYear, perYear)
  return schedule.ok ? answer(schedule.value.map(r => r.on)) : schedule
}

function firstWeekdayFrom(date: IsoDate): IsoDate {
  let d = date
  while (isWeekend(d)) d = addDays(d, 1)
  return d
}

function firstWorkingDay(period: HolidayPeriod, bank: ReadonlySet<IsoDate>): IsoDate | undefined {
  for (let d = period.startsOn; d <= period.endsOn; d = addDays(d, 1)) {
    if (!isWeekend(d) && !bank.has(d)) return d
  }
  return undefined
}

/**
 * One review task per case closed as not found on or before the review date. The task key names
 * the case and the date so that a job run twice on the same day creates each task once.
 * Callers pass only cases closed as not found and not since reopened.
 */
export function unfoundReviewTasks(
  closedNotFound: readonly { caseId: string; closedOn: IsoDate }[],
  reviewOn: IsoDate,
): { caseId: string; reviewOn: IsoDate; taskKey: string }[] {
  return closedNotFound
    .filter(c => c.closedOn <= reviewOn)
    .map(c => ({ caseId: c.caseId, reviewOn, taskKey: `unfound-review:${c.caseId}:${reviewOn}` }))
}

export interface HalfTermNote {
  /** The day the note is generated: the last school day of the half term, after school. */
  noteOn: IsoDate
  /** The cases closed from this day to `noteOn`, inclusive, are in the note. */
  coversFrom: IsoDate
  coversTo: IsoDate
}

/**
 * The half-termly notes of closed cases for one academic year. Each is generated on the last
 * school day of a half term (`halfTermBoundaries`), so the manager has it before the break and it
 * covers the half term just ending. Windows run end to end: each starts the day after the previous
 * boundary (so a case closed in a holiday is in the next note); the year's first starts the day
 * after the previous year's last boundary if the calendar has it, else on 1 September.
 */
export function halfTermNotes(
  calendar: CalendarData,
  bankHolidays: readonly IsoDate[],
  academicYear: number,
): Answer<HalfTermNote[]> {
  const from = dateOf(academicYear, 9, 1)
  const to = dateOf(academicYear + 1, 8, 31)
  const known = schoolDaysFor(calendar, bankHolidays).isSchoolDay(from)
  if (!known.ok) return known
  const all = halfTermBoundaries(calendar, bankHolidays)
  const notes: HalfTermNote[] = []
  let previous = all.filter(d => d < from).pop()
  for (const noteOn of all.filter(d => d >= from && d <= to)) {
    notes.push({ noteOn, coversFrom: previous === undefined ? from : addDays(previous, 1), coversTo: noteOn })
    previous = noteOn
  }
  return answer(notes)
}

/** The days the half-termly notes are generated; see `halfTermNotes`. */
export function halfTermNoteDates(
  calendar: CalendarData,
  bankHolidays: readonly IsoDate[],
  academicYear: number,
): Answer<IsoDate[]> {
  const notes = halfTermNotes(calendar, bankHolidays, academicYear)
  return notes.ok ? answer(notes.value.map(n => n.noteOn)) : notes
}

/**
 * The scheduled dates in (lastRunOn, today], sorted and without repeats: what a daily job must do
 * now, including any date it missed while not running. With no lastRunOn (never run) every date up
 * to today is returned; a job that should not catch up on history passes its installation date.
 */
export function isDue(scheduledDates: readonly IsoDate[], lastRunOn: IsoDate | undefined, today: IsoDate): IsoDate[] {
  return [...new Set(scheduledDates)].filter(d => d <= today && (lastRunOn === undefined || d > lastRunOn)).sort()
}

export interface OversightState {
  /**
   * 'recorded': done this calendar month; 'due': not yet done this month; 'overdue': a whole
   * calendar month passed without oversight (the protocol's "monthly oversight" was missed).
   */
  state: 'recorded' | 'due' | 'overdue'
  /** The current month, YYYY-MM. */
  month: string
  /** The last day of the current month: oversight not recorded by then makes it overdue. */
  dueBy: IsoDate
  /** Whole months passed with no oversight, oldest first, YYYY-MM. */
  missedMonths: string[]
}

const monthOf = (date: IsoDate): string => date.slice(0, 7)

function monthAfter(month: string): string {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))]
  return m === 12 ? `${String(y + 1).padStart(4, '0')}-01` : `${month.slice(0, 4)}-${String(m + 1).padStart(2, '0')}`
}

/**
 * Monthly oversight by the EWS Operational Manager (Appendix E): due in every calendar month,
 * overdue once a month has ended without it. A system with no oversight ever recorded is 'due',
 * not 'overdue': it cannot say since when.
 */
export function monthlyOversightDue(lastRecordedOn: IsoDate | undefined, today: IsoDate): OversightState {
  const { year, month } = parts(today)
  const current = monthOf(today)
  const dueBy = dateOf(year, month, daysInMonth(year, month))
  if (lastRecordedOn !== undefined && monthOf(lastRecordedOn) >= current) {
    return { state: 'recorded', month: current, dueBy, missedMonths: [] }
  }
  const missedMonths: string[] = []
  if (lastRecordedOn !== undefined) {
    for (let m = monthAfter(monthOf(lastRecordedOn)); m < current; m = monthAfter(m)) missedMonths.push(m)
  }
  return { state: missedMonths.length > 0 ? 'overdue' : 'due', month: current, dueBy, missedMonths }
}

export interface DigestTask {
  id: string
  assigneeId: string
  dueOn: IsoDate
  doneOn?: IsoDate
}

export interface Digest {
  assigneeId: string
  overdue: string[]
  dueToday: string[]
  /** Due after today, up to and including the `soonSchoolDays`th school day after today. */
  dueSoon: string[]
}

export interface DigestRun {
  digests: Digest[]
  /** Set when the calendar could not say where "soon" ends and weekdays were counted instead. */
  problem?: string
}

/**
 * Each worker's daily digest: their open tasks overdue, due today and due soon (within the next
 * `soonSchoolDays` school days), each list by due date then id; done tasks are left out, and so
 * are workers with nothing to report. "Soon" is a courtesy, not a statutory deadline, so when the
 * calendar has no term dates ahead it is counted in weekdays and the problem is reported, rather
 * than sending no digest at all.
 */
export function digestFor(
  tasks: readonly DigestTask[],
  today: IsoDate,
  schoolDays: SchoolDays,
  soonSchoolDays = 3,
): DigestRun {
  let problem: string | undefined
  const horizon = schoolDays.add(today, soonSchoolDays)
  let soonUntil: IsoDate
  if (horizon.ok) soonUntil = horizon.value
  else {
    problem = horizon.problem
    soonUntil = today
    for (let n = 0; n < soonSchoolDays;) {
      soonUntil = addDays(soonUntil, 1)
      if (!isWeekend(soonUntil)) n += 1
    }
  }

  const byAssignee = new Map<string, Digest>()
  const open = tasks
    .filter(t => t.doneOn === undefined)
    .sort((a, b) => (a.dueOn !== b.dueOn ? (a.dueOn < b.dueOn ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  for (const t of open) {
    const list =
      t.dueOn < today ? 'overdue' : t.dueOn === today ? 'dueToday' : t.dueOn <= soonUntil ? 'dueSoon' : undefined
    if (!list) continue
    let digest = byAssignee.get(t.assigneeId)
    if (!digest) {
      digest = { assigneeId: t.assigneeId, overdue: [], dueToday: [], dueSoon: [] }
      byAssignee.set(t.assigneeId, digest)
    }
    digest[list].push(t.id)
  }
  const digests = [...byAssignee.values()].sort((a, b) => (a.assigneeId < b.assigneeId ? -1 : 1))
  return problem === undefined ? { digests } : { digests, problem }
}
