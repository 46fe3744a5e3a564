/**
 * One Kysely instance over SQLite (embedded default) or PostgreSQL (production), chosen by
 * DATABASE_URL. The SQL written against it must run on both; the test suite proves it.
 */
import SQLite from 'better-sqlite3'
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  sql,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
} from 'kysely'
import pg from 'pg'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { DatabaseConfig } from '../config.js'
import type { Database } from './schema.js'

export type Db = Kysely<Database>
export type Engine = DatabaseConfig['engine']

// Date-only columns stay as 'YYYY-MM-DD' text; pg would otherwise turn them into JS Dates at midnight local time.
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v)
// count(*) and bigint arrive as strings from pg; every count we take fits in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v))

export function createDb(config: DatabaseConfig, options: { poolSize?: number } = {}): Db {
  if (config.engine === 'sqlite') {
    if (config.file !== ':memory:') mkdirSync(dirname(config.file), { recursive: true })
    const database = new SQLite(config.file)
    database.pragma('journal_mode = WAL')
    database.pragma('synchronous = FULL')
    database.pragma('foreign_keys = ON')
    database.pragma('busy_timeout = 5000')
    return new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }) })
  }
  const pool = new pg.Pool({ connectionString: config.url, max: options.poolSize ?? 10 })
  // An idle connection the server ends (a restart, a failover, an administrator) is dropped from the
  // pool and replaced on next use; without a listener node-postgres would throw it and stop the process.
  pool.on('error', () => {})
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}

/**
 * Transactions on SQLite begin IMMEDIATE: they take the write lock at the start, waiting (busy_timeout)
 * for another process's writer. A deferred transaction that reads and then writes cannot wait: if another
 * process wrote in between, SQLite fails it at once with SQLITE_BUSY. Several web processes
 * (WEB_CONCURRENCY) share one database file, and nearly every transaction here writes (the audit trail).
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0]
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config)
    this.#config = config
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config)
  }
}

/**
 * Kysely prepares every query afresh; preparing costs more than running a small statement. Queries
 * are built from a fixed set of shapes, so their compiled statements are kept and reused. Kysely runs
 * one query at a time on the connection, so a statement is never in use twice at once.
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>()
  return {
    close: () => {
      cache.clear()
      database.close()
    },
    prepare: (sql: string) => {
      let statement = cache.get(sql)
      if (!statement) {
        // Bounded: statements built with a varying number of parameters (IN lists, batches) are many.
        if (cache.size >= 2000) cache.clear()
        statement = database.prepare(sql)
        cache.set(sql, statement)
      }
      return statement
    },
  }
}

export function engineOf(db: { getExecutor(): { readonly adapter: unknown } }): Engine {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres'
}

export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db)
}

/** Booleans are stored as 0/1 integers on both engines so the same SQL compares them. */
export const toFlag = (value: boolean): number => (value ? 1 : 0)
export const fromFlag = (value: number | null | undefined): boolean => value === 1
