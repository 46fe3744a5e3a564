import Holidays from 'date-holidays'
import { isWeekend, type IsoDate } from '../../domain/dates.js'

/**
 * England and Wales bank holidays, from the maintained `date-holidays` library (country GB,
 * state ENG; Wales has the same days) rather than a hand-typed list.
 *
 * How the library reports them, checked against gov.uk for 2015–2035: every bank holiday is
 * type 'public' (the library has no 'bank' entries for GB, but both are accepted in case a
 * later version splits them); Mother's Day and the like are 'observance' and are dropped.
 * When Christmas Day, Boxing Day or New Year's Day falls at a weekend the library lists the
 * weekend date itself *and* the substitute weekday; only the substitute is a bank holiday, and
 * no England and Wales bank holiday is ever on a weekend, so weekend dates are dropped.
 * The one-off proclamations are in the library: VE Day 2020 (Fri 8 May instead of Mon 4 May),
 * 2022 (spring bank holiday moved to Thu 2 June, Platinum Jubilee Fri 3 June, State Funeral
 * Mon 19 September) and the Coronation (Mon 8 May 2023). A future one-off needs a library
 * upgrade; bankHolidays.test.ts pins the known years so an upgrade that changes them fails.
 */

// Loaded on first use: the library parses its data for every country when constructed.
let library: Holidays | undefined
const cache = new Map<number, readonly IsoDate[]>()

function forYear(year: number): readonly IsoDate[] {
  const cached = cache.get(year)
  if (cached) return cached
  library ??= new Holidays('GB', 'ENG')
  const dates = library
    .getHolidays(year)
    .filter(h => h.type === 'public' || h.type === 'bank')
    // `date` is "YYYY-MM-DD hh:mm:ss" in the holiday's own time; the first ten characters are the calendar date.
    .map(h => h.date.slice(0, 10))
    .filter(d => !isWeekend(d))
  const unique = [...new Set(dates)].sort()
  cache.set(year, unique)
  return unique
}

/** Bank holidays in England and Wales from 1 January `fromYear` to 31 December `toYear`, in date order. */
export function englandAndWalesBankHolidays(fromYear: number, toYear: number): IsoDate[] {
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear)) {
    throw new RangeError(`Bank holiday years must be whole numbers, not ${fromYear} and ${toYear}`)
  }
  const out: IsoDate[] = []
  for (let y = fromYear; y <= toYear; y++) out.push(...forYear(y))
  return out
}
