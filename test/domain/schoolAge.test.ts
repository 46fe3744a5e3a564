import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addDays, ageOn, dayOfWeek, parts, type IsoDate } from '../../src/domain/dates.js'
import {
  compulsorySchoolAge,
  isOfCompulsorySchoolAge,
  schoolLeavingDate,
  yearGroupLabel,
  yearGroupOn,
} from '../../src/domain/schoolAge.js'

/*
 * Expected values worked by hand from EA 1996 s8. Last Friday in June (school leaving date),
 * from the weekday of 30 June: 2016 Thu -> 24; 2017 Fri -> 30; 2018 Sat -> 29; 2020 Tue -> 26;
 * 2021 Wed -> 25; 2022 Thu -> 24; 2023 Fri -> 30; 2024 Sun -> 28; 2025 Mon -> 27; 2026 Tue -> 26;
 * 2027 Wed -> 25; 2028 Fri -> 30; 2029 Sat -> 29; 2031 Mon -> 27; 2032 Wed -> 25; 2033 Thu -> 24;
 * 2035 Sat -> 29; 2036 Mon -> 27; 2100 Wed -> 25.
 */
const cases: [dateOfBirth: IsoDate, startsOn: IsoDate, endsOn: IsoDate, why: string][] = [
  // Start: birthday the day before, on and after each prescribed day.
  ['2019-08-30', '2024-08-31', '2035-06-29', '5 on 30 Aug -> 31 Aug; 16 in Aug 2035 -> June 2035'],
  ['2019-08-31', '2024-08-31', '2035-06-29', '5 on 31 Aug, a prescribed day -> that day; 16 on 31 Aug -> June before'],
  ['2019-09-01', '2024-12-31', '2036-06-27', '5 on 1 Sep -> 31 Dec; 16 in Sep 2035 -> June 2036'],
  ['2019-12-30', '2024-12-31', '2036-06-27', '5 on 30 Dec -> 31 Dec'],
  ['2019-12-31', '2024-12-31', '2036-06-27', '5 on 31 Dec, a prescribed day -> that day'],
  ['2020-01-01', '2025-03-31', '2036-06-27', '5 on 1 Jan -> 31 Mar; 16 in Jan 2036 -> June 2036'],
  ['2020-03-30', '2025-03-31', '2036-06-27', '5 on 30 Mar -> 31 Mar'],
  ['2020-03-31', '2025-03-31', '2036-06-27', '5 on 31 Mar, a prescribed day -> that day'],
  ['2020-04-01', '2025-08-31', '2036-06-27', '5 on 1 Apr -> 31 Aug'],
  ['2019-05-05', '2024-08-31', '2035-06-29', '5 in May -> 31 Aug; 16 in May 2035 -> June 2035'],
  ['2018-12-01', '2023-12-31', '2035-06-29', '5 in Dec -> 31 Dec; 16 in Dec 2034 -> June 2035'],
  ['2014-10-10', '2019-12-31', '2031-06-27', '5 in Oct -> 31 Dec; 16 in Oct 2030 -> June 2031'],
  ['2000-01-01', '2005-03-31', '2016-06-24', '16 on 1 Jan 2016 -> 24 June 2016 (a 24th)'],
  // Leaving date 26 June 2026: 16th birthday before, on and after it.
  ['2010-06-25', '2015-08-31', '2026-06-26', '16 the day before the leaving date -> s8(3)(c)'],
  ['2010-06-26', '2015-08-31', '2026-06-26', '16 on the leaving date -> s8(3)(b), ends that day'],
  ['2010-06-27', '2015-08-31', '2026-06-26', '16 the day after, still June -> s8(3)(a), ends aged 15'],
  ['2010-06-30', '2015-08-31', '2026-06-26', '16 on 30 June, after the leaving date -> s8(3)(a)'],
  ['2010-07-01', '2015-08-31', '2026-06-26', '16 on 1 July -> s8(3)(a), the June date before'],
  ['2010-08-31', '2015-08-31', '2026-06-26', '16 on 31 Aug, last day of the school year -> s8(3)(a)'],
  ['2010-09-01', '2015-12-31', '2027-06-25', '16 on 1 Sep, a new school year -> next June (a 25th)'],
  ['2010-09-30', '2015-12-31', '2027-06-25', '16 in Sep -> next June'],
  ['2011-01-15', '2016-03-31', '2027-06-25', '16 in Jan -> that June'],
  // Leaving date on 30 June (2028): before, on, after.
  ['2012-06-29', '2017-08-31', '2028-06-30', '16 the day before 30 June leaving date'],
  ['2012-06-30', '2017-08-31', '2028-06-30', '16 on the leaving date, 30 June'],
  ['2012-07-01', '2017-08-31', '2028-06-30', '16 on 1 July -> the 30 June before'],
  // Leaving date on 24 June (2022): before, on, after.
  ['2006-06-23', '2011-08-31', '2022-06-24', '16 the day before a 24 June leaving date'],
  ['2006-06-24', '2011-08-31', '2022-06-24', '16 on a 24 June leaving date'],
  ['2006-06-25', '2011-08-31', '2022-06-24', '16 the day after -> s8(3)(a), ends aged 15'],
  ['2017-06-28', '2022-08-31', '2033-06-24', '16 on 28 June, after a 24 June leaving date'],
  // Every other day of the month a last Friday can fall on.
  ['2005-06-25', '2010-08-31', '2021-06-25', '16 on a 25 June leaving date'],
  ['2009-06-27', '2014-08-31', '2025-06-27', '16 on a 27 June leaving date'],
  ['2008-06-28', '2013-08-31', '2024-06-28', '16 on a 28 June leaving date'],
  ['2013-06-29', '2018-08-31', '2029-06-29', '16 on a 29 June leaving date'],
  ['2007-06-30', '2012-08-31', '2023-06-30', '16 on a 30 June leaving date'],
  ['2001-06-24', '2006-08-31', '2017-06-30', '16 on 24 June, before a 30 June leaving date'],
  ['2002-06-30', '2007-08-31', '2018-06-29', '16 on 30 June, the day after a 29 June leaving date'],
  // July and August birthdays end on the June date before the 16th birthday.
  ['2007-08-15', '2012-08-31', '2023-06-30', '16 in Aug 2023 -> 30 June 2023'],
  ['2008-07-20', '2013-08-31', '2024-06-28', '16 in July 2024 -> 28 June 2024'],
  ['2004-07-31', '2009-08-31', '2020-06-26', '16 on 31 July 2020 -> 26 June 2020'],
  // 29 February births: 5th anniversary always in a common year (reached 1 March).
  ['2016-02-29', '2021-03-31', '2032-06-25', '5 on 1 Mar 2021 -> 31 Mar; 16 on 29 Feb 2032 (leap)'],
  ['2020-02-29', '2025-03-31', '2036-06-27', '5 on 1 Mar 2025 -> 31 Mar; 16 on 29 Feb 2036 (leap)'],
  ['2012-02-29', '2017-03-31', '2028-06-30', '5 on 1 Mar 2017 -> 31 Mar; 16 on 29 Feb 2028 (leap)'],
  ['2084-02-29', '2089-03-31', '2100-06-25', '16th anniversary in 2100, a common year -> 1 Mar 2100'],
  ['2012-02-28', '2017-03-31', '2028-06-30', '28 Feb neighbour: same dates as 29 Feb'],
  ['2012-03-01', '2017-03-31', '2028-06-30', '1 Mar neighbour: same dates as 29 Feb'],
]

