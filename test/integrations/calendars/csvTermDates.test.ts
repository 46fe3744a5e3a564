import { describe, expect, it } from 'vitest'
import { schoolDaysFor } from '../../../src/domain/calendar.js'
import { parseTermDatesCsv } from '../../../src/integrations/calendars/csvTermDates.js'

const good = [
  'kind,name,starts_on,ends_on',
  'inset,INSET days,2025-09-01,2025-09-02',
  'term,Autumn term 2025,2025-09-03,2025-12-19',
  'half-term,October half term,27/10/2025,31/10/2025',
  '',
  'term,Spring term 2026,05/01/2026,27/03/2026',
  'inset,,2026-01-05,2026-01-05',
  'Half Term,"February half term, week 7",2026-02-16,2026-02-20',
  'term,Summer term 2026,2026-04-13,2026-07-21',
  'half-term,May half term,2026-05-25,2026-05-29',
].join('\r\n')

describe('parseTermDatesCsv', () => {
  it('reads a good file, accepting both date forms, blank lines and quoted names', () => {
    const result = parseTermDatesCsv('\uFEFF' + good, 'Test LA')
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
          { kind: 'inset', name: 'INSET days', startsOn: '2025-09-01', endsOn: '2025-09-02' },
          { kind: 'half-term', name: 'October half term', startsOn: '2025-10-27', endsOn: '2025-10-31' },
          { kind: 'inset', name: 'INSET day', startsOn: '2026-01-05', endsOn: '2026-01-05' },
          { kind: 'half-term', name: 'February half term, week 7', startsOn: '2026-02-16', endsOn: '2026-02-20' },
          { kind: 'half-term', name: 'May half term', startsOn: '2026-05-25', endsOn: '2026-05-29' },
        ],
      },
    })
    if (!result.ok) return
    // Agrees with the hand count for the same calendar in test/domain/calendar.test.ts.
    const bankHolidays = [
      '2025-12-25',
      '2025-12-26',
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-04',
      '2026-05-25',
    ]
    expect(schoolDaysFor(result.calendar, bankHolidays).count('2025-09-01', '2026-08-31')).toEqual({
      ok: true,
      value: 193,
    })
  })

  it('accepts the columns in any order', () => {
    const result = parseTermDatesCsv('name,kind,ends_on,starts_on\nAutumn,term,2025-12-19,2025-09-03\n', 'X')
    expect(result).toEqual({
      ok: true,
      calendar: { name: 'X', terms: [{ name: 'Autumn', startsOn: '2025-09-03', endsOn: '2025-12-19' }], closures: [] },
    })
  })

  it('reports every bad row with its line number and returns nothing', () => {
    const text = [
      'kind,name,starts_on,ends_on', // 1
      'term,Autumn term 2025,2025-09-03,2025-12-19', // 2
      'holiday,Christmas,2025-12-22,2026-01-02', // 3
      'term,,2026-01-05,2026-03-27', // 4
      'inset,INSET,31/02/2026,2026-13-01', // 5
      '', // 6
      'term,Summer,2026-07-21,2026-04-13', // 7
      'half-term,Too short,2026-05-25', // 8
      'closure,Polling day,7 May 2026,2026-05-07', // 9
      'term,Fine,2026-04-13,2026-07-21', // 10
    ].join('\n')
    expect(parseTermDatesCsv(text, 'Test LA')).toEqual({
      ok: false,
      problems: [
        { line: 3, message: "The kind 'holiday' is not one of: term, half-term, inset, closure." },
        { line: 4, message: 'A term needs a name, such as "Autumn term 2025".' },
        { line: 5, message: "The starts_on date '31/02/2026' is not a real date (use YYYY-MM-DD or DD/MM/YYYY)." },
        { line: 5, message: "The ends_on date '2026-13-01' is not a real date (use YYYY-MM-DD or DD/MM/YYYY)." },
        { line: 7, message: 'It ends (2026-04-13) before it starts (2026-07-21).' },
        { line: 8, message: 'This row has 3 values; it needs 4 (kind, name, starts_on, ends_on).' },
        { line: 9, message: "The starts_on date '7 May 2026' is not a real date (use YYYY-MM-DD or DD/MM/YYYY)." },
      ],
    })
  })

  it('explains a wrong header', () => {
    expect(parseTermDatesCsv('type,name,start,ends_on\nterm,A,2025-09-03,2025-12-19\n', 'X')).toEqual({
      ok: false,
      problems: [
        { line: 1, message: 'Unknown columns: type, start.' },
        { line: 1, message: 'Missing columns: kind, starts_on.' },
        { line: 1, message: 'The first line must name the columns: kind,name,starts_on,ends_on' },
      ],
    })
  })

  it('reports an empty file, a header with no rows, and broken CSV', () => {
    expect(parseTermDatesCsv('', 'X')).toEqual({
      ok: false,
      problems: [{ line: 1, message: 'The file is empty; the first line must be: kind,name,starts_on,ends_on' }],
    })
    expect(parseTermDatesCsv('kind,name,starts_on,ends_on\n', 'X')).toEqual({
      ok: false,
      problems: [{ line: 1, message: 'The file has no rows after the header.' }],
    })
    const broken = parseTermDatesCsv('kind,name,starts_on,ends_on\nterm,"Autumn,2025-09-03,2025-12-19\n', 'X')
    expect(broken).toMatchObject({ ok: false, problems: [{ message: expect.stringMatching(/not valid CSV/) }] })
  })

  it('passes a well-formed file through validateCalendar', () => {
    const text =
      'kind,name,starts_on,ends_on\nterm,Autumn,2025-09-03,2025-12-19\nhalf-term,Half term,2026-02-16,2026-02-20\n'
    expect(parseTermDatesCsv(text, 'X')).toEqual({
      ok: false,
      problems: [
        {
          message:
            "Half term 'Half term' (16 Feb 2026 to 20 Feb 2026) is not inside a term; a half term must fall within the term it divides.",
        },
      ],
    })
  })
})
