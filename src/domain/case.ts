import { CASE_STATUSES, PRIORITIES, isPriority, type CaseStatus, type Priority } from './caseStatus.js'
import { formatLongDate, isIsoDate, type IsoDate } from './dates.js'
import { CASEWORK_ROLES, SCHOOL_ROLES, hasAnyRole, type Role } from './roles.js'
import type { TriageDecision } from './triage.js'

/**
 * The case lifecycle as a transition table (architecture.md; domain.md §5; protocol
 * Appendices C, D and E). Every status change goes through `applyAction`, which checks the
 * status, the roles and the preconditions, validates what the user entered, and returns the
 * sentence that lands on the timeline. The UI and the API offer only what `allowedActions`
 * returns, so the screens and the rules cannot drift apart.
 *
 *   received ─accept→ triaged ─start→ stage-one ─start→ stage-two ─start→ stage-three
 *      │  ↑                 (record-outcome from any stage) ─→ outcome ─close→ closed
 *      ↓  │resubmit          stage-three ─request-closure-not-found→ closure-requested
 *   returned                 closure-requested ─authorise (manager)→ closed
 *                            closure-requested ─refuse (manager)→ back to the stage it came from
 *   closed / transferred ─reopen→ triaged        triaged…stage-three ─transfer→ transferred
 *
 * Escalation (Appendix E) is a same-status action like `assign`: the table says when it is offered;
 * where it lands is domain/escalation.ts escalationTarget, and services/escalationService.ts records it.
 */

// ---------------------------------------------------------------------------------------
// Outcomes (domain.md §5.6)
// ---------------------------------------------------------------------------------------

export interface EvidenceField {
  key: string
  /** Used in the timeline and in error messages ("Start date must be a real date"). */
  label: string
  type: 'text' | 'date'
  /** Dates of things that have happened must not be in the future. */
  past?: true
  /** The GOV.UK error message when the field is empty. */
  missing: string
}

/**
 * How an outcome ends the case: closed by the officer, kept open (monitoring), or closed only
 * with the EWS Operational Manager's authorisation.
 */
export type OutcomeCloses = 'on-close' | 'stays-open' | 'authorisation'

export interface OutcomeKindInfo {
  label: string
  group: 'located' | 'in-area' | 'not-located'
  closes: OutcomeCloses
  evidence: readonly EvidenceField[]
}

const school: EvidenceField = { key: 'school', label: 'School', type: 'text', missing: 'Enter the name of the school' }
/*
 * The protocol closes a located case when the child is "confirmed on roll and attending", so
 * the start date must have passed; a place starting next month is monitoring, not located.
 */
const startDate: EvidenceField = {
  key: 'startDate',
  label: 'Start date',
  type: 'date',
  past: true,
  missing: 'Enter the date the child started at the school',
}
const pastDate = (key: string, label: string, missing: string): EvidenceField => ({
  key,
  label,
  type: 'date',
  past: true,
  missing,
})
const text = (key: string, label: string, missing: string): EvidenceField => ({ key, label, type: 'text', missing })

