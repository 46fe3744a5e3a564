import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemoData } from '../../src/demo/demoData.js'
import { ESCALATION_CHAIN, type EscalationLevel } from '../../src/domain/escalation.js'
import type { Caller } from '../../src/services/deps.js'
import { ForbiddenError, ValidationError } from '../../src/services/errors.js'
import { callerFor } from '../support/callers.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'

const IO = 'cme.officer@demo.onroll.invalid'
const VCO = 'vco@demo.onroll.invalid'
const MANAGER = 'ews.manager@demo.onroll.invalid'
const OD = 'op.director@demo.onroll.invalid'
const CD = 'corp.director@demo.onroll.invalid'
const EWO = 'ewo@demo.onroll.invalid'
const BY_LEVEL: Record<EscalationLevel, string> = {
  'cme-information-officer': IO,
  'vulnerable-childrens-officer': VCO,
  'ews-operational-manager': MANAGER,
  'operational-director': OD,
  'corporate-director': CD,
}

describe.each(ENGINES)('escalation up the Appendix E chain on %s', engine => {
  let rt: TestRuntime
  const as: Record<string, Caller> = {}
  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadDemoData(rt.db, rt.clock, '317')
    for (const email of [IO, VCO, MANAGER, OD, CD, EWO]) as[email] = await callerFor(rt, email)
  })
  afterAll(async () => {
    await rt.close()
  })

  /** A different open case of the demo for each test, so the tests do not share escalations. */
  let used = 0
  async function openCase(): Promise<{ id: string; reference: string; assigned_to: string | null }> {
    const cases = await rt.db
      .selectFrom('cases')
      .select(['id', 'reference', 'assigned_to'])
      .where('status', 'in', ['stage-one', 'stage-two'])
      .orderBy('reference')
      .execute()
    const c = cases[used++]
    if (!c) throw new Error('no more open demo cases')
    return c
  }
  /** Oldest first; raised at the same instant (the clock is fixed), lower in the chain first. */
  const escalationsOf = async (caseId: string) =>
    (
      await rt.db.selectFrom('escalations').selectAll().where('case_id', '=', caseId).orderBy('raised_at').execute()
    ).sort((a, b) =>
      a.raised_at === b.raised_at
        ? ESCALATION_CHAIN.indexOf(a.level as EscalationLevel) - ESCALATION_CHAIN.indexOf(b.level as EscalationLevel)
        : 0,
    )
  const mailTo = (address: string) => rt.db.selectFrom('outbox').selectAll().where('to_address', '=', address).execute()
  const childNames = async () =>
    (await rt.db.selectFrom('children').select(['first_name', 'last_name']).execute()).flatMap(c => [
      c.first_name,
      c.last_name,
    ])

  it('sends a worker’s escalation to the level above theirs, on the timeline, with an email naming no child', async () => {
    const c = await openCase()
    const before = (await mailTo(VCO)).length
    const r = await rt.services.escalations.escalate(as[IO]!, c.id, 'Family refuses to engage with the visits')
    expect(r.level).toBe('vulnerable-childrens-officer')
    const [e] = await escalationsOf(c.id)
    expect(e).toMatchObject({ level: 'vulnerable-childrens-officer', status: 'open', raised_by_name: 'Alex Morgan' })
    const events = await rt.db
      .selectFrom('case_events')
      .selectAll()
      .where('case_id', '=', c.id)
      .where('kind', '=', 'escalation')
      .execute()
    expect(events.map(x => x.summary)).toEqual([
      "Escalated to the Vulnerable Children's Officer: Family refuses to engage with the visits",
    ])
    const mail = (await mailTo(VCO)).slice(before)
    expect(mail).toHaveLength(1)
    expect(mail[0]?.body).toContain(`/escalations/${e!.id}`)
    expect(mail[0]?.subject).toContain(c.reference)
    for (const n of await childNames()) expect(`${mail[0]!.subject}\n${mail[0]!.body}`).not.toContain(n)
  })

  it('moves an open escalation up the chain when the case is escalated again', async () => {
    const c = await openCase()
    await rt.services.escalations.escalate(as[IO]!, c.id, 'First')
    const again = await rt.services.escalations.escalate(as[IO]!, c.id, 'Still nothing after a week')
    expect(again.level).toBe('ews-operational-manager')
    const rows = await escalationsOf(c.id)
    expect(rows.map(r => [r.level, r.status])).toEqual([
      ['vulnerable-childrens-officer', 'escalated'],
      ['ews-operational-manager', 'open'],
    ])
    expect(rows[1]?.previous_id).toBe(rows[0]?.id)
    expect(rows[0]).toMatchObject({ decision: 'escalate-further', answered_by_name: 'Alex Morgan' })
  })

  it('refuses to go past the Corporate Director, naming the Department for Education', async () => {
    const c = await openCase()
    await rt.services.escalations.escalate(as[MANAGER]!, c.id, 'Serious matter')
    const [atDirector] = await escalationsOf(c.id)
    expect(atDirector?.level).toBe('operational-director')
    expect(
      await rt.services.escalations.answer(as[OD]!, atDirector!.id, {
        decision: 'escalate-further',
        note: 'Needs the Corporate Director',
      }),
    ).toMatchObject({
      escalatedTo: 'corporate-director',
    })
    const top = (await escalationsOf(c.id)).find(r => r.status === 'open')!
    expect(top.level).toBe('corporate-director')
    await expect(rt.services.escalations.escalate(as[IO]!, c.id, 'More')).rejects.toMatchObject({
      problems: [{ field: 'reason', message: expect.stringContaining('the Department for Education') as string }],
    })
    await expect(
      rt.services.escalations.answer(as[CD]!, top.id, { decision: 'escalate-further', note: 'Up again' }),
    ).rejects.toBeInstanceOf(ValidationError)
    const page = await rt.services.escalations.prepare(as[IO]!, c.id)
    expect(page.target.ok).toBe(false)
  })

  it('refuses an escalation without a reason, and one from outside the CME team', async () => {
    const c = await openCase()
    await expect(rt.services.escalations.escalate(as[IO]!, c.id, '  ')).rejects.toMatchObject({
      problems: [{ field: 'reason', message: 'Enter why the case needs escalating' }],
    })
    await expect(rt.services.escalations.escalate(as[EWO]!, c.id, 'x')).rejects.toBeInstanceOf(ForbiddenError)
    await expect(rt.services.escalations.escalate(as[OD]!, c.id, 'x')).rejects.toBeInstanceOf(ForbiddenError)
    expect(await escalationsOf(c.id)).toHaveLength(0)
  })

  // Who may answer at each level: the level itself or anyone above it; nobody below, nobody outside.
  for (const level of ESCALATION_CHAIN) {
    it(`lets only the ${level} and those above answer at that level, and lists it in their queues`, async () => {
      const c = await openCase()
      const rank = ESCALATION_CHAIN.indexOf(level)
      await rt.db
        .insertInto('escalations')
        .values({
          id: `00000000-0000-4000-8000-${String(rank).padStart(12, '0')}`,
          la_code: '317',
          case_id: c.id,
          level,
          reason: 'Test',
          raised_by: null,
          raised_by_name: 'Test',
          automatic_reason: null,
          alert_id: null,
          previous_id: null,
          raised_at: rt.clock.now().toISOString(),
          status: 'open',
          decision: null,
          instruction: null,
          answered_by: null,
          answered_by_name: null,
          answered_at: null,
        })
        .execute()
      const [row] = await escalationsOf(c.id)
      for (const [i, other] of ESCALATION_CHAIN.entries()) {
        const queue = await rt.services.escalations.queue(as[BY_LEVEL[other]]!)
        expect(
          queue.some(q => q.id === row!.id),
          `${other} queue`,
        ).toBe(i >= rank)
        if (i < rank)
          await expect(
            rt.services.escalations.answer(as[BY_LEVEL[other]]!, row!.id, { decision: 'resolved', note: '' }),
          ).rejects.toBeInstanceOf(ForbiddenError)
      }
      await expect(rt.services.escalations.queue(as[EWO]!)).rejects.toBeInstanceOf(ForbiddenError)
      await rt.services.escalations.answer(as[BY_LEVEL[level]]!, row!.id, { decision: 'resolved', note: '' })
      expect((await escalationsOf(c.id))[0]).toMatchObject({ status: 'answered', decision: 'resolved' })
      await expect(
        rt.services.escalations.answer(as[CD]!, row!.id, { decision: 'resolved', note: '' }),
      ).rejects.toMatchObject({ problems: [{ message: 'This escalation has already been answered' }] })
    })
  }

  it('returns an instruction to the case: timeline, a task for the case’s worker and an email', async () => {
    const c = await openCase()
    await rt.services.escalations.escalate(as[IO]!, c.id, 'Need a decision on a home visit with police')
    const [e] = await escalationsOf(c.id)
    await expect(
      rt.services.escalations.answer(as[VCO]!, e!.id, { decision: 'instruction', note: '' }),
    ).rejects.toMatchObject({
      problems: [{ field: 'note', message: 'Write the instruction' }],
    })
    await rt.services.escalations.answer(as[VCO]!, e!.id, {
      decision: 'instruction',
      note: 'Visit with the police this week',
    })
    expect((await escalationsOf(c.id))[0]).toMatchObject({
      status: 'answered',
      decision: 'instruction',
      instruction: 'Visit with the police this week',
      answered_by_name: 'Priya Shah',
    })
    const tasks = await rt.db
      .selectFrom('tasks')
      .selectAll()
      .where('case_id', '=', c.id)
      .where('description', 'like', 'Instruction%')
      .execute()
    expect(tasks).toHaveLength(1)
    expect(tasks[0]).toMatchObject({ assigned_to: c.assigned_to ?? as[IO]!.actor.id, kind: 'other' })
    expect(tasks[0]!.due_on > rt.clock.today()).toBe(true)
    const events = await rt.db.selectFrom('case_events').select('summary').where('case_id', '=', c.id).execute()
    expect(events.map(x => x.summary)).toContain(
      "Escalation answered by the Vulnerable Children's Officer: Instruction given: Visit with the police this week",
    )
    const shown = await rt.services.escalations.forCase(as[IO]!, c.id)
    expect(shown[0]).toMatchObject({ status: 'answered', decisionLabel: 'Instruction given', canAnswer: false })
  })

  it('raises each automatic escalation once across reruns, and answering it closes the alert', async () => {
    const c = await rt.db
      .selectFrom('cases')
      .select(['id', 'reference'])
      .where('status', '=', 'received')
      .executeTakeFirstOrThrow()
    await rt.db
      .updateTable('cases')
      .set({ priority: 'urgent', referred_on: '2026-11-02', triage_due: '2026-11-03' })
      .where('id', '=', c.id)
      .execute()
    const [a, b] = await Promise.all([
      rt.services.scheduledWork.overdueAlerts(),
      rt.services.scheduledWork.overdueAlerts(),
    ])
    await rt.services.scheduledWork.overdueAlerts()
    expect(a.summary.alerts! + b.summary.alerts!).toBeGreaterThan(0)
    const rows = (await escalationsOf(c.id)).filter(r => r.automatic_reason === 'triage-overdue')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ level: 'ews-operational-manager', status: 'open', raised_by: null })
    const alerts = await rt.db.selectFrom('case_alerts').selectAll().where('case_id', '=', c.id).execute()
    const alert = alerts.find(x => x.reason_key === 'triage-overdue:2026-11-02')!
    expect(rows[0]?.alert_id).toBe(alert.id)
    const all = await rt.db
      .selectFrom('escalations')
      .select('alert_id')
      .where('automatic_reason', 'is not', null)
      .execute()
    expect(new Set(all.map(x => x.alert_id)).size).toBe(all.length)

    const queue = await rt.services.escalations.queue(as[MANAGER]!)
    expect(queue.find(q => q.id === rows[0]!.id)).toMatchObject({ automatic: true, reference: c.reference })
    await rt.services.escalations.answer(as[MANAGER]!, rows[0]!.id, { decision: 'instruction', note: 'Triage today' })
    expect(
      await rt.db
        .selectFrom('case_alerts')
        .select(['status', 'closed_at'])
        .where('id', '=', alert.id)
        .executeTakeFirst(),
    ).toMatchObject({
      status: 'closed',
    })
    await rt.services.scheduledWork.overdueAlerts()
    expect((await escalationsOf(c.id)).filter(r => r.automatic_reason === 'triage-overdue')).toHaveLength(1)
  })

  it('keeps an automatic escalation answerable after it is moved up: the answer at the top closes its alert', async () => {
    const alert = await rt.db
      .selectFrom('escalations')
      .selectAll()
      .where('automatic_reason', 'is not', null)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow()
    await rt.services.escalations.answer(as[MANAGER]!, alert.id, {
      decision: 'escalate-further',
      note: 'Needs the director',
    })
    const next = await rt.db
      .selectFrom('escalations')
      .selectAll()
      .where('previous_id', '=', alert.id)
      .executeTakeFirstOrThrow()
    expect(next).toMatchObject({ level: 'operational-director', alert_id: alert.alert_id, status: 'open' })
    expect(
      (await rt.db.selectFrom('case_alerts').select('status').where('id', '=', alert.alert_id!).executeTakeFirst())
        ?.status,
    ).toBe('open')
    await rt.services.escalations.answer(as[OD]!, next.id, { decision: 'no-further-action', note: 'Case now active' })
    expect(
      (await rt.db.selectFrom('case_alerts').select('status').where('id', '=', alert.alert_id!).executeTakeFirst())
        ?.status,
    ).toBe('closed')
  })

  it('counts open escalations on the oversight page', async () => {
    const open = await rt.db.selectFrom('escalations').select('id').where('status', '=', 'open').execute()
    const summary = await rt.services.oversight.summary(as[MANAGER]!)
    expect(summary.escalationsWaiting).toBe(open.length)
  })
})

