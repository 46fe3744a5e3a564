import { parse } from 'csv-parse/sync'

/**
 * The records of an uploaded CSV file with the line each ends on, for imports that report every bad
 * row by its line: BOM and surrounding spaces dropped, empty lines skipped, and short or long rows
 * kept (the importer reports them with their line rather than failing the whole file). A file that is
 * not CSV at all gives the parser's message and, where it knows it, the line.
 */
export type CsvRecords =
  { ok: true; records: string[][]; lines: number[] } | { ok: false; line: number | undefined; detail: string }

export function readCsvRecords(text: string): CsvRecords {
  const lines: number[] = []
  try {
    const records = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      on_record: (record: string[], context) => {
        // `lines` is where the record ends: a quoted field may span several lines.
        lines.push(context.lines)
        return record
      },
    })
    return { ok: true, records, lines }
  } catch (error) {
    const line = error instanceof Error && 'lines' in error && typeof error.lines === 'number' ? error.lines : undefined
    return { ok: false, line, detail: error instanceof Error ? error.message : String(error) }
  }
}
