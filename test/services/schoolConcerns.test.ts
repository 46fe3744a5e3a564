import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoId, loadDemoData } from '../../src/demo/demoData.js'
import { loadDemoRolls } from '../../src/demo/demoRolls.js'
import { validateReferral } from '../../src/domain/referral.js'
import { ForbiddenError, ValidationError } from '../../src/services/errors.js'
import { callerFor } from '../support/callers.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'

const LARKSPUR = 'attendance@larkspur.demo.onroll.invalid'
const KINGFISHER = 'attendance@kingfisher.demo.onroll.invalid'

describe.each(ENGINES)('pupils of concern and the roll, in the services, on %s', engine => {
  let rt: TestRuntime
  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadDemoData(rt.db, rt.clock, '317')
    await loadDemoRolls(rt.db, rt.clock, '317')
  })
  afterAll(async () => {
    await rt.close()
  })

  const auditCount = async (action: string) =>
    (await rt.db.selectFrom('audit_events').select('seq').where('action', '=', action).execute()).length

  it('records a concern only about a pupil of the caller’s own school, and audits it', async () => {
    const larkspur = await callerFor(rt, LARKSPUR)
    const kingfisher = await callerFor(rt, KINGFISHER)
    const pupil = demoId('pupil:larkspur:33')
    await expect(
      rt.services.concerns.record(kingfisher, pupil, {
        circumstance: 'stopped-attending',
        lastAttendedOn: '2026-11-16',
      }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    const la = await callerFor(rt, 'cme.officer@demo.onroll.invalid')
    await expect(rt.services.concerns.dashboard(la)).rejects.toBeInstanceOf(ForbiddenError)
    await expect(rt.services.roll.list(la)).rejects.toBeInstanceOf(ForbiddenError)

    const before = await auditCount('concern.record')
    const id = await rt.services.concerns
      .record(larkspur, pupil, { circumstance: 'stopped-attending', lastAttendedOn: '2026-11-16' }, ['social-worker'])
      .catch((e: unknown) => (e instanceof ValidationError ? e.problems : e))
    expect(id).toEqual([{ field: 'socialWorker', message: 'Enter the name of the allocated social worker' }])
    const made = await rt.services.concerns.record(
      larkspur,
      pupil,
      { circumstance: 'stopped-attending', lastAttendedOn: '2026-11-16', socialWorker: 'Ellis Grant' },
      ['social-worker', 'cp-plan'],
    )
    expect(await auditCount('concern.record')).toBe(before + 1)
    await expect(rt.services.concerns.get(kingfisher, made)).rejects.toBeInstanceOf(ForbiddenError)
    const c = await rt.services.concerns.get(larkspur, made)
    expect(c.steps[0]?.key).toBe('social-worker')
    expect(c.summary.progress.tag.text).toBe('Contact social worker')
    await expect(
      rt.services.concerns.record(larkspur, pupil, { circumstance: 'stopped-attending', lastAttendedOn: '2026-11-16' }),
    ).rejects.toBeInstanceOf(ValidationError)
  })

  it('asks for the plan agreed with the social worker, and sends a risk of harm to the MARF', async () => {
    const larkspur = await callerFor(rt, LARKSPUR)
    const id = await rt.services.concerns.record(larkspur, demoId('pupil:larkspur:35'), {
      circumstance: 'not-returned-after-leave',
      lastAttendedOn: '2026-11-02',
    })
    const problems = await rt.services.concerns
      .logContact(larkspur, id, {
        kind: 'social-worker',
        contactedOn: '2026-11-20',
        madeBy: 'D',
        result: 'no-answer',
        riskOfHarm: 'no',
      })
      .catch((e: unknown) => (e as ValidationError).problems)
    expect(problems).toEqual([
      { field: 'agreedPlan', message: 'Enter the plan agreed with the social worker: who does what' },
    ])
    const future = await rt.services.concerns
      .logContact(larkspur, id, {
        kind: 'phone',
        contactedOn: '2026-12-20',
        madeBy: 'D',
        result: 'no-answer',
        riskOfHarm: 'no',
      })
      .catch((e: unknown) => (e as ValidationError).problems)
    expect(future).toEqual([{ field: 'contactedOn', message: 'Date of the contact must be today or in the past' }])
    const { riskOfHarm } = await rt.services.concerns.logContact(larkspur, id, {
      kind: 'home-visit',
      visitBy: 'school',
      contactedOn: '2026-11-20',
      madeBy: 'D',
      result: 'information',
      riskOfHarm: 'yes',
    })
    expect(riskOfHarm).toBe(true)
    expect((await rt.services.concerns.get(larkspur, id)).summary.progress.tag.text).toBe('Risk of harm')
    await rt.services.concerns.recordMarf(larkspur, id, { madeOn: '2026-11-20', reference: 'MARF-1' })
    const after = await rt.services.concerns.get(larkspur, id)
    expect(after.summary.progress.tag.text).toBe('Enquiries under way')
    expect(after.steps.find(s => s.key === 'letter')?.state).toBe('not-applicable')
  })

  it('counts the referral deadline on the academy’s own calendar and pre-fills the referral from the enquiries', async () => {
    const kingfisher = await callerFor(rt, KINGFISHER)
    const pupil = demoId('pupil:kingfisher:20')
    const id = await rt.services.concerns.record(kingfisher, pupil, {
      circumstance: 'stopped-attending',
      lastAttendedOn: '2026-11-06',
    })
    const c = await rt.services.concerns.get(kingfisher, id)
    for (const phone of c.facts.phones)
      await rt.services.concerns.logContact(kingfisher, id, {
        kind: 'phone',
        target: phone,
        contactedOn: '2026-11-09',
        madeBy: 'Kim Walsh',
        result: 'no-answer',
        riskOfHarm: 'no',
      })
    for (const address of c.facts.addresses)
      await rt.services.concerns.logContact(kingfisher, id, {
        kind: 'letter',
        target: address,
        contactedOn: '2026-11-10',
        madeBy: 'Kim Walsh',
        result: 'no-answer',
        riskOfHarm: 'no',
      })
    await rt.services.concerns.logContact(kingfisher, id, {
      kind: 'home-visit',
      visitBy: 'ews-provider',
      contactedOn: '2026-11-12',
      madeBy: 'Acme EWS',
      result: 'not-at-address',
      learntSchool: 'St Elsewhere',
      learntTravel: 'Said to be going to Portugal',
      riskOfHarm: 'no',
    })
    await expect(
      rt.services.concerns.recordOutcome(kingfisher, id, { outcome: 'whereabouts-unknown', failedOn: '2026-11-13' }),
    ).rejects.toBeInstanceOf(ValidationError)
    expect(await rt.services.concerns.startReferral(kingfisher, id)).toBeNull()
    await rt.services.concerns.recordEwo(kingfisher, id, {
      consultedOn: '2026-11-13',
      ewoName: 'Casey Brooks',
      advice: 'Refer',
    })
    await rt.services.concerns.recordOutcome(kingfisher, id, { outcome: 'whereabouts-unknown', failedOn: '2026-11-13' })

    const days = await rt.services.calendars.schoolDaysForSchool('317', { id: demoId('org:kingfisher') })
    const expected = days.add('2026-11-13', 10)
    const row = await rt.db.selectFrom('pupil_concerns').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(expected.ok && row.referral_due_on).toBe(expected.ok ? expected.value : null)
    expect(row.referral_policy_version).not.toBeNull()

    const referralId = await rt.services.concerns.startReferral(kingfisher, id)
    expect(referralId).toBeTruthy()
    expect(await rt.services.concerns.startReferral(kingfisher, id)).toBe(referralId)
    const { draft } = await rt.services.referrals.get(kingfisher, referralId!)
    expect(draft.sections.child?.upn).toBeTruthy()
    expect(draft.sections.school?.lastSchool).toMatchObject({
      answer: 'known',
      urn: '990002',
      lastAttendance: { answer: 'date', date: '2026-11-06' },
    })
    expect(draft.sections.actions?.answer === 'yes' && draft.sections.actions.list.length).toBe(
      c.facts.phones.length + c.facts.addresses.length + 2,
    )
    expect(draft.sections.destination?.school).toEqual({ answer: 'known', name: 'St Elsewhere' })
    expect(draft.sections.additional).toMatchObject({ answer: 'yes' })
    expect(draft.invalid).toContain('safeguarding')
    // The school finishes what only it can answer; everything pre-filled passes the referral's own rules.
    const whole = validateReferral(draft.sections, { today: rt.clock.today() })
    expect(whole.success).toBe(false)

    const board = await rt.services.concerns.dashboard(kingfisher)
    const mine = board.open.find(s => s.id === id)!
    expect(mine.progress).toMatchObject({ tag: { text: 'Referral not sent' }, dueOn: row.referral_due_on })
  })

  it('lets only one of two simultaneous outcomes or referrals through', async () => {
    const larkspur = await callerFor(rt, LARKSPUR)
    const id = await rt.services.concerns.record(larkspur, demoId('pupil:larkspur:36'), {
      circumstance: 'moving-abroad',
      lastAttendedOn: '2026-11-10',
    })
    await rt.services.concerns.recordEwo(larkspur, id, { consultedOn: '2026-11-20', ewoName: 'C', advice: 'Refer' })
    const both = await Promise.allSettled([
      rt.services.concerns.recordOutcome(larkspur, id, { outcome: 'left-uk', failedOn: '2026-11-20' }),
      rt.services.concerns.recordOutcome(larkspur, id, { outcome: 'left-uk', failedOn: '2026-11-20' }),
    ])
    expect(both.filter(r => r.status === 'fulfilled')).toHaveLength(1)
    const [a, b] = await Promise.all([
      rt.services.concerns.startReferral(larkspur, id),
      rt.services.concerns.startReferral(larkspur, id),
    ])
    expect(a).toBeTruthy()
    expect(b).toBe(a)
    const drafts = await rt.db
      .selectFrom('audit_events')
      .select('detail')
      .where('action', '=', 'referral.start')
      .execute()
    expect(drafts.filter(d => d.detail?.includes(id))).toHaveLength(1)
  })

  it('imports a roll for the caller’s school: nothing when a row is bad, updates by UPN when re-imported', async () => {
    const larkspur = await callerFor(rt, LARKSPUR)
    const existing = await rt.db
      .selectFrom('pupils')
      .selectAll()
      .where('id', '=', demoId('pupil:larkspur:40'))
      .executeTakeFirstOrThrow()
    const header = 'upn,legal_first_name,legal_last_name,date_of_birth,gender,admission_date,postcode'
    const bad = `${header}\n${existing.upn},Renamed,${existing.last_name},${existing.date_of_birth},F,2022-09-05,IG1 1NN\nX,,,,,,`
    const refused = await rt.services.roll.importCsv(larkspur, bad)
    expect(refused.ok).toBe(false)
    expect(
      (await rt.db.selectFrom('pupils').select('first_name').where('id', '=', existing.id).executeTakeFirstOrThrow())
        .first_name,
    ).toBe(existing.first_name)
    const good =
      `${header}\n${existing.upn},Renamed,${existing.last_name},${existing.date_of_birth},F,2022-09-05,IG1 1NN\nK317200199001,New,Pupil,2017-01-01,M,2026-09-03,`.replace(
        'K317200199001',
        (await import('../../src/domain/upn.js')).upnCheckLetter('317200199001') + '317200199001',
      )
    const result = await rt.services.roll.importCsv(larkspur, good)
    expect(result).toEqual({ ok: true, added: 1, updated: 1 })
    const after = await rt.db.selectFrom('pupils').selectAll().where('id', '=', existing.id).executeTakeFirstOrThrow()
    expect(after.first_name).toBe('Renamed')
    expect(after.version).toBe(existing.version + 1)
    const found = await rt.services.roll.list(larkspur, 'renamed')
    expect(found.pupils.map(p => p.id)).toEqual([existing.id])
    expect(await auditCount('roll.import')).toBeGreaterThanOrEqual(1)
  })
})