describe('compulsorySchoolAge (EA 1996 s8)', () => {
  it.each(cases)('born %s: starts %s, ends %s (%s)', (dateOfBirth, startsOn, endsOn) => {
    expect(compulsorySchoolAge(dateOfBirth)).toEqual({ startsOn, endsOn })
  })

  it('rejects a date of birth that is not a calendar date', () => {
    expect(() => compulsorySchoolAge('2025-02-29')).toThrow(RangeError)
    expect(() => compulsorySchoolAge('29/02/2024')).toThrow(RangeError)
  })
})

describe('schoolLeavingDate', () => {
  it.each([
    [2022, '2022-06-24'],
    [2021, '2021-06-25'],
    [2026, '2026-06-26'],
    [2025, '2025-06-27'],
    [2024, '2024-06-28'],
    [2029, '2029-06-29'],
    [2028, '2028-06-30'],
  ])('%i -> %s', (year, expected) => {
    expect(schoolLeavingDate(year)).toBe(expected)
  })
})

describe('isOfCompulsorySchoolAge', () => {
  it.each([
    ['2020-04-01', '2025-08-30', false, 'day before start'],
    ['2020-04-01', '2025-08-31', true, 'start day'],
    ['2010-06-27', '2026-06-26', true, 'leaving date, aged 15'],
    ['2010-06-27', '2026-06-27', false, 'day after leaving date (16th birthday)'],
    ['2010-09-01', '2026-09-01', true, 'turned 16 in the new school year, still of age'],
    ['2020-02-29', '2025-03-30', false, '29 Feb child, day before 31 March'],
  ])('born %s, on %s -> %s (%s)', (dateOfBirth, on, expected) => {
    expect(isOfCompulsorySchoolAge(dateOfBirth, on)).toBe(expected)
  })
})

