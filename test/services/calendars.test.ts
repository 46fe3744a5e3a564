import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { systemActor } from '../../src/domain/actor.js'
import { demoCalendarId, loadDemoCalendars } from '../../src/demo/demoCalendars.js'
import { demoId, loadDemoData } from '../../src/demo/demoData.js'
import { verifyAuditChain } from '../../src/data/repositories/auditRepository.js'
import type { Caller } from '../../src/services/deps.js'
import { ForbiddenError, NotFoundError, ValidationError } from '../../src/services/errors.js'
import { callerFor } from '../support/callers.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'

/** 2027/28 for the LA, as a spreadsheet would give it (UK dates in one row). */
const CSV_2027 = [
  'kind,name,starts_on,ends_on',
  'inset,INSET days,2027-09-01,2027-09-02',
  'term,Autumn term 2027,2027-09-03,2027-12-17',
  'half-term,October half term,25/10/2027,29/10/2027',
  'term,Spring term 2028,2028-01-04,2028-03-31',
  'half-term,February half term,2028-02-14,2028-02-18',
  'term,Summer term 2028,2028-04-18,2028-07-21',
  'half-term,,2028-05-29,2028-06-02',
].join('\n')

const ics = (...events: [summary: string, start: string, end: string][]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test//Term dates//EN',
    ...events.flatMap(([summary, start, end], i) => [
      'BEGIN:VEVENT',
      `UID:e${String(i)}@test`,
      'DTSTAMP:20250101T000000Z',
      `SUMMARY:${summary}`,
      `DTSTART;VALUE=DATE:${start}`,
      `DTEND;VALUE=DATE:${end}`,
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
    '',
  ].join('\r\n')

describe.each(ENGINES)('school calendars on %s', engine => {
  let rt: TestRuntime
  let manager: Caller
  let system: Caller

  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadDemoData(rt.db, rt.clock, '317')
    manager = await callerFor(rt, 'ews.manager@demo.onroll.invalid')
    system = { actor: systemActor('317', 'system'), request: { requestId: 'test', clientIp: null } }
  }, 60_000)
  afterAll(async () => {
    await rt.close()
  })

  const periodCount = async (calendarId: string) =>
    (await rt.db.selectFrom('calendar_periods').select('id').where('calendar_id', '=', calendarId).execute()).length

  it('loads the demo term dates once however often it is run', async () => {
    expect(await loadDemoCalendars(rt.db, rt.clock, '317')).toBe(0)
    const list = await rt.services.calendars.listCalendars(manager)
    expect(list.map(c => [c.name, c.schoolUrn, c.academicYears])).toEqual([
      ['Redbridge (demo) term dates', null, ['2025/26', '2026/27']],
      ['Kingfisher Academy (demo) term dates', '990002', ['2025/26', '2026/27']],
    ])
  })

  it('counts in a school’s own calendar, and falls back to the LA default for a school without one', async () => {
    const la = await rt.services.calendars.schoolDaysFor('317')
    const kingfisher = await rt.services.calendars.schoolDaysFor('317', '990002')
    const larkspur = await rt.services.calendars.schoolDaysFor('317', '990001')
    expect(la.name).toBe('Redbridge (demo) term dates')
    expect(kingfisher.name).toBe('Kingfisher Academy (demo) term dates')
    expect(larkspur).toBe(la)
    // Kingfisher starts a day earlier in September and has an INSET day on Friday 27 November 2026.
    expect(la.isSchoolDay('2026-09-02')).toEqual({ ok: true, value: false })
    expect(kingfisher.isSchoolDay('2026-09-02')).toEqual({ ok: true, value: true })
    expect(la.count('2026-11-02', '2026-11-30')).toEqual({ ok: true, value: 21 })
    expect(kingfisher.count('2026-11-02', '2026-11-30')).toEqual({ ok: true, value: 20 })
    // Christmas Day and Boxing Day 2026 (substitute Monday 28 December) are bank holidays in the holiday anyway.
    expect(la.add('2026-12-17', 2)).toEqual({ ok: true, value: '2027-01-05' })
  })

  it('says there are no term dates rather than guessing', async () => {
    const la = await rt.services.calendars.schoolDaysFor('317')
    expect(la.count('2027-07-01', '2027-09-30')).toEqual({
      ok: false,
      problem: 'No term dates for 2027/28 in the Redbridge (demo) term dates calendar',
    })
    const none = await rt.services.calendars.schoolDaysFor('999')
    expect(none.isSchoolDay('2026-11-02')).toEqual({
      ok: false,
      problem: 'No term dates for 2026/27 in the LA 999 default calendar',
    })
  })

  it('refuses a school that is not in the LA', async () => {
    await expect(rt.services.calendars.schoolDaysFor('317', '123456')).rejects.toThrow(NotFoundError)
    await expect(rt.services.calendars.schoolDaysFor('999', '990002')).rejects.toThrow(NotFoundError)
  })

  it('passes half-term boundaries and holidays through for the jobs', async () => {
    const boundaries = await rt.services.calendars.halfTermBoundaries('317')
    expect(boundaries).toContain('2026-10-23')
    expect(boundaries).toContain('2026-12-18')
    const holidays = await rt.services.calendars.schoolHolidays('317', '2026-12-01', '2027-01-10')
    expect(holidays).toEqual({ ok: true, value: [{ startsOn: '2026-12-21', endsOn: '2027-01-04', weekdays: 11 }] })
  })

  it('lets only LA administrators and the EWS Operational Manager see and change calendars', async () => {
    const officer = await callerFor(rt, 'cme.officer@demo.onroll.invalid')
    const school = await callerFor(rt, 'attendance@kingfisher.demo.onroll.invalid')
    await expect(rt.services.calendars.listCalendars(officer)).rejects.toThrow(ForbiddenError)
    await expect(
      rt.services.calendars.importCalendar(school, { text: CSV_2027, format: 'csv', schoolUrn: '990002' }),
    ).rejects.toThrow(ForbiddenError)
    const admin = await callerFor(rt, 'admin@demo.onroll.invalid')
    expect(await rt.services.calendars.listCalendars(admin)).toHaveLength(2)
  })

  describe('importing', () => {
    it('imports a CSV file into the LA default, replacing its periods, and audits it without personal data', async () => {
      const id = demoCalendarId('la')
      const before = await rt.services.calendars.getCalendar(manager, id)
      const result = await rt.services.calendars.importCalendar(manager, { text: CSV_2027, format: 'csv' })
      expect(result).toEqual({ calendarId: id, name: 'Redbridge (demo) term dates', terms: 3, closures: 4 })
      const after = await rt.services.calendars.getCalendar(manager, id)
      expect(after.version).toBe(before.version + 1)
      expect(after.years.map(y => y.label)).toEqual(['2027/28'])
      expect(after.years[0]!.terms[0]).toMatchObject({
        name: 'Autumn term 2027',
        startsOn: '2027-09-03',
        schoolDays: 71,
      })
      expect(after.years[0]!.outsideTerms.map(c => c.name)).toEqual(['INSET days'])
      expect(after.periods.find(p => p.startsOn === '2028-05-29')?.name).toBe('Half term')
      const days = await rt.services.calendars.schoolDaysFor('317')
      expect(days.isSchoolDay('2027-10-25')).toEqual({ ok: true, value: false })
      expect(days.isSchoolDay('2026-11-02').ok).toBe(false)

      const event = await rt.db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow()
      expect(event.action).toBe('calendar.import')
      expect(JSON.parse(event.detail ?? '{}')).toEqual({
        calendarId: id,
        schoolId: null,
        format: 'csv',
        terms: 3,
        closures: 4,
      })
      expect((await verifyAuditChain(rt.db)).ok).toBe(true)
    })

    it('reports every bad row with its line and imports nothing', async () => {
      const id = demoCalendarId('la')
      const version = (await rt.services.calendars.getCalendar(manager, id)).version
      const periods = await periodCount(id)
      const events = (await rt.db.selectFrom('audit_events').select('seq').execute()).length
      const bad = [
        'kind,name,starts_on,ends_on',
        'term,Autumn term 2027,2027-09-03,2027-12-17',
        'holiday,Christmas,2027-12-20,2028-01-03',
        'term,,2028-01-04,2028-03-31',
        'inset,INSET day,2028-02-30,2028-02-30',
        'half-term,Half term,2028-05-29,2028-05-01',
      ].join('\n')
      const error = await rt.services.calendars
        .importCalendar(manager, { text: bad, format: 'csv' })
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ValidationError)
      expect((error as ValidationError).problems).toEqual([
        { field: 'text', message: "Line 3: The kind 'holiday' is not one of: term, half-term, inset, closure." },
        { field: 'text', message: 'Line 4: A term needs a name, such as "Autumn term 2025".' },
        {
          field: 'text',
          message: "Line 5: The starts_on date '2028-02-30' is not a real date (use YYYY-MM-DD or DD/MM/YYYY).",
        },
        {
          field: 'text',
          message: "Line 5: The ends_on date '2028-02-30' is not a real date (use YYYY-MM-DD or DD/MM/YYYY).",
        },
        { field: 'text', message: 'Line 6: It ends (2028-05-01) before it starts (2028-05-29).' },
      ])
      expect((await rt.services.calendars.getCalendar(manager, id)).version).toBe(version)
      expect(await periodCount(id)).toBe(periods)
      expect((await rt.db.selectFrom('audit_events').select('seq').execute()).length).toBe(events)
    })

    it('imports an ICS file as a school’s own calendar, creating it', async () => {
      const file = ics(
        ['INSET day', '20260901', '20260902'],
        ['Autumn term 2026', '20260902', '20261219'],
        ['October half term', '20261026', '20261031'],
        ['Christmas holiday', '20261221', '20270104'],
        ['Spring term 2027', '20270104', '20270327'],
      )
      const result = await rt.services.calendars.importCalendar(system, {
        text: file,
        format: 'ics',
        schoolUrn: '990003',
      })
      expect(result).toMatchObject({ name: 'Beechwood High School (demo) term dates', terms: 2, closures: 2 })
      const days = await rt.services.calendars.schoolDaysFor('317', '990003')
      expect(days.name).toBe('Beechwood High School (demo) term dates')
      expect(days.isSchoolDay('2026-09-02')).toEqual({ ok: true, value: true })
      const list = await rt.services.calendars.listCalendars(manager)
      expect(list.map(c => c.schoolUrn)).toEqual([null, '990003', '990002'])
    })

    it('reports a bad ICS event with the line of its BEGIN:VEVENT', async () => {
      const file = ics(['Autumn term 2026', '20260902', '20261219'], ['Sports day', '20260710', '20260711'])
      const error = await rt.services.calendars
        .importCalendar(manager, { text: file, format: 'ics', schoolUrn: '990003' })
        .catch((e: unknown) => e)
      expect((error as ValidationError).problems).toEqual([
        {
          field: 'text',
          message:
            "Line 11: The event 'Sports day' is not a term, half term, INSET day or closure; rename it or remove it from the file.",
        },
      ])
    })

    it('refuses an empty file, an unknown format and a school outside the LA, naming each field', async () => {
      const error = await rt.services.calendars
        .importCalendar(manager, { text: ' ', format: 'pdf', schoolUrn: '123456' })
        .catch((e: unknown) => e)
      expect((error as ValidationError).problems.map(p => p.field)).toEqual(['format', 'text', 'school'])
    })
  })

  describe('editing', () => {
    const kingfisher = demoCalendarId('kingfisher')
    let caller: Caller
    beforeEach(() => {
      caller = manager
    })

    it('adds an INSET day and the cached school days change at once', async () => {
      const before = await rt.services.calendars.schoolDaysFor('317', '990002')
      expect(await rt.services.calendars.schoolDaysFor('317', '990002')).toBe(before)
      expect(before.isSchoolDay('2026-12-14')).toEqual({ ok: true, value: true })
      await rt.services.calendars.addPeriod(caller, kingfisher, {
        kind: 'inset',
        name: '',
        startsOn: '2026-12-14',
        endsOn: '2026-12-14',
      })
      const after = await rt.services.calendars.schoolDaysFor('317', '990002')
      expect(after).not.toBe(before)
      expect(after.isSchoolDay('2026-12-14')).toEqual({ ok: true, value: false })
      const added = (await rt.services.calendars.getCalendar(caller, kingfisher)).periods.find(
        p => p.startsOn === '2026-12-14',
      )
      expect(added).toMatchObject({ kind: 'inset', name: 'INSET day' })
      const event = await rt.db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow()
      expect(event.action).toBe('calendar.period-add')
    })

    it('changes a period and removes one, each checked against the whole calendar', async () => {
      const periods = (await rt.services.calendars.getCalendar(caller, kingfisher)).periods
      const inset = periods.find(p => p.startsOn === '2026-12-14')!
      await rt.services.calendars.changePeriod(caller, kingfisher, inset.id, {
        kind: 'inset',
        name: 'Staff training',
        startsOn: '2026-12-15',
        endsOn: '2026-12-15',
      })
      const days = await rt.services.calendars.schoolDaysFor('317', '990002')
      expect(days.isSchoolDay('2026-12-14')).toEqual({ ok: true, value: true })
      expect(days.isSchoolDay('2026-12-15')).toEqual({ ok: true, value: false })
      await rt.services.calendars.removePeriod(caller, kingfisher, inset.id)
      expect((await rt.services.calendars.schoolDaysFor('317', '990002')).isSchoolDay('2026-12-15')).toEqual({
        ok: true,
        value: true,
      })
      await expect(rt.services.calendars.removePeriod(caller, kingfisher, inset.id)).rejects.toThrow(NotFoundError)
    })

    it('refuses an edit that would break the calendar, and changes nothing', async () => {
      const version = (await rt.services.calendars.getCalendar(caller, kingfisher)).version
      const halfTerm = await rt.services.calendars
        .addPeriod(caller, kingfisher, {
          kind: 'half-term',
          name: 'Summer',
          startsOn: '2027-08-02',
          endsOn: '2027-08-06',
        })
        .catch((e: unknown) => e)
      expect((halfTerm as ValidationError).problems).toEqual([
        {
          field: 'startsOn',
          message:
            "Half term 'Summer' (2 Aug 2027 to 6 Aug 2027) is not inside a term; a half term must fall within the term it divides.",
        },
      ])
      const autumn = (await rt.services.calendars.getCalendar(caller, kingfisher)).periods.find(
        p => p.name === 'Autumn term 2026',
      )!
      // Removing a term would leave its half term and INSET day stranded.
      const removal = await rt.services.calendars.removePeriod(caller, kingfisher, autumn.id).catch((e: unknown) => e)
      expect(removal).toBeInstanceOf(ValidationError)
      expect((removal as ValidationError).problems[0]?.field).toBe('period')
      const typed = await rt.services.calendars
        .addPeriod(caller, kingfisher, { kind: 'term', name: ' ', startsOn: '2027-02-30', endsOn: '2027-01-01' })
        .catch((e: unknown) => e)
      expect((typed as ValidationError).problems.map(p => p.field)).toEqual(['name', 'startsOn'])
      expect((await rt.services.calendars.getCalendar(caller, kingfisher)).version).toBe(version)
    })

    it('does not let one LA open another LA’s calendar', async () => {
      const other = { ...manager, actor: { ...manager.actor, laCode: '999' } }
      await expect(rt.services.calendars.getCalendar(other, kingfisher)).rejects.toThrow(NotFoundError)
      await expect(rt.services.calendars.getCalendar(manager, demoId('nothing'))).rejects.toThrow(NotFoundError)
    })
  })
})
