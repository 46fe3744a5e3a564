import { sql, type ExpressionBuilder, type Kysely } from 'kysely'
import type { Database } from '../schema.js'

/** Events about the case: those naming it, and those about many records that include it (a list page). */
const aboutCase = (caseId: string) => (eb: ExpressionBuilder<Database, 'audit_events'>) =>
  eb.or([
    eb('audit_events.case_id', '=', caseId),
    eb(
      'audit_events.seq',
      'in',
      eb.selectFrom('audit_subjects').select('audit_subjects.seq').where('audit_subjects.case_id', '=', caseId),
    ),
  ])

export interface AuditFilter {
  laCode: string
  actorId?: string | undefined
  caseId?: string | undefined
  from?: string | undefined
  to?: string | undefined
  limit: number
}

/** Newest first; `to` is inclusive of the whole day. */
export async function searchAuditEvents(db: Kysely<Database>, f: AuditFilter) {
  let q = db
    .selectFrom('audit_events')
    .leftJoin('users', 'users.id', 'audit_events.actor_id')
    .leftJoin('organisations', 'organisations.id', 'audit_events.organisation_id')
    .leftJoin('cases', 'cases.id', 'audit_events.case_id')
    .select([
      'audit_events.seq',
      'audit_events.at',
      'audit_events.actor_kind',
      'audit_events.roles',
      'audit_events.action',
      'audit_events.case_id',
      'audit_events.request_id',
      'audit_events.client_ip',
      'users.name as actor_name',
      'organisations.name as organisation_name',
      'cases.reference as case_reference',
      // An event about many records (a list page) names no one case: how many it names instead.
      eb =>
        eb
          .selectFrom('audit_subjects')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('audit_subjects.seq', '=', 'audit_events.seq')
          .as('records'),
    ])
    .where('audit_events.la_code', '=', f.laCode)
  if (f.actorId) q = q.where('audit_events.actor_id', '=', f.actorId)
  if (f.caseId) q = q.where(aboutCase(f.caseId))
  if (f.from) q = q.where('audit_events.at', '>=', f.from)
  if (f.to) q = q.where('audit_events.at', '<', `${f.to}T23:59:59.999Z`)
  return q.orderBy('audit_events.seq', 'desc').limit(f.limit).execute()
}

/** Who has looked at or changed a case: one row per person, with their latest visit. */
export async function viewersOfCase(db: Kysely<Database>, caseId: string) {
  return db
    .selectFrom('audit_events')
    .leftJoin('users', 'users.id', 'audit_events.actor_id')
    .leftJoin('organisations', 'organisations.id', 'audit_events.organisation_id')
    .select(eb => [
      'audit_events.actor_id',
      'users.name as actor_name',
      'organisations.name as organisation_name',
      eb.fn.max('audit_events.at').as('last_at'),
      // Visits, not events: one page can write several events about the case (the case, its SAO panel).
      sql<number>`count(distinct coalesce(audit_events.request_id, audit_events.id))`.as('times'),
    ])
    .where(aboutCase(caseId))
    .groupBy(['audit_events.actor_id', 'users.name', 'organisations.name'])
    .orderBy('last_at', 'desc')
    .execute()
}
