import { sql, type Kysely } from 'kysely'
import { OPEN_STATUSES } from '../../domain/caseStatus.js'
import type { Database } from '../schema.js'

export interface SingleListQuery {
  laCode: string
  page: number
  pageSize: number
}

export interface SingleListRow {
  caseId: string
  reference: string
  status: string
  priority: string | null
  referredOn: string
  childId: string
  firstName: string
  lastName: string
  dateOfBirth: string
  schoolName: string | null
  possibleDuplicate: number
  cpPlan: number
  lookedAfter: number
  ehcp: number
  believedAbroad: number
  leadProfessional: number
}

export async function listOpenCases(
  db: Kysely<Database>,
  q: SingleListQuery,
): Promise<{ rows: SingleListRow[]; total: number }> {
  const base = db
    .selectFrom('cases')
    .innerJoin('children', 'children.id', 'cases.child_id')
    .leftJoin('organisations as school', 'school.id', 'cases.school_id')
    .where('cases.la_code', '=', q.laCode)
    .where('cases.status', 'in', OPEN_STATUSES)

  const [rows, count] = await Promise.all([
    base
      .select([
        'cases.id as caseId',
        'cases.reference as reference',
        'cases.status as status',
        'cases.priority as priority',
        'cases.referred_on as referredOn',
        'children.id as childId',
        'children.first_name as firstName',
        'children.last_name as lastName',
        'children.date_of_birth as dateOfBirth',
        'school.name as schoolName',
        'cases.possible_duplicate as possibleDuplicate',
        'cases.flag_cp_plan as cpPlan',
        'cases.flag_looked_after as lookedAfter',
        'cases.flag_ehcp as ehcp',
        'cases.flag_believed_abroad as believedAbroad',
        'cases.flag_lead_professional as leadProfessional',
      ])
      // Awaiting triage first, then urgent to routine, then oldest referral: the child waiting longest is seen first.
      .orderBy(sql`case cases.priority when 'urgent' then 1 when 'high' then 2 when 'routine' then 3 else 0 end`)
      .orderBy('cases.referred_on')
      .orderBy('cases.reference')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    base.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: count.n }
}

export async function findCaseWithChild(db: Kysely<Database>, caseId: string) {
  return db
    .selectFrom('cases')
    .innerJoin('children', 'children.id', 'cases.child_id')
    .leftJoin('organisations as school', 'school.id', 'cases.school_id')
    .leftJoin('organisations as referrer', 'referrer.id', 'cases.referrer_org_id')
    .leftJoin('users as worker', 'worker.id', 'cases.assigned_to')
    .selectAll('cases')
    .select([
      'children.first_name',
      'children.last_name',
      'children.other_names',
      'children.date_of_birth',
      'children.gender',
      'children.upn',
      'children.ehcp',
      'children.cp_plan',
      'children.looked_after',
      'children.child_in_need',
      'children.social_worker',
      'children.family_id',
      'school.name as school_name',
      'referrer.name as referrer_name',
      'worker.name as worker_name',
    ])
    .where('cases.id', '=', caseId)
    .executeTakeFirst()
}
export type CaseWithChild = NonNullable<Awaited<ReturnType<typeof findCaseWithChild>>>
