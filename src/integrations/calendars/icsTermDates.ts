import ICAL from 'ical.js'
import { validateCalendar, type CalendarData, type Closure, type Term } from '../../domain/calendar.js'
import { addDays, dateOf, type IsoDate } from '../../domain/dates.js'

/**
 * Term dates from an iCalendar (ICS) file, as LAs and academies publish them.
 *
 * Convention (also in docs/rules/calendars.md):
 * - Each all-day VEVENT is one period. DTEND is exclusive, as RFC 5545 says for DATE values,
 *   so an event with DTSTART 20250903 and DTEND 20251220 is 3 to 19 December inclusive; with
 *   no DTEND it is the single day DTSTART.
 * - The SUMMARY decides what the period is, checked in this order (case does not matter):
 *   "INSET", "training day" or "staff development" → an INSET closure;
 *   "half term" / "half-term" → a half-term closure;
 *   "closure" / "closed" → a closure (polling day, snow day announced in advance);
 *   "holiday" (e.g. "Christmas holiday", "Bank holiday") → ignored: holidays are the gaps
 *   between terms, and bank holidays come from the bank-holiday source;
 *   "term" → a term named by the summary ("Autumn term 2025").
 *   Anything else is a problem naming the event: guessing would change deadlines silently.
 * - A "term starts" / "term ends" marker day is a problem, not a one-day term: the file must
 *   give each term as one event covering the whole term.
 * - Timed events and repeating events are problems; cancelled events are skipped.
 * The result is then checked with validateCalendar.
 */

export type TermDatesResult =
  { ok: true; calendar: CalendarData } | { ok: false; problems: { line?: number; message: string }[] }

type Classified = { kind: 'term' } | { kind: Closure['kind'] } | { kind: 'ignore' } | { kind: 'unknown' }

function classify(summary: string): Classified {
  if (/\binset\b|training day|staff development/i.test(summary)) return { kind: 'inset' }
  if (/\bhalf[\s-]?term\b/i.test(summary)) return { kind: 'half-term' }
  if (/\bclosure\b|\bclosed\b/i.test(summary)) return { kind: 'closure' }
  if (/\bholidays?\b/i.test(summary)) return { kind: 'ignore' }
  if (/\bterms?\b/i.test(summary)) return { kind: 'term' }
  return { kind: 'unknown' }
}

const MARKER = /\b(starts?|begins?|ends?|finish(es)?|first day|last day|start of|end of)\b/i

/**
 * Physical line numbers of each "BEGIN:VEVENT", in order, so problems can point into the file.
 * ical.js keeps no positions, but events appear in the parsed tree in file order.
 */
function eventLines(text: string): number[] {
  const lines: number[] = []
  text.split(/\r\n|\n|\r/).forEach((line, i) => {
    if (/^BEGIN:VEVENT\s*$/i.test(line)) lines.push(i + 1)
  })
  return lines
}

export function parseTermDatesIcs(text: string, calendarName: string): TermDatesResult {
  let root: ICAL.Component
  try {
    root = ICAL.Component.fromString(text)
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    return { ok: false, problems: [{ message: `The file could not be read as an iCalendar (ICS) file: ${detail}` }] }
  }
  if (root.name !== 'vcalendar') {
    return { ok: false, problems: [{ message: 'The file must contain exactly one VCALENDAR.' }] }
  }

  const events = root.getAllSubcomponents('vevent')
  const starts = eventLines(text)
  // Only trust the line numbers if every event was found in the text.
  const lineOf = (i: number): { line?: number } => {
    const line = starts.length === events.length ? starts[i] : undefined
    return line === undefined ? {} : { line }
  }

  const problems: { line?: number; message: string }[] = []
  const terms: Term[] = []
  const closures: Closure[] = []
  if (events.length === 0) problems.push({ message: 'The file has no events, so it has no term dates.' })

  events.forEach((component, i) => {
    const at = lineOf(i)
    const event = new ICAL.Event(component)
    // ical.js types summary as string, but an event without SUMMARY gives undefined at run time.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
    const summary = (event.summary ?? '').trim()
    const label = summary === '' ? 'An event with no title' : `The event '${summary}'`
    if (String(component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') return
    if (!component.hasProperty('dtstart')) {
      problems.push({ ...at, message: `${label} has no start date.` })
      return
    }
    const what = classify(summary)
    if (what.kind === 'ignore') return
    if (what.kind === 'unknown') {
      problems.push({
        ...at,
        message: `${label} is not a term, half term, INSET day or closure; rename it or remove it from the file.`,
      })
      return
    }
    if (event.isRecurring() || event.isRecurrenceException()) {
      problems.push({ ...at, message: `${label} repeats; give each period as a separate event.` })
      return
    }
    if (!event.startDate.isDate || !event.endDate.isDate) {
      problems.push({ ...at, message: `${label} has a time of day; term dates must be all-day events.` })
      return
    }
    const startsOn: IsoDate = dateOf(event.startDate.year, event.startDate.month, event.startDate.day)
    // DTEND is the day after the last day (RFC 5545); ical.js gives start + 1 day when DTEND is absent.
    const endsOn: IsoDate = addDays(dateOf(event.endDate.year, event.endDate.month, event.endDate.day), -1)
    if (endsOn < startsOn) {
      problems.push({ ...at, message: `${label} ends before it starts.` })
      return
    }
    if (what.kind === 'term') {
      if (MARKER.test(summary)) {
        problems.push({
          ...at,
          message: `${label} looks like a single day marking the start or end of a term; give each term as one event from its first day to its last.`,
        })
        return
      }
      terms.push({ name: summary, startsOn, endsOn })
    } else {
      closures.push({ kind: what.kind, name: summary, startsOn, endsOn })
    }
  })

  if (problems.length > 0) return { ok: false, problems }
  const calendar: CalendarData = { name: calendarName, terms, closures }
  const invalid = validateCalendar(calendar)
  if (invalid.length > 0) return { ok: false, problems: invalid.map(message => ({ message })) }
  return { ok: true, calendar }
}
