import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemoData } from '../../src/demo/demoData.js'
import { demoId } from '../../src/demo/demoData.js'
import { exampleReferral } from '../../src/domain/referralExample.js'
import { ForbiddenError, ValidationError } from '../../src/services/errors.js'
import { callerFor } from '../support/callers.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'
import { pdfPlainText } from '../support/pdfText.js'
import { movableClock } from '../support/clock.js'

const OFFICER = 'cme.officer@demo.onroll.invalid'
const problemsOf = async (p: Promise<unknown>) => {
  try {
    await p
  } catch (err) {
    if (err instanceof ValidationError) return err.problems
    throw err
  }
  throw new Error('expected a ValidationError')
}

describe.each(ENGINES)('the school attendance order process on %s', engine => {
  let rt: TestRuntime
  const clock = movableClock('2026-10-01T10:00:00Z')
  let caseId: string
  const larkspur = demoId('org:larkspur')

  beforeAll(async () => {
    rt = await openTestRuntime(engine, { clock })
    await loadDemoData(rt.db, rt.clock, '317')
    const school = await callerFor(rt, 'attendance@larkspur.demo.onroll.invalid')
    const { reference } = await rt.services.referrals.submitFromApi(
      school,
      exampleReferral(clock.today(), { siblings: { answer: 'no' } }),
      undefined,
    )
    caseId = (await rt.db.selectFrom('cases').select('id').where('reference', '=', reference).executeTakeFirstOrThrow())
      .id
  })
  afterAll(async () => {
    await rt.close()
  })

  const steps = async (processId: string) =>
    rt.db.selectFrom('sao_steps').selectAll().where('process_id', '=', processId).orderBy('seq').execute()
  const processRow = async (processId: string) =>
    rt.db.selectFrom('sao_processes').selectAll().where('id', '=', processId).executeTakeFirstOrThrow()
  const letterText = async (stepId: string) => {
    const l = await rt.db
      .selectFrom('case_letters')
      .select(['content_base64', 'file_name'])
      .where('sao_step_id', '=', stepId)
      .executeTakeFirstOrThrow()
    return { name: l.file_name, text: pdfPlainText(Buffer.from(l.content_base64, 'base64')) }
  }

  it('refuses people outside the CME team and managers', async () => {
    const school = await callerFor(rt, 'attendance@larkspur.demo.onroll.invalid')
    await expect(rt.services.sao.start(school, caseId, {})).rejects.toBeInstanceOf(ForbiddenError)
    const admin = await callerFor(rt, 'admin@demo.onroll.invalid')
    await expect(rt.services.sao.casePanel(admin, caseId)).rejects.toBeInstanceOf(ForbiddenError)
  })

  it('says what is missing when starting', async () => {
    const officer = await callerFor(rt, OFFICER)
    const problems = await problemsOf(rt.services.sao.start(officer, caseId, { startedOn: '2026-10-02' }))
    expect(problems.map(p => p.field)).toEqual(['reason', 'stage', 'startedOn'])
  })

  it('runs from the s437 notice to the order with the statutory periods in calendar days, and starts again when the child is still not on roll', async () => {
    const officer = await callerFor(rt, OFFICER)
    clock.set('2026-10-20T10:00:00Z')
    // A notice may not give fewer days than the statute.
    const short = await problemsOf(
      rt.services.sao.start(officer, caseId, {
        reason: 'fails-to-engage',
        stage: 's437-notice',
        startedOn: '2026-10-20',
        specifiedDays: '10',
      }),
    )
    expect(short[0]?.message).toMatch(/at least 15 days/)
    const id = await rt.services.sao.start(officer, caseId, {
      reason: 'fails-to-engage',
      stage: 's437-notice',
      startedOn: '2026-10-20',
    })
    // 15 days beginning with Tuesday 20 October run through the October half term to Tuesday 3 November.
    let s = await steps(id)
    expect(s[0]).toMatchObject({ stage_key: 's437-notice', started_on: '2026-10-20', deadline: '2026-11-03' })
    const task = await rt.db.selectFrom('tasks').selectAll().where('id', '=', s[0]!.task_id!).executeTakeFirstOrThrow()
    expect(task.due_on).toBe('2026-11-04')
    const notice = await letterText(s[0]!.id)
    expect(notice.name).toMatch(/^CME-.*-s437-notice-1\.pdf$/)
    expect(notice.text).toContain('Notice requiring you to satisfy the local authority')
    expect(notice.text).toContain('Amara')
    expect(notice.text).toContain(
      'within 15 days beginning with the day on which this notice is served, that is by 3 November 2026',
    )
    expect(notice.text).toContain('Date of service: 20 October 2026')

    // A second process cannot start while this one is open.
    expect(
      (
        await problemsOf(
          rt.services.sao.start(officer, caseId, {
            reason: 'refuses-place',
            stage: 's437-notice',
            startedOn: '2026-10-20',
          }),
        )
      )[0]?.message,
    ).toMatch(/already has an open/)

    // "The period ended" cannot be recorded before it has.
    clock.set('2026-11-04T10:00:00Z')
    expect(
      (
        await problemsOf(
          rt.services.sao.recordOutcome(officer, id, { outcome: 'period-ended', outcomeOn: '2026-11-03' }),
        )
      )[0]?.message,
    ).toMatch(/does not end until 3 November 2026/)
    // Only the stage's outcomes are accepted; the next stage cannot be skipped to.
    expect(
      (await problemsOf(rt.services.sao.recordOutcome(officer, id, { outcome: 'served', outcomeOn: '2026-11-04' })))[0]
        ?.field,
    ).toBe('outcome')
    await rt.services.sao.recordOutcome(officer, id, { outcome: 'period-ended', outcomeOn: '2026-11-04' })
    expect(
      (await rt.db.selectFrom('tasks').select('done_on').where('id', '=', task.id).executeTakeFirstOrThrow()).done_on,
    ).toBe('2026-11-04')
    await rt.services.sao.startNext(officer, id, { startedOn: '2026-11-04' })
    await rt.services.sao.recordOutcome(officer, id, { outcome: 'not-satisfied-expedient', outcomeOn: '2026-11-04' })

    // The notice of intention names a school, and may not be served inside the s437 period.
    expect((await problemsOf(rt.services.sao.startNext(officer, id, { startedOn: '2026-11-04' })))[0]?.field).toBe(
      'school',
    )
    clock.set('2026-11-05T10:00:00Z')
    // The 15 days to choose a school are fixed by s438: a number typed for them is not used.
    await rt.services.sao.startNext(officer, id, { startedOn: '2026-11-05', school: larkspur, specifiedDays: '30' })
    s = await steps(id)
    expect(s[2]).toMatchObject({
      stage_key: 's438-notice-of-intention',
      deadline: '2026-11-19',
      named_school_id: larkspur,
    })
    expect((await processRow(id)).named_school_id).toBe(larkspur)
    const intention = await letterText(s[2]!.id)
    expect(intention.text).toContain('register your child at Larkspur')
    expect(intention.text).toContain('that is by 19 November 2026')

    clock.set('2026-11-20T10:00:00Z')
    expect(
      (
        await problemsOf(
          rt.services.sao.recordOutcome(officer, id, { outcome: 'parent-chose-school', outcomeOn: '2026-11-20' }),
        )
      )[0]?.message,
    ).toMatch(/period to choose a school ended on 19 November 2026/)
    clock.set('2026-11-19T10:00:00Z')
    await rt.services.sao.recordOutcome(officer, id, { outcome: 'no-choice', outcomeOn: '2026-11-19' })
    // The order waits for the 15 days to choose a school to run out.
    const early = await problemsOf(rt.services.sao.startNext(officer, id, { startedOn: '2026-11-19' }))
    expect(early[0]?.message).toMatch(/the earliest date is 20 November 2026/)
    clock.set('2026-11-20T10:00:00Z')
    await rt.services.sao.startNext(officer, id, { startedOn: '2026-11-20' })
    s = await steps(id)
    const order = await letterText(s[3]!.id)
    expect(order.text).toContain('School attendance order')
    expect(order.text).toContain('to become a registered pupil at Larkspur')
    await rt.services.sao.recordOutcome(officer, id, { outcome: 'served', outcomeOn: '2026-11-20' })
    await rt.services.sao.startNext(officer, id, { startedOn: '2026-11-20' })
    s = await steps(id)
    // Monitoring is checked 10 school days on, counted on the demo calendar.
    const monitorTask = await rt.db
      .selectFrom('tasks')
      .selectAll()
      .where('id', '=', s[4]!.task_id!)
      .executeTakeFirstOrThrow()
    expect(monitorTask.due_on).toBe('2026-12-04')

    // Still not on roll: the stages start again at the s437 notice, in a second round.
    clock.set('2026-12-07T10:00:00Z')
    await rt.services.sao.recordOutcome(officer, id, { outcome: 'not-on-roll', outcomeOn: '2026-12-07' })
    const view = await rt.services.sao.process(officer, id)
    expect(view.next).toMatchObject({ kind: 'start', restart: true, stage: { key: 's437-notice' } })
    await rt.services.sao.startNext(officer, id, { startedOn: '2026-12-07', specifiedDays: '20' })
    s = await steps(id)
    expect(s[5]).toMatchObject({ stage_key: 's437-notice', round: 2, specified_days: 20, deadline: '2026-12-26' })
    expect((await processRow(id)).round).toBe(2)
    expect((await letterText(s[5]!.id)).text).toContain('within 20 days')

    // Ending early closes its open task and says why on the timeline.
    await rt.services.sao.end(officer, id, { reason: 'Family moved out of the area' })
    const ended = await processRow(id)
    expect(ended).toMatchObject({ status: 'ended', ended_on: '2026-12-07', end_reason: 'Family moved out of the area' })
    expect(
      (await rt.db.selectFrom('tasks').select('done_on').where('id', '=', s[5]!.task_id!).executeTakeFirstOrThrow())
        .done_on,
    ).toBe('2026-12-07')
    await expect(rt.services.sao.end(officer, id, { reason: 'again' })).rejects.toBeInstanceOf(ValidationError)

    const events = await rt.db.selectFrom('case_events').select('kind').where('case_id', '=', caseId).execute()
    expect(events.filter(e => e.kind === 'sao.stage')).toHaveLength(6)
    expect(events.filter(e => e.kind === 'letter.generated')).toHaveLength(4)
    const audits = await rt.db.selectFrom('audit_events').select('action').where('case_id', '=', caseId).execute()
    expect(audits.map(a => a.action)).toEqual(
      expect.arrayContaining(['sao.start', 'sao.outcome', 'sao.stage', 'sao.end']),
    )
  })

  it('ends the process when an outcome leads to the end', async () => {
    const manager = await callerFor(rt, 'ews.manager@demo.onroll.invalid')
    clock.set('2026-12-08T10:00:00Z')
    const id = await rt.services.sao.start(manager, caseId, {
      reason: 'refuses-place',
      stage: 'informal-enquiries',
      startedOn: '2026-12-08',
    })
    expect((await steps(id))[0]?.task_id).toBeNull()
    await rt.services.sao.recordOutcome(manager, id, { outcome: 'education-confirmed', outcomeOn: '2026-12-08' })
    expect(await processRow(id)).toMatchObject({ status: 'ended', ended_on: '2026-12-08' })
    expect((await rt.services.sao.process(manager, id)).next).toEqual({ kind: 'ended' })
    expect((await problemsOf(rt.services.sao.startNext(manager, id, { startedOn: '2026-12-08' })))[0]?.message).toMatch(
      /No stage can start/,
    )
  })

  it('shows the case panel with the processes and letters, and lists processes for the team', async () => {
    const director = await callerFor(rt, 'op.director@demo.onroll.invalid')
    const panel = await rt.services.sao.casePanel(director, caseId)
    expect(panel.processes).toHaveLength(2)
    expect(panel.letters.length).toBe(4)
    expect(panel.canStart).toBe(true)
    const list = await rt.services.sao.list(director, { status: 'ended' })
    expect(list.map(p => p.caseId)).toContain(caseId)
  })
})
