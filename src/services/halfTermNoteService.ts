/**
 * Reading the half-termly notes of closed cases that the `half-term-note` job files in `reports`
 * (protocol: closed cases are reported to the EWS Operational Manager every half term). Counts only:
 * a note names no child.
 */
import { can } from '../domain/access.js'
import { OUTCOME_KINDS, isOutcomeKind } from '../domain/case.js'
import { audit } from './audit.js'
import type { Caller, Deps } from './deps.js'
import { ForbiddenError, NotFoundError } from './errors.js'

export interface HalfTermNote {
  id: string
  from: string
  to: string
  createdAt: string
  total: number
  outcomes: { key: string; label: string; count: number }[]
}

const outcomeLabel = (key: string): string =>
  isOutcomeKind(key) ? OUTCOME_KINDS[key].label : key === 'transferred' ? 'Transferred to another local authority' : key

function parse(r: {
  id: string
  period_from: string
  period_to: string
  created_at: string
  body: string
}): HalfTermNote {
  const body = JSON.parse(r.body) as { total?: number; byOutcome?: Record<string, number> }
  return {
    id: r.id,
    from: r.period_from,
    to: r.period_to,
    createdAt: r.created_at,
    total: body.total ?? 0,
    outcomes: Object.entries(body.byOutcome ?? {}).map(([key, count]) => ({ key, label: outcomeLabel(key), count })),
  }
}

export function createHalfTermNoteService({ db, clock }: Deps) {
  const require = (caller: Caller) => {
    if (!can(caller.actor, 'oversight:view')) throw new ForbiddenError('oversight:view')
  }
  return {
    /** Every note, newest first. */
    async list(caller: Caller): Promise<HalfTermNote[]> {
      require(caller)
      return db.transaction().execute(async trx => {
        const rows = await trx
          .selectFrom('reports')
          .selectAll()
          .where('la_code', '=', caller.actor.laCode)
          .where('kind', '=', 'half-term-note')
          .orderBy('period_to', 'desc')
          .execute()
        await audit(trx, clock, caller.actor, caller.request, 'report.list', [{ detail: { notes: rows.length } }])
        return rows.map(parse)
      })
    },

    async show(caller: Caller, id: string): Promise<HalfTermNote> {
      require(caller)
      return db.transaction().execute(async trx => {
        const r = await trx
          .selectFrom('reports')
          .selectAll()
          .where('id', '=', id)
          .where('la_code', '=', caller.actor.laCode)
          .where('kind', '=', 'half-term-note')
          .executeTakeFirst()
        if (!r) throw new NotFoundError('Half-term note')
        await audit(trx, clock, caller.actor, caller.request, 'report.view', [{ detail: { reportId: r.id } }])
        return parse(r)
      })
    },
  }
}

export type HalfTermNoteService = ReturnType<typeof createHalfTermNoteService>
