import { can } from '../domain/access.js'
import { isIsoDate, type IsoDate } from '../domain/dates.js'
import {
  DEFAULT_POLICY,
  DEFAULT_POLICY_VALUES,
  POLICY_RULE_KEYS,
  nextPolicyVersionNumber,
  policyInForce,
  validatePolicyValues,
  type PolicyValues,
  type PolicyVersion,
} from '../domain/policy.js'
import { newId } from '../data/ids.js'
import {
  insertPolicyVersion,
  listPolicyVersions,
  type PolicyVersionRow,
} from '../data/repositories/policyRepository.js'
import { audit } from './audit.js'
import type { Caller, Deps } from './deps.js'
import { ForbiddenError, ValidationError } from './errors.js'

/** A version as the settings page lists it: who made it and when, and whether it is the built-in default. */
export interface PolicyVersionView extends PolicyVersion {
  builtIn: boolean
  createdAt: string | null
  createdByName: string | null
}

export interface NewPolicyVersion {
  effectiveFrom: string
  values: Record<string, unknown>
  note?: string | undefined
}

/**
 * A stored row as a PolicyVersion. A rule added to onroll after the row was written takes its
 * default, so an old version never lacks a value (and the settings page says what it was).
 */
function toVersion(row: PolicyVersionRow): PolicyVersion {
  const stored = JSON.parse(row.policy_values) as Record<string, unknown>
  const values = { ...DEFAULT_POLICY_VALUES }
  for (const key of POLICY_RULE_KEYS) {
    const v = stored[key]
    if (typeof v === 'number' && Number.isInteger(v)) values[key] = v
  }
  return {
    id: row.id,
    version: row.version,
    effectiveFrom: row.effective_from,
    values,
    ...(row.note ? { note: row.note } : {}),
  }
}

/**
 * The built-in default is version 1 from 19 August 2024; it counts as a version even when no row
 * holds it, so a stored version never reuses the number a deadline computed under the default cites.
 */
function withDefault(stored: readonly PolicyVersion[]): PolicyVersion[] {
  return stored.some(v => v.version === DEFAULT_POLICY.version) ? [...stored] : [DEFAULT_POLICY, ...stored]
}

/** Policy versions: the timescales as dated data (docs/rules.md §1). */
export function createPolicyService({ db, clock }: Deps) {
  const require = (caller: Caller) => {
    if (caller.actor.kind !== 'system' && !can(caller.actor, 'admin:settings'))
      throw new ForbiddenError('admin:settings')
  }

  const versionsOf = async (laCode: string) => (await listPolicyVersions(db, laCode)).map(toVersion)

  return {
    /**
     * The version in force on a date: the LA's latest version effective on or before it, else the
     * built-in default (also before 19 August 2024, which is the nearest the law gives).
     */
    async inForce(laCode: string, on: IsoDate): Promise<PolicyVersion> {
      return policyInForce(withDefault(await versionsOf(laCode)), on) ?? DEFAULT_POLICY
    },

    /**
     * The LA's versions read once, answering for any date without another query: for a service that
     * learns the date inside its transaction (SQLite has one connection, which the transaction holds).
     */
    async inForceOn(laCode: string): Promise<(on: IsoDate) => PolicyVersion> {
      const versions = withDefault(await versionsOf(laCode))
      return on => policyInForce(versions, on) ?? DEFAULT_POLICY
    },

    /** Every version, newest first, and the one in force today. */
    async list(caller: Caller): Promise<{ versions: PolicyVersionView[]; inForce: PolicyVersion; today: IsoDate }> {
      require(caller)
      const rows = await listPolicyVersions(db, caller.actor.laCode)
      const stored = rows.map(r => ({
        ...toVersion(r),
        builtIn: false,
        createdAt: r.created_at,
        createdByName: r.created_by_name,
      }))
      const all: PolicyVersionView[] = stored.some(v => v.version === DEFAULT_POLICY.version)
        ? stored
        : [{ ...DEFAULT_POLICY, builtIn: true, createdAt: null, createdByName: null }, ...stored]
      const today = clock.today()
      return {
        versions: all.sort((a, b) => b.version - a.version),
        inForce: policyInForce(all, today) ?? DEFAULT_POLICY,
        today,
      }
    },

    /**
     * A new version from an effective date. The date may not be in the past: a deadline already
     * worked out stays explained by the version in force when it was computed. Returns the number.
     */
    async createVersion(caller: Caller, input: NewPolicyVersion): Promise<number> {
      require(caller)
      const laCode = caller.actor.laCode
      const today = clock.today()
      const problems: { field: string; message: string }[] = []
      if (!isIsoDate(input.effectiveFrom))
        problems.push({ field: 'effectiveFrom', message: 'Enter a real date the new values take effect from' })
      else if (input.effectiveFrom < today)
        problems.push({
          field: 'effectiveFrom',
          message: 'The date the new values take effect must be today or in the future',
        })
      const note = input.note?.trim() ?? ''
      if (note.length > 500) problems.push({ field: 'note', message: 'The note must be 500 characters or fewer' })
      const checked = validatePolicyValues(input.values)
      if (!checked.ok)
        for (const key of POLICY_RULE_KEYS) {
          const message = checked.problems[key]
          if (message) problems.push({ field: key, message })
        }
      if (problems.length > 0 || !checked.ok) throw new ValidationError(problems)
      const values: PolicyValues = checked.values

      return db.transaction().execute(async trx => {
        const versions = withDefault((await listPolicyVersions(trx, laCode)).map(toVersion))
        const version = nextPolicyVersionNumber(versions)
        const previous = policyInForce(versions, input.effectiveFrom) ?? DEFAULT_POLICY
        const id = newId()
        await insertPolicyVersion(trx, {
          id,
          la_code: laCode,
          version,
          effective_from: input.effectiveFrom,
          policy_values: JSON.stringify(values),
          note: note === '' ? null : note,
          created_by: caller.actor.kind === 'user' ? caller.actor.id : null,
          created_at: clock.now().toISOString(),
        })
        await audit(trx, clock, caller.actor, caller.request, 'policy.create-version', [
          {
            detail: {
              policyVersionId: id,
              version,
              effectiveFrom: input.effectiveFrom,
              changed: POLICY_RULE_KEYS.filter(k => previous.values[k] !== values[k]),
            },
          },
        ])
        return version
      })
    },
  }
}

export type PolicyService = ReturnType<typeof createPolicyService>
