import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemoData } from '../../src/demo/demoData.js'
import { fixedClock } from '../../src/domain/clock.js'
import { parseCtfXml } from '../../src/integrations/ctf/ctfXml.js'
import { validateCtf } from '../../src/domain/ctf.js'
import { createServices } from '../../src/services/index.js'
import { createLeavingService, type SchoolGivenFacts } from '../../src/services/leavingService.js'
import { createCalendarService } from '../../src/services/calendarService.js'
import { createPolicyService } from '../../src/services/policyService.js'
import { ConflictError, ForbiddenError, ValidationError } from '../../src/services/errors.js'
import { callerFor } from '../support/callers.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'
import { ABSENT, DELETE_UNDER_I, RETURN_INPUT, addOpenCase, addPupil } from '../support/pupils.js'
import { AuditRefused, watchDb } from '../support/watchedDb.js'

const LARKSPUR = 'attendance@larkspur.demo.onroll.invalid'
const KINGFISHER = 'attendance@kingfisher.demo.onroll.invalid'
const OFFICER = 'cme.officer@demo.onroll.invalid'

describe.each(ENGINES)('leaving the roll on %s', engine => {
  let rt: TestRuntime
  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadDemoData(rt.db, rt.clock, '317')
  }, 60_000)
  afterAll(async () => rt.close())

  it('refuses, in the service, to delete a pupil with an EHCP, whatever the school says', async () => {
    const school = await callerFor(rt, LARKSPUR)
    const pupilId = await addPupil(rt, 'larkspur', { ehcp: 1, first_name: 'Ehcp', last_name: 'Pupil' })
    const caseId = await addOpenCase(rt, { firstName: 'Ehcp', lastName: 'Pupil', dateOfBirth: '2016-04-02', upn: null })
    await rt.services.jointEnquiries.recordEnquiries(await callerFor(rt, OFFICER), caseId, {
      recordedOn: '2026-11-23',
      details: 'Checked other LAs',
    })
    const check = await rt.services.leaving.check(school, pupilId, ABSENT)
    expect(check.check.allowedToday).toBe(false)
    expect(check.check.protocolBlocks.join(' ')).toContain('EHCP')
    // A school cannot type the EHCP away: onroll's own record wins.
    const lying = { ...ABSENT, hasEhcp: false, newProvisionConfirmed: false } as SchoolGivenFacts
    await expect(
      rt.services.leaving.recordDeletion(school, pupilId, { ...DELETE_UNDER_I, given: lying }),
    ).rejects.toBeInstanceOf(ValidationError)
    const row = await rt.db.selectFrom('pupils').select('on_roll').where('id', '=', pupilId).executeTakeFirstOrThrow()
    expect(row.on_roll).toBe(1)
    expect(await rt.db.selectFrom('school_returns').select('id').where('pupil_id', '=', pupilId).execute()).toEqual([])
  })

  it('needs the LA’s part of the joint enquiries, recorded by the CME team on the case, for Ground I', async () => {
    const school = await callerFor(rt, LARKSPUR)
    const pupilId = await addPupil(rt, 'larkspur', { first_name: 'Ivy', last_name: 'Groundeye' })
    const caseId = await addOpenCase(rt, {
      firstName: 'Ivy',
      lastName: 'Groundeye',
      dateOfBirth: '2016-04-02',
      upn: null,
    })
    // The school typing a date for the LA's part changes nothing.
    const claimed = { ...ABSENT, enquiries: { schoolMade: true, laPartRecordedOn: '2026-11-20' } } as SchoolGivenFacts
    const before = await rt.services.leaving.check(school, pupilId, claimed)
    expect(before.check.allowedToday).toBe(false)
    expect(before.check.reasons.join(' ')).toContain('LA’s part of the joint enquiries')
    await expect(
      rt.services.leaving.recordDeletion(school, pupilId, { ...DELETE_UNDER_I, given: claimed }),
    ).rejects.toBeInstanceOf(ValidationError)

    await rt.services.jointEnquiries.recordEnquiries(await callerFor(rt, OFFICER), caseId, {
      recordedOn: '2026-11-23',
      details: 'Lost Pupil Database, neighbouring LAs, health: no trace',
    })
    const after = await rt.services.leaving.check(school, pupilId, ABSENT)
    expect(after.held.linkedCase?.laEnquiriesOn).toBe('2026-11-23')
    expect(after.check.applicableGrounds).toEqual(['I'])
    // The school sees that the LA's part was done and when, never what the CME team found.
    expect(JSON.stringify(after.held)).not.toContain('no trace')
    // What the school was shown of the CME case is a look at the case: it shows in "who has viewed".
    const looked = await rt.db
      .selectFrom('audit_events')
      .select('action')
      .where('case_id', '=', caseId)
      .where('action', '=', 'pupil.deletion-check')
      .execute()
    expect(looked.length).toBeGreaterThan(0)

    const { returnId } = await rt.services.leaving.recordDeletion(school, pupilId, DELETE_UNDER_I)
    const pupil = await rt.db.selectFrom('pupils').selectAll().where('id', '=', pupilId).executeTakeFirstOrThrow()
    expect([pupil.on_roll, pupil.left_on, pupil.deletion_ground]).toEqual([0, '2026-11-25', 'I'])
    const ret = await rt.db
      .selectFrom('school_returns')
      .selectAll()
      .where('id', '=', returnId!)
      .executeTakeFirstOrThrow()
    expect([ret.kind, ret.due_on, ret.made_on, ret.ground]).toEqual(['deletion', '2026-11-25', '2026-11-25', 'I'])
    const labels = (JSON.parse(ret.document) as { rows: { key: string; value: string }[] }).rows.map(r => r.key)
    expect(labels).toEqual(
      expect.arrayContaining([
        'pupil.fullName',
        'pupil.address',
        'parents.0.fullName',
        'parents.0.address',
        'parents.0.emergencyPhone',
        'ground',
        'deletedOn',
      ]),
    )
    const audited = await rt.db
      .selectFrom('audit_events')
      .select('detail')
      .where('action', '=', 'pupil.delete')
      .execute()
    expect(audited.some(a => (a.detail ?? '').includes(pupilId))).toBe(true)
    await expect(rt.services.leaving.recordDeletion(school, pupilId, DELETE_UNDER_I)).rejects.toBeInstanceOf(
      ConflictError,
    )

    // The lost-pupil CTF: one pupil, destination XXX/XXXX, read back to the same pupil.
    const { ctfId, fileName } = await rt.services.ctf.generate(school, pupilId, { destination: 'unknown' })
    expect(fileName).toMatch(/^3172001_CTF_XXXXXXX_\d{3}\.xml$/)
    const file = await rt.services.ctf.download(school, ctfId)
    const parsed = parseCtfXml(file.xml)
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    expect(validateCtf(parsed.file)).toEqual([])
    expect(parsed.file.destination).toEqual({ kind: 'unknown' })
    expect(parsed.file.pupils).toHaveLength(1)
    expect(parsed.file.pupils[0]).toMatchObject({
      forename: 'Ivy',
      surname: 'Groundeye',
      dateOfBirth: '2016-04-02',
      sex: 'F',
    })
    expect(parsed.file.pupils[0]?.schoolHistory[0]).toMatchObject({ leavingDate: '2026-11-25' })
    const page = await rt.services.ctf.page(school, pupilId)
    expect(page.dueOn).not.toBeNull()
    expect(page.dueOn! > '2026-11-25').toBe(true)
    await rt.services.ctf.markUploaded(school, ctfId)
    const overview = await rt.services.returns.schoolOverview(school)
    expect(overview.ctfs.find(c => c.pupilId === pupilId)?.state).toBe('uploaded')
  })

  it('never lets another school see or delete a pupil', async () => {
    const other = await callerFor(rt, KINGFISHER)
    const pupilId = await addPupil(rt, 'larkspur')
    await expect(rt.services.leaving.view(other, pupilId)).rejects.toBeInstanceOf(ForbiddenError)
    await expect(rt.services.leaving.check(other, pupilId, ABSENT)).rejects.toBeInstanceOf(ForbiddenError)
    await expect(rt.services.leaving.recordDeletion(other, pupilId, DELETE_UNDER_I)).rejects.toBeInstanceOf(
      ForbiddenError,
    )
    await expect(rt.services.ctf.generate(other, pupilId, { destination: 'unknown' })).rejects.toBeInstanceOf(
      ForbiddenError,
    )
    await expect(
      rt.services.leaving.recordEheNotice(other, pupilId, { receivedOn: '2026-11-20', educatedFrom: '2026-11-21' }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    const officer = await callerFor(rt, OFFICER)
    await expect(rt.services.leaving.view(officer, pupilId)).rejects.toBeInstanceOf(ForbiddenError)
  })

  it('refuses a deletion date in the future and a ground that does not apply on the day given', async () => {
    const school = await callerFor(rt, LARKSPUR)
    const pupilId = await addPupil(rt, 'larkspur')
    await expect(
      rt.services.leaving.recordDeletion(school, pupilId, { ...DELETE_UNDER_I, deletedOn: '2026-11-26' }),
    ).rejects.toBeInstanceOf(ValidationError)
    const moved = {
      ...ABSENT,
      firstDayOfAbsence: undefined,
      absenceDeclared: false,
      noLongerLivesWithinReasonableDistance: { confirmedOn: '2026-11-24' },
    }
    // Ground G from 24 November: not on the 23rd, so a deletion dated then is refused.
    await expect(
      rt.services.leaving.recordDeletion(school, pupilId, {
        ...DELETE_UNDER_I,
        given: moved,
        ground: 'G',
        deletedOn: '2026-11-23',
      }),
    ).rejects.toBeInstanceOf(ValidationError)
    // Deleted in the MIS yesterday, recorded today: allowed, and the return is late.
    const { returnId } = await rt.services.leaving.recordDeletion(school, pupilId, {
      ...DELETE_UNDER_I,
      given: moved,
      ground: 'G',
      deletedOn: '2026-11-24',
    })
    const ret = await rt.services.returns.schoolReturn(school, returnId!)
    expect(ret.timeliness).toBe('late')
  })

  it('records a parent’s notice of home education, tells the EHE officer without the name, and starts the CME referral', async () => {
    const school = await callerFor(rt, LARKSPUR)
    const pupilId = await addPupil(rt, 'larkspur', { first_name: 'Hester', last_name: 'Homewood' })
    const { referralId } = await rt.services.leaving.recordEheNotice(school, pupilId, {
      receivedOn: '2026-11-23',
      educatedFrom: '2026-11-30',
    })
    expect(referralId).toBeTruthy()
    const draft = await rt.db
      .selectFrom('referrals')
      .select('status')
      .where('id', '=', referralId!)
      .executeTakeFirstOrThrow()
    expect(draft.status).toBe('draft')
    const mail = await rt.db
      .selectFrom('outbox')
      .selectAll()
      .where('to_address', '=', 'ehe.officer@demo.onroll.invalid')
      .execute()
    expect(mail.length).toBe(1)
    expect(`${mail[0]!.subject} ${mail[0]!.body}`).not.toMatch(/Hester|Homewood/)
    const feed = await rt.services.returns.feed(await callerFor(rt, 'ehe.officer@demo.onroll.invalid'), {
      kind: 'ehe-notice',
    })
    expect(feed.returns.some(r => r.pupilName === 'Hester Homewood')).toBe(true)
    // Not before the date the parent gave has passed, and not before the EWS Operational Manager verifies it.
    const view = await rt.services.leaving.eheView(school, pupilId)
    expect(view.groundF?.applies).toBe(false)
    expect(view.groundF?.blockers.join(' ')).toMatch(/has not yet passed/)
    expect(view.groundF?.blockers.join(' ')).toMatch(/EWS Operational Manager/)
  })

  it('pre-fills the EHE referral from the roll, the school and the notice, once, auditing it in the notice’s transaction', async () => {
    const school = await callerFor(rt, LARKSPUR)
    const pupilId = await addPupil(rt, 'larkspur', {
      first_name: 'Edith',
      last_name: 'Hearthside',
      upn: 'B801200005001',
    })
    const watched = watchDb(rt.db)
    const services = createServices({ db: watched.db, clock: rt.clock, config: rt.config })
    const notice = { receivedOn: '2026-11-23', educatedFrom: '2026-11-30' }
    const referralsOfSchool = async () =>
      (
        await rt.db
          .selectFrom('referrals')
          .select('id')
          .where('referrer_org_id', '=', school.actor.organisationId)
          .execute()
      ).length
    // When the audit is refused, neither the notice nor the referral it starts is kept.
    const referralsBefore = await referralsOfSchool()
    watched.refuseAudit = true
    await expect(services.leaving.recordEheNotice(school, pupilId, notice)).rejects.toBeInstanceOf(AuditRefused)
    watched.reset()
    expect(await referralsOfSchool()).toBe(referralsBefore)
    expect(await rt.db.selectFrom('ehe_notices').select('id').where('pupil_id', '=', pupilId).execute()).toEqual([])
    // The pupil and any earlier notice are read in that same transaction, and it is the only one.
    const { referralId } = await services.leaving.recordEheNotice(school, pupilId, notice)
    expect(watched.childTablesOutside()).toEqual([])
    expect(watched.transactions).toBe(1)
    const row = await rt.db
      .selectFrom('referrals')
      .select(['draft', 'status', 'referrer_org_id'])
      .where('id', '=', referralId!)
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('draft')
    expect(row.referrer_org_id).toBe(school.actor.organisationId)
    const draft = JSON.parse(row.draft) as {
      sections: Record<string, unknown>
      typed: Record<string, Record<string, string>>
      invalid: string[]
    }
    expect(draft.sections.child).toMatchObject({
      firstName: 'Edith',
      lastName: 'Hearthside',
      dateOfBirth: '2016-04-02',
      upn: 'B801200005001',
    })
    expect(draft.sections.additional).toMatchObject({ answer: 'yes' })
    expect(JSON.stringify(draft.sections.additional)).toContain('educated at home from 30 November 2026')
    // The school's own answers wait on their pages, as typed.
    expect(draft.typed.school?.['school.lastSchool.name']).toBe('Larkspur Primary School (demo)')
    expect(draft.typed.address?.['address.current.line1']).toBe('1 Heron Way')
    expect(draft.typed.referrer?.['referrer.organisation']).toBe(school.actor.organisationName)
    expect(draft.invalid).toEqual(expect.arrayContaining(['school', 'address', 'destination', 'referrer']))
    const audit = await rt.db
      .selectFrom('audit_events')
      .select(['action', 'detail'])
      .where('action', '=', 'referral.start')
      .execute()
    expect(audit.some(a => (a.detail ?? '').includes(referralId!))).toBe(true)
    // A corrected notice keeps the same referral.
    const again = await rt.services.leaving.recordEheNotice(school, pupilId, {
      receivedOn: '2026-11-23',
      educatedFrom: '2026-12-01',
    })
    expect(again.referralId).toBe(referralId)
  })
})

