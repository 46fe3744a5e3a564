import { can } from '../domain/access.js'
import {
  academicYearLabel,
  academicYearOf,
  halfTermBoundaries,
  schoolDaysFor,
  schoolHolidays,
  validateCalendar,
  type CalendarData,
  type Closure,
  type ClosureKind,
  type HolidayPeriod,
  type Term,
} from '../domain/calendar.js'
import { isIsoDate, type IsoDate } from '../domain/dates.js'
import type { Answer, SchoolDays } from '../domain/schoolDays.js'
import type { Db } from '../data/db.js'
import { newId } from '../data/ids.js'
import {
  bumpCalendarVersion,
  deletePeriod,
  findCalendar,
  findCalendarCandidates,
  insertCalendar,
  insertPeriod,
  listCalendars,
  listPeriods,
  listTermStarts,
  replacePeriods,
  updatePeriod,
  type CalendarPeriodRow,
  type CalendarWithSchool,
} from '../data/repositories/calendarRepository.js'
import { findOrganisation, findOrganisationByUrn } from '../data/repositories/organisationRepository.js'
import type { Organisation } from '../data/schema.js'
import { englandAndWalesBankHolidays } from '../integrations/calendars/bankHolidays.js'
import { parseTermDatesCsv } from '../integrations/calendars/csvTermDates.js'
import { parseTermDatesIcs } from '../integrations/calendars/icsTermDates.js'
import { audit } from './audit.js'
import type { Caller, Deps } from './deps.js'
import { ForbiddenError, NotFoundError, ValidationError } from './errors.js'

export const PERIOD_KINDS = ['term', 'half-term', 'inset', 'closure'] as const
export type PeriodKind = (typeof PERIOD_KINDS)[number]

export const PERIOD_KIND_LABELS: Record<PeriodKind, string> = {
  term: 'Term',
  'half-term': 'Half term',
  inset: 'INSET day',
  closure: 'Other closure',
}

const isPeriodKind = (k: unknown): k is PeriodKind =>
  typeof k === 'string' && (PERIOD_KINDS as readonly string[]).includes(k)

const isClosureKind = (k: string): k is ClosureKind => k !== 'term' && isPeriodKind(k)

/** Which school's calendar: by URN (the API, the helper page) or by organisation id (a signed-in school user, a case). */
export type SchoolRef = { urn: string } | { id: string }

/** A term or closure as an administrator types it; dates are YYYY-MM-DD. */
export interface PeriodInput {
  kind: string
  name: string
  startsOn: string
  endsOn: string
}

export type ImportFormat = 'ics' | 'csv'

export interface ImportInput {
  text: string
  format: string
  schoolUrn?: string | undefined
}

export interface ImportResult {
  calendarId: string
  name: string
  terms: number
  closures: number
}

/** A term as the calendar page shows it: its half terms, INSET days and closures, and how many school days it has. */
export interface TermView extends Term {
  closures: (Closure & { id: string })[]
  schoolDays: number | null
}

export interface AcademicYearView {
  label: string
  terms: TermView[]
  /** INSET days and closures outside every term (commonly INSET days just before a term starts). */
  outsideTerms: (Closure & { id: string })[]
}

interface Cached {
  version: number
  data: CalendarData
  bankHolidays: string[]
  days: SchoolDays
}

/*
 * Built school days per calendar, keyed by calendar id and checked against its version. Shared by
 * every service built on the same database (the rules and policy services make their own calendar
 * service), and a change made by another process is seen too, because each edit bumps the version.
 */
const caches = new WeakMap<Db, Map<string, Cached>>()

function cacheFor(db: Db): Map<string, Cached> {
  let cache = caches.get(db)
  if (!cache) {
    cache = new Map()
    caches.set(db, cache)
  }
  return cache
}

