import { addDays, isIsoDate, type IsoDate } from './dates.js'
import { answer, noAnswer, type Answer, type SchoolDays } from './schoolDays.js'

/**
 * Policy as dated data (domain.md §8 and §9; docs/rules.md).
 *
 * Every timescale the protocol or the law fixes is a number an LA administrator may change,
 * because the protocol says each LA configures its own and because several of the legal
 * numbers are still unconfirmed (law-and-formats.md). Values are versioned with the date they
 * take effect, and every deadline records the version that produced it, so a deadline
 * computed last term can still be explained after the policy changes.
 */

export const POLICY_RULE_KEYS = [
  'schoolReferralDays',
  'groundIAbsenceDays',
  'ctfAfterDeletionDays',
  'newPupilReturnDays',
  'sicknessReturnDays',
  'unauthorisedAbsenceReturnDays',
  'groundHLeaveDays',
  'codeNReplacedDays',
  'saoNoticeToSatisfyDays',
  'saoChoiceOfSchoolDays',
  'triageUrgentDays',
  'triageHighDays',
  'triageRoutineDays',
  'noActionAlertDays',
  'unfoundReviewsPerYear',
  'closedCaseNoteCadence',
  'oversightCadence',
] as const

export type PolicyRuleKey = (typeof POLICY_RULE_KEYS)[number]

export type PolicyUnit = 'school-days' | 'days' | 'per-year' | 'cadence'

/**
 * How sure we are of the number: V/S/M as in law-and-formats.md, 'protocol' for the borough
 * protocol's own figure, 'onroll-default' where neither says and the number is ours.
 */
export type RuleConfidence = 'V' | 'S' | 'S/M' | 'M' | 'protocol' | 'onroll-default'

/**
 * How a calendar-day period is counted. The law uses both forms and they differ by a day:
 * "by the end of the 5th day after the day" (reg 13(2)) versus "not less than 15 days
 * beginning with the day on which the notice is served" (EA 1996 s437(2)).
 */
export type DayCounting = 'after' | 'beginning-with'

export interface PolicyRule {
  label: string
  unit: PolicyUnit
  defaultValue: number
  min: number
  max: number
  source: string
  hint: string
  confidence: RuleConfidence
  /** Only for unit 'days'. */
  counting?: DayCounting
}

/**
 * Cadences are stored as small codes so that `values` stays a plain record of numbers. A
 * cadence such as "every half term" cannot be a fixed number of days: it follows the calendar.
 */
export const CADENCES = [
  { value: 1, key: 'weekly', label: 'every week' },
  { value: 2, key: 'monthly', label: 'every month' },
  { value: 3, key: 'half-termly', label: 'every half term' },
  { value: 4, key: 'termly', label: 'every term' },
] as const

export type Cadence = (typeof CADENCES)[number]['key']

export function cadenceOf(value: number): Cadence | undefined {
  return CADENCES.find(c => c.value === value)?.key
}

export function cadenceValue(cadence: Cadence): number {
  const found = CADENCES.find(c => c.key === cadence)
  if (!found) throw new RangeError(`Unknown cadence: ${cadence}`)
  return found.value
}

/*
 * Where the law sets a ceiling (CTF within 15 school days) or a floor (Ground I at least 20
 * school days, s437 at least 15 days), min/max enforce it: an LA may be stricter than the
 * law, never laxer, because a laxer number would let a school delete a name unlawfully or
 * send a return late without anyone noticing.
 */
