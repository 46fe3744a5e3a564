import SQLite from 'better-sqlite3'
import { Kysely, sql, type Generated } from 'kysely'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { GroupCommitSqliteDialect } from '../../src/data/sqliteGroupCommit.js'

interface Schema {
  notes: { id: Generated<number>; body: string }
}

/**
 * The group-commit driver against a real file in WAL mode, watched through a second, independent
 * connection: what that connection can read is what has been committed.
 */
describe('SQLite group commit', () => {
  let dir: string
  let file: string
  let dialect: GroupCommitSqliteDialect
  let db: Kysely<Schema>
  let observer: SQLite.Database

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'onroll-group-commit-'))
    file = join(dir, 'test.sqlite')
    const database = new SQLite(file)
    database.pragma('journal_mode = WAL')
    database.pragma('synchronous = FULL')
    dialect = new GroupCommitSqliteDialect(database)
    db = new Kysely<Schema>({ dialect })
    await sql`create table notes (id integer primary key, body text not null unique)`.execute(db)
    observer = new SQLite(file, { readonly: true })
  })

  afterEach(async () => {
    observer.close()
    await db.destroy().catch(() => undefined)
    rmSync(dir, { recursive: true, force: true })
  })

  const committed = (): string[] =>
    (observer.prepare('select body from notes order by id').all() as { body: string }[]).map(r => r.body)
  const stats = () => dialect.driver!.stats

  it('commits transactions that run together with one COMMIT, each returning only once it is committed', async () => {
    const before = { ...stats() }
    const bodies = Array.from({ length: 10 }, (_, i) => `note ${String(i)}`)
    const seenOnReturn: number[] = []
    await Promise.all(
      bodies.map(async body => {
        await db.transaction().execute(trx => trx.insertInto('notes').values({ body }).execute())
        seenOnReturn.push(committed().length)
      }),
    )
    expect(committed()).toEqual(bodies)
    // Every transaction, when its commit returned, could already be read by another connection.
    expect(seenOnReturn.every(n => n === bodies.length)).toBe(true)
    expect(stats().transactions - before.transactions).toBe(10)
    expect(stats().commits - before.commits).toBe(1)
  })

  it('does not return from a commit while the next transaction in its group is still working', async () => {
    let firstReturned = false
    let seenBySecond: string[] | undefined
    let firstReturnedBeforeSecond: boolean | undefined
    const first = db
      .transaction()
      .execute(trx => trx.insertInto('notes').values({ body: 'first' }).execute())
      .then(() => {
        firstReturned = true
      })
    const second = db.transaction().execute(async trx => {
      // The first has handed the connection on: its work is done but not yet committed.
      seenBySecond = committed()
      firstReturnedBeforeSecond = firstReturned
      await trx.insertInto('notes').values({ body: 'second' }).execute()
    })
    await Promise.all([first, second])
    expect(seenBySecond).toEqual([])
    expect(firstReturnedBeforeSecond).toBe(false)
    expect(committed()).toEqual(['first', 'second'])
  })

  it('rolls back a failed transaction alone and keeps the rest of its group', async () => {
    await db.insertInto('notes').values({ body: 'taken' }).execute()
    const results = await Promise.allSettled([
      db.transaction().execute(trx => trx.insertInto('notes').values({ body: 'first' }).execute()),
      db.transaction().execute(async trx => {
        await trx.insertInto('notes').values({ body: 'half done' }).execute()
        await trx.insertInto('notes').values({ body: 'taken' }).execute() // unique: fails
      }),
      db.transaction().execute(trx => trx.insertInto('notes').values({ body: 'third' }).execute()),
    ])
    expect(results.map(r => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(committed()).toEqual(['taken', 'first', 'third'])
  })

  it('makes a write outside a transaction durable before it returns, with the group before it', async () => {
    const tx = db.transaction().execute(trx => trx.insertInto('notes').values({ body: 'in a group' }).execute())
    // Let the transaction finish its work and hand the connection on before the next write.
    await new Promise(resolve => setTimeout(resolve, 0))
    await db.insertInto('notes').values({ body: 'on its own' }).execute()
    expect(committed()).toEqual(['in a group', 'on its own'])
    await tx
  })

  it('reads in a transaction what earlier transactions of the same group wrote', async () => {
    const [, count] = await Promise.all([
      db.transaction().execute(trx => trx.insertInto('notes').values({ body: 'a' }).execute()),
      db.transaction().execute(async trx => {
        const row = await trx
          .selectFrom('notes')
          .select(eb => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
        return row.n
      }),
    ])
    expect(count).toBe(1)
  })

  it('commits an open group when the database is closed', async () => {
    let worked!: () => void
    const workDone = new Promise<void>(resolve => {
      worked = resolve
    })
    const tx = db.transaction().execute(async trx => {
      await trx.insertInto('notes').values({ body: 'last' }).execute()
      worked()
    })
    await workDone
    await db.destroy()
    await tx
    expect(committed()).toEqual(['last'])
  })

  it('waits for another connection’s write lock without stopping the process', async () => {
    const other = new SQLite(file)
    other.pragma('busy_timeout = 2000')
    const second = new Kysely<Schema>({ dialect: new GroupCommitSqliteDialect(other) })
    try {
      let ticks = 0
      const ticker = setInterval(() => {
        ticks += 1
      }, 5)
      // The first holds the write lock across a timer; with SQLite's own busy handler the second would
      // sleep the whole process, the timer could never fire, and both would wait out the busy timeout.
      const first = db.transaction().execute(async trx => {
        await trx.insertInto('notes').values({ body: 'first holder' }).execute()
        await new Promise(resolve => setTimeout(resolve, 100))
      })
      await new Promise(resolve => setTimeout(resolve, 10))
      const started = Date.now()
      await second.transaction().execute(trx => trx.insertInto('notes').values({ body: 'second holder' }).execute())
      const waited = Date.now() - started
      await first
      clearInterval(ticker)
      expect(committed()).toEqual(['first holder', 'second holder'])
      expect(waited).toBeLessThan(1500)
      expect(ticks).toBeGreaterThan(5)
    } finally {
      await second.destroy()
    }
  })

  it('checkpoints on a thread of its own, so the database file catches up without a request doing it', async () => {
    const fileSize = () => statSync(file).size
    const before = fileSize()
    await db.transaction().execute(async trx => {
      for (let i = 0; i < 20; i++)
        await trx
          .insertInto('notes')
          .values(Array.from({ length: 50 }, (_, j) => ({ body: `${String(i)}-${String(j)}-${'x'.repeat(500)}` })))
          .execute()
    })
    // Committed to the WAL only: the web connection's own threshold is far above these few pages.
    expect(fileSize()).toBe(before)
    const deadline = Date.now() + 5000
    while (fileSize() === before && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50))
    expect(fileSize()).toBeGreaterThan(before + 500_000)
  })
})
