import { expressionBuilder, sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely'
import { OPEN_STATUSES, type CaseStatus, type Priority } from '../../domain/caseStatus.js'
import type { IsoDate } from '../../domain/dates.js'
import { CASEWORK_ROLES } from '../../domain/roles.js'
import type { Database } from '../schema.js'

/** Filters the Single List offers; every one narrows the LA's open cases. */
export const LIST_FLAG_COLUMNS = {
  'cp-plan': 'flag_cp_plan',
  'looked-after': 'flag_looked_after',
  ehcp: 'flag_ehcp',
  'believed-abroad': 'flag_believed_abroad',
  'lead-professional': 'flag_lead_professional',
  'possible-duplicate': 'possible_duplicate',
} as const
export type ListFlag = keyof typeof LIST_FLAG_COLUMNS

export type ListSort = 'priority' | 'referred' | 'due' | 'name'

export interface CaseListFilter {
  laCode: string
  /** For "overdue": a due date before today has been missed. */
  today: IsoDate
  /** Open statuses to keep; all of them when empty. */
  statuses: readonly CaseStatus[]
  /** 'none' is a case not yet triaged (no priority). Any of them; all when empty. */
  priorities: readonly (Priority | 'none')[]
  /** A worker's id, null for unassigned cases, undefined for anyone. */
  assignedTo?: string | null
  schoolId?: string
  overdue: boolean
  /** Any of these flags; no flag filter when empty. */
  flags: readonly ListFlag[]
  /** Exact reference (upper case). */
  reference?: string
}

export interface CaseListOrder {
  sort: ListSort
  dir: 'asc' | 'desc'
}

export interface SingleListRow {
  caseId: string
  reference: string
  status: string
  priority: string | null
  referredOn: string
  schoolId: string | null
  nextAction: string | null
  nextActionDue: string | null
  triageDue: string | null
  childId: string
  firstName: string
  lastName: string
  dateOfBirth: string
  upn: string | null
  schoolName: string | null
  workerName: string | null
  possibleDuplicate: number
  cpPlan: number
  lookedAfter: number
  ehcp: number
  believedAbroad: number
  leadProfessional: number
  /** 0/1 on SQLite, a boolean on PostgreSQL. */
  possiblyLocated: number | boolean
}

/*
 * SQL text shared with the indexes of migration 007, character for character: SQLite uses a partial
 * index only when the query repeats its WHERE term, and walks an expression index in order only when
 * the query's ORDER BY has the same expression. The statuses are literals (not bound parameters) so
 * that both engines see them when planning. The open statuses come from OPEN_STATUSES, so the list is
 * always right; if they ever change, the indexes' WHERE no longer matches and the list is slow rather
 * than wrong until a migration rebuilds them (test/services/singleListScale.test.ts then fails).
 */
export const OPEN_CASES_SQL = `status IN (${OPEN_STATUSES.map(s => `'${s}'`).join(', ')})`
const OPEN = sql.raw(`cases.${OPEN_CASES_SQL}`)
/** Awaiting triage (no priority) ranks before urgent: a referral nobody has looked at yet may be the most urgent of all. */
const PRIORITY_RANK = sql.raw(
  `CASE cases.priority WHEN 'urgent' THEN 1 WHEN 'high' THEN 2 WHEN 'routine' THEN 3 ELSE 0 END`,
)
/** When the next step is due: the triage deadline while a referral waits for triage, else the next action's; none sorts last. */
const DUE_ON = sql.raw(
  `COALESCE(CASE WHEN cases.status = 'received' THEN cases.triage_due END, cases.next_action_due, '9999-12-31')`,
)

const onCases = expressionBuilder<Database, 'cases'>()

/**
 * A LIMIT written into the SQL, not bound. PostgreSQL keeps a prepared statement's generic plan
 * (data/pgPrepared.ts), and a generic plan cannot know that a bound LIMIT is 25: it plans for a tenth of
 * the table, joins every case to its child and sorts them (105 ms, against under 1 ms). The OFFSET stays
 * bound (the plan is the same with it, measured) so that each page number is not a statement of its own.
 */
function literal(n: number) {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('a LIMIT must be a whole number')
  return sql.lit(n)
}

/** Every filter as one condition on `cases`, so the same filter serves queries that start from cases or children. */
function caseFilter(f: CaseListFilter): Expression<SqlBool> {
  const eb = onCases
  const terms: Expression<SqlBool>[] = [eb('cases.la_code', '=', f.laCode), sql<SqlBool>`${OPEN}`]
  if (f.statuses.length > 0) terms.push(eb('cases.status', 'in', f.statuses))
  if (f.priorities.length > 0) {
    const set = f.priorities.filter((p): p is Priority => p !== 'none')
    terms.push(
      eb.or([
        ...(set.length > 0 ? [eb('cases.priority', 'in', set)] : []),
        ...(f.priorities.includes('none') ? [eb('cases.priority', 'is', null)] : []),
      ]),
    )
  }
  if (f.assignedTo === null) terms.push(eb('cases.assigned_to', 'is', null))
  else if (f.assignedTo !== undefined) terms.push(eb('cases.assigned_to', '=', f.assignedTo))
  if (f.schoolId !== undefined) terms.push(eb('cases.school_id', '=', f.schoolId))
  if (f.overdue)
    terms.push(
      eb.or([
        eb('cases.next_action_due', '<', f.today),
        eb.and([eb('cases.status', '=', 'received'), eb('cases.triage_due', '<', f.today)]),
      ]),
    )
  if (f.flags.length > 0) terms.push(eb.or(f.flags.map(flag => eb(`cases.${LIST_FLAG_COLUMNS[flag]}`, '=', 1))))
  if (f.reference !== undefined) terms.push(eb('cases.reference', '=', f.reference))
  return eb.and(terms)
}

/**
 * A name or UPN search: the children it finds. Each word typed must begin a word of the name, and one
 * of them must begin the key itself (the last name). The query is a UNION of one prefix range per word
 * on children_la_name_prefix, so a search reads the children whose names match and never every child
 * of the LA: SQLite, which keeps no statistics, would otherwise take "la_code = ?" alone as the cheaper
 * way in. The key is stored in lower case without accents, and the words are normalised the same way,
 * so LIKE needs no lower() (which would hide the column from the index).
 */
export type ChildSearch = { words: readonly string[] } | { upn: string }

function foundChildren(db: Kysely<Database>, laCode: string, s: ChildSearch) {
  const base = db
    .selectFrom('children')
    .select(['children.id', 'children.name_key'])
    .where('children.la_code', '=', laCode)
  if ('upn' in s) return base.where('children.upn', '=', s.upn)
  const everyWord = (eb: ExpressionBuilder<Database, 'children'>) =>
    eb.and(
      s.words.map(w => eb.or([eb('children.name_key', 'like', `${w}%`), eb('children.name_key', 'like', `% ${w}%`)])),
    )
  const [first, ...rest] = s.words.map(w => base.where('children.name_key', 'like', `${w}%`).where(everyWord))
  if (!first) throw new RangeError('A name search needs at least one word')
  return rest.reduce((q, branch) => q.union(branch), first)
}

/** How many children a search finds, counted no further than `cap + 1`. */
export async function countChildrenFound(
  db: Kysely<Database>,
  laCode: string,
  s: ChildSearch,
  cap: number,
): Promise<number> {
  const row = await db
    .selectFrom(
      foundChildren(db, laCode, s)
        .limit(literal(cap + 1))
        .as('found'),
    )
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}

/**
 * The cases a query reads, and where it starts. A search starts from the children it found, and so
 * does sorting a long list by name, which walks the children in name order and stops at the page
 * (CROSS JOIN keeps that order on SQLite; PostgreSQL chooses for itself). A short list sorted by name
 * is better found from the case filters and sorted.
 */
function matching(
  db: Kysely<Database>,
  f: CaseListFilter,
  search: ChildSearch | undefined,
  start: 'cases' | 'children',
) {
  if (search)
    return db
      .selectFrom(foundChildren(db, f.laCode, search).as('children'))
      .crossJoin('cases')
      .whereRef('cases.child_id', '=', 'children.id')
      .where(caseFilter(f))
  if (start === 'cases')
    return db.selectFrom('cases').innerJoin('children', 'children.id', 'cases.child_id').where(caseFilter(f))
  return db
    .selectFrom('children')
    .crossJoin('cases')
    .whereRef('cases.child_id', '=', 'children.id')
    .where('children.la_code', '=', f.laCode)
    .where(caseFilter(f))
}

function sortKeys(sort: ListSort): Expression<unknown>[] {
  const ref = (column: string) => sql.ref(column)
  // Every order ends in the reference, which is unique, so pages never overlap or skip a case.
  if (sort === 'priority') return [PRIORITY_RANK, ref('cases.referred_on'), ref('cases.reference')]
  if (sort === 'referred') return [ref('cases.referred_on'), ref('cases.reference')]
  if (sort === 'due') return [DUE_ON, ref('cases.reference')]
  return [ref('children.name_key'), ref('cases.reference')]
}

/**
 * How far the cases_changes counter has moved (migration 015): while it stands still no case has
 * been written, so a count taken at this value still holds. Undefined if the counter's row is missing.
 */
export async function casesChanges(db: Kysely<Database>): Promise<number | undefined> {
  const row = await db.selectFrom('cases_changes').select('n').where('id', '=', 1).executeTakeFirst()
  return row?.n
}

/**
 * How many open cases match, counted no further than `cap + 1`: the count reads at most that many
 * index entries however large the list grows, and the page says "more than" beyond it.
 */
export async function countOpenCases(
  db: Kysely<Database>,
  f: CaseListFilter,
  cap: number,
  search?: ChildSearch,
): Promise<number> {
  // Without a child search the count needs only cases, and cases_open_filters answers it from the index.
  const rows = search
    ? matching(db, f, search, 'children').select(sql<number>`1`.as('one'))
    : db
        .selectFrom('cases')
        .where(caseFilter(f))
        .select(sql<number>`1`.as('one'))
  const row = await db
    .selectFrom(rows.limit(literal(cap + 1)).as('m'))
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}

/**
 * One page of the LA's open cases with what the Single List shows of each child. The page's ids are
 * found first from the index alone (a deferred join), so skipping to page 400 walks index entries,
 * not 10,000 joined rows; then only those rows are read in full. `small` says the caller has counted
 * few matches (see `matching`).
 */
export async function listOpenCases(
  db: Kysely<Database>,
  f: CaseListFilter,
  order: CaseListOrder,
  page: { limit: number; offset: number; small?: boolean },
  search?: ChildSearch,
): Promise<SingleListRow[]> {
  const keys = sortKeys(order.sort)
  const start = search !== undefined || (order.sort === 'name' && !page.small) ? 'children' : 'cases'
  // Only a sort by name needs the child's row to find the page's ids.
  let ids =
    start === 'children' || order.sort === 'name'
      ? matching(db, f, search, start).select('cases.id')
      : db.selectFrom('cases').where(caseFilter(f)).select('cases.id')
  for (const k of keys) ids = ids.orderBy(k, order.dir)
  let q = db
    .selectFrom('cases')
    .innerJoin('children', 'children.id', 'cases.child_id')
    .leftJoin('organisations as school', 'school.id', 'cases.school_id')
    .leftJoin('users as worker', 'worker.id', 'cases.assigned_to')
    .select([
      'cases.id as caseId',
      'cases.reference as reference',
      'cases.status as status',
      'cases.priority as priority',
      'cases.referred_on as referredOn',
      'cases.school_id as schoolId',
      'cases.next_action as nextAction',
      'cases.next_action_due as nextActionDue',
      'cases.triage_due as triageDue',
      'children.id as childId',
      'children.first_name as firstName',
      'children.last_name as lastName',
      'children.date_of_birth as dateOfBirth',
      'children.upn as upn',
      'school.name as schoolName',
      'worker.name as workerName',
      'cases.possible_duplicate as possibleDuplicate',
      'cases.flag_cp_plan as cpPlan',
      'cases.flag_looked_after as lookedAfter',
      'cases.flag_ehcp as ehcp',
      'cases.flag_believed_abroad as believedAbroad',
      'cases.flag_lead_professional as leadProfessional',
      // A school admitted a pupil who may be this child (issue 8): shown, not filtered, so it costs
      // one index probe per row on the page and nothing for the count.
      eb =>
        eb
          .exists(
            eb
              .selectFrom('possibly_located_alerts')
              .select('possibly_located_alerts.id')
              .whereRef('possibly_located_alerts.case_id', '=', 'cases.id')
              .where('possibly_located_alerts.status', '=', 'open'),
          )
          .as('possiblyLocated'),
    ])
    .where('cases.id', 'in', ids.limit(literal(page.limit)).offset(page.offset))
  for (const k of keys) q = q.orderBy(k, order.dir)
  return q.execute()
}

/** The LA's caseworkers, for the worker filter: everyone in an LA organisation holding a casework role. */
export async function listCaseworkers(db: Kysely<Database>, laCode: string): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select(['users.id', 'users.name'])
    .where('organisations.la_code', '=', laCode)
    .where('organisations.kind', '=', 'la')
    .where(eb =>
      eb.exists(
        eb
          .selectFrom('user_roles')
          .select('user_roles.user_id')
          .whereRef('user_roles.user_id', '=', 'users.id')
          .where('user_roles.role', 'in', CASEWORK_ROLES),
      ),
    )
    .orderBy('users.name')
    .execute()
}

/** The LA's schools, for the school filter. */
export async function listSchools(db: Kysely<Database>, laCode: string): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('la_code', '=', laCode)
    .where('kind', '=', 'school')
    .orderBy('name')
    .execute()
}

/** Which of these schools keep their own calendar; the others follow the LA default. */
export async function schoolsWithOwnCalendar(
  db: Kysely<Database>,
  laCode: string,
  schoolIds: readonly string[],
): Promise<Set<string>> {
  if (schoolIds.length === 0) return new Set()
  const rows = await db
    .selectFrom('calendars')
    .select('school_id')
    .where('la_code', '=', laCode)
    .where('school_id', 'in', schoolIds)
    .execute()
  return new Set(rows.flatMap(r => (r.school_id ? [r.school_id] : [])))
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
