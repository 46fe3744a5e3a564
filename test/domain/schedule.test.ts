import { describe, expect, it } from 'vitest'
import { academicYearOf, schoolDaysFor, type CalendarData } from '../../src/domain/calendar.js'
import { fixedClock } from '../../src/domain/clock.js'
import { addDays, type IsoDate } from '../../src/domain/dates.js'
import {
  digestFor,
  halfTermNoteDates,
  halfTermNotes,
  isDue,
  monthlyOversightDue,
  unfoundReviewDates,
  unfoundReviewSchedule,
  unfoundReviewTasks,
  type DigestTask,
} from '../../src/domain/schedule.js'

/** A demo-like LA calendar for 2025/26 and 2026/27. */
const demo: CalendarData = {
  name: 'Demo LA',
  terms: [
    { name: 'Autumn term 2025', startsOn: '2025-09-03', endsOn: '2025-12-19' },
    { name: 'Spring term 2026', startsOn: '2026-01-05', endsOn: '2026-03-27' },
    { name: 'Summer term 2026', startsOn: '2026-04-13', endsOn: '2026-07-21' },
    { name: 'Autumn term 2026', startsOn: '2026-09-03', endsOn: '2026-12-18' },
    { name: 'Spring term 2027', startsOn: '2027-01-04', endsOn: '2027-03-26' },
    { name: 'Summer term 2027', startsOn: '2027-04-12', endsOn: '2027-07-21' },
  ],
  closures: [
    { kind: 'inset', name: 'INSET days', startsOn: '2025-09-01', endsOn: '2025-09-02' },
    { kind: 'half-term', name: 'October half term', startsOn: '2025-10-27', endsOn: '2025-10-31' },
    { kind: 'half-term', name: 'February half term', startsOn: '2026-02-16', endsOn: '2026-02-20' },
    { kind: 'half-term', name: 'May half term', startsOn: '2026-05-25', endsOn: '2026-05-29' },
    { kind: 'inset', name: 'INSET days', startsOn: '2026-09-01', endsOn: '2026-09-02' },
    { kind: 'half-term', name: 'October half term', startsOn: '2026-10-26', endsOn: '2026-10-30' },
    { kind: 'half-term', name: 'February half term', startsOn: '2027-02-15', endsOn: '2027-02-19' },
    { kind: 'half-term', name: 'May half term', startsOn: '2027-05-31', endsOn: '2027-06-04' },
  ],
}

/** England and Wales bank holidays, Sept 2025 to Aug 2027 (Boxing Day 2026 is a Saturday: substitute Monday 28th). */
const bankHolidays: IsoDate[] = [
  '2025-12-25',
  '2025-12-26',
  '2026-01-01',
  '2026-04-03',
  '2026-04-06',
  '2026-05-04',
  '2026-05-25',
  '2026-08-31',
  '2026-12-25',
  '2026-12-28',
  '2027-01-01',
  '2027-03-26',
  '2027-03-29',
  '2027-05-03',
  '2027-05-31',
  '2027-08-30',
]

const days = schoolDaysFor(demo, bankHolidays)