export const POLICY_RULES: Record<PolicyRuleKey, PolicyRule> = {
  schoolReferralDays: {
    label: 'School refers a child to the CME team after failed enquiries',
    unit: 'school-days',
    defaultValue: 10,
    min: 1,
    max: 60,
    source:
      'Borough protocol, "Information and Guidance for Schools": refer "within 10 days"; domain.md §8 counts school days',
    hint: 'Counted from the day the school’s enquiries failed. The protocol says 10 days; we count school days.',
    confidence: 'protocol',
  },
  groundIAbsenceDays: {
    label: 'Ground I: continuous absence before a name may be deleted',
    unit: 'school-days',
    defaultValue: 20,
    min: 20,
    max: 60,
    source: 'SI 2024/208 reg 9(1)(i) (Browne Jacobson summary); borough protocol "After 20 school days"',
    hint: 'The law says at least 20 school days, every session coded G, N or O. You can require more, not fewer.',
    confidence: 'S',
  },
  ctfAfterDeletionDays: {
    label: 'Common Transfer File sent after the name is deleted',
    unit: 'school-days',
    defaultValue: 15,
    min: 1,
    max: 15,
    source:
      'Education (Pupil Information) (England) Regulations 2005 as amended; borough protocol "within a further 15 days"',
    hint: 'The law allows at most 15 school days after the pupil ceases to be registered.',
    confidence: 'S',
  },
  newPupilReturnDays: {
    label: 'New-pupil return to the LA after the name is entered',
    unit: 'days',
    defaultValue: 5,
    min: 1,
    max: 5,
    source: 'SI 2024/208 reg 13(1)-(3): "by the end of the 5th day after the day" the name is entered',
    hint: 'Calendar days, not school days. Reception starters on the first day of the school year are exempt unless the LA asks.',
    confidence: 'V',
    counting: 'after',
  },
  sicknessReturnDays: {
    label: 'Sickness return: absence through illness',
    unit: 'school-days',
    defaultValue: 15,
    min: 1,
    max: 15,
    source: 'SI 2024/208 reg 13; CME statutory guidance (Aug 2024) p.11',
    hint: 'The school tells the LA once a pupil has been absent through illness for this many school days (the law says 15).',
    confidence: 'S',
  },
  unauthorisedAbsenceReturnDays: {
    label: 'Return for continuous unauthorised absence',
    unit: 'school-days',
    defaultValue: 10,
    min: 1,
    max: 10,
    source: 'SI 2024/208 reg 13 (paragraph unconfirmed); CME statutory guidance: 10 school days or more',
    hint: 'The school reports pupils absent without permission for this many continuous school days (the law says 10).',
    confidence: 'S',
  },
  groundHLeaveDays: {
    label: 'Ground H: school days after a leave of absence ends',
    unit: 'school-days',
    defaultValue: 10,
    min: 10,
    max: 60,
    source: 'SI 2024/208 reg 9(1)(h); the 10-day figure is the 2006 wording, not yet confirmed for 2024',
    hint: 'Unconfirmed: the 2006 rule was 10 school days after the leave ended. Check the 2024 text before relying on it.',
    confidence: 'S/M',
  },
  codeNReplacedDays: {
    label: 'Attendance code N replaced by another code',
    unit: 'school-days',
    defaultValue: 5,
    min: 1,
    max: 5,
    source: 'SI 2024/208 reg 10 (code N, "reason not yet established")',
    hint: 'Code N must be replaced with the right code within this many school days (the law says 5).',
    confidence: 'S',
  },
  saoNoticeToSatisfyDays: {
    label: 'School attendance order: notice for the parent to satisfy the LA (s437)',
    unit: 'days',
    defaultValue: 15,
    min: 15,
    max: 60,
    source: 'Education Act 1996 s437(2): "not less than 15 days beginning with the day on which the notice is served"',
    hint: 'Calendar days, counting the day the notice is served. The law sets 15 as the minimum.',
    confidence: 'V',
    counting: 'beginning-with',
  },
  saoChoiceOfSchoolDays: {
    label: 'School attendance order: parent chooses a school after the notice of intention (s438)',
    unit: 'days',
    defaultValue: 15,
    min: 15,
    max: 60,
    source: 'Education Act 1996 s438 (15 days from the notice of intention)',
    hint: 'Calendar days, counting the day the notice is served. The Children’s Wellbeing and Schools Act 2026 will change this when it starts.',
    confidence: 'S/M',
    counting: 'beginning-with',
  },
  triageUrgentDays: {
    label: 'Triage of an urgent referral',
    unit: 'school-days',
    defaultValue: 0,
    min: 0,
    max: 1,
    source: 'Borough protocol Appendix C/D: "triaged on receipt … urgent to routine"; the number is ours',
    hint: '0 means the same school day the referral arrives.',
    confidence: 'onroll-default',
  },
  triageHighDays: {
    label: 'Triage of a high-priority referral',
    unit: 'school-days',
    defaultValue: 1,
    min: 0,
    max: 5,
    source: 'onroll default: the protocol names no number',
    hint: 'School days after the referral arrives.',
    confidence: 'onroll-default',
  },
  triageRoutineDays: {
    label: 'Triage of a routine referral',
    unit: 'school-days',
    defaultValue: 5,
    min: 1,
    max: 20,
    source: 'onroll default: the protocol names no number',
    hint: 'School days after the referral arrives.',
    confidence: 'onroll-default',
  },
  noActionAlertDays: {
    label: 'Alert when an open case has had no recorded action',
    unit: 'school-days',
    defaultValue: 10,
    min: 1,
    max: 60,
    source: 'onroll default, in support of the monthly oversight (borough protocol Appendix E)',
    hint: 'School days since the last recorded action on the case.',
    confidence: 'onroll-default',
  },
  unfoundReviewsPerYear: {
    label: 'Reviews of cases closed as not found',
    unit: 'per-year',
    defaultValue: 2,
    min: 1,
    max: 6,
    source: 'Borough protocol Appendix D: "Cases not found reviewed twice yearly during school holidays"',
    hint: 'How many times a year, held in school holidays.',
    confidence: 'protocol',
  },
  closedCaseNoteCadence: {
    label: 'Note of closed cases to the EWS Operational Manager',
    unit: 'cadence',
    defaultValue: 3,
    min: 1,
    max: 4,
    source: 'Borough protocol: closed cases "noted to the Education Welfare Service Operations Manager half termly"',
    hint: 'The protocol says every half term.',
    confidence: 'protocol',
  },
  oversightCadence: {
    label: 'Oversight of all open cases by the EWS Operational Manager',
    unit: 'cadence',
    defaultValue: 2,
    min: 1,
    max: 4,
    source: 'Borough protocol Appendix E: "Monthly Oversight of all case management"',
    hint: 'The protocol says every month.',
    confidence: 'protocol',
  },
}

