import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../../src/data/db.js'
import { preparingPool } from '../../src/data/pgPrepared.js'
import type { Database } from '../../src/data/schema.js'
import { ENGINES, freshDatabase } from '../support/db.js'

/** What this connection has prepared: asked inside a transaction, so on the connection that ran the queries. */
const preparedOnConnection = (db: Kysely<Database>, run: (trx: Kysely<Database>) => Promise<unknown>) =>
  db.transaction().execute(async trx => {
    await run(trx)
    const rows = await sql<{ name: string }>`select name from pg_prepared_statements`.execute(trx)
    return rows.rows.map(r => r.name).filter(n => n.startsWith('onroll_'))
  })

describe.runIf(ENGINES.includes('postgres'))('PostgreSQL prepared statements', () => {
  let url: string
  let drop: () => Promise<void>

  beforeAll(async () => {
    const fresh = await freshDatabase('postgres')
    if (fresh.database.engine !== 'postgres') throw new Error('expected PostgreSQL')
    url = fresh.database.url
    drop = fresh.drop
  })
  afterAll(async () => {
    await drop()
  })

  it('prepares each statement once per connection and runs it again by name', async () => {
    const db = createDb({ engine: 'postgres', url }, { poolSize: 1 })
    try {
      // BEGIN, COMMIT and the question itself are statements too.
      await preparedOnConnection(db, async () => {})
      const before = await preparedOnConnection(db, async () => {})
      const names = await preparedOnConnection(db, async trx => {
        for (const n of [1, 2, 3])
          expect((await sql<{ n: number }>`select ${n}::int as n`.execute(trx)).rows).toEqual([{ n }])
        await sql`select 'another statement' as s`.execute(trx)
      })
      expect(names).toHaveLength(before.length + 2)
    } finally {
      await db.destroy()
    }
  })

  it('prepares nothing when turned off', async () => {
    const db = createDb({ engine: 'postgres', url, preparedStatements: false }, { poolSize: 1 })
    try {
      expect(await preparedOnConnection(db, trx => sql`select 1 as one`.execute(trx))).toEqual([])
    } finally {
      await db.destroy()
    }
  })

  it('stops preparing new statements at its limit, and still runs them', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 })
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool, 2) }) })
    try {
      const names = await preparedOnConnection(db, async trx => {
        // BEGIN took one of the two places; the first select the other; the rest run unnamed.
        for (const text of ['a', 'b', 'c', 'd'])
          expect((await sql<{ t: string }>`select ${sql.lit(text)} as t`.execute(trx)).rows).toEqual([{ t: text }])
      })
      expect(names).toHaveLength(2)
    } finally {
      await db.destroy()
    }
  })

  it('closes a connection whose statement a migration made stale, so that its replacement prepares afresh', async () => {
    const db = createDb({ engine: 'postgres', url }, { poolSize: 1 })
    try {
      await sql`create table stale_columns (a int)`.execute(db)
      await sql`insert into stale_columns values (1)`.execute(db)
      const read = () => sql<Record<string, unknown>>`select * from stale_columns`.execute(db)
      expect((await read()).rows).toEqual([{ a: 1 }])
      await sql`alter table stale_columns add column b int`.execute(db)
      await expect(read()).rejects.toMatchObject({ code: '0A000' })
      expect((await read()).rows).toEqual([{ a: 1, b: null }])
    } finally {
      await db.destroy()
    }
  })
})
