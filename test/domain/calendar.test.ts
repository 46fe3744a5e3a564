import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  academicYearLabel,
  academicYearOf,
  halfTermBoundaries,
  schoolDaysFor,
  schoolHolidays,
  validateCalendar,
  type CalendarData,
  type Closure,
} from '../../src/domain/calendar.js'
import { addDays, daysBetween, isWeekend, type IsoDate } from '../../src/domain/dates.js'

/** A realistic 2025/26 LA calendar; every expected number below was counted by hand on a printed calendar. */
const la2526: CalendarData = {
  name: 'Test LA',
  terms: [
    { name: 'Autumn term 2025', startsOn: '2025-09-03', endsOn: '2025-12-19' },
    { name: 'Spring term 2026', startsOn: '2026-01-05', endsOn: '2026-03-27' },
    { name: 'Summer term 2026', startsOn: '2026-04-13', endsOn: '2026-07-21' },
  ],
  closures: [
    // Before the first day of term: allowed, and not a school day either way.
    { kind: 'inset', name: 'INSET days', startsOn: '2025-09-01', endsOn: '2025-09-02' },
    { kind: 'half-term', name: 'October half term', startsOn: '2025-10-27', endsOn: '2025-10-31' },
    // Inside term, so that "never counts an INSET day" is tested on a day that would otherwise count.
    { kind: 'inset', name: 'INSET day', startsOn: '2026-01-05', endsOn: '2026-01-05' },
    { kind: 'half-term', name: 'February half term', startsOn: '2026-02-16', endsOn: '2026-02-20' },
    { kind: 'half-term', name: 'May half term', startsOn: '2026-05-25', endsOn: '2026-05-29' },
  ],
}

/** England and Wales bank holidays across the fixture's academic year (and either side). */
const bankHolidays: IsoDate[] = [
  '2025-08-25',
  '2025-12-25',
  '2025-12-26',
  '2026-01-01',
  '2026-04-03',
  '2026-04-06',
  '2026-05-04',
  '2026-05-25',
  '2026-08-31',
]

const days = schoolDaysFor(la2526, bankHolidays)
const NO_2627 = { ok: false, problem: 'No term dates for 2026/27 in the Test LA calendar' }
const NO_2425 = { ok: false, problem: 'No term dates for 2024/25 in the Test LA calendar' }

describe('academic years', () => {
  it.each([
    ['2025-09-01', 2025],
    ['2026-08-31', 2025],
    ['2026-01-01', 2025],
    ['2025-08-31', 2024],
  ])('%s is in the year starting %i', (date, year) => {
    expect(academicYearOf(date)).toBe(year)
  })
  it('labels years as schools write them', () => {
    expect(academicYearLabel(2027)).toBe('2027/28')
    expect(academicYearLabel(2099)).toBe('2099/00')
  })
})