export const OUTCOME_KINDS = {
  'located-on-roll-here': {
    label: 'Located: on roll at a school in this area',
    group: 'located',
    closes: 'on-close',
    evidence: [school, startDate],
  },
  'located-on-roll-elsewhere-england': {
    label: 'Located: on roll at a school elsewhere in England',
    group: 'located',
    closes: 'on-close',
    evidence: [
      school,
      text('localAuthority', 'Local authority', 'Enter the local authority the school is in'),
      startDate,
      pastDate('notifiedOn', 'Date the local authority was told', 'Enter the date the local authority was told'),
    ],
  },
  'located-on-roll-elsewhere-uk': {
    label: 'Located: on roll at a school in Scotland, Wales or Northern Ireland',
    group: 'located',
    closes: 'on-close',
    evidence: [
      school,
      text('authority', 'Council or education authority', 'Enter the council or education authority'),
      startDate,
      pastDate('notifiedOn', 'Date the authority was told', 'Enter the date the authority was told'),
    ],
  },
  'education-abroad': {
    label: 'Located: receiving education abroad',
    group: 'located',
    closes: 'on-close',
    evidence: [
      text('country', 'Country', 'Enter the country'),
      text('provider', 'School or education department', 'Enter the school or education department abroad'),
      text(
        'howVerified',
        'How it was verified',
        'Enter how the education was verified, for example the new school confirmed the child is attending',
      ),
      pastDate('verifiedOn', 'Date verified', 'Enter the date the education was verified'),
    ],
  },
  'ehe-registered': {
    label: 'Located: elective home education registered',
    group: 'located',
    closes: 'on-close',
    evidence: [pastDate('registeredOn', 'Date registered', 'Enter the date the registration was received')],
  },
  'referred-other-la': {
    label: 'Referred to another local authority',
    group: 'located',
    closes: 'on-close',
    evidence: [
      text('localAuthority', 'Local authority', 'Enter the local authority the case was referred to'),
      pastDate('referredOn', 'Date referred', 'Enter the date of the referral'),
      text('acceptedBy', 'Accepted by', 'Enter who at the local authority accepted the referral'),
    ],
  },
  'referred-agency': {
    label: 'Referred to another agency',
    group: 'located',
    closes: 'on-close',
    evidence: [
      text('agency', 'Agency', 'Enter the agency the case was referred to'),
      pastDate('referredOn', 'Date referred', 'Enter the date of the referral'),
      text('acceptedBy', 'Accepted by', 'Enter who at the agency accepted the referral'),
    ],
  },
  'monitoring-parent-engaged': {
    label: 'Child in area, parent engaged: monitoring until on roll',
    group: 'in-area',
    closes: 'stays-open',
    evidence: [
      text(
        'engagement',
        'How the parent is engaging',
        'Enter how the parent is engaging, for example applied for a school place',
      ),
      pastDate('engagedOn', 'Date the parent engaged', 'Enter the date the parent engaged'),
    ],
  },
  'not-found': {
    label: 'Not located after all enquiries',
    group: 'not-located',
    closes: 'authorisation',
    // Recorded by requesting closure, whose summary of enquiries is the evidence.
    evidence: [],
  },
} as const satisfies Record<string, OutcomeKindInfo>

export type OutcomeKind = keyof typeof OUTCOME_KINDS
export const isOutcomeKind = (v: string): v is OutcomeKind => Object.hasOwn(OUTCOME_KINDS, v)
const outcomeInfo = (kind: OutcomeKind): OutcomeKindInfo => OUTCOME_KINDS[kind]

export interface OutcomeInput {
  kind?: string
  evidence?: Readonly<Record<string, string | undefined>>
}

export interface RecordedOutcome {
  kind: OutcomeKind
  evidence: Record<string, string>
}

export type OutcomeValidation = { ok: true; value: RecordedOutcome } | { ok: false; errors: Record<string, string> }

/** Checks an outcome and its evidence; errors are keyed 'kind' or by evidence field, for the form. */
export function validateOutcome(input: OutcomeInput | undefined, today: IsoDate): OutcomeValidation {
  const kind = input?.kind ?? ''
  if (!isOutcomeKind(kind)) return { ok: false, errors: { kind: 'Select the outcome' } }
  if (outcomeInfo(kind).closes === 'authorisation') {
    return {
      ok: false,
      errors: { kind: 'To close a case as not found, request closure from the EWS Operational Manager' },
    }
  }
  const errors: Record<string, string> = {}
  const evidence: Record<string, string> = {}
  for (const field of outcomeInfo(kind).evidence) {
    const value = input?.evidence?.[field.key]?.trim() ?? ''
    if (value === '') errors[field.key] = field.missing
    else if (field.type === 'date' && !isIsoDate(value)) errors[field.key] = `${field.label} must be a real date`
    else if (field.type === 'date' && field.past && value > today)
      errors[field.key] = `${field.label} must be today or in the past`
    else evidence[field.key] = value
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, value: { kind, evidence } }
}

function describeOutcome(outcome: RecordedOutcome): string {
  const info = outcomeInfo(outcome.kind)
  const parts = info.evidence.map(f => {
    const value = outcome.evidence[f.key] ?? ''
    return `${f.label}: ${f.type === 'date' ? formatLongDate(value) : value}`
  })
  return parts.length > 0 ? `${info.label} (${parts.join('; ')})` : info.label
}

// ---------------------------------------------------------------------------------------
// Stage one and stage two checks (domain.md §5.3, §5.4)
// ---------------------------------------------------------------------------------------

export const CHECK_RESULTS = {
  found: 'Found',
  'not-found': 'Not found',
  'awaiting-reply': 'Awaiting reply',
  'not-applicable': 'Not applicable',
} as const
export type CheckResult = keyof typeof CHECK_RESULTS
export const isCheckResult = (v: string): v is CheckResult => Object.hasOwn(CHECK_RESULTS, v)

/** A data source checked at stage two. Each LA configures its own list; these are the defaults. */
export interface StageTwoSource {
  key: string
  label: string
}

