import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCalendarCommand } from '../../src/cli/calendar.js'
import type { Config } from '../../src/config.js'
import { loadDemoData } from '../../src/demo/demoData.js'
import { openRuntime } from '../../src/runtime.js'
import { testConfig } from '../support/db.js'

/** Collects what the command prints, as a terminal would show it. */
function capture() {
  const log: string[] = []
  const error: string[] = []
  return { out: { log: (s: string) => log.push(s), error: (s: string) => error.push(s) }, log, error }
}

describe('onroll calendar import', () => {
  let dir: string
  let config: Config

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'onroll-cli-'))
    config = testConfig({ engine: 'sqlite', file: join(dir, 'cli.sqlite') })
    const runtime = await openRuntime(config)
    await loadDemoData(runtime.db, runtime.clock, config.la.code)
    await runtime.close()
  })
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  const file = (name: string, text: string) => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }

  it('imports a CSV file as a school’s own calendar and says what it loaded', async () => {
    const path = file(
      'beechwood.csv',
      [
        'kind,name,starts_on,ends_on',
        'term,Autumn term 2026,2026-09-03,2026-12-18',
        'half-term,October half term,2026-10-26,2026-10-30',
        'inset,,2026-11-13,2026-11-13',
      ].join('\n'),
    )
    const { out, log, error } = capture()
    expect(await runCalendarCommand(config, ['import', path, '--school', '990003'], out)).toBe(0)
    expect(error).toEqual([])
    expect(log[0]).toMatch(
      /^Imported 1 terms and 2 closures into "Beechwood High School \(demo\) term dates" \([0-9a-f-]{36}\)\.$/,
    )

    const runtime = await openRuntime(config)
    try {
      const days = await runtime.services.calendars.schoolDaysFor(config.la.code, '990003')
      expect(days.name).toBe('Beechwood High School (demo) term dates')
      expect(days.isSchoolDay('2026-11-13')).toEqual({ ok: true, value: false })
      const event = await runtime.db
        .selectFrom('audit_events')
        .selectAll()
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow()
      expect(event.action).toBe('calendar.import')
      expect(event.actor_kind).toBe('system')
    } finally {
      await runtime.close()
    }
  })

  it('imports an ICS file into the LA default, taking the format from the extension', async () => {
    const path = file(
      'la.ics',
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Test//EN',
        'BEGIN:VEVENT',
        'UID:1@test',
        'DTSTAMP:20250101T000000Z',
        'SUMMARY:Autumn term 2027',
        'DTSTART;VALUE=DATE:20270903',
        'DTEND;VALUE=DATE:20271218',
        'END:VEVENT',
        'END:VCALENDAR',
      ].join('\r\n'),
    )
    const { out, log } = capture()
    expect(await runCalendarCommand(config, ['import', path], out)).toBe(0)
    expect(log[0]).toMatch(/^Imported 1 terms and 0 closures into "Redbridge \(demo\) term dates"/)
    const listed = capture()
    expect(await runCalendarCommand(config, ['list'], listed.out)).toBe(0)
    expect(listed.log.map(l => l.split('\t').slice(1))).toEqual([
      ['LA default', '2027/28', 'Redbridge (demo) term dates'],
      ['990003', '2026/27', 'Beechwood High School (demo) term dates'],
      ['990002', '2025/26,2026/27', 'Kingfisher Academy (demo) term dates'],
    ])
  })

  it('reports every bad line and imports nothing', async () => {
    const path = file(
      'bad.csv',
      ['kind,name,starts_on,ends_on', 'term,Autumn,2026-09-03,2026-13-18', 'break,Holiday,2026-12-21,2027-01-01'].join(
        '\n',
      ),
    )
    const { out, error } = capture()
    expect(await runCalendarCommand(config, ['import', path, '--school', '990003'], out)).toBe(1)
    expect(error).toEqual([
      `onroll: nothing was imported from ${path}; fix these and try again:`,
      "  Line 2: The ends_on date '2026-13-18' is not a real date (use YYYY-MM-DD or DD/MM/YYYY).",
      "  Line 3: The kind 'break' is not one of: term, half-term, inset, closure.",
    ])
    const runtime = await openRuntime(config)
    try {
      const days = await runtime.services.calendars.schoolDaysFor(config.la.code, '990003')
      expect(days.isSchoolDay('2026-11-13')).toEqual({ ok: true, value: false })
    } finally {
      await runtime.close()
    }
  })

  it('refuses an unknown school, a missing file and a file of unknown format', async () => {
    const csv = file('ok.csv', 'kind,name,starts_on,ends_on\nterm,Autumn term 2026,2026-09-03,2026-12-18')
    const unknown = capture()
    expect(await runCalendarCommand(config, ['import', csv, '--school', '123456'], unknown.out)).toBe(1)
    expect(unknown.error).toContain('  There is no school with URN 123456 in this local authority')
    const missing = capture()
    expect(await runCalendarCommand(config, ['import', join(dir, 'nothing.csv')], missing.out)).toBe(1)
    expect(missing.error[0]).toMatch(/^onroll: cannot read .*nothing\.csv/)
    const txt = capture()
    expect(await runCalendarCommand(config, ['import', file('dates.txt', 'x')], txt.out)).toBe(1)
    expect(txt.error).toEqual(['onroll: say whether the file is ICS or CSV with --format ics or --format csv'])
    const usage = capture()
    expect(await runCalendarCommand(config, ['import'], usage.out)).toBe(1)
    expect(await runCalendarCommand(config, ['export'], usage.out)).toBe(1)
    expect(usage.error.join('\n')).toContain('Usage: onroll calendar import FILE')
  })
})