describe('yearGroupOn', () => {
  it.each([
    ['2019-09-01', '2024-09-01', 0, 'oldest in cohort, first day of Reception year'],
    ['2020-08-31', '2024-09-01', 0, 'youngest in cohort, same Reception year'],
    ['2020-08-31', '2024-08-31', -1, 'last day of the Nursery year'],
    ['2019-09-01', '2024-08-31', -1, 'oldest in cohort, day before Reception year'],
    ['2020-09-01', '2024-09-01', -1, 'a day too young for Reception'],
    ['2021-09-01', '2024-09-01', -2, 'two years below Reception'],
    ['2019-12-25', '2026-01-10', 1, 'Year 1 in spring'],
    ['2013-10-01', '2025-06-15', 6, 'Year 6 in summer term'],
    ['2013-10-01', '2025-09-03', 7, 'Year 7 after the summer'],
    ['2010-06-27', '2026-06-26', 11, 'Year 11 on the leaving date'],
    ['2010-06-27', '2026-09-01', 12, 'the following September'],
    ['2012-02-29', '2024-03-01', 7, '29 Feb 2012 birth: Reception 2016/17, so Year 7 in 2023/24'],
  ])('born %s, on %s -> %i (%s)', (dateOfBirth, on, expected) => {
    expect(yearGroupOn(dateOfBirth, on)).toBe(expected)
  })
})

describe('yearGroupLabel', () => {
  it.each([
    [-3, 'Early years'],
    [-2, 'Early years'],
    [-1, 'Nursery'],
    [0, 'Reception'],
    [1, 'Year 1'],
    [7, 'Year 7'],
    [11, 'Year 11'],
    [12, 'Post-16'],
    [14, 'Post-16'],
  ])('%i -> %s', (n, label) => {
    expect(yearGroupLabel(n)).toBe(label)
  })

  it('rejects a fractional year group', () => {
    expect(() => yearGroupLabel(1.5)).toThrow(RangeError)
  })
})

// Dates of birth from 1900 to about 2150, which covers the 2100 non-leap century year.
const dateOfBirth = fc.integer({ min: 0, max: 91_000 }).map(n => addDays('1900-01-01', n))
const offset = fc.integer({ min: -400, max: 7_000 })

describe('compulsorySchoolAge properties', () => {
  it('starts no later than it ends', () => {
    fc.assert(
      fc.property(dateOfBirth, dob => {
        const { startsOn, endsOn } = compulsorySchoolAge(dob)
        expect(startsOn <= endsOn).toBe(true)
      }),
    )
  })

  it('starts on a prescribed day', () => {
    fc.assert(
      fc.property(dateOfBirth, dob => {
        const { month, day } = parts(compulsorySchoolAge(dob).startsOn)
        expect(['3-31', '8-31', '12-31']).toContain(`${month}-${day}`)
      }),
    )
  })

  it('ends on the last Friday in June', () => {
    fc.assert(
      fc.property(dateOfBirth, dob => {
        const { endsOn } = compulsorySchoolAge(dob)
        const { month, day } = parts(endsOn)
        expect(month).toBe(6)
        expect(dayOfWeek(endsOn)).toBe(5)
        expect(day).toBeGreaterThanOrEqual(24)
      }),
    )
  })

  it('is 5 or older at the start and 15 or 16 at the end', () => {
    fc.assert(
      fc.property(dateOfBirth, dob => {
        const { startsOn, endsOn } = compulsorySchoolAge(dob)
        // Never 6: the next prescribed day is at most five months after the 5th birthday.
        expect(ageOn(dob, startsOn)).toBe(5)
        expect([15, 16]).toContain(ageOn(dob, endsOn))
      }),
    )
  })

  it('starts in the Reception year and ends in Year 11', () => {
    fc.assert(
      fc.property(dateOfBirth, dob => {
        const { startsOn, endsOn } = compulsorySchoolAge(dob)
        expect(yearGroupOn(dob, startsOn)).toBe(0)
        expect(yearGroupOn(dob, endsOn)).toBe(11)
      }),
    )
  })

  it('isOfCompulsorySchoolAge agrees with the interval', () => {
    fc.assert(
      fc.property(dateOfBirth, offset, (dob, days) => {
        const on = addDays(dob, days + 365 * 4)
        const { startsOn, endsOn } = compulsorySchoolAge(dob)
        expect(isOfCompulsorySchoolAge(dob, on)).toBe(startsOn <= on && on <= endsOn)
      }),
    )
  })
})
