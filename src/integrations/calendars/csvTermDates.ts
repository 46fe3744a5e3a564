import { readCsvRecords } from '../csvRecords.js'
import { validateCalendar, type CalendarData, type Closure, type Term } from '../../domain/calendar.js'
import { isIsoDate, type IsoDate } from '../../domain/dates.js'
import type { TermDatesResult } from './icsTermDates.js'

/**
 * Term dates from a CSV file an LA administrator keeps in a spreadsheet (docs/rules/calendars.md):
 *
 *   kind,name,starts_on,ends_on
 *   term,Autumn term 2025,2025-09-03,2025-12-19
 *   half-term,October half term,27/10/2025,31/10/2025
 *   inset,INSET day,2026-01-05,2026-01-05
 *
 * kind is term, half-term, inset or closure; dates are inclusive, YYYY-MM-DD or DD/MM/YYYY
 * (UK order, never US). Every bad row is reported with its line number (the header is line 1)
 * and nothing is returned unless the whole file is good: half a calendar would give wrong
 * school-day counts without anyone noticing. A good file is then checked with validateCalendar.
 */

const COLUMNS = ['kind', 'name', 'starts_on', 'ends_on'] as const
type Column = (typeof COLUMNS)[number]

const KINDS = ['term', 'half-term', 'inset', 'closure'] as const
type Kind = (typeof KINDS)[number]

const DEFAULT_NAME: Record<Closure['kind'], string> = {
  'half-term': 'Half term',
  inset: 'INSET day',
  closure: 'Closure',
}

const UK_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/

function toDate(text: string): IsoDate | undefined {
  if (isIsoDate(text)) return text
  const m = UK_DATE.exec(text)
  if (!m) return undefined
  const candidate = `${m[3]}-${(m[2] ?? '').padStart(2, '0')}-${(m[1] ?? '').padStart(2, '0')}`
  return isIsoDate(candidate) ? candidate : undefined
}

type Problem = { line?: number; message: string }

export function parseTermDatesCsv(text: string, calendarName: string): TermDatesResult {
  const read = readCsvRecords(text)
  if (!read.ok)
    return {
      ok: false,
      problems: [
        {
          ...(read.line === undefined ? {} : { line: read.line }),
          message: `The file is not valid CSV: ${read.detail}`,
        },
      ],
    }
  const { records, lines: recordLines } = read
  const [header, ...rows] = records
  const headerLine = recordLines[0] ?? 1
  if (!header) {
    return {
      ok: false,
      problems: [{ line: 1, message: `The file is empty; the first line must be: ${COLUMNS.join(',')}` }],
    }
  }
  const names = header.map(h => h.toLowerCase())
  const headerProblems: Problem[] = []
  const unknown = names.filter(n => !(COLUMNS as readonly string[]).includes(n))
  const missing = COLUMNS.filter(c => !names.includes(c))
  const repeated = names.filter((n, i) => names.indexOf(n) !== i)
  if (unknown.length > 0) headerProblems.push({ line: headerLine, message: `Unknown columns: ${unknown.join(', ')}.` })
  if (missing.length > 0) headerProblems.push({ line: headerLine, message: `Missing columns: ${missing.join(', ')}.` })
  if (repeated.length > 0)
    headerProblems.push({ line: headerLine, message: `Repeated columns: ${repeated.join(', ')}.` })
  if (headerProblems.length > 0) {
    headerProblems.push({ line: headerLine, message: `The first line must name the columns: ${COLUMNS.join(',')}` })
    return { ok: false, problems: headerProblems }
  }
  const position = Object.fromEntries(COLUMNS.map(c => [c, names.indexOf(c)])) as Record<Column, number>

  const problems: Problem[] = []
  const terms: Term[] = []
  const closures: Closure[] = []
  if (rows.length === 0) problems.push({ line: headerLine, message: 'The file has no rows after the header.' })

  rows.forEach((row, i) => {
    const line = recordLines[i + 1]
    const at = line === undefined ? {} : { line }
    const report = (message: string) => problems.push({ ...at, message })
    if (row.length !== COLUMNS.length) {
      report(`This row has ${row.length} values; it needs ${COLUMNS.length} (${COLUMNS.join(', ')}).`)
      return
    }
    const cell = (c: Column): string => row[position[c]] ?? ''
    const kindText = cell('kind').toLowerCase().replace(/\s+/g, '-')
    const kind = (KINDS as readonly string[]).includes(kindText) ? (kindText as Kind) : undefined
    const startsOn = toDate(cell('starts_on'))
    const endsOn = toDate(cell('ends_on'))
    const before = problems.length
    if (!kind) report(`The kind '${cell('kind')}' is not one of: ${KINDS.join(', ')}.`)
    if (kind === 'term' && cell('name') === '') report('A term needs a name, such as "Autumn term 2025".')
    if (!startsOn)
      report(`The starts_on date '${cell('starts_on')}' is not a real date (use YYYY-MM-DD or DD/MM/YYYY).`)
    if (!endsOn) report(`The ends_on date '${cell('ends_on')}' is not a real date (use YYYY-MM-DD or DD/MM/YYYY).`)
    if (startsOn && endsOn && endsOn < startsOn) report(`It ends (${endsOn}) before it starts (${startsOn}).`)
    if (problems.length > before || !kind || !startsOn || !endsOn) return
    if (kind === 'term') terms.push({ name: cell('name'), startsOn, endsOn })
    else closures.push({ kind, name: cell('name') || DEFAULT_NAME[kind], startsOn, endsOn })
  })

  if (problems.length > 0) return { ok: false, problems }
  const calendar: CalendarData = { name: calendarName, terms, closures }
  const invalid = validateCalendar(calendar)
  if (invalid.length > 0) return { ok: false, problems: invalid.map(message => ({ message })) }
  return { ok: true, calendar }
}