describe('unfoundReviewDates: the first working weekday of chosen school holidays', () => {
  it.each([
    // Christmas: term ends Friday 19 Dec 2025; summer: term ends Tuesday 21 Jul 2026.
    [2025, 2, ['2025-12-22', '2026-07-22']],
    [2025, 1, ['2026-07-22']],
    [2025, 3, ['2025-12-22', '2026-03-30', '2026-07-22']],
    // Half terms join from four a year; the May half term starts on a bank holiday, so Tuesday.
    [2025, 6, ['2025-10-27', '2025-12-22', '2026-02-16', '2026-03-30', '2026-05-26', '2026-07-22']],
    [2026, 2, ['2026-12-21', '2027-07-22']],
    // Easter 2027: spring term ends on Good Friday (26 Mar, a bank holiday), Easter Monday too: Tuesday 30 March.
    [2026, 3, ['2026-12-21', '2027-03-30', '2027-07-22']],
    [2026, 4, ['2026-10-26', '2026-12-21', '2027-03-30', '2027-07-22']],
    [2026, 6, ['2026-10-26', '2026-12-21', '2027-02-15', '2027-03-30', '2027-06-01', '2027-07-22']],
  ])('%i/%i reviews: %j', (year, perYear, expected) => {
    expect(unfoundReviewDates(demo, bankHolidays, year, perYear)).toEqual({ ok: true, value: expected })
  })

  it('defaults to twice a year and says which holiday each date is in', () => {
    expect(unfoundReviewSchedule(demo, bankHolidays, 2025)).toEqual({
      ok: true,
      value: [
        { on: '2025-12-22', holiday: 'christmas' },
        { on: '2026-07-22', holiday: 'summer' },
      ],
    })
  })

  it('puts every review on a weekday inside a school holiday of that academic year', () => {
    for (const year of [2025, 2026]) {
      for (let perYear = 1; perYear <= 6; perYear++) {
        const dates = unfoundReviewDates(demo, bankHolidays, year, perYear)
        expect(dates.ok && dates.value.length).toBe(perYear)
        for (const d of dates.ok ? dates.value : []) {
          expect(days.isHoliday(d)).toEqual({ ok: true, value: true })
          expect(bankHolidays).not.toContain(d)
          expect(academicYearOf(d)).toBe(year)
        }
      }
    }
  })

  it('refuses what the calendar cannot give', () => {
    expect(unfoundReviewDates(demo, bankHolidays, 2027)).toEqual({
      ok: false,
      problem: 'No term dates for 2027/28 in the Demo LA calendar',
    })
    expect(unfoundReviewDates(demo, bankHolidays, 2025, 7)).toEqual({
      ok: false,
      problem: 'The Demo LA calendar has 6 school holidays in 2025/26, fewer than 7',
    })
    expect(unfoundReviewDates(demo, bankHolidays, 2025, 0)).toEqual({
      ok: false,
      problem: 'Cannot hold 0 reviews a year',
    })
  })

  it('names a missing Easter holiday rather than picking another', () => {
    // Spring and summer terms run together; Good Friday and Easter Monday alone are not "the school holidays".
    const noEaster: CalendarData = {
      name: 'No Easter',
      terms: [
        { name: 'Autumn', startsOn: '2025-09-03', endsOn: '2025-12-19' },
        { name: 'Spring', startsOn: '2026-01-05', endsOn: '2026-04-17' },
        { name: 'Summer', startsOn: '2026-04-20', endsOn: '2026-07-21' },
      ],
      closures: [],
    }
    expect(unfoundReviewDates(noEaster, bankHolidays, 2025, 2)).toEqual({
      ok: true,
      value: ['2025-12-22', '2026-07-22'],
    })
    expect(unfoundReviewDates(noEaster, bankHolidays, 2025, 3)).toEqual({
      ok: false,
      problem: 'No easter holiday in the No Easter calendar for 2025/26',
    })
  })

  it('does not count the days before the first term as a half term', () => {
    // Term starts Thursday 4 September: Monday to Wednesday off are the tail of the summer holiday.
    const lateStart: CalendarData = {
      ...demo,
      terms: demo.terms.map(t => (t.startsOn === '2025-09-03' ? { ...t, startsOn: '2025-09-04' } : t)),
      closures: demo.closures.filter(c => c.startsOn !== '2025-09-01'),
    }
    expect(unfoundReviewDates(lateStart, bankHolidays, 2025, 6)).toEqual(
      unfoundReviewDates(demo, bankHolidays, 2025, 6),
    )
  })

  it('creates one review task per case closed as not found by the review date', () => {
    const closed = [
      { caseId: 'a', closedOn: '2025-10-01' },
      { caseId: 'b', closedOn: '2025-12-22' },
      { caseId: 'c', closedOn: '2025-12-23' },
    ]
    expect(unfoundReviewTasks(closed, '2025-12-22')).toEqual([
      { caseId: 'a', reviewOn: '2025-12-22', taskKey: 'unfound-review:a:2025-12-22' },
      { caseId: 'b', reviewOn: '2025-12-22', taskKey: 'unfound-review:b:2025-12-22' },
    ])
  })
})

