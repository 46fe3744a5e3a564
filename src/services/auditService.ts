import { can } from '../domain/access.js'
import { searchAuditEvents, viewersOfCase } from '../data/repositories/auditQueries.js'
import { audit } from './audit.js'
import type { Caller, Deps } from './deps.js'
import { ForbiddenError } from './errors.js'

export interface AuditSearch {
  actorId?: string | undefined
  caseReference?: string | undefined
  from?: string | undefined
  to?: string | undefined
}

/** Reading the audit trail: for managers. Searching it is itself recorded. */
export function createAuditService({ db, clock }: Deps) {
  return {
    async search(caller: Caller, filter: AuditSearch) {
      if (!can(caller.actor, 'audit:view')) throw new ForbiddenError('audit:view')
      return db.transaction().execute(async trx => {
        let caseId: string | undefined
        if (filter.caseReference) {
          const c = await trx
            .selectFrom('cases')
            .select('id')
            .where('reference', '=', filter.caseReference.trim().toUpperCase())
            .where('la_code', '=', caller.actor.laCode)
            .executeTakeFirst()
          if (!c) return { events: [], caseNotFound: true }
          caseId = c.id
        }
        const events = await searchAuditEvents(trx, {
          laCode: caller.actor.laCode,
          actorId: filter.actorId,
          caseId,
          from: filter.from,
          to: filter.to,
          limit: 200,
        })
        await audit(trx, clock, caller.actor, caller.request, 'audit.search', [{ caseId: caseId ?? null }])
        return { events, caseNotFound: false }
      })
    },

    /** "Who has viewed this record", shown to managers on the case page. */
    async viewersOf(caller: Caller, caseId: string) {
      if (!can(caller.actor, 'audit:view')) return undefined
      return viewersOfCase(db, caseId)
    },
  }
}