describe('schoolDaysFor on the 2025/26 fixture', () => {
  it.each([
    ['2025-09-03', true, false, 'first day of autumn term'],
    ['2025-09-01', false, true, 'INSET before term'],
    ['2025-09-06', false, false, 'Saturday'],
    ['2025-10-29', false, true, 'October half term'],
    ['2025-12-25', false, true, 'Christmas Day'],
    ['2026-01-05', false, true, 'INSET on first day of spring term'],
    ['2026-01-06', true, false, 'first pupil day of spring term'],
    ['2026-04-06', false, true, 'Easter Monday'],
    ['2026-05-04', false, true, 'Early May bank holiday in term'],
    ['2026-07-21', true, false, 'last day of summer term'],
    ['2026-08-14', false, true, 'summer holiday: known, not a school day'],
  ])('%s: school day %s, holiday %s (%s)', (date, school, holiday) => {
    expect(days.isSchoolDay(date)).toEqual({ ok: true, value: school })
    expect(days.isHoliday(date)).toEqual({ ok: true, value: holiday })
  })

  it.each([
    ['2025-09-01', '2026-08-31', 193, 'whole year: 73 autumn + 54 spring + 66 summer'],
    ['2025-09-01', '2025-12-31', 73, 'autumn: 78 weekdays less half term'],
    ['2026-01-01', '2026-03-31', 54, 'spring: 60 weekdays less half term and INSET'],
    ['2026-04-01', '2026-08-31', 66, 'summer: 72 weekdays less half term and 4 May'],
    ['2025-09-01', '2025-09-30', 20, 'September'],
    ['2026-05-01', '2026-05-31', 15, 'May: bank holiday and half term'],
    ['2025-10-27', '2025-10-31', 0, 'half-term week'],
    ['2025-09-03', '2025-09-03', 1, 'a single school day'],
    ['2025-09-06', '2025-09-07', 0, 'a weekend'],
    ['2025-12-19', '2026-01-06', 2, 'across Christmas'],
    ['2026-03-27', '2026-03-26', 0, 'to before from'],
  ])('count %s..%s = %i (%s)', (from, to, n) => {
    expect(days.count(from, to)).toEqual({ ok: true, value: n })
  })

  it.each([
    ['2025-09-03', 1, '2025-09-04'],
    ['2025-09-02', 20, '2025-09-30'],
    ['2025-10-24', 1, '2025-11-03'],
    // Referral deadline / removal-from-roll style counts across half term.
    ['2025-10-01', 20, '2025-11-05'],
    ['2025-10-01', 10, '2025-10-15'],
    ['2025-12-19', 1, '2026-01-06'],
    ['2026-05-01', 1, '2026-05-05'],
    ['2026-05-22', 1, '2026-06-01'],
    ['2025-09-01', 193, '2026-07-21'],
    ['2025-09-05', 0, '2025-09-05'],
    ['2025-09-06', 0, '2025-09-06'],
  ])('add(%s, %i) = %s', (from, n, expected) => {
    expect(days.add(from, n)).toEqual({ ok: true, value: expected })
  })

  it('gives the next school day', () => {
    expect(days.next('2025-09-05')).toEqual({ ok: true, value: '2025-09-08' })
    expect(days.next('2026-04-02')).toEqual({ ok: true, value: '2026-04-13' })
    expect(days.next('2025-08-31')).toEqual(NO_2425)
  })

  it('says there are no term dates rather than guessing', () => {
    expect(days.isSchoolDay('2026-09-07')).toEqual(NO_2627)
    expect(days.isHoliday('2025-08-29')).toEqual(NO_2425)
    expect(days.count('2026-07-01', '2026-09-30')).toEqual(NO_2627)
    expect(days.count('2025-08-01', '2025-09-30')).toEqual(NO_2425)
    // The last school day of the year has no next one in a known year.
    expect(days.next('2026-07-21')).toEqual(NO_2627)
    expect(days.add('2025-09-01', 194)).toEqual(NO_2627)
    expect(days.add('2030-01-01', 1)).toEqual({
      ok: false,
      problem: 'No term dates for 2029/30 in the Test LA calendar',
    })
  })

  it('refuses non-dates and impossible counts as answers, not exceptions', () => {
    expect(days.isSchoolDay('2026-02-30')).toMatchObject({ ok: false })
    expect(days.count('next week', '2026-01-01')).toMatchObject({ ok: false })
    expect(days.add('2025-09-03', -1)).toMatchObject({ ok: false })
    expect(days.add('2025-09-03', 1.5)).toMatchObject({ ok: false })
  })
})

describe('gaps between known years', () => {
  const twoYears: CalendarData = {
    name: 'Gappy Academy',
    terms: [
      { name: 'Summer 2026', startsOn: '2026-04-13', endsOn: '2026-07-21' },
      { name: 'Autumn 2027', startsOn: '2027-09-02', endsOn: '2027-12-17' },
    ],
    closures: [],
  }
  const gappy = schoolDaysFor(twoYears, [])
  it('names the first missing year in a count or add that crosses the gap', () => {
    const problem = { ok: false, problem: 'No term dates for 2026/27 in the Gappy Academy calendar' }
    expect(gappy.count('2026-07-01', '2027-09-30')).toEqual(problem)
    expect(gappy.next('2026-07-21')).toEqual(problem)
    expect(gappy.isSchoolDay('2027-01-05')).toEqual(problem)
  })
  it('counts within each known year', () => {
    expect(gappy.count('2027-09-01', '2027-09-03')).toEqual({ ok: true, value: 2 })
    expect(gappy.next('2027-09-01')).toEqual({ ok: true, value: '2027-09-02' })
  })
})

