import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addDays } from '../../src/domain/dates.js'
import { DEFAULT_POLICY_VALUES } from '../../src/domain/policy.js'
import { CWSA2026_SAO, EA1996_SAO, findStage, validateSaoStep, type SaoStepRecord } from '../../src/domain/sao.js'
import { SAO_REASONS, isSaoReason, nextForProcess, openingStages, stageNamesSchool } from '../../src/domain/saoCase.js'

const stage = (key: string) => findStage(EA1996_SAO, key)!

describe('what may happen next on an SAO process', () => {
  it('opens with informal enquiries or straight with the s437 notice', () => {
    expect(openingStages(EA1996_SAO).map(s => s.key)).toEqual(['informal-enquiries', 's437-notice'])
    expect(openingStages(CWSA2026_SAO).map(s => s.key)).toEqual(['preliminary-notice'])
  })

  it('names a school at the notice of intention and the order, nowhere else', () => {
    expect(EA1996_SAO.stages.filter(stageNamesSchool).map(s => s.key)).toEqual([
      's438-notice-of-intention',
      'serve-order',
    ])
    expect(CWSA2026_SAO.stages.filter(stageNamesSchool).map(s => s.key)).toEqual([
      'school-nomination-notice',
      'serve-order',
    ])
  })

  it('knows its reasons', () => {
    expect(Object.keys(SAO_REASONS).every(isSaoReason)).toBe(true)
    expect(isSaoReason('toString')).toBe(false)
  })

  it.each<[string, SaoStepRecord[], ReturnType<typeof nextForProcess>]>([
    ['no history', [], { kind: 'ended' }],
    [
      'a notice in progress: its outcome, with the period',
      [{ stageKey: 's437-notice', startedOn: '2026-05-01' }],
      { kind: 'outcome', stage: stage('s437-notice'), startedOn: '2026-05-01', deadline: '2026-05-15' },
    ],
    [
      'a notice that gave 20 days',
      [{ stageKey: 's437-notice', startedOn: '2026-05-01', specifiedDays: 20 }],
      { kind: 'outcome', stage: stage('s437-notice'), startedOn: '2026-05-01', deadline: '2026-05-20' },
    ],
    [
      'a stage without a period',
      [{ stageKey: 'la-decision', startedOn: '2026-05-16' }],
      { kind: 'outcome', stage: stage('la-decision'), startedOn: '2026-05-16' },
    ],
    [
      'after the decision: the notice of intention, not before the s437 period ends',
      [
        { stageKey: 's437-notice', startedOn: '2026-05-01', outcomeKey: 'parent-responded' },
        { stageKey: 'la-decision', startedOn: '2026-05-05', outcomeKey: 'not-satisfied-expedient' },
      ],
      { kind: 'start', stage: stage('s438-notice-of-intention'), restart: false, earliestOn: '2026-05-16' },
    ],
    [
      'still not on roll: the s437 notice again',
      [{ stageKey: 'monitor', startedOn: '2026-07-01', outcomeKey: 'not-on-roll' }],
      { kind: 'start', stage: stage('s437-notice'), restart: true, earliestOn: '2026-07-01' },
    ],
    [
      'an outcome that ends it',
      [{ stageKey: 'la-decision', startedOn: '2026-05-16', outcomeKey: 'satisfied' }],
      { kind: 'ended' },
    ],
  ])('%s', (_name, history, expected) => {
    expect(nextForProcess(EA1996_SAO, history, { ended: false })).toEqual(expected)
  })

  it('offers nothing once the process has been ended', () => {
    expect(nextForProcess(EA1996_SAO, [{ stageKey: 's437-notice', startedOn: '2026-05-01' }], { ended: true })).toEqual(
      {
        kind: 'ended',
      },
    )
  })

  it('uses the LA policy when it gives longer than the statute', () => {
    const policy = { ...DEFAULT_POLICY_VALUES, saoNoticeToSatisfyDays: 21 }
    expect(
      nextForProcess(EA1996_SAO, [{ stageKey: 's437-notice', startedOn: '2026-05-01' }], { ended: false, policy }),
    ).toMatchObject({ deadline: '2026-05-21' })
  })

  it('never offers a start date the step validation would refuse', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 15, max: 40 }),
        (served, decisionAfter, days) => {
          const s437 = served.toISOString().slice(0, 10)
          const history: SaoStepRecord[] = [
            { stageKey: 's437-notice', startedOn: s437, specifiedDays: days, outcomeKey: 'parent-responded' },
            { stageKey: 'la-decision', startedOn: addDays(s437, decisionAfter), outcomeKey: 'not-satisfied-expedient' },
          ]
          const next = nextForProcess(EA1996_SAO, history, { ended: false })
          if (next.kind !== 'start') return false
          const ok = validateSaoStep(EA1996_SAO, history, { stageKey: next.stage.key, on: next.earliestOn })
          const dayBefore = validateSaoStep(EA1996_SAO, history, {
            stageKey: next.stage.key,
            on: addDays(next.earliestOn, -1),
          })
          // The earliest day is allowed and the day before it is refused, whichever rule sets it.
          return ok.ok && !dayBefore.ok
        },
      ),
    )
  })
})
