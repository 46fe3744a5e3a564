import { addDays, formatLongDate, isIsoDate, type IsoDate } from './dates.js'
import { POLICY_RULES, type DayCounting, type PolicyRuleKey, type PolicyValues } from './policy.js'

/**
 * The school attendance order (SAO) process as versioned data (domain.md §5 and §9;
 * law-and-formats.md §4 and §8; protocol Appendix C, "3 stage School Attendance Order process").
 *
 * The stages, their statutory periods, letters and outcomes are data rather than code because the
 * Children's Wellbeing and Schools Act 2026 (s39) replaces Education Act 1996 s437-443 in England
 * on a day still to be appointed, with periods not yet confirmed. When it starts, an administrator
 * marks the new version commenced with its date; nothing here changes. A case records the id of
 * the version it started under, so an SAO already in progress is not silently re-read under new law.
 *
 * Periods are calendar days, not school days: the statute says "days" (s437(2), s438(4)), and a
 * notice served in the summer holiday runs through it.
 */

export interface SaoPeriod {
  /** The statutory number of days. */
  days: number
  counting: DayCounting
  /**
   * 'at-least': the statute sets a floor and the notice may give longer (s437(2) "not less than
   * 15 days"); 'fixed': the statute sets the period itself (s438(4) "the period of 15 days").
   */
  kind: 'at-least' | 'fixed'
  /** The LA's policy value for this period, which may be longer than the statute, never shorter. */
  policyKey?: PolicyRuleKey
}

export interface SaoOutcome {
  key: string
  label: string
  /**
   * A stage key, or 'restart' (the protocol's "SAO procedure stages 1-3 re commence") or 'end'.
   * Typed as a string because stage keys are data; validateSaoVersion checks each one exists.
   */
  next: string
}

export interface SaoStage {
  key: string
  title: string
  /** Where the stage comes from, e.g. 's437(1)'; the protocol where the law is silent. */
  section: string
  period?: SaoPeriod
  /** Letter template key for the document served at this stage. */
  document?: string
  /**
   * This stage may not start until the period of the named earlier stage has run out: the LA
   * cannot know the parent has failed to satisfy it (s437(3)), or has not chosen a school
   * (s438(4)), while the parent still has time to do so.
   */
  notBeforeEndOf?: string
  outcomes: SaoOutcome[]
  /** Why the stage is shaped as it is, or what is unconfirmed about it. */
  note?: string
}

export interface SaoProcessVersion {
  id: string
  name: string
  /** The day this version's law took effect; null while no commencement date is known. */
  effectiveFrom: IsoDate | null
  /** False for enacted law not yet in force: such a version is never chosen for a case. */
  commenced: boolean
  legalBasis: string
  /** The stage a 'restart' outcome goes back to. */
  restartAt: string
  stages: SaoStage[]
}