describe('schoolHolidays', () => {
  it('lists every holiday period in the year, clipped to the window', () => {
    expect(schoolHolidays(la2526, bankHolidays, '2025-09-01', '2026-08-31')).toEqual({
      ok: true,
      value: [
        { startsOn: '2025-09-01', endsOn: '2025-09-02', weekdays: 2 },
        { startsOn: '2025-10-27', endsOn: '2025-10-31', weekdays: 5 },
        { startsOn: '2025-12-22', endsOn: '2026-01-05', weekdays: 11 },
        { startsOn: '2026-02-16', endsOn: '2026-02-20', weekdays: 5 },
        { startsOn: '2026-03-30', endsOn: '2026-04-10', weekdays: 10 },
        { startsOn: '2026-05-04', endsOn: '2026-05-04', weekdays: 1 },
        { startsOn: '2026-05-25', endsOn: '2026-05-29', weekdays: 5 },
        { startsOn: '2026-07-22', endsOn: '2026-08-31', weekdays: 29 },
      ],
    })
    expect(schoolHolidays(la2526, bankHolidays, '2025-12-24', '2025-12-31')).toEqual({
      ok: true,
      value: [{ startsOn: '2025-12-24', endsOn: '2025-12-31', weekdays: 6 }],
    })
    expect(schoolHolidays(la2526, bankHolidays, '2025-09-08', '2025-09-12')).toEqual({ ok: true, value: [] })
  })
  it('refuses a window reaching an unknown year', () => {
    expect(schoolHolidays(la2526, bankHolidays, '2026-07-01', '2026-12-31')).toEqual(NO_2627)
  })
})

describe('halfTermBoundaries', () => {
  it('gives the last school day of each half term', () => {
    expect(halfTermBoundaries(la2526, bankHolidays)).toEqual([
      '2025-10-24',
      '2025-12-19',
      '2026-02-13',
      '2026-03-27',
      '2026-05-22',
      '2026-07-21',
    ])
  })
  it('steps back over a closing INSET day or bank holiday', () => {
    const cal: CalendarData = {
      ...la2526,
      closures: [
        ...la2526.closures,
        { kind: 'inset', name: 'Last day INSET', startsOn: '2026-07-21', endsOn: '2026-07-21' },
      ],
    }
    expect(halfTermBoundaries(cal, bankHolidays).at(-1)).toBe('2026-07-20')
  })
})

describe('validateCalendar', () => {
  it('accepts the fixture', () => {
    expect(validateCalendar(la2526)).toEqual([])
  })
  it('explains each problem to an administrator', () => {
    const problems = validateCalendar({
      name: 'Broken',
      terms: [
        { name: 'Autumn', startsOn: '2025-12-19', endsOn: '2025-09-03' },
        { name: 'Spring', startsOn: '2026-01-05', endsOn: '2026-03-27' },
        { name: 'Spring again', startsOn: '2026-03-02', endsOn: '2026-04-03' },
        { name: 'Summer', startsOn: '2026-04-31', endsOn: '2026-07-21' },
        { name: 'Straddle', startsOn: '2026-07-22', endsOn: '2026-09-04' },
        { name: 'Typo', startsOn: '0226-09-01', endsOn: '0226-09-02' },
      ],
      closures: [
        { kind: 'half-term', name: 'Whitsun', startsOn: '2026-05-25', endsOn: '2026-05-29' },
        { kind: 'inset', name: 'Old INSET', startsOn: '2024-09-02', endsOn: '2024-09-02' },
        { kind: 'inset', name: 'Summer INSET', startsOn: '2026-07-24', endsOn: '2026-07-24' },
      ],
    })
    expect(problems).toEqual([
      'Autumn ends (3 Sep 2025) before it starts (19 Dec 2025).',
      "Summer: the start date '2026-04-31' is not a real date (use YYYY-MM-DD).",
      'Straddle runs across 1 September; a term must fall within one academic year (1 September to 31 August).',
      'Typo: the start date 1 Sep 0226 looks mistyped; check the year.',
      'Typo: the end date 2 Sep 0226 looks mistyped; check the year.',
      'Spring (5 Jan 2026 to 27 Mar 2026) overlaps Spring again (2 Mar 2026 to 3 Apr 2026).',
      "Half term 'Whitsun' (25 May 2026 to 29 May 2026) is not inside a term; a half term must fall within the term it divides.",
      "INSET day 'Old INSET' (2 Sep 2024 to 2 Sep 2024) falls in an academic year with no terms in this calendar; check the year.",
    ])
  })
  it('requires a name and at least one term', () => {
    expect(validateCalendar({ name: ' ', terms: [], closures: [] })).toEqual([
      'The calendar has no name.',
      'The calendar has no terms, so no school days can be counted from it.',
    ])
  })
})

