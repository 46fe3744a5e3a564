/**
 * Databases for tests: SQLite always, PostgreSQL too when TEST_DATABASE_URL is set (each call
 * creates a fresh database there and drops it afterwards). REQUIRE_POSTGRES=1 turns a missing
 * TEST_DATABASE_URL into a failure instead of a skip.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { loadConfig, type Config, type DatabaseConfig } from '../../src/config.js'
import { fixedClock, type Clock } from '../../src/domain/clock.js'
import { createDb, type Db } from '../../src/data/db.js'
import { migrateToLatest } from '../../src/data/migrate.js'
import { createServices, type Services } from '../../src/services/index.js'

export type EngineName = 'sqlite' | 'postgres'

export const ENGINES: EngineName[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite']

if (process.env.REQUIRE_POSTGRES === '1' && !process.env.TEST_DATABASE_URL)
  throw new Error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: the PostgreSQL suite cannot run')

export async function freshDatabase(
  engine: EngineName,
): Promise<{ database: DatabaseConfig; drop: () => Promise<void> }> {
  if (engine === 'sqlite') return { database: { engine: 'sqlite', file: ':memory:' }, drop: async () => {} }
  const adminUrl = process.env.TEST_DATABASE_URL
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set')
  const name = `onroll_t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    database: { engine: 'postgres', url: url.href },
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    },
  }
}

export interface TestRuntime {
  engine: EngineName
  db: Db
  config: Config
  clock: Clock
  services: Services
  close: () => Promise<void>
}

export const TEST_NOW = '2026-11-25T10:00:00Z'

export function testConfig(database: DatabaseConfig, overrides: Record<string, string> = {}): Config {
  return {
    ...loadConfig({
      NODE_ENV: 'test',
      SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
      DEMO_SIGN_IN: 'true',
      ONROLL_DATA_DIR: '/tmp/onroll-test-unused',
      ...overrides,
    }),
    database,
  }
}

export async function openTestRuntime(
  engine: EngineName,
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<TestRuntime> {
  const { database, drop } = await freshDatabase(engine)
  const db = createDb(database, { poolSize: 4 })
  await migrateToLatest(db)
  const config = testConfig(database, options.env)
  const clock = options.clock ?? fixedClock(TEST_NOW)
  const services = createServices({ db, clock, config })
  return {
    engine,
    db,
    config,
    clock,
    services,
    close: async () => {
      await db.destroy()
      await drop()
    },
  }
}
