import { caseViewFor } from '../domain/access.js'
import { CASE_STATUSES, PRIORITIES, isCaseStatus, isPriority } from '../domain/caseStatus.js'
import { ageOn } from '../domain/dates.js'
import { findCaseWithChild, type CaseWithChild } from '../data/repositories/caseRepository.js'
import { audit } from './audit.js'
import type { Caller, Deps } from './deps.js'
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
  record: CaseWithChild
}

export const stageLabel = (status: string): string => (isCaseStatus(status) ? CASE_STATUSES[status] : status)
export const priorityLabel = (p: string | null): string | null => (p !== null && isPriority(p) ? PRIORITIES[p] : null)

export function createCaseService({ db, clock }: Deps) {
  return {
    /** Opens a case for the caller at the level the policy allows, and records the look in the audit trail. */
    async view(caller: Caller, caseId: string): Promise<CaseFullView | CaseStatusView> {
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
        return {
          view: 'full',
          caseId: record.id,
          reference: record.reference,
          stage: stageLabel(record.status),
          status: record.status,
          priority: priorityLabel(record.priority),
          age: ageOn(record.date_of_birth, clock.today()),
          record,
        }
      })
    },
  }
}