describe('properties on the fixture', () => {
  const first = '2025-09-01'
  const yearDays = daysBetween(first, '2026-08-31')
  const dateIn = fc.integer({ min: 0, max: yearDays }).map(n => addDays(first, n))
  const closed = (d: IsoDate, closures: Closure[]) => closures.some(c => c.startsOn <= d && d <= c.endsOn)

  it('add then count round-trips', () => {
    fc.assert(
      fc.property(dateIn, fc.integer({ min: 0, max: 200 }), (from, n) => {
        const to = days.add(from, n)
        if (!to.ok) {
          expect(to).toEqual(NO_2627)
          return
        }
        expect(days.count(addDays(from, 1), to.value)).toEqual({ ok: true, value: n })
        if (n > 0) expect(days.isSchoolDay(to.value)).toEqual({ ok: true, value: true })
      }),
    )
  })

  it('counts are additive over adjacent ranges', () => {
    fc.assert(
      fc.property(dateIn, dateIn, dateIn, (x, y, z) => {
        const [a, b, c] = [x, y, z].sort() as [IsoDate, IsoDate, IsoDate]
        const whole = days.count(a, c)
        const left = days.count(a, b)
        const right = days.count(addDays(b, 1), c)
        if (!whole.ok || !left.ok || !right.ok) throw new Error('inside a known year')
        expect(whole.value).toBe(left.value + right.value)
      }),
    )
  })

  it('never counts a weekend, bank holiday, INSET or half-term day', () => {
    fc.assert(
      fc.property(dateIn, d => {
        if (isWeekend(d) || bankHolidays.includes(d) || closed(d, la2526.closures)) {
          expect(days.count(d, d)).toEqual({ ok: true, value: 0 })
          expect(days.isSchoolDay(d)).toEqual({ ok: true, value: false })
        }
      }),
    )
  })

  it('add is strictly increasing in n', () => {
    fc.assert(
      fc.property(dateIn, fc.integer({ min: 0, max: 190 }), (from, n) => {
        const a = days.add(from, n)
        const b = days.add(from, n + 1)
        if (a.ok && b.ok) expect(a.value < b.value).toBe(true)
        else expect(b.ok).toBe(false)
      }),
    )
  })

  it('next is add one, and is the first school day after the date', () => {
    fc.assert(
      fc.property(dateIn, d => {
        const n = days.next(d)
        expect(n).toEqual(days.add(d, 1))
        if (n.ok) expect(days.count(addDays(d, 1), addDays(n.value, -1))).toEqual({ ok: true, value: 0 })
      }),
    )
  })
})