describe.each(ENGINES)('Ground F and a school attendance order on %s', engine => {
  let rt: TestRuntime
  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadDemoData(rt.db, rt.clock, '317')
  }, 60_000)
  afterAll(async () => rt.close())

  it('refuses a Ground F deletion while an order names the school, and asks for LA consent for an LA-placed pupil', async () => {
    const deps = { db: rt.db, clock: rt.clock, config: rt.config }
    const services = createServices(deps)
    const base = {
      calendars: createCalendarService(deps),
      policy: createPolicyService(deps),
      mail: services.mail,
    }
    const withOrder = createLeavingService(deps, { ...base, saoNamesSchool: () => Promise.resolve(true) })
    const school = await callerFor(rt, LARKSPUR)
    const pupilId = await addPupil(rt, 'larkspur', { first_name: 'Saul', last_name: 'Orderly' })
    await withOrder.recordEheNotice(school, pupilId, {
      receivedOn: '2026-11-10',
      educatedFrom: '2026-11-16',
      verifiedOn: '2026-11-17',
    })
    const given = { ...ABSENT, firstDayOfAbsence: undefined, absenceDeclared: false }
    const blocked = await withOrder.check(school, pupilId, given)
    expect(blocked.held.saoNamingSchoolInForce).toBe(true)
    expect(blocked.grounds.find(g => g.ground === 'F')?.blockers.join(' ')).toContain('school attendance order')
    await expect(
      withOrder.recordDeletion(school, pupilId, { ...DELETE_UNDER_I, given, ground: 'F' }),
    ).rejects.toBeInstanceOf(ValidationError)
    // Without an order, Ground F applies once the date has passed and the notice is verified.
    expect((await rt.services.leaving.check(school, pupilId, given)).check.applicableGrounds).toContain('F')

    const placed = await addPupil(rt, 'larkspur', { first_name: 'Lara', last_name: 'Placed', la_placed_special: 1 })
    await rt.services.leaving.recordEheNotice(school, placed, {
      receivedOn: '2026-11-10',
      educatedFrom: '2026-11-16',
      verifiedOn: '2026-11-17',
    })
    const noConsent = await rt.services.leaving.check(school, placed, given)
    expect(noConsent.grounds.find(g => g.ground === 'F')?.blockers.join(' ')).toContain('LA must consent')
    await rt.services.leaving.recordEheNotice(school, placed, {
      receivedOn: '2026-11-10',
      educatedFrom: '2026-11-16',
      verifiedOn: '2026-11-17',
      laConsentOn: '2026-11-18',
    })
    expect((await rt.services.leaving.check(school, placed, given)).check.applicableGrounds).toContain('F')
  })
})

