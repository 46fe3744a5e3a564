import { describe, expect, it } from 'vitest'
import { schoolDaysFor } from '../../../src/domain/calendar.js'
import { parseTermDatesIcs } from '../../../src/integrations/calendars/icsTermDates.js'

const ics = (...events: string[][]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test LA//Term dates//EN',
    ...events.flatMap((lines, i) => [
      'BEGIN:VEVENT',
      `UID:event-${i}@test`,
      'DTSTAMP:20250101T000000Z',
      ...lines,
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
    '',
  ].join('\r\n')

const allDay = (summary: string, start: string, end?: string) => [
  `SUMMARY:${summary}`,
  `DTSTART;VALUE=DATE:${start}`,
  ...(end ? [`DTEND;VALUE=DATE:${end}`] : []),
]

/** 2025/26 as an LA publishes it: terms, half terms, INSET days, holidays and a bank holiday. */
const realistic = ics(
  allDay('INSET day', '20250901', '20250903'),
  allDay('Autumn term 2025', '20250903', '20251220'),
  allDay('Autumn half term', '20251027', '20251101'),
  allDay('Christmas holiday', '20251222', '20260105'),
  allDay('Staff Development Day', '20260105'),
  allDay('Spring term 2026', '20260105', '20260328'),
  allDay('Half-term', '20260216', '20260221'),
  allDay('Easter Holidays', '20260330', '20260413'),
  allDay('Summer term 2026', '20260413', '20260722'),
  allDay('Early May Bank Holiday', '20260504', '20260505'),
  allDay('Whitsun half term holiday', '20260525', '20260530'),
  allDay('School closed - polling day', '20260507', '20260508'),
  ['SUMMARY:Parents evening (cancelled)', 'STATUS:CANCELLED', 'DTSTART:20251015T170000'],
)

describe('parseTermDatesIcs', () => {
  it('reads a realistic file with DTEND exclusive', () => {
    const result = parseTermDatesIcs(realistic, 'Test LA')
    expect(result).toEqual({
      ok: true,
      calendar: {
        name: 'Test LA',
        terms: [
          { name: 'Autumn term 2025', startsOn: '2025-09-03', endsOn: '2025-12-19' },
          { name: 'Spring term 2026', startsOn: '2026-01-05', endsOn: '2026-03-27' },
          { name: 'Summer term 2026', startsOn: '2026-04-13', endsOn: '2026-07-21' },
        ],
        closures: [
          { kind: 'inset', name: 'INSET day', startsOn: '2025-09-01', endsOn: '2025-09-02' },
          { kind: 'half-term', name: 'Autumn half term', startsOn: '2025-10-27', endsOn: '2025-10-31' },
          { kind: 'inset', name: 'Staff Development Day', startsOn: '2026-01-05', endsOn: '2026-01-05' },
          { kind: 'half-term', name: 'Half-term', startsOn: '2026-02-16', endsOn: '2026-02-20' },
          { kind: 'half-term', name: 'Whitsun half term holiday', startsOn: '2026-05-25', endsOn: '2026-05-29' },
          { kind: 'closure', name: 'School closed - polling day', startsOn: '2026-05-07', endsOn: '2026-05-07' },
        ],
      },
    })
    if (!result.ok) return
    const days = schoolDaysFor(result.calendar, ['2026-05-04', '2026-05-25'])
    // Same as the domain fixture's summer term (66) less the polling-day closure.
    expect(days.count('2026-04-01', '2026-08-31')).toEqual({ ok: true, value: 65 })
  })

  it('accepts folded lines and LF line endings', () => {
    const text = realistic.replaceAll('\r\n', '\n').replace('SUMMARY:Autumn term 2025', 'SUMMARY:Autumn \n term 2025')
    const result = parseTermDatesIcs(text, 'Test LA')
    expect(result.ok && result.calendar.terms[0]?.name).toBe('Autumn term 2025')
  })

  it('reports every unusable event with its line', () => {
    const text = ics(
      allDay('Autumn term 2025', '20250903', '20251220'),
      allDay('Sports day', '20250910'),
      allDay('Spring term starts', '20260105'),
      ['SUMMARY:INSET day', 'DTSTART:20251103T083000', 'DTEND:20251103T153000'],
      [...allDay('Half term', '20251027', '20251101'), 'RRULE:FREQ=YEARLY;COUNT=3'],
      ['SUMMARY:Closure'],
    )
    const result = parseTermDatesIcs(text, 'Test LA')
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          line: 11,
          message:
            "The event 'Sports day' is not a term, half term, INSET day or closure; rename it or remove it from the file.",
        },
        {
          line: 17,
          message:
            "The event 'Spring term starts' looks like a single day marking the start or end of a term; give each term as one event from its first day to its last.",
        },
        { line: 23, message: "The event 'INSET day' has a time of day; term dates must be all-day events." },
        { line: 30, message: "The event 'Half term' repeats; give each period as a separate event." },
        { line: 38, message: "The event 'Closure' has no start date." },
      ],
    })
  })

  it('passes the result through validateCalendar', () => {
    const text = ics(
      allDay('Autumn term 2025', '20250903', '20251220'),
      allDay('Autumn term again', '20251201', '20251220'),
      allDay('Half term', '20240527', '20240601'),
    )
    expect(parseTermDatesIcs(text, 'Test LA')).toEqual({
      ok: false,
      problems: [
        {
          message:
            'Autumn term 2025 (3 Sep 2025 to 19 Dec 2025) overlaps Autumn term again (1 Dec 2025 to 19 Dec 2025).',
        },
        {
          message:
            "Half term 'Half term' (27 May 2024 to 31 May 2024) is not inside a term; a half term must fall within the term it divides.",
        },
      ],
    })
  })

  it('rejects a file that is not iCalendar, or has no events', () => {
    const garbage = parseTermDatesIcs('kind,name,starts_on,ends_on\n', 'Test LA')
    expect(garbage.ok).toBe(false)
    expect(!garbage.ok && garbage.problems[0]?.message).toMatch(/could not be read as an iCalendar/)
    expect(parseTermDatesIcs(ics(), 'Test LA')).toEqual({
      ok: false,
      problems: [{ message: 'The file has no events, so it has no term dates.' }],
    })
  })

  it('rejects an event that ends before it starts', () => {
    expect(parseTermDatesIcs(ics(allDay('Autumn term', '20251220', '20250903')), 'X')).toMatchObject({
      ok: false,
      problems: [{ line: 4, message: "The event 'Autumn term' ends before it starts." }],
    })
  })
})