describe('properties on random calendars against a day-by-day model', () => {
  // Random terms and closures in two adjacent academic years, checked against the definition read literally.
  const base = '2030-09-01'
  const span = daysBetween(base, '2032-08-31')
  const offsetDate = (n: number) => addDays(base, n)
  const period = fc
    .tuple(fc.integer({ min: 0, max: span }), fc.integer({ min: 0, max: 40 }))
    .map(([s, len]) => ({ startsOn: offsetDate(s), endsOn: offsetDate(Math.min(span, s + len)) }))
  const calendar = fc.record({
    name: fc.constant('Random'),
    terms: fc.array(
      period.filter(p => academicYearOf(p.startsOn) === academicYearOf(p.endsOn)).map(p => ({ name: 'T', ...p })),
      { minLength: 1, maxLength: 6 },
    ),
    closures: fc.array(
      period.chain(p =>
        fc.constantFrom<Closure['kind']>('inset', 'half-term', 'closure').map(kind => ({ kind, name: 'C', ...p })),
      ),
      { maxLength: 6 },
    ),
  })
  const holidays = fc.uniqueArray(fc.integer({ min: 0, max: span }).map(offsetDate), { maxLength: 10 })

  it('count matches counting day by day, and fails exactly when a year is not covered', () => {
    fc.assert(
      fc.property(
        calendar,
        holidays,
        fc.integer({ min: 0, max: span }),
        fc.integer({ min: 0, max: 400 }),
        (cal, bh, s, len) => {
          const sd = schoolDaysFor(cal, bh)
          const covered = new Set(cal.terms.map(t => academicYearOf(t.startsOn)))
          const from = offsetDate(s)
          const to = offsetDate(Math.min(span, s + len))
          let expected = 0
          let known = true
          for (let d = from; d <= to; d = addDays(d, 1)) {
            if (!covered.has(academicYearOf(d))) known = false
            const inTerm = cal.terms.some(t => t.startsOn <= d && d <= t.endsOn)
            const closedDay = cal.closures.some(c => c.startsOn <= d && d <= c.endsOn)
            if (inTerm && !closedDay && !isWeekend(d) && !bh.includes(d)) expected += 1
          }
          const got = sd.count(from, to)
          if (known) expect(got).toEqual({ ok: true, value: expected })
          else expect(got.ok).toBe(false)
        },
      ),
    )
  })
})

describe('add on random calendars against a day-by-day model', () => {
  const base = '2030-09-01'
  const span = daysBetween(base, '2031-08-31')
  const offsetDate = (n: number) => addDays(base, n)
  const calendar = fc
    .array(
      fc
        .tuple(fc.integer({ min: 0, max: span }), fc.integer({ min: 0, max: 60 }))
        .map(([s, len]) => ({ name: 'T', startsOn: offsetDate(s), endsOn: offsetDate(Math.min(span, s + len)) })),
      { minLength: 1, maxLength: 5 },
    )
    .map(terms => ({ name: 'Random', terms, closures: [] }))

  it('add(from, n) is the nth school day found walking forward, or no answer past 31 August', () => {
    fc.assert(
      fc.property(calendar, fc.integer({ min: 0, max: span }), fc.integer({ min: 1, max: 60 }), (cal, s, n) => {
        const sd = schoolDaysFor(cal, [])
        const from = offsetDate(s)
        let found: IsoDate | undefined
        let seen = 0
        for (let d = addDays(from, 1); d <= '2031-08-31'; d = addDays(d, 1)) {
          if (!isWeekend(d) && cal.terms.some(t => t.startsOn <= d && d <= t.endsOn)) seen += 1
          if (seen === n) {
            found = d
            break
          }
        }
        expect(sd.add(from, n)).toEqual(
          found
            ? { ok: true, value: found }
            : { ok: false, problem: 'No term dates for 2031/32 in the Random calendar' },
        )
      }),
    )
  })
})

describe('speed', () => {
  it('answers 100,000 counts and adds quickly', () => {
    const started = performance.now()
    for (let i = 0; i < 100_000; i++) {
      const from = addDays('2025-09-01', i % 300)
      days.count(from, '2026-08-31')
      days.add(from, i % 50)
    }
    // Generous bound for slow CI machines; a day-by-day walk takes several times longer.
    expect(performance.now() - started).toBeLessThan(5_000)
  })
})