describe.each(ENGINES)('admissions on %s', engine => {
  let rt: TestRuntime
  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadDemoData(rt.db, rt.clock, '317')
  }, 60_000)
  afterAll(async () => rt.close())

  const admission = {
    firstName: 'Nico',
    lastName: 'Wanderley',
    dateOfBirth: '2013-05-06',
    gender: 'M',
    ncYear: '8',
    admissionDate: '2026-11-16',
    addressLine1: '3 Mill Lane',
    postcode: 'IG9 2BD',
    parentName: 'Ana Wanderley',
    parentPhone: '07700 900999',
  }

  it('makes the new pupil return, due by the end of the 5th day, and raises a possibly-located alert on a matching open case', async () => {
    const caseId = await addOpenCase(rt, {
      firstName: 'Nico',
      lastName: 'Wanderley',
      dateOfBirth: '2013-05-06',
      upn: null,
    })
    const school = await callerFor(rt, KINGFISHER)
    const { pupilId, returnId } = await rt.services.admissions.admit(school, admission)
    const ret = await rt.db
      .selectFrom('school_returns')
      .selectAll()
      .where('id', '=', returnId!)
      .executeTakeFirstOrThrow()
    expect([ret.kind, ret.event_on, ret.due_on, ret.made_on]).toEqual([
      'new-pupil',
      '2026-11-16',
      '2026-11-21',
      '2026-11-25',
    ])
    const alerts = await rt.db.selectFrom('possibly_located_alerts').selectAll().where('case_id', '=', caseId).execute()
    expect(alerts.map(a => [a.pupil_id, a.status])).toEqual([[pupilId, 'open']])
    const events = await rt.db.selectFrom('case_events').select('kind').where('case_id', '=', caseId).execute()
    expect(events.map(e => e.kind)).toContain('possibly-located')

    const officer = await callerFor(rt, OFFICER)
    const feed = await rt.services.returns.feed(officer, { kind: 'new-pupil' })
    const row = feed.returns.find(r => r.id === returnId)
    expect(row).toMatchObject({ timeliness: 'late', possiblyLocated: true })
    // Every pupil named in the feed is an audited look at their record.
    const feedEvents = await rt.db
      .selectFrom('audit_events')
      .select('detail')
      .where('action', '=', 'returns.feed.view')
      .orderBy('seq', 'desc')
      .limit(feed.returns.length + 1)
      .execute()
    expect(feedEvents.some(e => e.detail?.includes(String(returnId)) && e.detail.includes(pupilId))).toBe(true)
    const links = await rt.services.jointEnquiries.view(officer, caseId)
    expect(links.alerts[0]?.schoolName).toContain('Kingfisher')
    await rt.services.jointEnquiries.resolveAlert(officer, caseId, links.alerts[0]!.id, 'confirmed')
    expect((await rt.services.jointEnquiries.view(officer, caseId)).alerts[0]?.status).toBe('confirmed')
    const read = await rt.db.selectFrom('audit_events').select('action').where('action', '=', 'return.view').execute()
    expect(read.length).toBe(0)
    await rt.services.returns.laReturn(officer, returnId!)
    expect(
      (await rt.db.selectFrom('audit_events').select('action').where('action', '=', 'return.view').execute()).length,
    ).toBe(1)
  })

  it('refuses bad input with every problem, and schools cannot read the LA feed', async () => {
    const school = await callerFor(rt, KINGFISHER)
    const err = await rt.services.admissions
      .admit(school, { ...admission, upn: 'A123', ncYear: '99', admissionDate: '2026-12-01' })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ValidationError)
    expect((err as ValidationError).problems.map(p => p.field)).toEqual(['upn', 'ncYear', 'admissionDate'])
    await expect(rt.services.returns.feed(school, {})).rejects.toBeInstanceOf(ForbiddenError)
    await expect(rt.services.admissions.admit(await callerFor(rt, OFFICER), admission)).rejects.toBeInstanceOf(
      ForbiddenError,
    )
  })
})

