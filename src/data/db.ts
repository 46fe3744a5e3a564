/**
 * One Kysely instance over SQLite (embedded default) or PostgreSQL (production), chosen by
 * DATABASE_URL. The SQL written against it must run on both; the test suite proves it.
 */
import SQLite from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteAdapter, sql } from 'kysely'
import pg from 'pg'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { DatabaseConfig } from '../config.js'
import type { Database } from './schema.js'
import { preparingPool } from './pgPrepared.js'
import { GroupCommitSqliteDialect } from './sqliteGroupCommit.js'

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
    // SQLite's default page cache is 2 MB: at 100,000 cases the list's indexes and the audit trail's
    // outgrow it, and every page missed is a system call. 64 MB of cache and reads through a memory map.
    database.pragma('cache_size = -65536')
    database.pragma('mmap_size = 268435456')
    return new Kysely<Database>({ dialect: new GroupCommitSqliteDialect(database) })
  }
  const pool = new pg.Pool({ connectionString: config.url, max: options.poolSize ?? 10 })
  // An idle connection the server ends (a restart, a failover, an administrator) is dropped from the
  // pool and replaced on next use; without a listener node-postgres would throw it and stop the process.
  pool.on('error', () => {})
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: config.preparedStatements === false ? pool : preparingPool(pool) }),
  })
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