export const STAGE_TWO_SOURCES: readonly StageTwoSource[] = [
  { key: 'school-rolls', label: 'School rolls and admissions' },
  { key: 'ehe-register', label: 'Elective home education register' },
  { key: 'social-care', label: "Children's social care" },
  { key: 'health', label: 'Health' },
  { key: 'housing', label: 'Housing' },
  { key: 'council-tax', label: 'Council tax' },
  { key: 'benefits', label: 'Benefits' },
  { key: 'police', label: 'Police' },
  { key: 'ukvi-border-force', label: 'UK Visas and Immigration / Border Force' },
  { key: 'other-las', label: 'Other local authorities' },
  { key: 'lost-pupil-database', label: 'Lost Pupil Database (School to School)' },
]

export interface StageTwoProgress {
  /** Labels of sources with no check recorded. */
  unrecorded: string[]
  /** Labels of sources whose latest check is awaiting a reply. */
  awaiting: string[]
}

/**
 * Where stage two stands. `checks` are in the order recorded; the latest for a source counts,
 * so "awaiting reply" followed by "not found" is finished. Checks against a source the LA has
 * since removed from its list are ignored.
 */
export function stageTwoProgress(
  sources: readonly StageTwoSource[],
  checks: readonly { source: string; result: CheckResult }[],
): StageTwoProgress {
  const latest = new Map<string, CheckResult>()
  for (const c of checks) latest.set(c.source, c.result)
  return {
    unrecorded: sources.filter(s => !latest.has(s.key)).map(s => s.label),
    awaiting: sources.filter(s => latest.get(s.key) === 'awaiting-reply').map(s => s.label),
  }
}

export interface StageTwoCheckInput {
  source?: string
  checkedOn?: string
  result?: string
  details?: string
}

export interface StageTwoCheck {
  source: string
  checkedOn: IsoDate
  result: CheckResult
  details: string | null
}

export type StageTwoCheckField = keyof StageTwoCheckInput
export type StageTwoCheckValidation =
  { ok: true; value: StageTwoCheck } | { ok: false; errors: Partial<Record<StageTwoCheckField, string>> }

/**
 * Checks one stage two check before it is recorded (who did it is the signed-in officer). A
 * "found" needs the details, since they are what the case goes on; "not applicable" needs
 * the reason, since it lets closure go ahead without that source. "Awaiting reply" becomes a
 * chase task (tasks.ts, chaseTaskFor).
 */
export function validateStageTwoCheck(
  input: StageTwoCheckInput,
  sources: readonly StageTwoSource[],
  today: IsoDate,
): StageTwoCheckValidation {
  const errors: Partial<Record<StageTwoCheckField, string>> = {}
  const source = input.source?.trim() ?? ''
  const checkedOn = input.checkedOn?.trim() ?? ''
  const result = input.result?.trim() ?? ''
  const details = input.details?.trim() ?? ''
  if (!sources.some(s => s.key === source)) errors.source = 'Select the source checked'
  if (checkedOn === '') errors.checkedOn = 'Enter the date of the check'
  else if (!isIsoDate(checkedOn)) errors.checkedOn = 'Date of the check must be a real date'
  else if (checkedOn > today) errors.checkedOn = 'Date of the check must be today or in the past'
  if (!isCheckResult(result)) errors.result = 'Select the result of the check'
  else if (result === 'found' && details === '') errors.details = 'Enter what the check found'
  else if (result === 'not-applicable' && details === '') errors.details = 'Enter why this check does not apply'
  if (Object.keys(errors).length > 0 || !isCheckResult(result)) return { ok: false, errors }
  return { ok: true, value: { source, checkedOn, result, details: details === '' ? null : details } }
}

export const STAGE_ONE_KINDS = {
  phone: { label: 'Phone number', action: 'Call the number' },
  address: { label: 'Address', action: 'Write to or visit the address' },
  school: { label: 'School named', action: 'Ask the school whether the child is on roll or has applied' },
  contact: { label: 'Contact', action: 'Speak to the contact' },
} as const
export type StageOneKind = keyof typeof STAGE_ONE_KINDS

export interface StageOneItem {
  /** Stable: the same intelligence gives the same key, whatever order it is listed in. */
  key: string
  kind: StageOneKind
  value: string
  label: string
  action: string
}

export interface StageOneIntel {
  phones: readonly string[]
  addresses: readonly string[]
  schools: readonly string[]
  contacts: readonly string[]
}

