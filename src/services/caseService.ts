import type { Transaction } from 'kysely'
import { latestReferralVersion } from '../data/repositories/referralRepository.js'
import { can, caseViewFor } from '../domain/access.js'
import { CASE_STATUSES, PRIORITIES, isCaseStatus, isPriority } from '../domain/caseStatus.js'
import { ageOn } from '../domain/dates.js'
import type { Referral } from '../domain/referral.js'
import type { PriorityProposal } from '../domain/triage.js'
import { findCaseWithChild, type CaseWithChild } from '../data/repositories/caseRepository.js'
import type { Database } from '../data/schema.js'
import { audit } from './audit.js'
import { recordCaseEvent } from './caseEvents.js'
import type { Caller, Deps } from './deps.js'
import type { SchoolDays } from '../domain/schoolDays.js'
import { loadWorkspace, proposalFor, type Workspace } from './caseWorkService.js'
import { ForbiddenError, NotFoundError } from './errors.js'

/** What a referring school or agency may know: the referral's progress, not the case file. */
export interface CaseStatusView {
  view: 'status'
  caseId: string
  reference: string
  stage: string
  referredOn: string
  closedOn: string | null
}

export interface CaseFullView {
  view: 'full'
  caseId: string
  reference: string
  stage: string
  status: string
  priority: string | null
  age: number
  version: number
  record: CaseWithChild
  timeline: { at: string; actorName: string; summary: string; detail: Record<string, unknown> | null }[]
  matches: {
    id: string
    score: number
    reasons: string[]
    childName: string
    dateOfBirth: string
    caseId: string | null
    caseReference: string | null
  }[]
  family: {
    siblings: { caseId: string | null; reference: string | null; name: string; dateOfBirth: string }[]
    adults: { name: string; relationship: string; phones: string[]; email: string | null }[]
  }
  referral: { id: string; version: number; document: Referral; status: string } | null
  proposal: PriorityProposal | null
  work: Workspace
}

export const stageLabel = (status: string): string => (isCaseStatus(status) ? CASE_STATUSES[status] : status)
export const priorityLabel = (p: string | null): string | null => (p !== null && isPriority(p) ? PRIORITIES[p] : null)