/** The process in force in England (and Wales) today: Education Act 1996 ss437-443 and s447. */
export const EA1996_SAO: SaoProcessVersion = {
  id: 'ea1996-s437',
  name: 'School attendance order (Education Act 1996 ss437-443)',
  effectiveFrom: '1996-11-01',
  commenced: true,
  legalBasis:
    'Education Act 1996 ss437-443 (school attendance orders) and s447 (education supervision orders); borough protocol Appendix C',
  // The protocol restarts "SAO procedure stages 1-3": the formal stages, starting with the s437
  // notice; the informal enquiries already made are not repeated.
  restartAt: 's437-notice',
  stages: [
    {
      key: 'informal-enquiries',
      title: 'Informal enquiries with the parent',
      section: 's436A; protocol Appendix C',
      note: 'Not a statutory stage: the LA finds out what education the child is receiving before it "appears" to it that the child is not receiving suitable education (s437(1)).',
      outcomes: [
        { key: 'education-confirmed', label: 'Child on roll or suitable education confirmed', next: 'end' },
        { key: 'not-confirmed', label: 'Suitable education not shown: serve a notice to satisfy', next: 's437-notice' },
      ],
    },
    {
      key: 's437-notice',
      title: 'Notice requiring the parent to satisfy the LA',
      section: 's437(1)-(2)',
      period: { days: 15, counting: 'beginning-with', kind: 'at-least', policyKey: 'saoNoticeToSatisfyDays' },
      document: 's437-notice',
      outcomes: [
        { key: 'parent-responded', label: 'The parent responded', next: 'la-decision' },
        { key: 'period-ended', label: 'The period ended without a response', next: 'la-decision' },
      ],
    },
    {
      key: 'la-decision',
      title: 'LA decides whether the parent has satisfied it',
      section: 's437(3)',
      outcomes: [
        { key: 'satisfied', label: 'Satisfied that the child is receiving suitable education', next: 'end' },
        {
          key: 'not-satisfied-expedient',
          label: 'Not satisfied, and it is expedient that the child attend school',
          next: 's438-notice-of-intention',
        },
        {
          key: 'not-satisfied-not-expedient',
          label: 'Not satisfied, but school attendance is not expedient: no order (record why)',
          next: 'end',
        },
      ],
    },
    {
      key: 's438-notice-of-intention',
      title: 'Notice of intention to serve an order, naming a school',
      section: 's438(2)-(6)',
      period: { days: 15, counting: 'beginning-with', kind: 'fixed', policyKey: 'saoChoiceOfSchoolDays' },
      document: 'notice-of-intention',
      // A "not satisfied" decision can only follow the end of the s437 period (s437(3)(a)).
      notBeforeEndOf: 's437-notice',
      outcomes: [
        { key: 'parent-chose-school', label: 'The parent chose a school in time', next: 'serve-order' },
        { key: 'no-choice', label: 'No choice made: the LA names its school', next: 'serve-order' },
        { key: 'child-registered', label: 'The child was registered at a school', next: 'end' },
      ],
    },
    {
      key: 'serve-order',
      title: 'Serve the school attendance order',
      section: 's437(3); s438(4)-(6)',
      document: 'school-attendance-order',
      notBeforeEndOf: 's438-notice-of-intention',
      outcomes: [{ key: 'served', label: 'Order served naming the school', next: 'monitor' }],
    },
    {
      key: 'monitor',
      title: 'Monitor registration and attendance',
      section: 's437(4)-(6); s440; s442',
      outcomes: [
        { key: 'registered-attending', label: 'Registered at the named school and attending', next: 'end' },
        {
          key: 'not-on-roll',
          label: 'Still not on roll: the SAO stages start again (protocol Appendix C)',
          next: 'restart',
        },
        { key: 'not-complying', label: 'Not complying with the order: consider enforcement', next: 'eso-considered' },
        { key: 'order-amended', label: 'Order amended to name another school (s440)', next: 'monitor' },
        { key: 'order-revoked', label: 'Order revoked: suitable education arranged otherwise (s442)', next: 'end' },
      ],
    },
    {
      key: 'eso-considered',
      title: 'Consider an education supervision order',
      section: 's447(1)',
      note: 'Before prosecuting under s443 the LA must consider applying for an ESO instead of, or as well as, prosecuting.',
      outcomes: [
        { key: 'eso-instead', label: 'Apply for an education supervision order instead', next: 'end' },
        { key: 'eso-and-prosecute', label: 'Apply for an ESO and prosecute', next: 'prosecution' },
        { key: 'prosecute', label: 'Prosecute without an ESO (record why)', next: 'prosecution' },
      ],
    },
    {
      key: 'prosecution',
      title: 'Prosecute for failing to comply with the order',
      section: 's443',
      document: 'prosecution-file',
      outcomes: [
        { key: 'convicted', label: 'Convicted: the order stays in force', next: 'monitor' },
        { key: 'acquitted-order-continues', label: 'Acquitted: the order stays in force', next: 'monitor' },
        {
          key: 'acquitted-order-ceases',
          label: 'Acquitted: the court directed that the order cease (s443(2))',
          next: 'end',
        },
        { key: 'withdrawn', label: 'Proceedings withdrawn', next: 'monitor' },
      ],
    },
  ],
}

/**
 * The 2026 Act's process for England (new Education Act 1996 ss436H-436M, from the Bill text):
 * enacted, not commenced. A placeholder so that the swap is data only; the periods other than the
 * school nomination notice's were not retrieved and must be checked before commencement.
 */