/** UK numbers written as +44 or 0044 are the same line as the 0 form. */
function normalisePhone(raw: string): string {
  const digits = raw.replace(/[^\d+]/g, '')
  if (digits.startsWith('+44')) return `0${digits.slice(3)}`
  if (digits.startsWith('0044')) return `0${digits.slice(4)}`
  return digits
}

const normaliseText = (raw: string): string =>
  raw
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()

/** FNV-1a: a short, stable key that keeps phone numbers and addresses out of form field names and URLs. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5
  for (const ch of text) {
    hash ^= ch.codePointAt(0) ?? 0
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash.toString(16).padStart(8, '0')
}

/**
 * Stage one: "all intelligence provided investigated" (Appendix D), as a checklist generated
 * from the referral. Blank entries are skipped and repeats (the same number written two ways)
 * appear once.
 */
export function stageOneChecklist(intel: StageOneIntel): StageOneItem[] {
  const items: StageOneItem[] = []
  const seen = new Set<string>()
  const add = (kind: StageOneKind, values: readonly string[], normalise: (v: string) => string) => {
    for (const raw of values) {
      const value = raw.trim()
      const normal = normalise(value)
      if (normal === '') continue
      const key = `${kind}-${fnv1a(normal)}`
      if (seen.has(key)) continue
      seen.add(key)
      const meta = STAGE_ONE_KINDS[kind]
      items.push({ key, kind, value, label: `${meta.label}: ${value}`, action: meta.action })
    }
  }
  add('phone', intel.phones, normalisePhone)
  add('address', intel.addresses, normaliseText)
  add('school', intel.schools, normaliseText)
  add('contact', intel.contacts, normaliseText)
  return items
}

/**
 * Labels of checklist items with no result yet. "Awaiting reply" counts as worked: the chase
 * is a task, and stage two need not wait for it.
 */
export function stageOneOutstanding(
  items: readonly StageOneItem[],
  results: Readonly<Partial<Record<string, CheckResult>>>,
): string[] {
  return items.filter(i => results[i.key] === undefined).map(i => i.label)
}

// ---------------------------------------------------------------------------------------
// Facts, preconditions and the table
// ---------------------------------------------------------------------------------------

export type Residency = 'unknown' | 'resident' | 'not-resident'

/** What the preconditions look at; the service derives it from the stored case. */
export interface CaseFacts {
  status: CaseStatus
  /** The status before the last status change; a refused closure returns there. */
  previousStatus: CaseStatus | null
  priority: Priority | null
  /** The officer the case is assigned to. */
  assignedTo: string | null
  residency: Residency
  hasSafeguardingConcern: boolean
  /** The conclusion agreed with social care or the police is on the case. */
  safeguardingConclusionRecorded: boolean
  /** Labels of stage one checklist items with no result (stageOneOutstanding). */
  stageOneOutstanding: readonly string[]
  /** Labels of stage two sources with no check (stageTwoProgress). */
  stageTwoUnrecorded: readonly string[]
  /** Labels of stage two sources still awaiting a reply (stageTwoProgress). */
  stageTwoAwaiting: readonly string[]
  /** The final home visit was made, or a decision not to make one is recorded (stage three). */
  finalVisitDecided: boolean
  outcomeKind: OutcomeKind | null
}

/** A referral just received: nothing decided, every default stage two source still to check. */
export const NEW_CASE_FACTS: CaseFacts = {
  status: 'received',
  previousStatus: null,
  priority: null,
  assignedTo: null,
  residency: 'unknown',
  hasSafeguardingConcern: false,
  safeguardingConclusionRecorded: false,
  stageOneOutstanding: [],
  stageTwoUnrecorded: STAGE_TWO_SOURCES.map(s => s.label),
  stageTwoAwaiting: [],
  finalVisitDecided: false,
  outcomeKind: null,
}

export type PreconditionKey =
  | 'triage-decided'
  | 'assigned'
  | 'stage-one-worked'
  | 'stage-two-recorded'
  | 'stage-two-final'
  | 'final-visit-decided'
  | 'outcome-closes'
  | 'safeguarding-concluded'
  | 'not-confirmed-resident'

export interface Precondition {
  key: PreconditionKey
  /** What the user must do; shown when the action is blocked. */
  message: string
  holds: (facts: CaseFacts) => boolean
  /** The specifics, when there are any ("Police, Health"). */
  detail?: (facts: CaseFacts) => string
}

const listed = (labels: readonly string[]): string => labels.join(', ')