function toCalendarData(name: string, periods: readonly CalendarPeriodRow[]): CalendarData {
  const terms: Term[] = []
  const closures: Closure[] = []
  for (const p of periods) {
    if (p.kind === 'term') terms.push({ name: p.name, startsOn: p.starts_on, endsOn: p.ends_on })
    else if (isClosureKind(p.kind))
      closures.push({ kind: p.kind, name: p.name, startsOn: p.starts_on, endsOn: p.ends_on })
  }
  return { name, terms, closures }
}

/** Bank holidays for every calendar year the calendar's academic years touch. */
function bankHolidaysFor(data: CalendarData): string[] {
  const years = data.terms.filter(t => isIsoDate(t.startsOn)).map(t => academicYearOf(t.startsOn))
  if (years.length === 0) return []
  return englandAndWalesBankHolidays(Math.min(...years), Math.max(...years) + 1)
}

function build(version: number, data: CalendarData): Cached {
  const bankHolidays = bankHolidaysFor(data)
  return { version, data, bankHolidays, days: schoolDaysFor(data, bankHolidays) }
}

/** Problems in typed period fields, named by field for the form. */
function periodInputProblems(input: PeriodInput): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = []
  if (!isPeriodKind(input.kind)) problems.push({ field: 'kind', message: 'Select what kind of period this is' })
  if (input.kind === 'term' && input.name.trim() === '')
    problems.push({ field: 'name', message: 'Enter a name for the term, such as Autumn term 2026' })
  if (input.name.length > 100) problems.push({ field: 'name', message: 'The name must be 100 characters or fewer' })
  if (!isIsoDate(input.startsOn)) problems.push({ field: 'startsOn', message: 'Enter a real start date' })
  if (!isIsoDate(input.endsOn)) problems.push({ field: 'endsOn', message: 'Enter a real end date' })
  if (isIsoDate(input.startsOn) && isIsoDate(input.endsOn) && input.endsOn < input.startsOn)
    problems.push({ field: 'endsOn', message: 'The end date must be the same as or after the start date' })
  return problems
}

const DEFAULT_CLOSURE_NAME: Record<ClosureKind, string> = {
  'half-term': 'Half term',
  inset: 'INSET day',
  closure: 'Closure',
}