describe.each(ENGINES)('reviews of cases closed as not found on %s', engine => {
  let rt: TestRuntime
  let io: Caller
  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadDemoData(rt.db, rt.clock, '317')
    io = await callerFor(rt, IO)
  })
  afterAll(async () => {
    await rt.close()
  })

  async function reviewTask(): Promise<{ caseId: string; taskId: string }> {
    const c = await rt.db
      .selectFrom('cases')
      .select('id')
      .where('status', '=', 'closed')
      .where('outcome', '=', 'not-found')
      .where('id', 'not in', rt.db.selectFrom('tasks').select('case_id').where('kind', '=', 'review'))
      .executeTakeFirstOrThrow()
    const taskId = `00000000-0000-4000-8000-${Math.floor(Math.random() * 1e12)
      .toString()
      .padStart(12, '0')}`
    await rt.db
      .insertInto('tasks')
      .values({
        id: taskId,
        case_id: c.id,
        la_code: '317',
        kind: 'review',
        description: 'Review',
        due_on: rt.clock.today(),
        assigned_to: io.actor.id,
        done_on: null,
        done_by: null,
        created_by: 'system',
        created_at: rt.clock.now().toISOString(),
      })
      .execute()
    return { caseId: c.id, taskId }
  }
  const caseRow = (id: string) => rt.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

  it('refuses a review without checks, findings or a decision', async () => {
    const { caseId, taskId } = await reviewTask()
    await expect(rt.services.unfoundReviews.record(io, caseId, taskId, { sources: [] })).rejects.toMatchObject({
      problems: expect.arrayContaining([
        { field: 'sources', message: 'Select the checks you made again' },
        { field: 'findings', message: 'Enter what the checks found' },
        { field: 'decision', message: 'Select whether to confirm the closure or reopen the case' },
      ]) as unknown,
    })
  })

  it('confirms the closure: checks recorded, task done, timeline, case still closed', async () => {
    const { caseId, taskId } = await reviewTask()
    await rt.services.unfoundReviews.record(io, caseId, taskId, {
      sources: ['health', 'school-rolls'],
      reviewedOn: rt.clock.today(),
      findings: 'No trace on either',
      decision: 'confirm',
    })
    expect(await caseRow(caseId)).toMatchObject({ status: 'closed', outcome: 'not-found' })
    const checks = await rt.db
      .selectFrom('case_checks')
      .selectAll()
      .where('case_id', '=', caseId)
      .where('stage', '=', 'review')
      .execute()
    expect(checks.map(k => [k.item_key, k.result]).sort()).toEqual([
      ['health', 'not-found'],
      ['school-rolls', 'not-found'],
    ])
    expect(
      (await rt.db.selectFrom('tasks').selectAll().where('id', '=', taskId).executeTakeFirstOrThrow()).done_on,
    ).toBe(rt.clock.today())
    const events = await rt.db
      .selectFrom('case_events')
      .select('summary')
      .where('case_id', '=', caseId)
      .where('kind', '=', 'case.review')
      .execute()
    expect(events[0]?.summary).toContain('closure confirmed')
    await expect(
      rt.services.unfoundReviews.record(io, caseId, taskId, {
        sources: ['health'],
        reviewedOn: rt.clock.today(),
        findings: 'x',
        decision: 'confirm',
      }),
    ).rejects.toMatchObject({ problems: [{ message: 'This review has already been recorded' }] })
  })

  it('reopens the case through the lifecycle on new information', async () => {
    const { caseId, taskId } = await reviewTask()
    const before = await caseRow(caseId)
    await rt.services.unfoundReviews.record(io, caseId, taskId, {
      sources: ['housing'],
      reviewedOn: rt.clock.today(),
      findings: 'Housing has a new tenancy for the family in the borough',
      decision: 'reopen',
    })
    expect(await caseRow(caseId)).toMatchObject({
      status: 'triaged',
      previous_status: 'closed',
      outcome: null,
      closed_on: null,
      version: before.version + 1,
    })
    const events = await rt.db
      .selectFrom('case_events')
      .select(['kind', 'summary'])
      .where('case_id', '=', caseId)
      .execute()
    expect(events).toContainEqual({
      kind: 'case.reopen',
      summary: 'Case reopened on new information: Housing has a new tenancy for the family in the borough',
    })
    expect(await rt.services.unfoundReviews.dueOn(io, caseId)).toEqual([])
  })

  it('is for the CME team only', async () => {
    const { caseId, taskId } = await reviewTask()
    const director = await callerFor(rt, OD)
    await expect(rt.services.unfoundReviews.show(director, caseId, taskId)).rejects.toBeInstanceOf(ForbiddenError)
  })
})