export const CWSA2026_SAO: SaoProcessVersion = {
  id: 'cwsa2026-s436i',
  name: "School attendance order (Children's Wellbeing and Schools Act 2026) - not in force",
  effectiveFrom: null,
  commenced: false,
  legalBasis:
    "Children's Wellbeing and Schools Act 2026 s39 (new Education Act 1996 ss436H-436M); commencement by regulations, date not appointed",
  restartAt: 'preliminary-notice',
  stages: [
    {
      key: 'preliminary-notice',
      title: 'Preliminary notice',
      section: 's436H (unconfirmed)',
      period: { days: 15, counting: 'beginning-with', kind: 'at-least' },
      document: 'preliminary-notice',
      note: 'UNCONFIRMED: "preliminary notice" is a defined term in s39; its period was not retrieved. 15 days is a placeholder copied from s437(2).',
      outcomes: [
        { key: 'satisfied', label: 'LA satisfied', next: 'end' },
        { key: 'not-satisfied', label: 'LA not satisfied', next: 'school-nomination-notice' },
      ],
    },
    {
      key: 'school-nomination-notice',
      title: 'School nomination notice',
      section: 's436K',
      period: { days: 15, counting: 'beginning-with', kind: 'fixed' },
      document: 'school-nomination-notice',
      notBeforeEndOf: 'preliminary-notice',
      note: 'Bill text: the parent may select an alternative school "before the end of the period of 15 days beginning with the day on which the notice is served" [S].',
      outcomes: [
        { key: 'parent-chose-school', label: 'The parent chose a school in time', next: 'serve-order' },
        { key: 'no-choice', label: 'No choice made: the LA names its school', next: 'serve-order' },
      ],
    },
    {
      key: 'serve-order',
      title: 'Serve the school attendance order',
      section: 's436I',
      document: 'school-attendance-order',
      notBeforeEndOf: 'school-nomination-notice',
      outcomes: [{ key: 'served', label: 'Order served', next: 'monitor' }],
    },
    {
      key: 'monitor',
      title: 'Monitor registration and attendance',
      section: 's436I (unconfirmed)',
      outcomes: [
        { key: 'registered-attending', label: 'Registered and attending', next: 'end' },
        { key: 'not-on-roll', label: 'Still not on roll: the stages start again', next: 'restart' },
        { key: 'not-complying', label: 'Not complying: prosecute', next: 'prosecution' },
      ],
    },
    {
      key: 'prosecution',
      title: 'Prosecute for failing to comply with the order',
      section: 's443 as amended (unconfirmed)',
      outcomes: [
        { key: 'convicted', label: 'Convicted', next: 'monitor' },
        { key: 'acquitted', label: 'Acquitted', next: 'end' },
      ],
    },
  ],
}

export const SAO_VERSIONS: readonly SaoProcessVersion[] = [EA1996_SAO, CWSA2026_SAO]

/**
 * The version in force on a date: commenced, with the latest effectiveFrom on or before it.
 * An uncommenced version is never chosen, whatever its date, because enacted law that has not
 * started gives the LA no power to serve its notices.
 */
export function saoVersionInForce(versions: readonly SaoProcessVersion[], on: IsoDate): SaoProcessVersion | undefined {
  let best: SaoProcessVersion | undefined
  for (const v of versions) {
    if (!v.commenced || v.effectiveFrom === null || v.effectiveFrom > on) continue
    if (!best || (best.effectiveFrom ?? '') < v.effectiveFrom) best = v
  }
  return best
}

export function findStage(version: SaoProcessVersion, key: string): SaoStage | undefined {
  return version.stages.find(s => s.key === key)
}

/**
 * The days a stage's period runs: the statute's number, or the LA's policy value or the period the
 * notice itself gave if longer. Never shorter than the statute, so a mistyped policy value cannot
 * shorten a parent's time.
 */
export function periodDays(
  stage: SaoStage,
  options: { policy?: PolicyValues; specifiedDays?: number } = {},
): number | undefined {
  const period = stage.period
  if (!period) return undefined
  const fromPolicy = period.policyKey && options.policy ? options.policy[period.policyKey] : 0
  return Math.max(period.days, fromPolicy, options.specifiedDays ?? 0)
}

