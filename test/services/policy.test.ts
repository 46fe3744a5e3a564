import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemoData } from '../../src/demo/demoData.js'
import { DEFAULT_POLICY, DEFAULT_POLICY_VALUES } from '../../src/domain/policy.js'
import type { Caller } from '../../src/services/deps.js'
import { ForbiddenError, ValidationError } from '../../src/services/errors.js'
import { callerFor } from '../support/callers.js'
import { ENGINES, openTestRuntime, type TestRuntime } from '../support/db.js'

describe.each(ENGINES)('policy versions on %s', engine => {
  let rt: TestRuntime
  let manager: Caller

  beforeAll(async () => {
    rt = await openTestRuntime(engine)
    await loadDemoData(rt.db, rt.clock, '317')
    manager = await callerFor(rt, 'ews.manager@demo.onroll.invalid')
  }, 60_000)
  afterAll(async () => {
    await rt.close()
  })

  it('falls back to the built-in default when the LA has no versions', async () => {
    expect(await rt.services.policy.inForce('317', '2026-11-25')).toBe(DEFAULT_POLICY)
    expect(await rt.services.policy.inForce('317', '2020-01-01')).toBe(DEFAULT_POLICY)
    const { versions, inForce } = await rt.services.policy.list(manager)
    expect(inForce.version).toBe(1)
    expect(versions.map(v => [v.version, v.builtIn])).toEqual([[1, true]])
  })

  it('creates version 2 from a future date; version 1 stays in force until then', async () => {
    const values = { ...DEFAULT_POLICY_VALUES, groundIAbsenceDays: 25, triageRoutineDays: 3 }
    const version = await rt.services.policy.createVersion(manager, {
      effectiveFrom: '2027-01-04',
      values,
      note: 'Stricter Ground I from the spring term',
    })
    expect(version).toBe(2)
    expect((await rt.services.policy.inForce('317', '2027-01-03')).version).toBe(1)
    const later = await rt.services.policy.inForce('317', '2027-01-04')
    expect(later).toMatchObject({
      version: 2,
      effectiveFrom: '2027-01-04',
      note: 'Stricter Ground I from the spring term',
    })
    expect(later.values).toEqual(values)
    // Another LA is untouched.
    expect((await rt.services.policy.inForce('999', '2027-06-01')).version).toBe(1)

    const event = await rt.db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow()
    expect(event.action).toBe('policy.create-version')
    expect(JSON.parse(event.detail ?? '{}')).toMatchObject({
      version: 2,
      effectiveFrom: '2027-01-04',
      changed: ['groundIAbsenceDays', 'triageRoutineDays'],
    })
    const { versions } = await rt.services.policy.list(manager)
    expect(versions.map(v => [v.version, v.builtIn, v.createdByName])).toEqual([
      [2, false, 'Sam Taylor'],
      [1, true, null],
    ])
  })

  it('numbers versions after every stored one, and on a tie of dates the higher version wins', async () => {
    const version = await rt.services.policy.createVersion(manager, {
      effectiveFrom: '2027-01-04',
      values: { ...DEFAULT_POLICY_VALUES, groundIAbsenceDays: 30 },
    })
    expect(version).toBe(3)
    expect((await rt.services.policy.inForce('317', '2027-02-01')).values.groundIAbsenceDays).toBe(30)
  })

  it('records in each deadline the policy version in force when its clock started', async () => {
    const before = await rt.services.rules.deadline('317', 'triageRoutineDays', '2026-12-01')
    expect(before).toEqual({
      ok: true,
      value: { rule: 'triageRoutineDays', from: '2026-12-01', dueOn: '2026-12-08', policyVersion: 1 },
    })
    const after = await rt.services.rules.deadline('317', 'triageRoutineDays', '2027-01-11')
    expect(after).toEqual({
      ok: true,
      value: { rule: 'triageRoutineDays', from: '2027-01-11', dueOn: '2027-01-18', policyVersion: 3 },
    })
    // Counted in the academy's calendar, with its INSET day on Friday 27 November 2026.
    const kingfisher = await rt.services.rules.deadline('317', 'schoolReferralDays', '2026-11-20', { urn: '990002' })
    expect(kingfisher).toMatchObject({ ok: true, value: { dueOn: '2026-12-07', policyVersion: 1 } })
    const unknown = await rt.services.rules.deadline('317', 'ctfAfterDeletionDays', '2027-07-15')
    expect(unknown).toEqual({
      ok: false,
      problem: 'No term dates for 2027/28 in the Redbridge (demo) term dates calendar',
    })
  })

  it('refuses a date in the past, an impossible date and values outside the law’s limits, naming each field', async () => {
    const past = await rt.services.policy
      .createVersion(manager, { effectiveFrom: '2026-11-24', values: DEFAULT_POLICY_VALUES })
      .catch((e: unknown) => e)
    expect((past as ValidationError).problems).toEqual([
      { field: 'effectiveFrom', message: 'The date the new values take effect must be today or in the future' },
    ])
    const bad = await rt.services.policy
      .createVersion(manager, {
        effectiveFrom: '2027-02-29',
        values: { ...DEFAULT_POLICY_VALUES, groundIAbsenceDays: 15, ctfAfterDeletionDays: '20', oversightCadence: 9 },
      })
      .catch((e: unknown) => e)
    expect(bad).toBeInstanceOf(ValidationError)
    expect((bad as ValidationError).problems).toEqual([
      { field: 'effectiveFrom', message: 'Enter a real date the new values take effect from' },
      { field: 'groundIAbsenceDays', message: 'Enter a whole number of school days between 20 and 60' },
      { field: 'ctfAfterDeletionDays', message: 'Enter a whole number of school days between 1 and 15' },
      {
        field: 'oversightCadence',
        message: 'Choose how often: every week, every month, every half term or every term',
      },
    ])
    expect((await rt.services.policy.list(manager)).versions).toHaveLength(3)
  })

  it('lets only LA administrators and the EWS Operational Manager see or change the policy', async () => {
    const officer = await callerFor(rt, 'cme.officer@demo.onroll.invalid')
    await expect(rt.services.policy.list(officer)).rejects.toThrow(ForbiddenError)
    await expect(
      rt.services.policy.createVersion(officer, { effectiveFrom: '2027-09-01', values: DEFAULT_POLICY_VALUES }),
    ).rejects.toThrow(ForbiddenError)
    const admin = await callerFor(rt, 'admin@demo.onroll.invalid')
    expect((await rt.services.policy.list(admin)).versions).toHaveLength(3)
  })
})