export const PRECONDITIONS: Readonly<Record<PreconditionKey, Precondition>> = {
  'triage-decided': {
    key: 'triage-decided',
    message: 'Record the priority and the reason first',
    holds: f => f.priority !== null,
  },
  assigned: {
    key: 'assigned',
    message: 'Assign the case to an officer first',
    holds: f => f.assignedTo !== null,
  },
  'stage-one-worked': {
    key: 'stage-one-worked',
    message: 'Record a result for every item on the stage one checklist',
    holds: f => f.stageOneOutstanding.length === 0,
    detail: f => `still to do: ${listed(f.stageOneOutstanding)}`,
  },
  'stage-two-recorded': {
    key: 'stage-two-recorded',
    message: 'Record a check against every stage two source (awaiting reply is enough)',
    holds: f => f.stageTwoUnrecorded.length === 0,
    detail: f => `not yet checked: ${listed(f.stageTwoUnrecorded)}`,
  },
  /*
   * "Not located after all enquiries": every source in the LA's list has a final answer.
   * "Not applicable" (with its reason) is an answer; "awaiting reply" is not, because the
   * reply may be the one that finds the child.
   */
  'stage-two-final': {
    key: 'stage-two-final',
    message: 'Every stage two check needs a final result: found, not found or not applicable',
    holds: f => f.stageTwoUnrecorded.length === 0 && f.stageTwoAwaiting.length === 0,
    detail: f =>
      [
        f.stageTwoUnrecorded.length > 0 ? `not yet checked: ${listed(f.stageTwoUnrecorded)}` : '',
        f.stageTwoAwaiting.length > 0 ? `awaiting a reply from: ${listed(f.stageTwoAwaiting)}` : '',
      ]
        .filter(s => s !== '')
        .join('; '),
  },
  'final-visit-decided': {
    key: 'final-visit-decided',
    message: 'Record the final home visit, or the decision not to make one',
    holds: f => f.finalVisitDecided,
  },
  'outcome-closes': {
    key: 'outcome-closes',
    message: 'Record an outcome that locates the child before closing the case',
    holds: f => f.outcomeKind !== null && outcomeInfo(f.outcomeKind).closes === 'on-close',
    detail: f =>
      f.outcomeKind === 'monitoring-parent-engaged'
        ? 'the child is being monitored until a place is allocated and the child is on roll'
        : '',
  },
  'safeguarding-concluded': {
    key: 'safeguarding-concluded',
    message: 'Record the conclusion agreed with social care or the police first: there are safeguarding concerns',
    holds: f => !f.hasSafeguardingConcern || f.safeguardingConclusionRecorded,
  },
  'not-confirmed-resident': {
    key: 'not-confirmed-resident',
    message: 'The family is recorded as resident in the area: change the residency first',
    holds: f => f.residency !== 'resident',
  },
}

export const CASE_ACTIONS = [
  'triage',
  'accept',
  'return-incomplete',
  'resubmit',
  'assign',
  'start-stage-one',
  'start-stage-two',
  'start-stage-three',
  'record-outcome',
  'close',
  'request-closure-not-found',
  'authorise-closure',
  'refuse-closure',
  'reopen',
  'transfer',
  'escalate',
] as const
export type CaseAction = (typeof CASE_ACTIONS)[number]
export const isCaseAction = (v: string): v is CaseAction => (CASE_ACTIONS as readonly string[]).includes(v)

/** What an action's form asks for; applyAction checks the ones its action needs. */
export interface ActionInput {
  /** 'triage': the decision from triage.ts triageDecision. */
  triage?: TriageDecision
  /** 'return-incomplete': what is missing from the referral. */
  reasons?: readonly string[]
  /** 'request-closure-not-found' (summary of enquiries), 'refuse-closure', 'transfer' (why not resident), 'escalate'. */
  reason?: string
  /** 'record-outcome'. */
  outcome?: OutcomeInput
  /** 'transfer': the LA the case is passed to. */
  receivingLa?: string
  /** 'reopen'. */
  newInformation?: string
  /** 'assign': the officer's name as the timeline shows it (the service stores the id). */
  assignee?: string
  /** Optional on any action; added to the timeline. */
  note?: string
}
export type ActionInputKey = keyof ActionInput

/** Who the service tells when the action is done. */
export type Recipient = 'referrer' | 'receiving-la' | 'ews-operational-manager' | 'operational-director' | 'assignee'

/** Recorded work that no longer counts after the action; the service resets it. */
export type Cleared = 'outcome' | 'stage-checks' | 'final-visit-decision' | 'safeguarding-conclusion'

