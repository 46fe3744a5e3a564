import { addDays, type IsoDate } from './dates.js'
import type { PolicyValues } from './policy.js'
import {
  findStage,
  nextStage,
  stageDeadline,
  type SaoProcessVersion,
  type SaoStage,
  type SaoStepRecord,
} from './sao.js'

/**
 * An SAO process on one case: why it was started, and what may happen next given its history.
 * The stages and their rules are in sao.ts; this says which of them a person may take now.
 */

/** Why the LA starts the process (the three grounds, from protocol Appendix C). */
export const SAO_REASONS = {
  'fails-to-engage': 'The parent fails to engage with the local authority',
  'refuses-place': 'The parent refuses a school place',
  'not-attending-accepted-school': 'The parent does not send the child to a school place they accepted',
} as const
export type SaoReason = keyof typeof SAO_REASONS
export const isSaoReason = (v: string): v is SaoReason => Object.hasOwn(SAO_REASONS, v)

/** Documents that name a school: the stage cannot start without one. */
const NAMING_DOCUMENTS = ['notice-of-intention', 'school-attendance-order', 'school-nomination-notice']
export const stageNamesSchool = (stage: SaoStage): boolean =>
  stage.document !== undefined && NAMING_DOCUMENTS.includes(stage.document)

/** The stages a process may open with: its first stage, or straight to its statutory notice. */
export function openingStages(version: SaoProcessVersion): SaoStage[] {
  const keys = [...new Set([version.stages[0]?.key, version.restartAt])]
  return keys.map(k => findStage(version, k ?? '')).filter((s): s is SaoStage => s !== undefined)
}

export type SaoNext =
  | { kind: 'outcome'; stage: SaoStage; startedOn: IsoDate; deadline?: IsoDate }
  | { kind: 'start'; stage: SaoStage; restart: boolean; earliestOn: IsoDate }
  | { kind: 'ended' }

/**
 * What the person may do next: record the outcome of the stage in progress, or start the stage
 * its outcome leads to (from the earliest day the law allows), or nothing, once it has ended.
 */
export function nextForProcess(
  version: SaoProcessVersion,
  history: readonly SaoStepRecord[],
  options: { ended: boolean; policy?: PolicyValues },
): SaoNext {
  const last = history[history.length - 1]
  if (options.ended || !last) return { kind: 'ended' }
  const stage = findStage(version, last.stageKey)
  if (!stage) return { kind: 'ended' }
  if (last.outcomeKey === undefined) {
    const deadline = stageDeadline(stage, last.startedOn, {
      ...(options.policy ? { policy: options.policy } : {}),
      ...(last.specifiedDays !== undefined ? { specifiedDays: last.specifiedDays } : {}),
    })
    return deadline === undefined
      ? { kind: 'outcome', stage, startedOn: last.startedOn }
      : { kind: 'outcome', stage, startedOn: last.startedOn, deadline }
  }
  const step = nextStage(version, last.stageKey, last.outcomeKey)
  if (!step || 'end' in step) return { kind: 'ended' }
  let earliestOn = last.startedOn
  if (step.stage.notBeforeEndOf) {
    const waited = findStage(version, step.stage.notBeforeEndOf)
    const record = [...history].reverse().find(r => r.stageKey === step.stage.notBeforeEndOf)
    if (waited && record) {
      const end = stageDeadline(waited, record.startedOn, {
        ...(options.policy ? { policy: options.policy } : {}),
        ...(record.specifiedDays !== undefined ? { specifiedDays: record.specifiedDays } : {}),
      })
      if (end !== undefined && addDays(end, 1) > earliestOn) earliestOn = addDays(end, 1)
    }
  }
  return { kind: 'start', stage: step.stage, restart: 'restart' in step, earliestOn }
}