export type PolicyValues = Record<PolicyRuleKey, number>

export const DEFAULT_POLICY_VALUES: PolicyValues = Object.fromEntries(
  POLICY_RULE_KEYS.map(key => [key, POLICY_RULES[key].defaultValue]),
) as PolicyValues

export interface PolicyVersion {
  id: string
  version: number
  effectiveFrom: IsoDate
  values: PolicyValues
  note?: string
}

/** The profile an LA starts with; in force from the day SI 2024/208 took effect. */
export const DEFAULT_POLICY: PolicyVersion = {
  id: 'default',
  version: 1,
  effectiveFrom: '2024-08-19',
  values: DEFAULT_POLICY_VALUES,
  note: 'Defaults from the borough protocol (2019) and SI 2024/208',
}

/** The version in force on a date: the latest effectiveFrom on or before it, the highest version on a tie. */
export function policyInForce(versions: readonly PolicyVersion[], on: IsoDate): PolicyVersion | undefined {
  let best: PolicyVersion | undefined
  for (const v of versions) {
    if (v.effectiveFrom > on) continue
    if (
      !best ||
      v.effectiveFrom > best.effectiveFrom ||
      (v.effectiveFrom === best.effectiveFrom && v.version > best.version)
    )
      best = v
  }
  return best
}

/** The next version number after every stored one, so a new version never reuses a number a deadline may cite. */
export function nextPolicyVersionNumber(versions: readonly PolicyVersion[]): number {
  return versions.reduce((max, v) => Math.max(max, v.version), 0) + 1
}