describe('half-termly note of closed cases', () => {
  it.each([
    [2025, ['2025-10-24', '2025-12-19', '2026-02-13', '2026-03-27', '2026-05-22', '2026-07-21']],
    // Spring 2027 ends on Good Friday, so its last school day is Thursday 25 March.
    [2026, ['2026-10-23', '2026-12-18', '2027-02-12', '2027-03-25', '2027-05-28', '2027-07-21']],
  ])('%i: on the last school day of each half term', (year, expected) => {
    expect(halfTermNoteDates(demo, bankHolidays, year)).toEqual({ ok: true, value: expected })
  })

  it('covers every day once: each note runs from the day after the previous one', () => {
    const notes2025 = halfTermNotes(demo, bankHolidays, 2025)
    const notes2026 = halfTermNotes(demo, bankHolidays, 2026)
    expect(notes2025.ok && notes2025.value.slice(0, 2)).toEqual([
      // No earlier year in the calendar: the first note starts on 1 September.
      { noteOn: '2025-10-24', coversFrom: '2025-09-01', coversTo: '2025-10-24' },
      { noteOn: '2025-12-19', coversFrom: '2025-10-25', coversTo: '2025-12-19' },
    ])
    // Cases closed in the summer holiday go in the first note of the next year.
    expect(notes2026.ok && notes2026.value[0]).toEqual({
      noteOn: '2026-10-23',
      coversFrom: '2026-07-22',
      coversTo: '2026-10-23',
    })
    const all = [...(notes2025.ok ? notes2025.value : []), ...(notes2026.ok ? notes2026.value : [])]
    for (const [i, note] of all.entries()) {
      if (i > 0) expect(note.coversFrom).toBe(addDays(all[i - 1]!.coversTo, 1))
    }
  })

  it('refuses a year the calendar does not cover', () => {
    expect(halfTermNoteDates(demo, bankHolidays, 2024)).toEqual({
      ok: false,
      problem: 'No term dates for 2024/25 in the Demo LA calendar',
    })
  })
})

describe('isDue', () => {
  const scheduled = ['2025-12-22', '2026-07-22', '2026-03-30', '2026-07-22']
  it.each([
    ['2025-12-21', '2025-12-22', ['2025-12-22']],
    ['2025-12-22', '2025-12-22', []],
    ['2025-12-22', '2025-12-23', []],
    // A job that was down over Christmas catches up when it next runs.
    ['2025-12-19', '2026-01-05', ['2025-12-22']],
    ['2025-12-22', '2026-07-22', ['2026-03-30', '2026-07-22']],
    [undefined, '2026-04-01', ['2025-12-22', '2026-03-30']],
  ] as [IsoDate | undefined, IsoDate, IsoDate[]][])('last run %s, today %s', (lastRunOn, today, expected) => {
    expect(isDue(scheduled, lastRunOn, today)).toEqual(expected)
  })
})

describe('moving the clock through two years: a daily job fires each duty on its day, once', () => {
  const reviewDates = [2025, 2026].flatMap(y => {
    const r = unfoundReviewDates(demo, bankHolidays, y)
    return r.ok ? r.value : []
  })
  const noteDates = [2025, 2026].flatMap(y => {
    const r = halfTermNoteDates(demo, bankHolidays, y)
    return r.ok ? r.value : []
  })

  it('fires reviews and notes on exactly the scheduled days', () => {
    const fired: Record<string, IsoDate[]> = { review: [], note: [] }
    let lastRun: IsoDate = '2025-08-31'
    for (let today = '2025-09-01'; today <= '2027-08-31'; today = addDays(today, 1)) {
      for (const d of isDue(reviewDates, lastRun, today)) fired.review!.push(`${d}@${today}`)
      for (const d of isDue(noteDates, lastRun, today)) fired.note!.push(`${d}@${today}`)
      lastRun = today
    }
    expect(fired.review).toEqual(['2025-12-22', '2026-07-22', '2026-12-21', '2027-07-22'].map(d => `${d}@${d}`))
    expect(fired.note).toEqual(noteDates.map(d => `${d}@${d}`))
    expect(noteDates).toHaveLength(12)
  })

  it('takes today from an injected clock, in London time', () => {
    // 23:30 UTC on Sunday 21 December 2025 is still Sunday in London (GMT): nothing yet.
    const sunday = fixedClock('2025-12-21T23:30:00Z').today()
    expect(isDue(reviewDates, '2025-12-20', sunday)).toEqual([])
    // 23:30 UTC on Wednesday 21 July 2027 is 00:30 on Thursday 22 July in London (BST): the review is due.
    const julyNight = fixedClock('2027-07-21T23:30:00Z').today()
    expect(julyNight).toBe('2027-07-22')
    expect(isDue(reviewDates, '2027-07-21', julyNight)).toEqual(['2027-07-22'])
  })

  it.each([
    ['2025-10-24', [], ['2025-10-24']],
    ['2025-12-19', [], ['2025-12-19']],
    ['2025-12-22', ['2025-12-22'], []],
    ['2026-03-27', [], ['2026-03-27']],
    ['2026-07-21', [], ['2026-07-21']],
    ['2026-07-22', ['2026-07-22'], []],
    ['2026-12-21', ['2026-12-21'], []],
    ['2027-03-25', [], ['2027-03-25']],
    ['2027-03-26', [], []],
  ] as [IsoDate, IsoDate[], IsoDate[]][])('on %s: reviews %j, notes %j', (today, reviews, notes) => {
    const yesterday = addDays(today, -1)
    expect(isDue(reviewDates, yesterday, today)).toEqual(reviews)
    expect(isDue(noteDates, yesterday, today)).toEqual(notes)
  })
})