/** School calendars: the LA default and schools' own (docs/rules/calendars.md). */
export function createCalendarService({ db, clock, config }: Deps) {
  const cache = cacheFor(db)

  const require = (caller: Caller) => {
    if (caller.actor.kind !== 'system' && !can(caller.actor, 'admin:settings'))
      throw new ForbiddenError('admin:settings')
  }

  const findSchool = async (laCode: string, ref: SchoolRef): Promise<Organisation> => {
    const org = 'urn' in ref ? await findOrganisationByUrn(db, ref.urn) : await findOrganisation(db, ref.id)
    if (!org || org.la_code !== laCode || org.kind !== 'school')
      throw new NotFoundError('urn' in ref ? `School with URN ${ref.urn}` : 'School')
    return org
  }

  /** With no calendar at all every answer is "No term dates for …", named after the LA, rather than a guess. */
  const emptyCalendar = (laCode: string): Cached =>
    build(0, {
      name: laCode === config.la.code ? `${config.la.name} default` : `LA ${laCode} default`,
      terms: [],
      closures: [],
    })

  /** The school's own calendar, else the LA default, built once per calendar version. */
  const resolve = async (laCode: string, school?: SchoolRef): Promise<Cached> => {
    const schoolId = school ? (await findSchool(laCode, school)).id : null
    const candidates = await findCalendarCandidates(db, laCode, schoolId)
    const chosen =
      candidates.find(c => schoolId !== null && c.school_id === schoolId) ?? candidates.find(c => c.school_id === null)
    if (!chosen) return emptyCalendar(laCode)
    const hit = cache.get(chosen.id)
    if (hit && hit.version === chosen.version) return hit
    const built = build(chosen.version, toCalendarData(chosen.name, await listPeriods(db, chosen.id)))
    cache.set(chosen.id, built)
    return built
  }

  const load = async (caller: Caller, id: string): Promise<CalendarWithSchool> => {
    require(caller)
    const calendar = await findCalendar(db, id)
    if (!calendar || calendar.la_code !== caller.actor.laCode) throw new NotFoundError('Calendar')
    return calendar
  }

  /**
   * Applies an edit and refuses it if it makes the calendar worse: only problems the edit introduces
   * block it, so an administrator can mend a calendar one period at a time. The version is bumped
   * first, which locks the calendar's row on PostgreSQL, so two edits at once are checked in turn.
   */
  const edit = async (
    caller: Caller,
    calendarId: string,
    action: 'calendar.period-add' | 'calendar.period-change' | 'calendar.period-remove',
    change: (periods: CalendarPeriodRow[]) => { periods: CalendarPeriodRow[]; field: string },
    write: (trx: Db) => Promise<string>,
  ): Promise<void> => {
    const calendar = await load(caller, calendarId)
    await db.transaction().execute(async trx => {
      await bumpCalendarVersion(trx, calendarId, clock.now().toISOString())
      const current = await listPeriods(trx, calendarId)
      const { periods: next, field } = change(current)
      const before = new Set(validateCalendar(toCalendarData(calendar.name, current)))
      const introduced = validateCalendar(toCalendarData(calendar.name, next)).filter(p => !before.has(p))
      if (introduced.length > 0) throw new ValidationError(introduced.map(message => ({ field, message })))
      const periodId = await write(trx)
      await audit(trx, clock, caller.actor, caller.request, action, [{ detail: { calendarId, periodId } }])
    })
  }

  const periodRow = (calendarId: string, id: string, input: PeriodInput): CalendarPeriodRow => {
    const problems = periodInputProblems(input)
    if (problems.length > 0) throw new ValidationError(problems)
    const kind = input.kind as PeriodKind
    const name = input.name.trim() || (kind === 'term' ? '' : DEFAULT_CLOSURE_NAME[kind])
    return { id, calendar_id: calendarId, kind, name, starts_on: input.startsOn, ends_on: input.endsOn }
  }

  return {
    /** School-day arithmetic for a school (its own calendar, else the LA default) or, with no school, the LA default. */
    async schoolDaysFor(laCode: string, schoolUrn?: string): Promise<SchoolDays> {
      return (await resolve(laCode, schoolUrn ? { urn: schoolUrn } : undefined)).days
    },

    /** As schoolDaysFor, for a school known by its organisation id (a case's school, a signed-in school user). */
    async schoolDaysForSchool(laCode: string, school?: SchoolRef): Promise<SchoolDays> {
      return (await resolve(laCode, school)).days
    },

    /** The last school day of each half term, for the half-termly duties. */
    async halfTermBoundaries(laCode: string, school?: SchoolRef): Promise<IsoDate[]> {
      const c = await resolve(laCode, school)
      return halfTermBoundaries(c.data, c.bankHolidays)
    },

    /** The calendar itself with its bank holidays, for the schedule rules (domain/schedule.ts) that take both. */
    async calendarFor(laCode: string, school?: SchoolRef): Promise<{ data: CalendarData; bankHolidays: IsoDate[] }> {
      const c = await resolve(laCode, school)
      return { data: c.data, bankHolidays: c.bankHolidays }
    },

    /** Holiday periods between two dates, for the reviews held in the school holidays. */
    async schoolHolidays(
      laCode: string,
      from: IsoDate,
      to: IsoDate,
      school?: SchoolRef,
    ): Promise<Answer<HolidayPeriod[]>> {
      const c = await resolve(laCode, school)
      return schoolHolidays(c.data, c.bankHolidays, from, to)
    },

    /** The LA default first, then each school's calendar, with the academic years each covers. */
    async listCalendars(caller: Caller) {
      require(caller)
      const calendars = await listCalendars(db, caller.actor.laCode)
      const starts = await listTermStarts(db, caller.actor.laCode)
      return calendars.map(c => {
        const years = [
          ...new Set(starts.filter(s => s.calendar_id === c.id).map(s => academicYearOf(s.starts_on))),
        ].sort()
        return {
          id: c.id,
          name: c.name,
          schoolId: c.school_id,
          schoolName: c.school_name,
          schoolUrn: c.school_urn,
          version: c.version,
          updatedAt: c.updated_at,
          academicYears: years.map(academicYearLabel),
        }
      })
    },

    /** A calendar as a readable list: each academic year's terms with their half terms and INSET days. */
    async getCalendar(caller: Caller, id: string) {
      const calendar = await load(caller, id)
      const periods = await listPeriods(db, id)
      const data = toCalendarData(calendar.name, periods)
      const days = schoolDaysFor(data, bankHolidaysFor(data))
      const closures = periods
        .filter(p => p.kind !== 'term' && isPeriodKind(p.kind))
        .map(p => ({ id: p.id, kind: p.kind as ClosureKind, name: p.name, startsOn: p.starts_on, endsOn: p.ends_on }))
      const terms = periods.filter(p => p.kind === 'term')
      const years = new Map<number, AcademicYearView>()
      const yearView = (date: IsoDate): AcademicYearView => {
        const y = academicYearOf(date)
        let view = years.get(y)
        if (!view) {
          view = { label: academicYearLabel(y), terms: [], outsideTerms: [] }
          years.set(y, view)
        }
        return view
      }
      const placed = new Set<string>()
      for (const t of terms) {
        const inside = closures.filter(c => c.startsOn <= t.ends_on && c.endsOn >= t.starts_on)
        inside.forEach(c => placed.add(c.id))
        const count = days.count(t.starts_on, t.ends_on)
        yearView(t.starts_on).terms.push({
          name: t.name,
          startsOn: t.starts_on,
          endsOn: t.ends_on,
          closures: inside,
          schoolDays: count.ok ? count.value : null,
        })
      }
      for (const c of closures)
        if (!placed.has(c.id) && isIsoDate(c.startsOn)) yearView(c.startsOn).outsideTerms.push(c)
      return {
        id: calendar.id,
        name: calendar.name,
        schoolId: calendar.school_id,
        schoolName: calendar.school_name,
        schoolUrn: calendar.school_urn,
        version: calendar.version,
        updatedAt: calendar.updated_at,
        years: [...years.entries()].sort(([a], [b]) => a - b).map(([, v]) => v),
        periods: periods.map(p => ({ id: p.id, kind: p.kind, name: p.name, startsOn: p.starts_on, endsOn: p.ends_on })),
        problems: validateCalendar(data),
      }
    },

    async getPeriod(caller: Caller, calendarId: string, periodId: string) {
      await load(caller, calendarId)
      const period = (await listPeriods(db, calendarId)).find(p => p.id === periodId)
      if (!period) throw new NotFoundError('Term or closure')
      return { id: period.id, kind: period.kind, name: period.name, startsOn: period.starts_on, endsOn: period.ends_on }
    },

    /**
     * Replaces all of a calendar's periods with a file's, in one transaction. Every bad row is
     * reported with its line and nothing is imported unless the whole file is good. The audit
     * event holds counts and ids only.
     */
    async importCalendar(caller: Caller, input: ImportInput): Promise<ImportResult> {
      require(caller)
      const laCode = caller.actor.laCode
      const problems: { field: string; message: string }[] = []
      if (input.format !== 'ics' && input.format !== 'csv')
        problems.push({ field: 'format', message: 'Select the format of the file: ICS (iCalendar) or CSV' })
      if (input.text.trim() === '')
        problems.push({ field: 'text', message: 'Paste the contents of the term dates file' })
      let school: Organisation | undefined
      if (input.schoolUrn) {
        school = await findOrganisationByUrn(db, input.schoolUrn)
        if (!school || school.la_code !== laCode || school.kind !== 'school') {
          problems.push({
            field: 'school',
            message: `There is no school with URN ${input.schoolUrn} in this local authority`,
          })
          school = undefined
        }
      }
      if (problems.length > 0) throw new ValidationError(problems)

      const candidates = await findCalendarCandidates(db, laCode, school?.id ?? null)
      const existing = candidates.find(c => c.school_id === (school?.id ?? null))
      const name = existing?.name ?? (school ? `${school.name} term dates` : `${config.la.name} term dates`)
      const parsed = input.format === 'ics' ? parseTermDatesIcs(input.text, name) : parseTermDatesCsv(input.text, name)
      if (!parsed.ok)
        throw new ValidationError(
          parsed.problems.map(p => ({
            field: 'text',
            message: p.line === undefined ? p.message : `Line ${p.line}: ${p.message}`,
          })),
        )

      const calendarId = existing?.id ?? newId()
      const now = clock.now().toISOString()
      const { terms, closures } = parsed.calendar
      await db.transaction().execute(async trx => {
        if (existing) await bumpCalendarVersion(trx, calendarId, now)
        else await insertCalendar(trx, { id: calendarId, la_code: laCode, name, school_id: school?.id ?? null, now })
        await replacePeriods(trx, calendarId, [
          ...terms.map(t => ({
            id: newId(),
            calendar_id: calendarId,
            kind: 'term',
            name: t.name,
            starts_on: t.startsOn,
            ends_on: t.endsOn,
          })),
          ...closures.map(c => ({
            id: newId(),
            calendar_id: calendarId,
            kind: c.kind,
            name: c.name,
            starts_on: c.startsOn,
            ends_on: c.endsOn,
          })),
        ])
        await audit(trx, clock, caller.actor, caller.request, 'calendar.import', [
          {
            detail: {
              calendarId,
              schoolId: school?.id ?? null,
              format: input.format,
              terms: terms.length,
              closures: closures.length,
            },
          },
        ])
      })
      return { calendarId, name, terms: terms.length, closures: closures.length }
    },

    async addPeriod(caller: Caller, calendarId: string, input: PeriodInput): Promise<void> {
      require(caller)
      const row = periodRow(calendarId, newId(), input)
      await edit(
        caller,
        calendarId,
        'calendar.period-add',
        periods => ({ periods: [...periods, row], field: 'startsOn' }),
        async trx => {
          await insertPeriod(trx, row)
          return row.id
        },
      )
    },

    async changePeriod(caller: Caller, calendarId: string, periodId: string, input: PeriodInput): Promise<void> {
      require(caller)
      const row = periodRow(calendarId, periodId, input)
      await edit(
        caller,
        calendarId,
        'calendar.period-change',
        periods => {
          if (!periods.some(p => p.id === periodId)) throw new NotFoundError('Term or closure')
          return { periods: periods.map(p => (p.id === periodId ? row : p)), field: 'startsOn' }
        },
        async trx => {
          if ((await updatePeriod(trx, calendarId, periodId, row)) === 0) throw new NotFoundError('Term or closure')
          return periodId
        },
      )
    },

    async removePeriod(caller: Caller, calendarId: string, periodId: string): Promise<void> {
      await edit(
        caller,
        calendarId,
        'calendar.period-remove',
        periods => {
          if (!periods.some(p => p.id === periodId)) throw new NotFoundError('Term or closure')
          return { periods: periods.filter(p => p.id !== periodId), field: 'period' }
        },
        async trx => {
          if ((await deletePeriod(trx, calendarId, periodId)) === 0) throw new NotFoundError('Term or closure')
          return periodId
        },
      )
    },
  }
}

export type CalendarService = ReturnType<typeof createCalendarService>
