/**
 * The database as Kysely sees it. Conventions (same on both engines): text UUID keys,
 * dates as 'YYYY-MM-DD' text, instants as UTC ISO text, booleans as 0/1 integers,
 * JSON as text. Every record about a child carries its LA code.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

export interface OrganisationTable {
  id: string
  la_code: string
  /** 'la' | 'school' | 'partner' */
  kind: string
  name: string
  urn: string | null
  establishment_number: string | null
  school_type: string | null
  phase: string | null
  agency_type: string | null
  email: string | null
  phone: string | null
  active: Generated<number>
  created_at: string
  updated_at: string
}

export interface ChildTable {
  id: string
  la_code: string
  first_name: string
  last_name: string
  other_names: string | null
  date_of_birth: string
  gender: string | null
  ethnicity: string | null
  upn: string | null
  former_upn: string | null
  ehcp: Generated<number>
  free_school_meals: Generated<number>
  cp_plan: Generated<number>
  child_in_need: Generated<number>
  looked_after: Generated<number>
  social_worker: string | null
  /** Lower-case "last first" with accents and punctuation removed: the Single List search key. */
  name_key: string
  family_id: string | null
  postcode: string | null
  /** Double Metaphone key of the last name: the blocking key for finding possible duplicates. */
  phonetic_key: string | null
  created_at: string
  updated_at: string
  version: Generated<number>
}

export interface CaseTable {
  id: string
  reference: string
  la_code: string
  child_id: string
  status: string
  priority: string | null
  priority_reason: string | null
  school_id: string | null
  referrer_org_id: string | null
  referral_id: string | null
  referred_on: string
  assigned_to: string | null
  next_action: string | null
  next_action_due: string | null
  triage_due: string | null
  flag_cp_plan: Generated<number>
  flag_looked_after: Generated<number>
  flag_ehcp: Generated<number>
  flag_believed_abroad: Generated<number>
  flag_lead_professional: Generated<number>
  outcome: string | null
  closed_on: string | null
  possible_duplicate: Generated<number>
  previous_status: string | null
  residency: string | null
  receiving_la: string | null
  safeguarding_concern: Generated<number>
  safeguarding_conclusion: string | null
  outcome_detail: string | null
  closure_summary: string | null
  created_at: string
  updated_at: string
  version: Generated<number>
}

export interface UserTable {
  id: string
  organisation_id: string
  email: string
  name: string
  phone: string | null
  active: Generated<number>
  last_sign_in_at: string | null
  created_at: string
  updated_at: string
}

export interface UserRoleTable {
  user_id: string
  role: string
}

export interface SessionTable {
  id_hash: string
  user_id: string | null
  data: string
  created_at: string
  expires_at: string
}

export interface ApiTokenTable {
  id: string
  name: string
  organisation_id: string
  roles: string
  token_hash: string
  created_by: string | null
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
}

export interface AuditEventTable {
  seq: number
  id: string
  at: string
  actor_id: string | null
  actor_kind: string
  roles: string
  organisation_id: string | null
  la_code: string | null
  action: string
  child_id: string | null
  case_id: string | null
  detail: string | null
  request_id: string | null
  client_ip: string | null
  prev_hash: string
  hash: string
}

/** One record an audit event is about, when the event is about several (migration 014). */
export interface AuditSubjectTable {
  seq: number
  case_id: string | null
  child_id: string | null
}

export interface CalendarTable {
  id: string
  la_code: string
  name: string
  school_id: string | null
  created_at: string
  updated_at: string
  version: Generated<number>
}

export interface CalendarPeriodTable {
  id: string
  calendar_id: string
  kind: string
  name: string
  starts_on: string
  ends_on: string
}

export interface PolicyVersionTable {
  id: string
  la_code: string
  version: number
  effective_from: string
  /** JSON: Record<PolicyRuleKey, number> */
  policy_values: string
  note: string | null
  created_by: string | null
  created_at: string
}

export interface ReferralTable {
  id: string
  la_code: string
  reference: string | null
  status: string
  referrer_org_id: string
  created_by: string
  channel: string
  draft: string
  current_version: Generated<number>
  case_id: string | null
  return_reasons: string | null
  idempotency_key: string | null
  created_at: string
  updated_at: string
  submitted_at: string | null
  lock_version: Generated<number>
}

export interface ReferralVersionTable {
  id: string
  referral_id: string
  version: number
  document: string
  submitted_by: string
  submitted_at: string
}

export interface ReferenceCounterTable {
  prefix: string
  last: number
}

export interface PossibleMatchTable {
  id: string
  case_id: string
  candidate_child_id: string
  candidate_case_id: string | null
  score: number
  reasons: string
  status: string
  decided_by: string | null
  decided_at: string | null
}

export interface FamilyMemberTable {
  id: string
  la_code: string
  family_id: string
  name: string
  relationship: string
  phones: string
  email: string | null
  created_at: string
}

export interface CaseEventTable {
  id: string
  case_id: string
  at: string
  actor_id: string | null
  actor_name: string
  kind: string
  summary: string
  detail: string | null
}

