/**
 * "Every read and write of a child's record is authorised in the service layer and audited in the same
 * transaction": for each service call of the school's leaving and returns journeys, the CME team's
 * side of them and the pupil page, no query on a child's record runs outside the call's transaction,
 * the call opens one transaction, and it writes the audit events it always wrote. A refused audit
 * undoes the work it was to record, and nothing is returned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemoData } from '../../src/demo/demoData.js'
import type { Caller } from '../../src/services/deps.js'
import { createServices, type Services } from '../../src/services/index.js'
import { callerFor } from '../support/callers.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'
import { ABSENT, DELETE_UNDER_I, addOpenCase, addPupil } from '../support/pupils.js'
import { AuditRefused, watchDb, type WatchedDb } from '../support/watchedDb.js'

const LARKSPUR = 'attendance@larkspur.demo.onroll.invalid'
const KINGFISHER = 'attendance@kingfisher.demo.onroll.invalid'
const OFFICER = 'cme.officer@demo.onroll.invalid'

describe.each(ENGINES)('a child’s record is read in the transaction that audits it, on %s', engine => {
  let rt: TestRuntime
  let watched: WatchedDb
  let services: Services
  let school: Caller
  let officer: Caller

  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadDemoData(rt.db, rt.clock, '317')
    watched = watchDb(rt.db)
    services = createServices({ db: watched.db, clock: rt.clock, config: rt.config })
    school = await callerFor(rt, LARKSPUR)
    officer = await callerFor(rt, OFFICER)
  }, 60_000)
  afterAll(async () => rt.close())

  const lastSeq = async () =>
    (await rt.db.selectFrom('audit_head').select('seq').where('id', '=', 1).executeTakeFirstOrThrow()).seq

  /** Runs one service call and checks how it used the database; returns its result and the audit actions it wrote. */
  async function oneTransaction<T>(call: () => Promise<T>): Promise<{ value: T; actions: string[] }> {
    const before = await lastSeq()
    watched.reset()
    const value = await call()
    expect(watched.childTablesOutside(), 'child records read outside the transaction').toEqual([])
    expect(watched.transactions, 'transactions opened').toBe(1)
    const events = await rt.db
      .selectFrom('audit_events')
      .select('action')
      .where('seq', '>', before)
      .orderBy('seq')
      .execute()
    return { value, actions: events.map(e => e.action) }
  }

  it('notices a read outside a transaction (the watch itself works)', async () => {
    watched.reset()
    await watched.db.selectFrom('pupils as p').select('p.id').execute()
    await watched.db.transaction().execute(trx => trx.selectFrom('cases').select('id').execute())
    expect(watched.childTablesOutside()).toEqual(['pupils'])
    expect(watched.transactions).toBe(1)
  })

  it('the leaving journey: the page, the check, the check with its page, the deletion; the CTF; the returns', async () => {
    const pupilId = await addPupil(rt, 'larkspur', { first_name: 'Tove', last_name: 'Onetrans' })
    const caseId = await addOpenCase(rt, {
      firstName: 'Tove',
      lastName: 'Onetrans',
      dateOfBirth: '2016-04-02',
      upn: null,
    })

    // The CME team's side: the case is read in the transaction that records and audits the enquiries.
    const recorded = await oneTransaction(() =>
      services.jointEnquiries.recordEnquiries(officer, caseId, { recordedOn: '2026-11-23', details: 'No trace' }),
    )
    expect(recorded.actions).toEqual(['case.la-enquiries'])
    expect((await oneTransaction(() => services.jointEnquiries.view(officer, caseId))).actions).toEqual([
      'case.school-links.view',
    ])

    const view = await oneTransaction(() => services.leaving.view(school, pupilId))
    expect(view.actions).toEqual(['pupil.leaving.view'])
    expect(view.value.held.linkedCase?.laEnquiriesOn).toBe('2026-11-23')

    const check = await oneTransaction(() => services.leaving.check(school, pupilId, ABSENT))
    expect(check.actions).toEqual(['pupil.deletion-check'])
    expect(check.value.check.applicableGrounds).toEqual(['I'])

    // The page after "check": one read of the record, the same two events `check` then `view` wrote.
    const page = await oneTransaction(() => services.leaving.checkPage(school, pupilId, ABSENT))
    expect(page.actions).toEqual(['pupil.deletion-check', 'pupil.leaving.view'])
    expect(page.value.result.check.applicableGrounds).toEqual(['I'])
    expect(page.value.view.pupil.id).toBe(pupilId)

    const ehe = await oneTransaction(() => services.leaving.eheView(school, pupilId))
    expect(ehe.actions).toEqual(['pupil.ehe.view'])

    const deleted = await oneTransaction(() => services.leaving.recordDeletion(school, pupilId, DELETE_UNDER_I))
    expect(deleted.actions).toEqual(['pupil.delete'])
    const returnId = deleted.value.returnId
    expect(returnId).toBeTruthy()

    const made = await oneTransaction(() => services.ctf.generate(school, pupilId, { destination: 'unknown' }))
    expect(made.actions).toEqual(['pupil.ctf.generate'])
    const ctfPage = await oneTransaction(() => services.ctf.page(school, pupilId))
    expect(ctfPage.actions).toEqual(['pupil.ctf.view'])
    expect(ctfPage.value.dueOn).toBe(
      (
        await rt.db
          .selectFrom('ctf_files')
          .select('due_on')
          .where('id', '=', made.value.ctfId)
          .executeTakeFirstOrThrow()
      ).due_on,
    )
    expect((await oneTransaction(() => services.ctf.download(school, made.value.ctfId))).actions).toEqual([
      'pupil.ctf.download',
    ])
    expect((await oneTransaction(() => services.ctf.markUploaded(school, made.value.ctfId))).actions).toEqual([
      'pupil.ctf.uploaded',
    ])

    const overview = await oneTransaction(() => services.returns.schoolOverview(school))
    expect(overview.actions.every(a => a === 'school.returns.view')).toBe(true)
    expect(overview.value.ctfs.find(c => c.pupilId === pupilId)?.state).toBe('uploaded')
    expect((await oneTransaction(() => services.returns.schoolReturn(school, returnId!))).actions).toEqual([
      'return.view',
    ])
    expect((await oneTransaction(() => services.returns.laReturn(officer, returnId!))).actions).toEqual(['return.view'])
    const feed = await oneTransaction(() => services.returns.feed(officer, {}))
    expect(feed.actions.every(a => a === 'returns.feed.view')).toBe(true)
  })

  it('home education, admissions and the possibly-located alert, and the pupil page', async () => {
    const pupilId = await addPupil(rt, 'larkspur', { first_name: 'Hana', last_name: 'Hometrans' })
    const notice = await oneTransaction(() =>
      services.leaving.recordEheNotice(school, pupilId, { receivedOn: '2026-11-23', educatedFrom: '2026-11-30' }),
    )
    expect(notice.actions).toEqual(['referral.start', 'pupil.ehe.record'])

    const caseId = await addOpenCase(rt, {
      firstName: 'Nils',
      lastName: 'Admittrans',
      dateOfBirth: '2013-05-06',
      upn: null,
    })
    const admitted = await oneTransaction(async () =>
      services.admissions.admit(await callerFor(rt, KINGFISHER), {
        firstName: 'Nils',
        lastName: 'Admittrans',
        dateOfBirth: '2013-05-06',
        gender: 'M',
        ncYear: '8',
        admissionDate: '2026-11-16',
        addressLine1: '3 Mill Lane',
        postcode: 'IG9 2BD',
        parentName: 'Ana Admittrans',
        parentPhone: '07700 900999',
      }),
    )
    // One event naming the admission and one naming the case it may be.
    expect(admitted.actions).toEqual(['pupil.admit', 'pupil.admit'])
    const links = await oneTransaction(() => services.jointEnquiries.view(officer, caseId))
    expect(links.actions).toEqual(['case.school-links.view', 'case.school-links.view'])
    const alertId = links.value.alerts[0]!.id
    expect(
      (await oneTransaction(() => services.jointEnquiries.resolveAlert(officer, caseId, alertId, 'confirmed'))).actions,
    ).toEqual(['case.possibly-located.resolve'])

    // The pupil page: the pupil and their concerns in one transaction, as two reads used to be.
    const concernId = await services.concerns.record(school, pupilId, {
      circumstance: 'stopped-attending',
      lastAttendedOn: '2026-11-13',
    })
    const pupilPage = await oneTransaction(() => services.concerns.pupilPage(school, pupilId))
    expect(pupilPage.actions).toEqual(['pupil.view', 'concern.list'])
    expect(pupilPage.value.pupil.id).toBe(pupilId)
    expect(pupilPage.value.concerns.map(c => c.id)).toEqual([concernId])
  })

  it('undoes the work when its audit is refused, and returns nothing', async () => {
    const pupilId = await addPupil(rt, 'larkspur', { first_name: 'Rolf', last_name: 'Rollback' })
    const caseId = await addOpenCase(rt, {
      firstName: 'Rolf',
      lastName: 'Rollback',
      dateOfBirth: '2016-04-02',
      upn: null,
    })
    await services.jointEnquiries.recordEnquiries(officer, caseId, { recordedOn: '2026-11-23', details: 'No trace' })
    const refused = async (call: () => Promise<unknown>) => {
      const before = await lastSeq()
      watched.reset()
      watched.refuseAudit = true
      try {
        await expect(call()).rejects.toBeInstanceOf(AuditRefused)
      } finally {
        watched.refuseAudit = false
      }
      expect(await lastSeq()).toBe(before)
    }
    const pupil = () => rt.db.selectFrom('pupils').selectAll().where('id', '=', pupilId).executeTakeFirstOrThrow()

    await refused(() => services.leaving.checkPage(school, pupilId, ABSENT))
    await refused(() => services.leaving.recordDeletion(school, pupilId, DELETE_UNDER_I))
    expect((await pupil()).on_roll).toBe(1)
    expect(await rt.db.selectFrom('pupil_deletions').select('id').where('pupil_id', '=', pupilId).execute()).toEqual([])
    expect(await rt.db.selectFrom('school_returns').select('id').where('pupil_id', '=', pupilId).execute()).toEqual([])

    await services.leaving.recordDeletion(school, pupilId, DELETE_UNDER_I)
    await refused(() => services.ctf.generate(school, pupilId, { destination: 'unknown' }))
    expect(await rt.db.selectFrom('ctf_files').select('id').where('pupil_id', '=', pupilId).execute()).toEqual([])
    const { ctfId } = await services.ctf.generate(school, pupilId, { destination: 'unknown' })
    await refused(() => services.ctf.markUploaded(school, ctfId))
    const file = await rt.db
      .selectFrom('ctf_files')
      .select('uploaded_on')
      .where('id', '=', ctfId)
      .executeTakeFirstOrThrow()
    expect(file.uploaded_on).toBeNull()

    const other = await addPupil(rt, 'larkspur', { first_name: 'Edda', last_name: 'Rollback' })
    await refused(() =>
      services.leaving.recordEheNotice(school, other, { receivedOn: '2026-11-23', educatedFrom: '2026-11-30' }),
    )
    expect(await rt.db.selectFrom('ehe_notices').select('id').where('pupil_id', '=', other).execute()).toEqual([])
    expect(await rt.db.selectFrom('school_returns').select('id').where('pupil_id', '=', other).execute()).toEqual([])
  })
})