export interface Transition {
  action: CaseAction
  from: readonly CaseStatus[]
  /** 'same': the status does not change; 'previous': back to the stage before (refused closure). */
  to: CaseStatus | 'same' | 'previous'
  roles: readonly Role[]
  /** Who may do it, for the refusal message. */
  who: string
  /** Button text. */
  label: string
  preconditions: readonly Precondition[]
  input: readonly ActionInputKey[]
  notify: readonly Recipient[]
  clears: readonly Cleared[]
}

const CASEWORK = CASEWORK_ROLES
const MANAGER: readonly Role[] = ['ews-operational-manager']
const ENQUIRY: readonly CaseStatus[] = ['stage-one', 'stage-two', 'stage-three']
/** Every open status except 'returned', where the referral is back with the referrer. */
const WORKING: readonly CaseStatus[] = ['received', 'triaged', ...ENQUIRY, 'outcome', 'closure-requested']
const P = PRECONDITIONS

type Row = Omit<Transition, 'preconditions' | 'input' | 'notify' | 'clears' | 'who'> &
  Partial<Pick<Transition, 'preconditions' | 'input' | 'notify' | 'clears' | 'who'>>
const row = (r: Row): Transition => ({
  who: 'the CME team',
  preconditions: [],
  input: [],
  notify: [],
  clears: [],
  ...r,
})

export const TRANSITIONS: readonly Transition[] = [
  // Triage may be revisited at any point: new information can make a case more urgent.
  row({ action: 'triage', from: WORKING, to: 'same', roles: CASEWORK, label: 'Set priority', input: ['triage'] }),
  row({
    action: 'accept',
    from: ['received'],
    to: 'triaged',
    roles: CASEWORK,
    label: 'Accept referral',
    preconditions: [P['triage-decided']],
  }),
  row({
    action: 'return-incomplete',
    from: ['received'],
    to: 'returned',
    roles: CASEWORK,
    label: 'Return as incomplete',
    input: ['reasons'],
    notify: ['referrer'],
  }),
  // The roles only; that the user belongs to the referring organisation is the service's check.
  row({
    action: 'resubmit',
    from: ['returned'],
    to: 'received',
    roles: [...SCHOOL_ROLES, 'partner-referrer', ...CASEWORK],
    who: 'the referrer or the CME team',
    label: 'Resubmit referral',
  }),
  row({ action: 'assign', from: WORKING, to: 'same', roles: CASEWORK, label: 'Assign case', input: ['assignee'] }),
  // Someone must own the case before enquiries start, or nobody's task list shows them.
  row({
    action: 'start-stage-one',
    from: ['triaged'],
    to: 'stage-one',
    roles: CASEWORK,
    label: 'Start stage one checks',
    preconditions: [P.assigned],
  }),
  row({
    action: 'start-stage-two',
    from: ['stage-one'],
    to: 'stage-two',
    roles: CASEWORK,
    label: 'Start stage two checks',
    preconditions: [P['stage-one-worked']],
  }),
  row({
    action: 'start-stage-three',
    from: ['stage-two'],
    to: 'stage-three',
    roles: CASEWORK,
    label: 'Start stage three',
    preconditions: [P['stage-two-recorded']],
  }),
  // From 'outcome' too: monitoring ends with the place confirmed, recorded as a located outcome.
  row({
    action: 'record-outcome',
    from: [...ENQUIRY, 'outcome'],
    to: 'outcome',
    roles: CASEWORK,
    label: 'Record outcome',
    input: ['outcome'],
  }),
  row({
    action: 'close',
    from: ['outcome'],
    to: 'closed',
    roles: CASEWORK,
    label: 'Close case',
    preconditions: [P['outcome-closes']],
  }),
  // Only from stage three: the final home visit is stage three's work (Appendix D).
  row({
    action: 'request-closure-not-found',
    from: ['stage-three'],
    to: 'closure-requested',
    roles: CASEWORK,
    label: 'Request closure as not found',
    preconditions: [P['stage-two-final'], P['final-visit-decided']],
    input: ['reason'],
    notify: ['ews-operational-manager'],
  }),
  // The Operational Director "is advised of unconfirmed cases" (Appendix E).
  row({
    action: 'authorise-closure',
    from: ['closure-requested'],
    to: 'closed',
    roles: MANAGER,
    who: 'the EWS Operational Manager',
    label: 'Authorise closure as not found',
    preconditions: [P['safeguarding-concluded']],
    notify: ['operational-director'],
  }),
  row({
    action: 'refuse-closure',
    from: ['closure-requested'],
    to: 'previous',
    roles: MANAGER,
    who: 'the EWS Operational Manager',
    label: 'Send back without closing',
    input: ['reason'],
    notify: ['assignee'],
  }),
  /*
   * Back to triaged, not to received: the referral was accepted long ago and is not returned
   * to anyone, but the new information may change the priority ('triage') and the owner
   * ('assign'), and it is worked afresh from stage one, with checks from before not counting.
   */
  row({
    action: 'reopen',
    from: ['closed', 'transferred'],
    to: 'triaged',
    roles: CASEWORK,
    label: 'Reopen case',
    input: ['newInformation'],
    clears: ['outcome', 'stage-checks', 'final-visit-decision', 'safeguarding-conclusion'],
  }),
  row({
    action: 'transfer',
    from: ['triaged', ...ENQUIRY],
    to: 'transferred',
    roles: CASEWORK,
    label: 'Pass to another local authority',
    preconditions: [P['not-confirmed-resident']],
    input: ['receivingLa', 'reason'],
    notify: ['referrer', 'receiving-la'],
  }),
  // Any worker may escalate an open case with a reason; escalating again moves it up the chain.
  row({ action: 'escalate', from: WORKING, to: 'same', roles: CASEWORK, label: 'Escalate case', input: ['reason'] }),
]