const UNIT_WORDS: Record<Exclude<PolicyUnit, 'cadence'>, string> = {
  'school-days': 'school days',
  days: 'days',
  'per-year': 'times a year',
}

function rangeMessage(rule: PolicyRule): string {
  if (rule.unit === 'cadence') {
    const labels = CADENCES.map(c => c.label)
    return `Choose how often: ${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1] ?? ''}`
  }
  return `Enter a whole number of ${UNIT_WORDS[rule.unit]} between ${rule.min} and ${rule.max}`
}

/** Form fields arrive as text; the API sends numbers. Anything else, or a fraction, is not a value. */
function wholeNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isInteger(raw) ? raw : undefined
  if (typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw)) return Number(raw.trim())
  return undefined
}

const schoolDaysText = (n: number): string => `${n} school day${n === 1 ? '' : 's'}`

export type PolicyValidation =
  { ok: true; values: PolicyValues } | { ok: false; problems: Partial<Record<PolicyRuleKey, string>> }

/** Checks an administrator's edit of every value; messages are written for the LA administrator. */
export function validatePolicyValues(input: Record<string, unknown>): PolicyValidation {
  const problems: Partial<Record<PolicyRuleKey, string>> = {}
  const values: Partial<PolicyValues> = {}
  for (const key of POLICY_RULE_KEYS) {
    const rule = POLICY_RULES[key]
    const n = wholeNumber(input[key])
    const inRange =
      n !== undefined && n >= rule.min && n <= rule.max && (rule.unit !== 'cadence' || cadenceOf(n) !== undefined)
    if (n === undefined || !inRange) problems[key] = rangeMessage(rule)
    else values[key] = n
  }
  // Priorities must not invert: a high-priority referral triaged later than a routine one would be nonsense.
  const { triageUrgentDays: urgent, triageHighDays: high, triageRoutineDays: routine } = values
  if (urgent !== undefined && high !== undefined && high < urgent)
    problems.triageHighDays = `High-priority triage cannot be quicker than urgent triage (${schoolDaysText(urgent)})`
  if (high !== undefined && routine !== undefined && routine < high)
    problems.triageRoutineDays = `Routine triage cannot be quicker than high-priority triage (${schoolDaysText(high)})`
  if (Object.keys(problems).length > 0) return { ok: false, problems }
  return { ok: true, values: values as PolicyValues }
}

export interface Deadline {
  rule: PolicyRuleKey
  from: IsoDate
  dueOn: IsoDate
  policyVersion: number
}

/**
 * The date a rule falls due, counted from `from` under the given policy version.
 *
 * School-day rules count with the calendar: N >= 1 is the Nth school day after `from`; 0 is
 * `from` itself if the school meets that day, else the next school day (so "same day" triage
 * of a Saturday referral falls on Monday). Calendar-day rules count as their source says
 * (see DayCounting). A calendar that cannot answer gives its problem back, never a guess.
 */
export function computeDeadline(
  rule: PolicyRuleKey,
  from: IsoDate,
  policy: PolicyVersion,
  schoolDays: SchoolDays,
): Answer<Deadline> {
  if (!isIsoDate(from)) return noAnswer(`Not a calendar date: ${from}`)
  const meta = POLICY_RULES[rule]
  const n = policy.values[rule]
  const done = (dueOn: IsoDate): Answer<Deadline> => answer({ rule, from, dueOn, policyVersion: policy.version })
  switch (meta.unit) {
    case 'school-days': {
      if (n > 0) {
        const due = schoolDays.add(from, n)
        return due.ok ? done(due.value) : due
      }
      const isDay = schoolDays.isSchoolDay(from)
      if (!isDay.ok) return isDay
      if (isDay.value) return done(from)
      const next = schoolDays.next(from)
      return next.ok ? done(next.value) : next
    }
    case 'days':
      return done(addDays(from, meta.counting === 'beginning-with' ? Math.max(n - 1, 0) : n))
    case 'per-year':
    case 'cadence':
      return noAnswer(`"${meta.label}" is a frequency, not a deadline counted from a date`)
  }
}
