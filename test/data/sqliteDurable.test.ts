import SQLite from 'better-sqlite3'
import { Kysely, sql, type Generated } from 'kysely'
import { fstatSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { GroupCommitSqliteDialect } from '../../src/data/sqliteGroupCommit.js'

/**
 * The group's fsync runs on libuv's thread pool, not in COMMIT. node:fs's fsync is held here until the
 * test lets it go, to see that a transaction is not reported committed before its WAL is on disk.
 */
const held: { fd: number; done: (error: NodeJS.ErrnoException | null) => void }[] = []
vi.mock('node:fs', async importOriginal => {
  const fs = await importOriginal<typeof import('node:fs')>()
  return {
    ...fs,
    fsync: (fd: number, done: (error: NodeJS.ErrnoException | null) => void) => {
      held.push({ fd, done })
    },
  }
})

interface Schema {
  notes: { id: Generated<number>; body: string }
}

describe('SQLite group commit: durable before reported', () => {
  let dir: string
  let file: string
  let db: Kysely<Schema>
  let observer: SQLite.Database

  beforeEach(async () => {
    held.length = 0
    dir = mkdtempSync(join(tmpdir(), 'onroll-durable-'))
    file = join(dir, 'test.sqlite')
    const database = new SQLite(file)
    database.pragma('journal_mode = WAL')
    db = new Kysely<Schema>({ dialect: new GroupCommitSqliteDialect(database) })
    const created = sql`create table notes (id integer primary key, body text not null)`.execute(db)
    await vi.waitFor(() => {
      expect(held).toHaveLength(1)
    })
    held.shift()?.done(null)
    await created
    observer = new SQLite(file, { readonly: true })
  })

  afterEach(async () => {
    observer.close()
    for (const h of held.splice(0)) h.done(null)
    await db.destroy().catch(() => undefined)
    rmSync(dir, { recursive: true, force: true })
  })

  const committed = (): string[] =>
    (observer.prepare('select body from notes order by id').all() as { body: string }[]).map(r => r.body)

  it('runs COMMIT without an fsync of its own and reports the commit only after the WAL file’s fsync', async () => {
    let reported = false
    const tx = db
      .transaction()
      .execute(trx => trx.insertInto('notes').values({ body: 'pending' }).execute())
      .then(() => {
        reported = true
      })
    await vi.waitFor(() => {
      expect(held).toHaveLength(1)
    })
    // What is synced is the WAL file itself.
    expect(fstatSync(held[0]!.fd).ino).toBe(statSync(`${file}-wal`).ino)
    // COMMIT has run (another connection reads the row) but the caller has not been told.
    expect(committed()).toEqual(['pending'])
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(reported).toBe(false)
    // The connection is free meanwhile: the next group commits without waiting for this fsync.
    const next = db.transaction().execute(trx => trx.insertInto('notes').values({ body: 'next' }).execute())
    await vi.waitFor(() => {
      expect(held).toHaveLength(2)
    })
    held.shift()?.done(null)
    await tx
    expect(reported).toBe(true)
    held.shift()?.done(null)
    await next
  })

  it('fails every transaction in the group when the fsync fails, and refuses all work after it', async () => {
    const group = [
      db.transaction().execute(trx => trx.insertInto('notes').values({ body: 'a' }).execute()),
      db.transaction().execute(trx => trx.insertInto('notes').values({ body: 'b' }).execute()),
    ]
    await vi.waitFor(() => {
      expect(held).toHaveLength(1)
    })
    const error = Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })
    held.shift()?.done(error)
    const results = await Promise.allSettled(group)
    expect(results.map(r => r.status)).toEqual(['rejected', 'rejected'])
    // Committed, but perhaps not on disk: nobody was told it succeeded, and nothing more is done, since
    // a later fsync could succeed without the pages this one lost.
    expect(committed()).toEqual(['a', 'b'])
    await expect(db.selectFrom('notes').selectAll().execute()).rejects.toThrow(/restarted/)
    await expect(
      db.transaction().execute(trx => trx.insertInto('notes').values({ body: 'c' }).execute()),
    ).rejects.toThrow(/restarted/)
    expect(held).toHaveLength(0)
    // It still closes.
    await db.destroy()
  })

  it('makes a write outside a transaction wait for its fsync too', async () => {
    let returned = false
    const write = db
      .insertInto('notes')
      .values({ body: 'alone' })
      .execute()
      .then(() => {
        returned = true
      })
    await vi.waitFor(() => {
      expect(held).toHaveLength(1)
    })
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(returned).toBe(false)
    held.shift()?.done(null)
    await write
    expect(returned).toBe(true)
  })

  it('runs the connection with synchronous=NORMAL: the driver, not COMMIT, syncs the WAL', async () => {
    const mode = await sql<{ synchronous: number }>`pragma synchronous`.execute(db)
    expect(mode.rows[0]?.synchronous).toBe(1)
  })
})
