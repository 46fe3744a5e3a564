import { addDays, isWeekend, type IsoDate } from '../../src/domain/dates.js'
import { answer, noAnswer, type Answer, type SchoolDays } from '../../src/domain/schoolDays.js'

/** Monday to Friday are school days except the listed holidays; outside [from, to] nothing is known. */
export function fakeSchoolDays(
  holidays: readonly IsoDate[] = [],
  known = { from: '2024-09-01', to: '2026-08-31' },
): SchoolDays {
  const off = new Set(holidays)
  const isSchoolDay = (date: IsoDate): Answer<boolean> =>
    date < known.from || date > known.to
      ? noAnswer(`No term dates for ${date} in the Test calendar`)
      : answer(!isWeekend(date) && !off.has(date))
  const add = (from: IsoDate, days: number): Answer<IsoDate> => {
    let date = from
    let left = days
    while (left > 0) {
      date = addDays(date, 1)
      const is = isSchoolDay(date)
      if (!is.ok) return is
      if (is.value) left -= 1
    }
    return answer(date)
  }
  return {
    name: 'Test',
    isSchoolDay,
    add,
    next: date => add(date, 1),
    count: (from, to) => {
      let n = 0
      for (let d = from; d <= to; d = addDays(d, 1)) {
        const is = isSchoolDay(d)
        if (!is.ok) return is
        if (is.value) n += 1
      }
      return answer(n)
    },
    isHoliday: date => {
      const is = isSchoolDay(date)
      return is.ok ? answer(!isWeekend(date) && !is.value) : is
    },
  }
}
