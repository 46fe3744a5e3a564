import { can } from '../domain/access.js'
import { ageOn } from '../domain/dates.js'
import { listOpenCases } from '../data/repositories/caseRepository.js'
import { audit } from './audit.js'
import { priorityLabel, stageLabel } from './caseService.js'
import type { Caller, Deps } from './deps.js'
import { ForbiddenError } from './errors.js'

export interface SingleListEntry {
  caseId: string
  reference: string
  childName: string
  age: number
  schoolName: string | null
  referredOn: string
  stage: string
  priority: string | null
  flags: string[]
}

export interface SingleListPage {
  entries: SingleListEntry[]
  total: number
  page: number
  pageCount: number
  pageSize: number
}

export function createSingleListService({ db, clock }: Deps) {
  return {
    /** The LA's open cases. Every row shown is a look at a child's record, so each is audited. */
    async list(caller: Caller, options: { page: number; pageSize?: number }): Promise<SingleListPage> {
      if (!can(caller.actor, 'single-list:view')) throw new ForbiddenError('single-list:view')
      const pageSize = options.pageSize ?? 25
      const page = Math.max(1, Math.floor(options.page))
      const today = clock.today()
      return db.transaction().execute(async trx => {
        const { rows, total } = await listOpenCases(trx, { laCode: caller.actor.laCode, page, pageSize })
        await audit(
          trx,
          clock,
          caller.actor,
          caller.request,
          'single-list.view',
          rows.map(r => ({ caseId: r.caseId, childId: r.childId })),
        )
        return {
          total,
          page,
          pageSize,
          pageCount: Math.max(1, Math.ceil(total / pageSize)),
          entries: rows.map(r => ({
            caseId: r.caseId,
            reference: r.reference,
            childName: `${r.firstName} ${r.lastName}`,
            age: ageOn(r.dateOfBirth, today),
            schoolName: r.schoolName,
            referredOn: r.referredOn,
            stage: stageLabel(r.status),
            priority: priorityLabel(r.priority),
            flags: [
              ...(r.possibleDuplicate ? ['Possible duplicate'] : []),
              ...(r.cpPlan ? ['CP plan'] : []),
              ...(r.lookedAfter ? ['Looked after'] : []),
              ...(r.ehcp ? ['EHCP'] : []),
              ...(r.believedAbroad ? ['Believed abroad'] : []),
              ...(r.leadProfessional ? ['Lead professional'] : []),
            ],
          })),
        }
      })
    },
  }
}