export function createCaseService(
  { db, clock }: Deps,
  schoolDaysFor: (laCode: string, schoolId: string | null) => Promise<SchoolDays>,
) {
  /** The case, if it is in the caller's LA and the caller may work it. */
  async function workable(trx: Transaction<Database>, caller: Caller, caseId: string) {
    if (!can(caller.actor, 'case:work')) throw new ForbiddenError('case:work')
    const c = await trx.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst()
    if (!c || c.la_code !== caller.actor.laCode) throw new NotFoundError('Case')
    return c
  }

  return {
    /** Opens a case for the caller at the level the policy allows, and records the look in the audit trail. */
    async view(caller: Caller, caseId: string): Promise<CaseFullView | CaseStatusView> {
      // Looked up before the transaction: the calendar reads through its own connection (one, on SQLite).
      const where = await db
        .selectFrom('cases')
        .select(['la_code', 'school_id'])
        .where('id', '=', caseId)
        .executeTakeFirst()
      const days = where ? await schoolDaysFor(where.la_code, where.school_id) : undefined
      return db.transaction().execute(async trx => {
        const record = await findCaseWithChild(trx, caseId)
        if (!record) throw new NotFoundError('Case')
        const level = caseViewFor(caller.actor, {
          laCode: record.la_code,
          schoolId: record.school_id,
          referrerOrgId: record.referrer_org_id,
        })
        if (level === 'none') throw new ForbiddenError('case:view')
        await audit(trx, clock, caller.actor, caller.request, level === 'full' ? 'case.view' : 'case.view-status', [
          { caseId: record.id, childId: record.child_id },
        ])
        if (level === 'status')
          return {
            view: 'status',
            caseId: record.id,
            reference: record.reference,
            stage: stageLabel(record.status),
            referredOn: record.referred_on,
            closedOn: record.closed_on,
          }
        const [events, matches, siblings, adults, referral] = await Promise.all([
          trx.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('at', 'desc').execute(),
          trx
            .selectFrom('possible_matches')
            .innerJoin('children', 'children.id', 'possible_matches.candidate_child_id')
            .leftJoin('cases', 'cases.id', 'possible_matches.candidate_case_id')
            .select([
              'possible_matches.id',
              'possible_matches.score',
              'possible_matches.reasons',
              'children.first_name',
              'children.last_name',
              'children.date_of_birth',
              'cases.id as case_id',
              'cases.reference as case_reference',
            ])
            .where('possible_matches.case_id', '=', caseId)
            .where('possible_matches.status', '=', 'open')
            .orderBy('possible_matches.score', 'desc')
            .execute(),
          record.family_id
            ? trx
                .selectFrom('children')
                .leftJoin('cases', 'cases.child_id', 'children.id')
                .select([
                  'children.first_name',
                  'children.last_name',
                  'children.date_of_birth',
                  'cases.id as case_id',
                  'cases.reference',
                ])
                .where('children.family_id', '=', record.family_id)
                .where('children.id', '!=', record.child_id)
                .execute()
            : Promise.resolve([]),
          record.family_id
            ? trx.selectFrom('family_members').selectAll().where('family_id', '=', record.family_id).execute()
            : Promise.resolve([]),
          latestReferralVersion(trx, record.referral_id),
        ])
        const today = clock.today()
        if (!days) throw new NotFoundError('Case')
        const work = await loadWorkspace(trx, record, caller.actor, today, days)
        return {
          view: 'full',
          caseId: record.id,
          reference: record.reference,
          stage: stageLabel(record.status),
          status: record.status,
          priority: priorityLabel(record.priority),
          age: ageOn(record.date_of_birth, today),
          version: record.version,
          record,
          timeline: events.map(e => ({
            at: e.at,
            actorName: e.actor_name,
            summary: e.summary,
            detail: e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : null,
          })),
          matches: matches.map(m => ({
            id: m.id,
            score: m.score,
            reasons: JSON.parse(m.reasons) as string[],
            childName: `${m.first_name} ${m.last_name}`,
            dateOfBirth: m.date_of_birth,
            caseId: m.case_id,
            caseReference: m.case_reference,
          })),
          family: {
            siblings: siblings.map(s => ({
              caseId: s.case_id,
              reference: s.reference,
              name: `${s.first_name} ${s.last_name}`,
              dateOfBirth: s.date_of_birth,
            })),
            adults: adults.map(a => ({
              name: a.name,
              relationship: a.relationship,
              phones: JSON.parse(a.phones) as string[],
              email: a.email,
            })),
          },
          referral,
          proposal:
            record.status === 'received'
              ? proposalFor(record, referral?.document ?? null, record.date_of_birth, today)
              : null,
          work,
        }
      })
    },

    /** "This is the same child": the case moves to the known child; the record made from the referral is removed. */
    async linkMatch(caller: Caller, caseId: string, matchId: string): Promise<void> {
      await db.transaction().execute(async trx => {
        const c = await workable(trx, caller, caseId)
        const m = await trx
          .selectFrom('possible_matches')
          .selectAll()
          .where('id', '=', matchId)
          .where('case_id', '=', caseId)
          .executeTakeFirst()
        if (!m || m.status !== 'open') throw new NotFoundError('Possible match')
        const now = clock.now().toISOString()
        const provisional = c.child_id
        await trx
          .updateTable('cases')
          .set({ child_id: m.candidate_child_id, possible_duplicate: 0, updated_at: now, version: c.version + 1 })
          .where('id', '=', caseId)
          .execute()
        await trx
          .updateTable('possible_matches')
          .set({ status: 'linked', decided_by: caller.actor.id, decided_at: now })
          .where('id', '=', matchId)
          .execute()
        await trx
          .updateTable('possible_matches')
          .set({ status: 'dismissed', decided_by: caller.actor.id, decided_at: now })
          .where('case_id', '=', caseId)
          .where('status', '=', 'open')
          .execute()
        // The referral's family (siblings, adults) joins the known child's family.
        const known = await trx
          .selectFrom('children')
          .select(['family_id'])
          .where('id', '=', m.candidate_child_id)
          .executeTakeFirstOrThrow()
        const made = await trx
          .selectFrom('children')
          .select(['family_id'])
          .where('id', '=', provisional)
          .executeTakeFirstOrThrow()
        if (made.family_id && known.family_id && made.family_id !== known.family_id) {
          await trx
            .updateTable('children')
            .set({ family_id: known.family_id })
            .where('family_id', '=', made.family_id)
            .execute()
          await trx
            .updateTable('family_members')
            .set({ family_id: known.family_id })
            .where('family_id', '=', made.family_id)
            .execute()
        } else if (made.family_id && !known.family_id) {
          await trx
            .updateTable('children')
            .set({ family_id: made.family_id })
            .where('id', '=', m.candidate_child_id)
            .execute()
        }
        const stillUsed = await trx
          .selectFrom('cases')
          .select('id')
          .where('child_id', '=', provisional)
          .executeTakeFirst()
        const candidateElsewhere = await trx
          .selectFrom('possible_matches')
          .select('id')
          .where('candidate_child_id', '=', provisional)
          .executeTakeFirst()
        if (!stillUsed && !candidateElsewhere) await trx.deleteFrom('children').where('id', '=', provisional).execute()
        await recordCaseEvent(
          trx,
          clock,
          caller.actor,
          caseId,
          'case.linked',
          'Linked to a child already known to the service',
        )
        await audit(trx, clock, caller.actor, caller.request, 'case.link-child', [
          { caseId, childId: m.candidate_child_id },
        ])
      })
    },

    /** "Not the same child": the referral stands as a new child. */
    async dismissMatch(caller: Caller, caseId: string, matchId: string): Promise<void> {
      await db.transaction().execute(async trx => {
        const c = await workable(trx, caller, caseId)
        const now = clock.now().toISOString()
        const r = await trx
          .updateTable('possible_matches')
          .set({ status: 'dismissed', decided_by: caller.actor.id, decided_at: now })
          .where('id', '=', matchId)
          .where('case_id', '=', caseId)
          .where('status', '=', 'open')
          .executeTakeFirst()
        if (Number(r.numUpdatedRows) === 0) throw new NotFoundError('Possible match')
        const open = await trx
          .selectFrom('possible_matches')
          .select('id')
          .where('case_id', '=', caseId)
          .where('status', '=', 'open')
          .executeTakeFirst()
        if (!open)
          await trx
            .updateTable('cases')
            .set({ possible_duplicate: 0, updated_at: now })
            .where('id', '=', caseId)
            .execute()
        await recordCaseEvent(
          trx,
          clock,
          caller.actor,
          caseId,
          'case.match-dismissed',
          'A possible match was checked: not the same child',
        )
        await audit(trx, clock, caller.actor, caller.request, 'case.dismiss-match', [{ caseId, childId: c.child_id }])
      })
    },
  }
}