const BY_ACTION = new Map<CaseAction, Transition>(TRANSITIONS.map(t => [t.action, t]))

export function transitionFor(action: CaseAction): Transition {
  const t = BY_ACTION.get(action)
  if (!t) throw new RangeError(`No transition for ${action}`)
  return t
}

/** Where a refused closure goes: the stage the request came from. */
function previousStage(facts: CaseFacts): CaseStatus {
  const allowed = transitionFor('request-closure-not-found').from
  // A stored previous status outside the request's stages would be a data fault; fall back
  // to the last enquiry stage rather than send the case somewhere it never was.
  return facts.previousStatus !== null && allowed.includes(facts.previousStatus)
    ? facts.previousStatus
    : (allowed[allowed.length - 1] ?? 'stage-three')
}

function target(t: Transition, facts: CaseFacts): CaseStatus {
  if (t.to === 'same') return facts.status
  if (t.to === 'previous') return previousStage(facts)
  return t.to
}

function unmet(t: Transition, facts: CaseFacts): string[] {
  return t.preconditions
    .filter(p => !p.holds(facts))
    .map(p => {
      const detail = p.detail?.(facts) ?? ''
      return detail === '' ? p.message : `${p.message}: ${detail}`
    })
}

export interface AllowedAction {
  action: CaseAction
  label: string
  to: CaseStatus
  /** Present only when the action cannot be done yet: what to do first. */
  blockedBy?: string[]
}

/**
 * The actions these roles may take from the case's status, in table order. Ready ones have no
 * `blockedBy`; blocked ones say what is missing, so the page can explain rather than hide
 * them. Actions the roles may never take, or not from this status, are left out.
 */
export function allowedActions(facts: CaseFacts, roles: readonly Role[]): AllowedAction[] {
  return TRANSITIONS.filter(t => t.from.includes(facts.status) && hasAnyRole(roles, t.roles)).map(t => {
    const blockedBy = unmet(t, facts)
    const base = { action: t.action, label: t.label, to: target(t, facts) }
    return blockedBy.length > 0 ? { ...base, blockedBy } : base
  })
}

/** Just the actions that can be done now. */
export const readyActions = (facts: CaseFacts, roles: readonly Role[]): AllowedAction[] =>
  allowedActions(facts, roles).filter(a => a.blockedBy === undefined)

export type ApplyResult =
  | {
      ok: true
      from: CaseStatus
      to: CaseStatus
      /** The sentence for the case timeline. */
      timeline: string
      notify: Recipient[]
      clears: Cleared[]
    }
  | { ok: false; problems: string[] }

const blank = (s: string | undefined): boolean => (s ?? '').trim() === ''
const lower = (s: string): string => s.toLowerCase()

