/**
 * The returns as each side reads them: the school's own returns and CTFs with their deadlines,
 * and the LA's feed of every school's deletion and new pupil returns and home-education notices
 * (CME team, managers and the EHE officer). Every read of a return is audited.
 */
import type { Kysely } from 'kysely'
import { can } from '../domain/access.js'
import type { IsoDate } from '../domain/dates.js'
import {
  RETURN_KINDS,
  ctfState,
  isReturnKind,
  returnTimeliness,
  type ReturnDocument,
  type ReturnKind,
} from '../domain/schoolReturns.js'
import type { Database } from '../data/schema.js'
import { audit } from './audit.js'
import type { CtfService } from './ctfService.js'
import type { Caller, Deps } from './deps.js'
import { ForbiddenError, NotFoundError } from './errors.js'
import { assertOwnSchool } from './pupilRecords.js'

export interface ReturnRow {
  id: string
  kind: ReturnKind
  kindLabel: string
  schoolName: string
  pupilName: string
  eventOn: IsoDate
  dueOn: IsoDate
  madeOn: IsoDate
  ground: string | null
  timeliness: 'on-time' | 'late'
  possiblyLocated: boolean
}

export interface FeedFilters {
  kind?: string | undefined
  schoolId?: string | undefined
}

export function createReturnsService(deps: Deps, ctf: CtfService) {
  const { db, clock } = deps

  /** Always given the transaction that audits the read: SQLite has one connection, and `db` there would wait forever. */
  const baseQuery = (on: Kysely<Database>) =>
    on
      .selectFrom('school_returns')
      .innerJoin('organisations', 'organisations.id', 'school_returns.school_id')
      .innerJoin('pupils', 'pupils.id', 'school_returns.pupil_id')
      .select([
        'school_returns.id',
        'school_returns.kind',
        'school_returns.event_on',
        'school_returns.due_on',
        'school_returns.made_on',
        'school_returns.ground',
        'school_returns.created_at',
        'school_returns.school_id',
        'school_returns.la_code',
        'school_returns.pupil_id',
        'school_returns.document',
        'school_returns.made_by_name',
        'organisations.name as school_name',
        'pupils.first_name',
        'pupils.last_name',
      ])

  type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number]

  const toRow = (r: Row, located: Set<string>): ReturnRow => {
    const kind = isReturnKind(r.kind) ? r.kind : 'deletion'
    return {
      id: r.id,
      kind,
      kindLabel: RETURN_KINDS[kind],
      schoolName: r.school_name,
      pupilName: `${r.first_name} ${r.last_name}`,
      eventOn: r.event_on,
      dueOn: r.due_on,
      madeOn: r.made_on,
      ground: r.ground,
      timeliness: returnTimeliness(r.due_on, r.made_on),
      possiblyLocated: located.has(r.id),
    }
  }

  const detailOf = (r: Row, located: Set<string>) => ({
    ...toRow(r, located),
    madeBy: r.made_by_name,
    document: JSON.parse(r.document) as ReturnDocument,
  })

  async function locatedReturnIds(trx: Kysely<Database>, laCode: string): Promise<Set<string>> {
    const rows = await trx
      .selectFrom('possibly_located_alerts')
      .select('return_id')
      .where('la_code', '=', laCode)
      .execute()
    return new Set(rows.flatMap(r => (r.return_id ? [r.return_id] : [])))
  }

  return {
    /** The school's returns page: its pupils on roll (the way into leaving and home education), leavers, returns and CTFs. */
    async schoolOverview(caller: Caller) {
      const { actor } = caller
      assertOwnSchool(actor, actor.organisationId, actor.laCode)
      const today = clock.today()
      // Deadlines come from the school's calendar and policy, looked up once, before the transaction.
      const dueOn = await ctf.dueOnAt(actor.laCode, actor.organisationId)
      // Every pupil named on the page is read in the transaction that audits the look.
      return db.transaction().execute(async trx => {
        const [leavers, pupils, returns, files] = await Promise.all([
          trx
            .selectFrom('pupils')
            .select(['id', 'first_name', 'last_name', 'left_on', 'deletion_ground', 'la_code', 'school_id'])
            .where('school_id', '=', actor.organisationId)
            .where('on_roll', '=', 0)
            .orderBy('left_on', 'desc')
            .execute(),
          trx
            .selectFrom('pupils')
            .select(['id', 'first_name', 'last_name', 'nc_year', 'date_of_birth', 'ehcp', 'looked_after'])
            .where('school_id', '=', actor.organisationId)
            .where('on_roll', '=', 1)
            .orderBy('name_key')
            .execute(),
          baseQuery(trx)
            .where('school_returns.school_id', '=', actor.organisationId)
            .orderBy('school_returns.made_on', 'desc')
            .orderBy('school_returns.created_at', 'desc')
            .limit(200)
            .execute(),
          trx
            .selectFrom('ctf_files')
            .select(['id', 'pupil_id', 'file_name', 'due_on', 'uploaded_on', 'created_at'])
            .where('school_id', '=', actor.organisationId)
            .orderBy('created_at', 'desc')
            .execute(),
        ])
        const ctfs = leavers.map(p => {
          const own = files.filter(f => f.pupil_id === p.id)
          const uploaded = own.find(f => f.uploaded_on !== null)
          const due = (p.left_on ? dueOn(p.left_on) : null) ?? own[0]?.due_on ?? null
          return {
            pupilId: p.id,
            pupilName: `${p.first_name} ${p.last_name}`,
            leftOn: p.left_on,
            ground: p.deletion_ground,
            dueOn: due,
            latest: own[0] ?? null,
            state: uploaded ? 'uploaded' : due ? ctfState(due, null, today) : 'due',
            made: own.length > 0,
          }
        })
        // Every pupil named on the page is a look at their record: one subject each, as the roll list does.
        const shown = new Set([...pupils.map(p => p.id), ...leavers.map(p => p.id)])
        await audit(trx, clock, actor, caller.request, 'school.returns.view', [
          { detail: { pupils: pupils.length, returns: returns.length, leavers: leavers.length } },
          ...[...shown].map(pupilId => ({ detail: { pupilId } })),
        ])
        return {
          today,
          pupils: pupils.map(p => ({
            id: p.id,
            name: `${p.first_name} ${p.last_name}`,
            ncYear: p.nc_year,
            dateOfBirth: p.date_of_birth,
            ehcp: p.ehcp === 1,
            lookedAfter: p.looked_after === 1,
          })),
          returns: returns.map(r => toRow(r, new Set())),
          ctfs,
        }
      })
    },

    /** One of the school's own returns. */
    async schoolReturn(caller: Caller, returnId: string) {
      // The return (the pupil's details) is read, authorised and audited in one transaction.
      return db.transaction().execute(async trx => {
        const r = await baseQuery(trx).where('school_returns.id', '=', returnId).executeTakeFirst()
        if (!r) throw new NotFoundError('Return')
        assertOwnSchool(caller.actor, r.school_id, r.la_code)
        await audit(trx, clock, caller.actor, caller.request, 'return.view', [
          { detail: { returnId, pupilId: r.pupil_id } },
        ])
        return detailOf(r, new Set())
      })
    },

    /** The LA's feed: every school's returns, newest first, filtered by kind and school. */
    async feed(caller: Caller, filters: FeedFilters) {
      const { actor } = caller
      if (!can(actor, 'returns:view') || actor.organisationKind !== 'la') throw new ForbiddenError('returns:view')
      const kind = filters.kind && isReturnKind(filters.kind) ? filters.kind : undefined
      const schools = await db
        .selectFrom('organisations')
        .select(['id', 'name'])
        .where('la_code', '=', actor.laCode)
        .where('kind', '=', 'school')
        .orderBy('name')
        .execute()
      const schoolId = schools.some(s => s.id === filters.schoolId) ? filters.schoolId : undefined
      return db.transaction().execute(async trx => {
        const located = await locatedReturnIds(trx, actor.laCode)
        let q = baseQuery(trx).where('school_returns.la_code', '=', actor.laCode)
        if (kind) q = q.where('school_returns.kind', '=', kind)
        if (schoolId) q = q.where('school_returns.school_id', '=', schoolId)
        const rows = await q
          .orderBy('school_returns.made_on', 'desc')
          .orderBy('school_returns.created_at', 'desc')
          .limit(500)
          .execute()
        await audit(trx, clock, actor, caller.request, 'returns.feed.view', [
          { detail: { kind: kind ?? null, schoolId: schoolId ?? null, count: rows.length } },
          ...rows.map(r => ({ detail: { returnId: r.id, pupilId: r.pupil_id } })),
        ])
        return {
          returns: rows.map(r => toRow(r, located)),
          schools,
          kinds: Object.entries(RETURN_KINDS).map(([value, text]) => ({ value, text })),
          filters: { kind: kind ?? '', schoolId: schoolId ?? '' },
        }
      })
    },

    /** One return as the LA reads it, with any CME case its pupil was matched to. */
    async laReturn(caller: Caller, returnId: string) {
      const { actor } = caller
      if (!can(actor, 'returns:view') || actor.organisationKind !== 'la') throw new ForbiddenError('returns:view')
      // The return (the pupil's details) is read, authorised and audited in one transaction.
      return db.transaction().execute(async trx => {
        const r = await baseQuery(trx).where('school_returns.id', '=', returnId).executeTakeFirst()
        if (!r || r.la_code !== actor.laCode) throw new NotFoundError('Return')
        const alerts = await trx
          .selectFrom('possibly_located_alerts')
          .innerJoin('cases', 'cases.id', 'possibly_located_alerts.case_id')
          .select(['cases.id as caseId', 'cases.reference', 'possibly_located_alerts.status'])
          .where('possibly_located_alerts.pupil_id', '=', r.pupil_id)
          .where('cases.la_code', '=', actor.laCode)
          .execute()
        await audit(trx, clock, actor, caller.request, 'return.view', [
          ...(alerts.length === 0 ? [{ detail: { returnId, pupilId: r.pupil_id } }] : []),
          ...alerts.map(a => ({ caseId: a.caseId, detail: { returnId, pupilId: r.pupil_id } })),
        ])
        return { ...detailOf(r, new Set(alerts.length > 0 ? [r.id] : [])), alerts }
      })
    },
  }
}

export type ReturnsService = ReturnType<typeof createReturnsService>