describe('monthlyOversightDue', () => {
  it.each([
    [undefined, '2026-01-15', 'due', '2026-01-31', []],
    ['2026-01-03', '2026-01-15', 'recorded', '2026-01-31', []],
    ['2025-12-31', '2026-01-01', 'due', '2026-01-31', []],
    ['2025-12-31', '2026-01-31', 'due', '2026-01-31', []],
    ['2025-12-31', '2026-02-01', 'overdue', '2026-02-28', ['2026-01']],
    ['2025-10-10', '2026-02-28', 'overdue', '2026-02-28', ['2025-11', '2025-12', '2026-01']],
    ['2028-02-01', '2028-02-29', 'recorded', '2028-02-29', []],
    ['2028-01-31', '2028-02-29', 'due', '2028-02-29', []],
    ['2026-11-30', '2027-01-02', 'overdue', '2027-01-31', ['2026-12']],
  ] as [IsoDate | undefined, IsoDate, string, IsoDate, string[]][])(
    'last recorded %s, today %s: %s',
    (last, today, state, dueBy, missedMonths) => {
      expect(monthlyOversightDue(last, today)).toEqual({ state, month: today.slice(0, 7), dueBy, missedMonths })
    },
  )
})

describe('digestFor: each worker’s tasks overdue, due today and due in the next 3 school days', () => {
  const tasks: DigestTask[] = [
    { id: 't-late', assigneeId: 'amira', dueOn: '2026-02-12' },
    { id: 't-older', assigneeId: 'amira', dueOn: '2026-01-30' },
    { id: 't-today', assigneeId: 'amira', dueOn: '2026-02-13' },
    { id: 't-done', assigneeId: 'amira', dueOn: '2026-02-10', doneOn: '2026-02-11' },
    // Friday before half term: the next 3 school days are 23, 24 and 25 February.
    { id: 't-half-term', assigneeId: 'ben', dueOn: '2026-02-18' },
    { id: 't-b', assigneeId: 'ben', dueOn: '2026-02-25' },
    { id: 't-a', assigneeId: 'ben', dueOn: '2026-02-25' },
    { id: 't-later', assigneeId: 'ben', dueOn: '2026-02-26' },
    { id: 't-far', assigneeId: 'cara', dueOn: '2026-03-20' },
    { id: 't-finished', assigneeId: 'dev', dueOn: '2026-02-01', doneOn: '2026-02-01' },
  ]

  it('on Friday 13 February 2026, the last day before half term', () => {
    expect(digestFor(tasks, '2026-02-13', days)).toEqual({
      digests: [
        { assigneeId: 'amira', overdue: ['t-older', 't-late'], dueToday: ['t-today'], dueSoon: [] },
        { assigneeId: 'ben', overdue: [], dueToday: [], dueSoon: ['t-half-term', 't-a', 't-b'] },
      ],
    })
  })

  it('on Monday 23 February 2026, the first day back', () => {
    expect(digestFor(tasks, '2026-02-23', days).digests).toEqual([
      { assigneeId: 'amira', overdue: ['t-older', 't-late', 't-today'], dueToday: [], dueSoon: [] },
      { assigneeId: 'ben', overdue: ['t-half-term'], dueToday: [], dueSoon: ['t-a', 't-b', 't-later'] },
    ])
  })

  it('counts weekdays and says so when the calendar has no term dates ahead', () => {
    const late: DigestTask[] = [
      { id: 'x', assigneeId: 'amira', dueOn: '2027-09-01' },
      { id: 'y', assigneeId: 'amira', dueOn: '2027-09-02' },
    ]
    expect(digestFor(late, '2027-08-27', days)).toEqual({
      digests: [{ assigneeId: 'amira', overdue: [], dueToday: [], dueSoon: ['x'] }],
      problem: 'No term dates for 2027/28 in the Demo LA calendar',
    })
  })
})