export interface OutboxTable {
  id: string
  la_code: string
  to_address: string
  subject: string
  body: string
  created_at: string
  sent_at: string | null
  attempts: Generated<number>
  last_error: string | null
}

export interface CaseCheckTable {
  id: string
  case_id: string
  stage: string
  item_key: string
  label: string
  result: string
  details: string | null
  checked_on: string
  checked_by: string
  checked_by_name: string
  created_at: string
  superseded: Generated<number>
}

export interface TaskTable {
  id: string
  case_id: string
  la_code: string
  kind: string
  description: string | null
  due_on: string
  assigned_to: string
  done_on: string | null
  done_by: string | null
  created_by: string
  created_at: string
}

export interface CaseNoteTable {
  id: string
  case_id: string
  body: string
  author_id: string
  author_name: string
  created_at: string
}

export interface AuditHeadTable {
  id: number
  seq: number
  hash: string
}

export interface JobRunTable {
  id: string
  job: string
  scheduled_for: string
  started_at: string
  finished_at: string | null
  /** 'running' | 'succeeded' | 'failed' */
  status: string
  attempts: Generated<number>
  error: string | null
  instance: string
  /** JSON: what the run did, in counts (never personal data). */
  summary: string | null
}

export interface JobLeaseTable {
  job: string
  holder: string | null
  leased_until: string
}

export interface CaseAlertTable {
  id: string
  la_code: string
  case_id: string
  reason: string
  reason_key: string
  message: string
  level: string
  due_on: string
  /** 'open' | 'closed' */
  status: string
  raised_at: string
  closed_at: string | null
}

export interface ReportTable {
  id: string
  la_code: string
  kind: string
  period_from: string
  period_to: string
  created_at: string
  /** JSON: counts only. */
  body: string
}

export interface OversightRecordTable {
  id: string
  la_code: string
  recorded_on: string
  notes: string | null
  recorded_by: string
  recorded_by_name: string
  created_at: string
}

export interface PupilTable {
  id: string
  la_code: string
  school_id: string
  upn: string | null
  former_upn: string | null
  first_name: string
  last_name: string
  other_names: string | null
  date_of_birth: string
  gender: string | null
  ethnicity: string | null
  nc_year: string | null
  admission_date: string
  address_lines: string | null
  postcode: string | null
  /** JSON array of PupilContact. */
  contacts: string | null
  ehcp: Generated<number>
  sen_provision: string | null
  free_school_meals: Generated<number>
  looked_after: Generated<number>
  cp_plan: Generated<number>
  child_in_need: Generated<number>
  social_worker: string | null
  la_placed_special: Generated<number>
  name_key: string
  on_roll: Generated<number>
  left_on: string | null
  deletion_ground: string | null
  created_at: string
  updated_at: string
  version: Generated<number>
}

export interface SaoProcessTable {
  id: string
  la_code: string
  case_id: string
  child_id: string
  version_key: string
  reason: string
  status: string
  current_stage: string
  named_school_id: string | null
  round: Generated<number>
  started_on: string
  started_at: string
  started_by: string
  ended_on: string | null
  end_reason: string | null
  updated_at: string
  version: Generated<number>
}

export interface SaoStepTable {
  id: string
  process_id: string
  seq: number
  round: number
  stage_key: string
  started_on: string
  specified_days: number | null
  deadline: string | null
  named_school_id: string | null
  outcome_key: string | null
  outcome_on: string | null
  notes: string | null
  outcome_notes: string | null
  task_id: string | null
  started_by: string
  started_by_name: string
  outcome_by_name: string | null
  created_at: string
}

export interface LetterTemplateTable {
  id: string
  la_code: string
  kind: string
  version: number
  title: string
  body: string
  created_by: string | null
  created_by_name: string
  created_at: string
}

export interface CaseLetterTable {
  id: string
  case_id: string
  la_code: string
  kind: string
  template_id: string
  template_version: number
  sao_step_id: string | null
  file_name: string
  addressed_to: string
  content_base64: string
  byte_size: number
  created_by: string
  created_by_name: string
  created_at: string
}

export interface EscalationTable {
  id: string
  la_code: string
  case_id: string
  level: string
  reason: string
  raised_by: string | null
  raised_by_name: string
  automatic_reason: string | null
  alert_id: string | null
  previous_id: string | null
  raised_at: string
  /** 'open' | 'answered' | 'escalated' */
  status: string
  decision: string | null
  instruction: string | null
  answered_by: string | null
  answered_by_name: string | null
  answered_at: string | null
}

export interface SchoolReturnTable {
  id: string
  la_code: string
  school_id: string
  pupil_id: string
  /** 'deletion' | 'new-pupil' */
  kind: string
  event_on: string
  due_on: string
  made_on: string
  ground: string | null
  /** JSON ReturnDocument. */
  document: string
  made_by: string | null
  made_by_name: string
  created_at: string
}