/**
 * The last day of a stage's period: the parent has until the end of that day, and the LA may take
 * the next step from the following day. "N days beginning with the day on which the notice is
 * served" counts the day of service as day 1, so it ends on served + N - 1 (served on Friday
 * 1 May, 15 days end on Friday 15 May); "N days after" ends on served + N. Calendar days: the
 * statute does not say school days. Undefined for a stage with no period. Throws RangeError on
 * a value that is not a date, which is a caller's error.
 */
export function stageDeadline(
  stage: SaoStage,
  servedOn: IsoDate,
  options: { policy?: PolicyValues; specifiedDays?: number } = {},
): IsoDate | undefined {
  if (!isIsoDate(servedOn)) throw new RangeError(`Not a calendar date: ${servedOn}`)
  const days = periodDays(stage, options)
  if (days === undefined || !stage.period) return undefined
  return addDays(servedOn, stage.period.counting === 'beginning-with' ? days - 1 : days)
}

export type SaoNextStep = { stage: SaoStage } | { restart: true; stage: SaoStage } | { end: true }

/** Where an outcome leads; undefined when the stage or outcome is not in this version. */
export function nextStage(version: SaoProcessVersion, stageKey: string, outcomeKey: string): SaoNextStep | undefined {
  const outcome = findStage(version, stageKey)?.outcomes.find(o => o.key === outcomeKey)
  if (!outcome) return undefined
  if (outcome.next === 'end') return { end: true }
  const key = outcome.next === 'restart' ? version.restartAt : outcome.next
  const stage = findStage(version, key)
  if (!stage) return undefined
  return outcome.next === 'restart' ? { restart: true, stage } : { stage }
}

/** One stage as it happened on a case, oldest first in the case's history. */
export interface SaoStepRecord {
  stageKey: string
  /** The day the notice was served, or the stage began. */
  startedOn: IsoDate
  /** The period the notice actually gave, when longer than the statute or policy. */
  specifiedDays?: number
  outcomeKey?: string
}

export type SaoStepCheck =
  { ok: true; stage: SaoStage; deadline?: IsoDate } | { ok: false; problem: string; earliestNextStepOn?: IsoDate }

/**
 * Checks that the next stage may begin on `next.on` given the case's history under this version.
 * The history must end with a stage whose outcome leads to `next.stageKey` (or starts the process,
 * or restarts it); the date must not be before the last step; a stage with `notBeforeEndOf` must
 * wait until that stage's period has run out, and the refusal says from which day it may start
 * (`earliestNextStepOn`); a notice may not give fewer days than its period. On success, gives the
 * new stage's deadline when it has a period.
 */
