import { describe, expect, it } from 'vitest'
import { addDays, dateOf, dayOfWeek, isWeekend, type IsoDate } from '../../../src/domain/dates.js'
import { englandAndWalesBankHolidays } from '../../../src/integrations/calendars/bankHolidays.js'

/**
 * An independent model of the Banking and Financial Dealings Act 1971 pattern as gov.uk
 * publishes it, so the library is checked against the rule rather than against itself.
 */
function easterSunday(year: number): IsoDate {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return dateOf(year, month, day)
}

const firstMonday = (year: number, month: number): IsoDate => {
  let d = dateOf(year, month, 1)
  while (dayOfWeek(d) !== 1) d = addDays(d, 1)
  return d
}
const lastMonday = (year: number, month: number): IsoDate => {
  let d = addDays(dateOf(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1), -1)
  while (dayOfWeek(d) !== 1) d = addDays(d, -1)
  return d
}
const nextWeekdayNotIn = (d: IsoDate, taken: IsoDate[]): IsoDate => {
  let x = d
  while (isWeekend(x) || taken.includes(x)) x = addDays(x, 1)
  return x
}

function modelYear(year: number): IsoDate[] {
  const easter = easterSunday(year)
  const newYear = nextWeekdayNotIn(dateOf(year, 1, 1), [])
  const christmas = nextWeekdayNotIn(dateOf(year, 12, 25), [])
  const boxing = nextWeekdayNotIn(dateOf(year, 12, 26), [christmas])
  return [
    newYear,
    addDays(easter, -2),
    addDays(easter, 1),
    firstMonday(year, 5),
    lastMonday(year, 5),
    lastMonday(year, 8),
    christmas,
    boxing,
  ].sort()
}

/** One-off proclamations: the dates moved away from and the dates added. */
const ONE_OFFS: Record<number, { removed: IsoDate[]; added: IsoDate[] }> = {
  2020: { removed: ['2020-05-04'], added: ['2020-05-08'] }, // VE Day 75th anniversary
  2022: { removed: ['2022-05-30'], added: ['2022-06-02', '2022-06-03', '2022-09-19'] }, // Platinum Jubilee; State Funeral
  2023: { removed: [], added: ['2023-05-08'] }, // Coronation of King Charles III
}

function expectedYear(year: number): IsoDate[] {
  const change = ONE_OFFS[year]
  if (!change) return modelYear(year)
  return [...modelYear(year).filter(d => !change.removed.includes(d)), ...change.added].sort()
}

describe('englandAndWalesBankHolidays', () => {
  for (let year = 2015; year <= 2035; year++) {
    it(`${year} matches the statutory pattern and proclamations`, () => {
      expect(englandAndWalesBankHolidays(year, year)).toEqual(expectedYear(year))
    })
  }

  it('has 8 days a year except the one-off years', () => {
    const counts = new Map<number, number>()
    for (const d of englandAndWalesBankHolidays(2015, 2035)) {
      const y = Number(d.slice(0, 4))
      counts.set(y, (counts.get(y) ?? 0) + 1)
    }
    for (let y = 2015; y <= 2035; y++) {
      expect([y, counts.get(y)]).toEqual([y, y === 2022 ? 10 : y === 2023 ? 9 : 8])
    }
  })

  it.each([
    ['2020-05-08', 'VE Day (moved early May bank holiday)'],
    ['2022-06-02', 'moved spring bank holiday'],
    ['2022-06-03', 'Platinum Jubilee'],
    ['2022-09-19', 'State Funeral of Queen Elizabeth II'],
    ['2023-05-08', 'Coronation of King Charles III'],
    ['2021-12-27', 'Christmas Day substitute'],
    ['2021-12-28', 'Boxing Day substitute'],
    ['2026-12-28', 'Boxing Day substitute (26 Dec 2026 is a Saturday)'],
    ['2022-01-03', "New Year's Day substitute"],
  ])('includes %s (%s)', date => {
    expect(englandAndWalesBankHolidays(2015, 2035)).toContain(date)
  })

  it.each(['2020-05-04', '2022-05-30', '2021-12-25', '2026-12-26', '2026-03-15'])('excludes %s', date => {
    expect(englandAndWalesBankHolidays(2015, 2035)).not.toContain(date)
  })

  it('pins 2026 exactly as gov.uk publishes it', () => {
    expect(englandAndWalesBankHolidays(2026, 2026)).toEqual([
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-04',
      '2026-05-25',
      '2026-08-31',
      '2026-12-25',
      '2026-12-28',
    ])
  })

  it('returns dates in order, never a weekend, and an empty list for an empty range', () => {
    const all = englandAndWalesBankHolidays(2015, 2035)
    expect([...all].sort()).toEqual(all)
    expect(all.filter(isWeekend)).toEqual([])
    expect(englandAndWalesBankHolidays(2030, 2029)).toEqual([])
  })

  it('returns a fresh array each call, so callers cannot corrupt the cache', () => {
    const first = englandAndWalesBankHolidays(2025, 2025)
    first.length = 0
    expect(englandAndWalesBankHolidays(2025, 2025)).toHaveLength(8)
  })

  it('refuses fractional years', () => {
    expect(() => englandAndWalesBankHolidays(2025.5, 2026)).toThrow(RangeError)
  })
})