export interface PupilDeletionTable {
  id: string
  la_code: string
  school_id: string
  pupil_id: string
  ground: string
  deleted_on: string
  facts: string
  return_id: string | null
  return_exempt: Generated<number>
  recorded_by: string | null
  created_at: string
}

export interface EheNoticeTable {
  id: string
  la_code: string
  school_id: string
  pupil_id: string
  received_on: string
  educated_from: string
  verified_on: string | null
  la_consent_on: string | null
  referral_id: string | null
  recorded_by: string | null
  created_at: string
  updated_at: string
}

export interface CtfFileTable {
  id: string
  la_code: string
  school_id: string
  pupil_id: string
  file_name: string
  destination_kind: string
  destination_la: string
  destination_estab: string
  xml: string
  left_on: string
  due_on: string
  uploaded_on: string | null
  created_by: string | null
  created_at: string
}

export interface LaEnquiryTable {
  id: string
  la_code: string
  case_id: string
  recorded_on: string
  details: string
  recorded_by: string | null
  recorded_by_name: string
  created_at: string
}

export interface PossiblyLocatedAlertTable {
  id: string
  la_code: string
  case_id: string
  pupil_id: string
  school_id: string
  return_id: string | null
  reasons: string
  status: string
  raised_at: string
  resolved_at: string | null
  resolved_by: string | null
}

export interface PupilConcernTable {
  id: string
  la_code: string
  school_id: string
  pupil_id: string
  circumstance: string
  last_attended_on: string | null
  expected_on: string | null
  cp_plan: Generated<number>
  child_in_need: Generated<number>
  looked_after: Generated<number>
  ehcp_sen: Generated<number>
  social_worker: string | null
  social_worker_phone: string | null
  /** 'open' | 'closed' */
  status: string
  outcome: string | null
  outcome_on: string | null
  outcome_detail: string | null
  new_school: string | null
  records_requested_on: string | null
  enquiries_failed_on: string | null
  referral_due_on: string | null
  referral_policy_version: number | null
  referral_id: string | null
  ewo_consulted_on: string | null
  ewo_name: string | null
  ewo_advice: string | null
  marf_made_on: string | null
  marf_reference: string | null
  created_by: string
  created_at: string
  updated_at: string
  version: Generated<number>
}

export interface ConcernContactTable {
  id: string
  concern_id: string
  kind: string
  target: string | null
  contacted_on: string
  made_by: string
  visit_by: string | null
  result: string
  notes: string | null
  agreed_plan: string | null
  learnt_address: string | null
  learnt_school: string | null
  learnt_travel: string | null
  risk_of_harm: Generated<number>
  created_by: string
  created_at: string
}

/** One row (id 1): moved on by triggers whenever a case is written (migration 015). */
export interface CasesChangesTable {
  id: number
  n: number
}

export interface Database {
  cases_changes: CasesChangesTable
  pupils: PupilTable
  job_runs: JobRunTable
  job_leases: JobLeaseTable
  case_alerts: CaseAlertTable
  reports: ReportTable
  oversight_records: OversightRecordTable
  case_checks: CaseCheckTable
  tasks: TaskTable
  case_notes: CaseNoteTable
  referrals: ReferralTable
  referral_versions: ReferralVersionTable
  reference_counters: ReferenceCounterTable
  possible_matches: PossibleMatchTable
  family_members: FamilyMemberTable
  case_events: CaseEventTable
  outbox: OutboxTable
  audit_head: AuditHeadTable
  calendars: CalendarTable
  calendar_periods: CalendarPeriodTable
  policy_versions: PolicyVersionTable
  organisations: OrganisationTable
  children: ChildTable
  cases: CaseTable
  users: UserTable
  user_roles: UserRoleTable
  sessions: SessionTable
  api_tokens: ApiTokenTable
  audit_events: AuditEventTable
  audit_subjects: AuditSubjectTable
  sao_processes: SaoProcessTable
  sao_steps: SaoStepTable
  letter_templates: LetterTemplateTable
  case_letters: CaseLetterTable
  escalations: EscalationTable
  school_returns: SchoolReturnTable
  pupil_deletions: PupilDeletionTable
  ehe_notices: EheNoticeTable
  ctf_files: CtfFileTable
  la_enquiries: LaEnquiryTable
  possibly_located_alerts: PossiblyLocatedAlertTable
  pupil_concerns: PupilConcernTable
  concern_contacts: ConcernContactTable
}

export type Organisation = Selectable<OrganisationTable>
export type Pupil = Selectable<PupilTable>
export type NewPupil = Insertable<PupilTable>
export type NewOrganisation = Insertable<OrganisationTable>
export type Child = Selectable<ChildTable>
export type NewChild = Insertable<ChildTable>
export type Case = Selectable<CaseTable>
export type NewCase = Insertable<CaseTable>
export type CaseUpdate = Updateable<CaseTable>
export type User = Selectable<UserTable>
export type PupilConcern = Selectable<PupilConcernTable>
export type ConcernContact = Selectable<ConcernContactTable>