export function validateSaoStep(
  version: SaoProcessVersion,
  history: readonly SaoStepRecord[],
  next: { stageKey: string; on: IsoDate; specifiedDays?: number },
  policy?: PolicyValues,
): SaoStepCheck {
  if (!isIsoDate(next.on)) return { ok: false, problem: `'${next.on}' is not a date in the form YYYY-MM-DD` }
  const stage = findStage(version, next.stageKey)
  if (!stage) return { ok: false, problem: `"${next.stageKey}" is not a stage of ${version.name}` }

  const last = history[history.length - 1]
  if (!last) {
    // The statutory notice may be served without informal enquiries first, so both may open a process.
    const starts = [...new Set([version.stages[0]?.key, version.restartAt])]
    if (!starts.includes(next.stageKey)) {
      const titles = starts.map(k => `"${findStage(version, k ?? '')?.title ?? ''}"`).join(' or ')
      return { ok: false, problem: `${version.name} starts with ${titles}` }
    }
  } else {
    const lastStage = findStage(version, last.stageKey)
    if (!lastStage) return { ok: false, problem: `"${last.stageKey}" is not a stage of ${version.name}` }
    if (last.outcomeKey === undefined) {
      return { ok: false, problem: `Record the outcome of "${lastStage.title}" first` }
    }
    const step = nextStage(version, last.stageKey, last.outcomeKey)
    if (!step) return { ok: false, problem: `"${last.outcomeKey}" is not an outcome of "${lastStage.title}"` }
    if ('end' in step) return { ok: false, problem: `The process ended with "${lastStage.title}"; start a new one` }
    if (step.stage.key !== next.stageKey) {
      return { ok: false, problem: `After "${lastStage.title}" the next stage is "${step.stage.title}"` }
    }
    if (next.on < last.startedOn) {
      return {
        ok: false,
        problem: `"${stage.title}" cannot start before "${lastStage.title}" (${formatLongDate(last.startedOn)})`,
      }
    }
  }

  if (stage.notBeforeEndOf) {
    const waited = findStage(version, stage.notBeforeEndOf)
    // The latest record of that stage: after a restart, the new round's notice is the one that counts.
    const record = [...history].reverse().find(r => r.stageKey === stage.notBeforeEndOf)
    if (waited && record) {
      const end = stageDeadline(waited, record.startedOn, { policy, specifiedDays: record.specifiedDays })
      if (end !== undefined && next.on <= end) {
        const earliest = addDays(end, 1)
        return {
          ok: false,
          problem: `"${stage.title}" cannot start until the period of "${waited.title}" has ended on ${formatLongDate(end)}; the earliest date is ${formatLongDate(earliest)}`,
          earliestNextStepOn: earliest,
        }
      }
    }
  }

  const floor = periodDays(stage, { policy })
  if (floor !== undefined && next.specifiedDays !== undefined && next.specifiedDays < floor) {
    return {
      ok: false,
      problem: `"${stage.title}" must give at least ${floor} days (${stage.section}); the notice gave ${next.specifiedDays}`,
    }
  }
  const deadline = stageDeadline(stage, next.on, { policy, specifiedDays: next.specifiedDays })
  return deadline === undefined ? { ok: true, stage } : { ok: true, stage, deadline }
}

/**
 * Problems with a version's data, for the administrator who edits it; empty when usable. Checks
 * unique stage and outcome keys, that every outcome leads somewhere that exists, that periods are
 * whole positive numbers, that a policy key names a day rule counted the same way, and that a
 * stage waits only for an earlier stage with a period.
 */
export function validateSaoVersion(version: SaoProcessVersion): string[] {
  const problems: string[] = []
  const keys = version.stages.map(s => s.key)
  if (keys.length === 0) problems.push(`${version.id}: has no stages`)
  for (const [i, key] of keys.entries())
    if (keys.indexOf(key) !== i) problems.push(`${version.id}: stage "${key}" twice`)
  if (!keys.includes(version.restartAt))
    problems.push(`${version.id}: restarts at unknown stage "${version.restartAt}"`)
  if (version.commenced && version.effectiveFrom === null) problems.push(`${version.id}: commenced but has no date`)
  if (version.effectiveFrom !== null && !isIsoDate(version.effectiveFrom)) {
    problems.push(`${version.id}: effectiveFrom '${version.effectiveFrom}' is not a date`)
  }
  for (const [i, stage] of version.stages.entries()) {
    const where = `${version.id}/${stage.key}`
    if (stage.outcomes.length === 0) problems.push(`${where}: has no outcomes`)
    const outcomeKeys = stage.outcomes.map(o => o.key)
    for (const [j, k] of outcomeKeys.entries())
      if (outcomeKeys.indexOf(k) !== j) problems.push(`${where}: outcome "${k}" twice`)
    for (const o of stage.outcomes) {
      if (o.next !== 'end' && o.next !== 'restart' && !keys.includes(o.next)) {
        problems.push(`${where}: outcome "${o.key}" leads to unknown stage "${o.next}"`)
      }
    }
    const p = stage.period
    if (p) {
      if (!Number.isInteger(p.days) || p.days < 1) problems.push(`${where}: period must be a whole number of days`)
      if (p.policyKey) {
        const rule = POLICY_RULES[p.policyKey]
        if (rule.unit !== 'days' || rule.counting !== p.counting) {
          problems.push(`${where}: policy rule "${p.policyKey}" is not counted in days ${p.counting}`)
        }
      }
    }
    if (stage.notBeforeEndOf !== undefined) {
      const at = keys.indexOf(stage.notBeforeEndOf)
      if (at < 0 || at >= i || !version.stages[at]?.period) {
        problems.push(`${where}: waits for "${stage.notBeforeEndOf}", which is not an earlier stage with a period`)
      }
    }
  }
  return problems
}
