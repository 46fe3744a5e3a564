/**
 * A school roll exported from the MIS as CSV (issue 8). The first line names the columns (any
 * order, any case; `PUPIL_FIELDS`); each row is read with the same rules as the add-a-pupil form.
 * Every bad row is reported with its line and field, so the school can fix the whole file at once;
 * a file with any bad row gives no pupils at all.
 */
import type { IsoDate } from '../../domain/dates.js'
import { readCsvRecords } from '../csvRecords.js'
import {
  PUPIL_FIELDS,
  REQUIRED_PUPIL_FIELDS,
  pupilFieldLabel,
  readPupil,
  type PupilField,
  type PupilRecord,
} from '../../domain/pupil.js'

export interface RollProblem {
  line: number
  field?: PupilField
  message: string
}

export type RollResult = { ok: true; pupils: PupilRecord[] } | { ok: false; problems: RollProblem[] }

/** Rows are read until this many; a bigger roll is split into files. */
export const MAX_ROLL_ROWS = 3000

export function parseRollCsv(text: string, today: IsoDate): RollResult {
  const read = readCsvRecords(text)
  if (!read.ok)
    return { ok: false, problems: [{ line: read.line ?? 1, message: `The file is not valid CSV: ${read.detail}` }] }
  const { records, lines } = read
  const [header, ...rows] = records
  if (!header)
    return {
      ok: false,
      problems: [
        { line: 1, message: `The file is empty; the first line must name the columns: ${PUPIL_FIELDS.join(',')}` },
      ],
    }
  const names = header.map(h => h.toLowerCase().replace(/\s+/g, '_'))
  const unknown = names.filter(n => !(PUPIL_FIELDS as readonly string[]).includes(n))
  // A file must carry the UPN column (each row is matched by it), and every column a pupil needs.
  const missing = ['upn', ...REQUIRED_PUPIL_FIELDS].filter(c => !names.includes(c))
  const repeated = names.filter((n, i) => names.indexOf(n) !== i)
  const headerLine = lines[0] ?? 1
  const headerProblems: RollProblem[] = []
  if (unknown.length > 0) headerProblems.push({ line: headerLine, message: `Unknown columns: ${unknown.join(', ')}` })
  if (missing.length > 0) headerProblems.push({ line: headerLine, message: `Missing columns: ${missing.join(', ')}` })
  if (repeated.length > 0)
    headerProblems.push({ line: headerLine, message: `Repeated columns: ${repeated.join(', ')}` })
  if (headerProblems.length > 0) return { ok: false, problems: headerProblems }
  if (rows.length === 0)
    return { ok: false, problems: [{ line: headerLine, message: 'The file has no pupils after the first line' }] }
  if (rows.length > MAX_ROLL_ROWS)
    return {
      ok: false,
      problems: [
        { line: headerLine, message: `The file has ${rows.length} pupils; import ${MAX_ROLL_ROWS} or fewer at a time` },
      ],
    }

  const problems: RollProblem[] = []
  const pupils: PupilRecord[] = []
  const upnLines = new Map<string, number>()
  rows.forEach((row, i) => {
    const line = lines[i + 1] ?? i + 2
    if (row.length !== names.length)
      problems.push({
        line,
        message: `This line has ${row.length} values; the first line names ${names.length} columns`,
      })
    const fields = Object.fromEntries(names.map((n, c) => [n, row[c] ?? '']))
    const read = readPupil(fields, today, { upnRequired: true })
    if (!read.ok) {
      for (const p of read.problems)
        problems.push({ line, field: p.field, message: `${pupilFieldLabel(p.field)}: ${p.message}` })
      return
    }
    const upn = read.value.upn ?? ''
    const first = upnLines.get(upn)
    if (first !== undefined) problems.push({ line, field: 'upn', message: `UPN: the same UPN is on line ${first}` })
    else upnLines.set(upn, line)
    pupils.push(read.value)
  })
  return problems.length > 0 ? { ok: false, problems } : { ok: true, pupils }
}