describe.each(ENGINES)('a standard transition on %s', engine => {
  it('needs no deletion return for a pupil in the most senior class leaving at the end of the school year', async () => {
    const rt = await openTestRuntime(engine, { clock: fixedClock('2027-08-02T10:00:00Z') })
    try {
      await loadDemoData(rt.db, rt.clock, '317')
      const school = await callerFor(rt, LARKSPUR)
      const given = {
        ...ABSENT,
        firstDayOfAbsence: undefined,
        absenceDeclared: false,
        registeredAtAnotherSchool: { confirmedOn: '2027-07-30' },
        newProvisionConfirmed: true,
      }
      const input = {
        ...DELETE_UNDER_I,
        given,
        ground: 'A',
        deletedOn: '2027-08-02',
        returnInput: {
          ...RETURN_INPUT,
          newSchoolName: 'Beechwood High School (demo)',
          newSchoolStartsOn: '2027-09-02',
        },
      }
      const leaver = await addPupil(rt, 'larkspur', { nc_year: '6' })
      expect(await rt.services.leaving.recordDeletion(school, leaver, { ...input, inMostSeniorClass: true })).toEqual({
        returnId: null,
      })
      const deletion = await rt.db
        .selectFrom('pupil_deletions')
        .select('return_exempt')
        .where('pupil_id', '=', leaver)
        .executeTakeFirstOrThrow()
      expect(deletion.return_exempt).toBe(1)
      // Not in the most senior class: the return is due.
      const other = await addPupil(rt, 'larkspur', { nc_year: '4' })
      expect((await rt.services.leaving.recordDeletion(school, other, input)).returnId).toBeTruthy()
    } finally {
      await rt.close()
    }
  })
})