/** Input problems and the timeline sentence for one action; the sentence is used only when there are no problems. */
function checkInput(
  action: CaseAction,
  facts: CaseFacts,
  input: ActionInput,
  today: IsoDate,
  to: CaseStatus,
): { problems: string[]; timeline: string } {
  const reason = input.reason?.trim() ?? ''
  switch (action) {
    case 'triage': {
      const d = input.triage
      if (!d || !isPriority(d.priority) || blank(d.reason)) {
        return { problems: ['Record the priority and the reason'], timeline: '' }
      }
      const chosen = lower(PRIORITIES[d.priority])
      return {
        problems: [],
        timeline: d.overridden
          ? `Priority set to ${chosen}, not the proposed ${lower(PRIORITIES[d.proposed])}: ${d.reason.trim()}`
          : `Priority set to ${chosen}: ${d.reason.trim()}`,
      }
    }
    case 'accept':
      return {
        problems: [],
        timeline: facts.priority
          ? `Referral accepted, priority ${lower(PRIORITIES[facts.priority])}`
          : 'Referral accepted',
      }
    case 'return-incomplete': {
      const reasons = (input.reasons ?? []).map(r => r.trim()).filter(r => r !== '')
      if (reasons.length === 0) return { problems: ['Enter why the referral is incomplete'], timeline: '' }
      return { problems: [], timeline: `Returned to the referrer as incomplete: ${reasons.join('; ')}` }
    }
    case 'resubmit':
      return { problems: [], timeline: 'Referral resubmitted' }
    case 'assign':
      if (blank(input.assignee)) return { problems: ['Select who to assign the case to'], timeline: '' }
      return { problems: [], timeline: `Assigned to ${(input.assignee ?? '').trim()}` }
    case 'start-stage-one':
      return { problems: [], timeline: 'Stage one checks started' }
    case 'start-stage-two':
      return { problems: [], timeline: 'Stage two checks started' }
    case 'start-stage-three':
      return { problems: [], timeline: 'Stage three started' }
    case 'record-outcome': {
      const v = validateOutcome(input.outcome, today)
      if (!v.ok) return { problems: Object.values(v.errors), timeline: '' }
      return { problems: [], timeline: `Outcome recorded: ${describeOutcome(v.value)}` }
    }
    case 'close':
      return {
        problems: [],
        timeline: `Case closed: ${facts.outcomeKind ? outcomeInfo(facts.outcomeKind).label : 'no outcome'}`,
      }
    case 'request-closure-not-found':
      if (reason === '') {
        return { problems: ['Enter a summary of the enquiries made and why the child cannot be found'], timeline: '' }
      }
      return { problems: [], timeline: `Closure as not found requested: ${reason}` }
    case 'authorise-closure':
      return {
        problems: [],
        timeline: facts.hasSafeguardingConcern
          ? 'Closure as not found authorised; the conclusion agreed with social care or the police is recorded'
          : 'Closure as not found authorised',
      }
    case 'refuse-closure':
      if (reason === '') return { problems: ['Enter why the case is not to be closed'], timeline: '' }
      return {
        problems: [],
        timeline: `Closure as not found refused, case back at ${lower(CASE_STATUSES[to])}: ${reason}`,
      }
    case 'reopen':
      if (blank(input.newInformation)) return { problems: ['Enter the new information'], timeline: '' }
      return { problems: [], timeline: `Case reopened on new information: ${(input.newInformation ?? '').trim()}` }
    case 'transfer': {
      const problems: string[] = []
      if (blank(input.receivingLa)) problems.push('Enter the local authority the case is passed to')
      if (reason === '') problems.push('Enter why the family is not resident in the area')
      return {
        problems,
        timeline: `Passed to ${(input.receivingLa ?? '').trim()}; the family is not resident in the area: ${reason}`,
      }
    }
    case 'escalate':
      if (reason === '') return { problems: ['Enter why the case needs escalating'], timeline: '' }
      return { problems: [], timeline: `Case escalated: ${reason}` }
  }
}

/**
 * The only way a case's status changes. Refuses, with every reason at once where it can, an
 * action from the wrong status, by the wrong roles, with unmet preconditions or incomplete
 * input; otherwise returns the new status, the timeline sentence, who to tell and what to reset.
 */
export function applyAction(
  facts: CaseFacts,
  action: CaseAction,
  roles: readonly Role[],
  input: ActionInput,
  today: IsoDate,
): ApplyResult {
  const t = BY_ACTION.get(action)
  if (!t) return { ok: false, problems: [`Unknown action: ${action}`] }
  if (!t.from.includes(facts.status)) {
    return { ok: false, problems: [`${t.label} is not possible: the case is ${lower(CASE_STATUSES[facts.status])}`] }
  }
  if (!hasAnyRole(roles, t.roles)) return { ok: false, problems: [`${t.label}: only ${t.who} can do this`] }
  const to = target(t, facts)
  const checked = checkInput(action, facts, input, today, to)
  const problems = [...unmet(t, facts), ...checked.problems]
  if (problems.length > 0) return { ok: false, problems }
  const note = input.note?.trim() ?? ''
  return {
    ok: true,
    from: facts.status,
    to,
    timeline: note === '' ? checked.timeline : `${checked.timeline}. Note: ${note}`,
    notify: [...t.notify],
    clears: [...t.clears],
  }
}
