/**
 * A database handle that watches how a service uses it, for the rule "every read and write of a
 * child's record is authorised in the service layer and audited in the same transaction":
 *
 * - every query started on the handle itself (not on a transaction it opened) is noted with its table,
 *   so a test can say no child's record was read outside the transaction;
 * - every transaction opened is counted, so a test can say a page was one transaction, not two;
 * - the audit trail can be made to refuse (any query on `audit_head`, which every append starts with on
 *   both engines), inside transactions too, so a test can say the work was undone with the audit.
 */
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
} from 'kysely'
import type { Db } from '../../src/data/db.js'

/** Tables holding a child's or pupil's record, or a record about one. */
export const CHILD_RECORD_TABLES: ReadonlySet<string> = new Set([
  'pupils',
  'pupil_concerns',
  'concern_contacts',
  'pupil_deletions',
  'ehe_notices',
  'ctf_files',
  'school_returns',
  'possibly_located_alerts',
  'la_enquiries',
  'cases',
  'children',
  'sao_processes',
  'referrals',
])

const STARTS_A_QUERY = new Set([
  'selectFrom',
  'insertInto',
  'updateTable',
  'deleteFrom',
  'replaceInto',
  'mergeInto',
  'with',
])

export class AuditRefused extends Error {
  constructor() {
    super('audit refused by the test')
  }
}

export interface WatchedDb {
  /** Build services from this. */
  db: Db
  /** Tables named by queries started outside any transaction since the last reset. */
  outside: string[]
  /** Transactions opened since the last reset. */
  transactions: number
  /** While true, appending to the audit trail fails. */
  refuseAudit: boolean
  reset(): void
  /** The child-record tables read or written outside a transaction since the last reset. */
  childTablesOutside(): string[]
}

const tablesOf = (from: unknown): string[] =>
  (Array.isArray(from) ? from : [from]).flatMap(f => (typeof f === 'string' ? [f.trim().split(/\s+/)[0] ?? f] : []))

export function watchDb(db: Db): WatchedDb {
  const watched: WatchedDb = {
    db,
    outside: [],
    transactions: 0,
    refuseAudit: false,
    reset() {
      watched.outside = []
      watched.transactions = 0
      watched.refuseAudit = false
    },
    childTablesOutside: () => [...new Set(watched.outside.filter(t => CHILD_RECORD_TABLES.has(t)))],
  }
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      if (watched.refuseAudit && JSON.stringify(args.node).includes('"audit_head"')) throw new AuditRefused()
      return args.node
    },
    transformResult(args: PluginTransformResultArgs): Promise<QueryResult<Record<string, unknown>>> {
      return Promise.resolve(args.result)
    },
  }
  const base = db.withPlugin(plugin)
  watched.db = new Proxy(base, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target)
      if (typeof value !== 'function') return value
      const fn = value as (...args: unknown[]) => unknown
      if (prop === 'transaction')
        return (...args: unknown[]) => {
          watched.transactions += 1
          return fn.apply(target, args)
        }
      if (typeof prop === 'string' && STARTS_A_QUERY.has(prop))
        return (...args: unknown[]) => {
          watched.outside.push(...tablesOf(args[0]))
          return fn.apply(target, args)
        }
      return fn.bind(target)
    },
  })
  return watched
}
