/** `onroll calendar import FILE [--school URN] [--format ics|csv]` and `onroll calendar list`. */
import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { parseArgs } from 'node:util'
import type { Config } from '../config.js'
import { systemActor } from '../domain/actor.js'
import { openRuntime, type Runtime } from '../runtime.js'
import type { Caller } from '../services/deps.js'
import { NotFoundError, ValidationError } from '../services/errors.js'

type Out = { log: (s: string) => void; error: (s: string) => void }

const USAGE = 'Usage: onroll calendar import FILE [--school URN] [--format ics|csv]\n       onroll calendar list'

/** The format from --format, else from the file's extension: guessing from the contents could import the wrong thing. */
function formatOf(file: string, given: string | undefined): string | undefined {
  if (given !== undefined) return given.toLowerCase()
  const ext = extname(file).toLowerCase()
  if (ext === '.ics' || ext === '.ical' || ext === '.ifb') return 'ics'
  if (ext === '.csv') return 'csv'
  return undefined
}

export async function runCalendarCommand(config: Config, args: string[], out: Out = console): Promise<number> {
  const [action, ...rest] = args
  let parsed: ReturnType<typeof parseOptions>
  try {
    parsed = parseOptions(rest)
  } catch (err) {
    out.error(`onroll: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`)
    return 1
  }
  if (action !== 'import' && action !== 'list') {
    out.error(USAGE)
    return 1
  }
  if (action === 'import' && parsed.positionals.length !== 1) {
    out.error(`onroll: give one term dates file to import\n${USAGE}`)
    return 1
  }

  // Read the file before opening the database, so a mistyped path changes nothing.
  let text = ''
  let format: string | undefined
  const file = parsed.positionals[0]
  if (action === 'import' && file !== undefined) {
    format = formatOf(file, parsed.values.format)
    if (format !== 'ics' && format !== 'csv') {
      out.error('onroll: say whether the file is ICS or CSV with --format ics or --format csv')
      return 1
    }
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      out.error(`onroll: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`)
      return 1
    }
  }

  const runtime = await openRuntime(config)
  try {
    const caller: Caller = {
      actor: { ...systemActor(config.la.code, 'system'), name: 'onroll command line' },
      request: { requestId: `cli-${String(process.pid)}`, clientIp: null },
    }
    if (action === 'list') return await list(runtime, caller, out)
    const result = await runtime.services.calendars.importCalendar(caller, {
      text,
      format: format ?? '',
      schoolUrn: parsed.values.school,
    })
    out.log(
      `Imported ${String(result.terms)} terms and ${String(result.closures)} closures into "${result.name}" (${result.calendarId}).`,
    )
    return 0
  } catch (err) {
    if (err instanceof ValidationError) {
      out.error(`onroll: nothing was imported from ${file ?? 'the file'}; fix these and try again:`)
      for (const p of err.problems) out.error(`  ${p.message}`)
      return 1
    }
    if (err instanceof NotFoundError) {
      out.error(`onroll: ${err.message}`)
      return 1
    }
    throw err
  } finally {
    await runtime.close()
  }
}

function parseOptions(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: { school: { type: 'string' }, format: { type: 'string' } },
  })
}

async function list(runtime: Runtime, caller: Caller, out: Out): Promise<number> {
  const calendars = await runtime.services.calendars.listCalendars(caller)
  if (calendars.length === 0) out.log('No term dates have been loaded.')
  for (const c of calendars)
    out.log([c.id, c.schoolUrn ?? 'LA default', c.academicYears.join(',') || '-', c.name].join('\t'))
  return 0
}
