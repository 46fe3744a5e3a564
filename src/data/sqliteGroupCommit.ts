/**
 * SQLite with group commit: one fsync makes several transactions durable.
 *
 * better-sqlite3 is synchronous, so each COMMIT's fsync (`synchronous=FULL`) stops the whole process,
 * and nearly every transaction here writes (every read of a child's record appends audit events in
 * the transaction that read it). Under load the fsyncs, not the queries, set the pace. So:
 *
 * - The first transaction opens one physical transaction (`BEGIN IMMEDIATE`: the write lock, waiting
 *   for another process's writer) and works inside a savepoint; transactions that start before it is
 *   committed work in their own savepoint inside the same physical transaction, one after another.
 * - A transaction that finishes releases its savepoint and hands the connection on, but its commit
 *   does not return yet. At the end of the event-loop turn (`setImmediate`), the group is committed
 *   with one fsync, and only then does each transaction's commit return, so a caller never answers
 *   before its work is durable, exactly as with one COMMIT each.
 * - A transaction that fails rolls back to its savepoint: the others in the group keep their work.
 *   If the group's COMMIT fails, every transaction in it fails with that error.
 * - A write outside a transaction first commits the open group, then runs and commits on its own, so
 *   it is durable when it returns. A read outside a transaction may see a group's work a moment before
 *   that work is durable; a reader in this process, which answers after those writers anyway.
 *
 * - The fsync itself runs off the event loop. On a file in WAL mode the connection runs with
 *   `synchronous=NORMAL`, so COMMIT only writes the group's frames to the WAL; the driver then fsyncs
 *   the WAL file on libuv's thread pool and resolves the group's commits when that returns. That is
 *   what `synchronous=FULL` does (the WAL is synced before a commit is reported), without stopping the
 *   process for the disk: the next group can begin while this one's fsync is under way.
 * - A failed fsync is fatal, as it is to PostgreSQL: the group's work is committed but may not be on
 *   disk, and Linux reports such an error once, so a later fsync could succeed without the lost pages.
 *   Every transaction in the group fails, and so does everything asked of the driver afterwards: the
 *   readiness check fails and the process must be restarted (SQLite then recovers from the WAL).
 *
 * Checkpoints run on a thread of their own (sqliteCheckpointer.ts), not inside a request's COMMIT.
 *
 * Everything runs on one connection, as Kysely's own SQLite driver does, handed out first come, first
 * served. Compiled statements are kept and reused: preparing costs more than running a small statement.
 */
import type SQLite from 'better-sqlite3'
import { closeSync, fsync, fsyncSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { SqliteDialect, type CompiledQuery, type DatabaseConnection, type Driver, type QueryResult } from 'kysely'
import { BACKSTOP_CHECKPOINT_PAGES, startCheckpointer, type Checkpointer } from './sqliteCheckpointer.js'

/** The one connection goes to whoever asked first. */
class FifoMutex {
  #held = false
  readonly #queue: (() => void)[] = []

  lock(): Promise<void> {
    if (!this.#held) {
      this.#held = true
      return Promise.resolve()
    }
    return new Promise(resolve => this.#queue.push(resolve))
  }

  /** Passes the connection straight to the next in the queue, if any. */
  unlock(): void {
    const next = this.#queue.shift()
    if (next) next()
    else this.#held = false
  }
}

const isBusy = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED')

/** One holder's use of the connection, from acquire to release. */
class Lease implements DatabaseConnection {
  inTransaction = false
  released = false
  constructor(private readonly driver: GroupCommitSqliteDriver) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { result, committed } = this.driver.run<R>(this, query)
    // A write outside a transaction committed on its own: it returns once that commit is durable.
    if (committed) await this.driver.durable()
    return result
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { rows, committed } = this.driver.iterate<R>(this, query)
    for (const row of rows) yield { rows: [row] }
    if (committed) await this.driver.durable()
  }
}

/** Kysely hands back the connection this driver gave it. */
function leaseOf(connection: DatabaseConnection): Lease {
  if (!(connection instanceof Lease)) throw new Error('not a connection from this driver')
  return connection
}

interface Pending {
  resolve: () => void
  reject: (error: unknown) => void
}

const SAVEPOINT = 'onroll_tx'
/** Statements built with a varying number of parameters (IN lists, batches) are many: the cache is bounded. */
const STATEMENT_CACHE_SIZE = 2000

export class GroupCommitSqliteDriver implements Driver {
  readonly #db: SQLite.Database
  readonly #mutex = new FifoMutex()
  readonly #statements = new Map<string, SQLite.Statement>()
  /** A physical transaction is open (BEGIN IMMEDIATE issued, not yet committed). */
  #open = false
  /** Transactions whose savepoint is released, waiting for the group's COMMIT. */
  #pending: Pending[] = []
  #commitScheduled = false
  #checkpointer: Checkpointer | undefined
  /** The WAL file, fsynced after each COMMIT (see above); undefined for memory or a rollback journal. */
  #walFd: number | undefined
  /** fsyncs under way, awaited before the connection closes. */
  readonly #syncing = new Set<Promise<void>>()
  /** Set when an fsync failed: nothing more is done on this connection (see above). */
  #failed: Error | undefined
  /** How many transactions each COMMIT made durable: for tests and benchmarks. */
  readonly stats = { commits: 0, transactions: 0 }

  readonly #busyTimeoutMs: number

  constructor(database: SQLite.Database) {
    this.#db = database
    this.#busyTimeoutMs = Number(database.pragma('busy_timeout', { simple: true }))
  }

  async init(): Promise<void> {
    // A file in WAL mode is checkpointed by a thread of its own (sqliteCheckpointer.ts).
    if (!this.#db.memory && String(this.#db.pragma('journal_mode', { simple: true })) === 'wal') {
      this.#db.pragma(`wal_autocheckpoint = ${String(BACKSTOP_CHECKPOINT_PAGES)}`)
      // COMMIT writes the WAL; durable() syncs it, off the event loop, before any commit is reported.
      this.#db.pragma('synchronous = NORMAL')
      // A read creates the WAL file if this is the first connection; then its descriptor (r+: fsync
      // needs write access on some systems) and one fsync of the directory, as SQLite's own FULL does
      // for a new WAL file, so that the file itself survives a power cut.
      this.#db.prepare('select count(*) from sqlite_master').get()
      const walPath = `${this.#db.name}-wal`
      this.#walFd = openSync(walPath, 'r+')
      const dir = openSync(dirname(walPath), 'r')
      try {
        fsyncSync(dir)
      } finally {
        closeSync(dir)
      }
      this.#checkpointer = startCheckpointer(this.#db.name)
    }
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    this.#refuseIfFailed()
    await this.#mutex.lock()
    try {
      // An fsync may have failed while this caller waited for the connection.
      this.#refuseIfFailed()
    } catch (error) {
      this.#mutex.unlock()
      throw error
    }
    return new Lease(this)
  }

  #refuseIfFailed(): void {
    if (this.#failed) throw this.#failed
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = leaseOf(connection)
    if (!this.#open) {
      await this.#beginImmediate()
      this.#open = true
    }
    this.#exec(`savepoint ${SAVEPOINT}`)
    lease.inTransaction = true
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = leaseOf(connection)
    this.#exec(`release ${SAVEPOINT}`)
    lease.inTransaction = false
    const durable = new Promise<void>((resolve, reject) => {
      this.#pending.push({ resolve, reject })
    })
    // Hand the connection on now, so that transactions already waiting join this commit.
    this.#release(lease)
    this.#scheduleCommit()
    await durable
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = leaseOf(connection)
    // The group's COMMIT failed after this transaction's own work was done: SQLite rolled it all back.
    if (lease.released) return
    lease.inTransaction = false
    if (this.#db.inTransaction) {
      this.#exec(`rollback to ${SAVEPOINT}`)
      this.#exec(`release ${SAVEPOINT}`)
      this.#scheduleCommit()
    } else if (this.#open) {
      // Some errors (a full disk, an I/O error) make SQLite roll back the whole physical transaction:
      // the group's finished transactions are lost with it and must not be reported as committed.
      this.#open = false
      this.#failGroup(new Error('SQLite rolled back the transaction group after an error'))
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const lease = leaseOf(connection)
    if (!lease.released) this.#release(lease)
  }

  async destroy(): Promise<void> {
    await this.#mutex.lock()
    try {
      if (!this.#failed) this.#commitGroup()
      // A failed fsync has already failed its group; closing goes on regardless.
      await Promise.allSettled(this.#syncing)
    } finally {
      this.#statements.clear()
      await this.#checkpointer?.stop()
      if (this.#walFd !== undefined) closeSync(this.#walFd)
      this.#walFd = undefined
      this.#db.close()
    }
  }

  /** Runs one statement; `committed` says it was a write outside a transaction, committed on its own. */
  run<R>(lease: Lease, { sql, parameters }: CompiledQuery): { result: QueryResult<R>; committed: boolean } {
    this.#refuseIfFailed()
    const statement = this.#prepare(sql)
    const committed = !lease.inTransaction && !statement.readonly
    if (committed) this.#commitGroup()
    if (statement.reader) return { result: { rows: statement.all(parameters) as R[] }, committed }
    const { changes, lastInsertRowid } = statement.run(parameters)
    return { result: { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] }, committed }
  }

  /**
   * Resolves once everything committed so far is on disk: an fsync of the WAL file on libuv's thread
   * pool (fsync acts on the file, whichever descriptor asks). Nothing to do without a WAL file. A
   * failure is kept: the driver does nothing more (see above).
   */
  durable(): Promise<void> {
    if (this.#failed) return Promise.reject(this.#failed)
    const fd = this.#walFd
    if (fd === undefined) return Promise.resolve()
    const synced = new Promise<void>((resolve, reject) => {
      fsync(fd, error => {
        if (!error) {
          resolve()
          return
        }
        this.#failed ??= new Error(
          'SQLite: the write-ahead log could not be synced to disk; the process must be restarted',
          { cause: error },
        )
        reject(this.#failed)
      })
    })
    this.#syncing.add(synced)
    const forget = () => this.#syncing.delete(synced)
    synced.then(forget, forget)
    return synced
  }

  iterate<R>(lease: Lease, { sql, parameters }: CompiledQuery): { rows: IterableIterator<R>; committed: boolean } {
    this.#refuseIfFailed()
    const statement = this.#prepare(sql)
    if (!statement.reader) throw new Error('SQLite streams only queries that return rows')
    const committed = !lease.inTransaction && !statement.readonly
    if (committed) this.#commitGroup()
    return { rows: statement.iterate(parameters) as IterableIterator<R>, committed }
  }

  #prepare(sql: string): SQLite.Statement {
    let statement = this.#statements.get(sql)
    if (!statement) {
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.clear()
      statement = this.#db.prepare(sql)
      this.#statements.set(sql, statement)
    }
    return statement
  }

  /**
   * Takes the write lock. While another process holds it, SQLite's busy handler would put this whole
   * process to sleep, pages half-rendered and all; instead each attempt fails at once and the next
   * waits on a timer, so the process goes on with the work that does not need the lock. The wait is
   * bounded by the connection's busy timeout, as SQLite's own would be.
   */
  async #beginImmediate(): Promise<void> {
    const started = Date.now()
    for (let attempt = 0; ; attempt += 1) {
      this.#exec('pragma busy_timeout = 0')
      try {
        this.#exec('begin immediate')
        return
      } catch (error) {
        if (!isBusy(error) || Date.now() - started >= this.#busyTimeoutMs) throw error
      } finally {
        this.#exec(`pragma busy_timeout = ${String(this.#busyTimeoutMs)}`)
      }
      await new Promise(resolve => setTimeout(resolve, Math.min(2 ** attempt, 10)))
    }
  }

  #exec(sql: string): void {
    this.#prepare(sql).run()
  }

  #release(lease: Lease): void {
    lease.released = true
    this.#mutex.unlock()
  }

  /** At the end of this turn of the event loop, after the transactions already under way have had theirs. */
  #scheduleCommit(): void {
    if (this.#commitScheduled) return
    this.#commitScheduled = true
    setImmediate(() => {
      void this.#mutex.lock().then(() => {
        this.#commitScheduled = false
        try {
          this.#commitGroup()
        } finally {
          this.#mutex.unlock()
        }
      })
    })
  }

  /**
   * Commits the open physical transaction; one fsync makes every transaction in it durable, and each
   * is told only then. The caller holds the connection, which is free again as soon as COMMIT returns.
   */
  #commitGroup(): void {
    if (!this.#open) return
    this.#open = false
    const group = this.#pending
    this.#pending = []
    try {
      this.#exec('commit')
    } catch (error) {
      if (this.#db.inTransaction)
        try {
          this.#exec('rollback')
        } catch {
          // The connection is already out of its transaction or unusable; the group fails either way.
        }
      for (const p of group) p.reject(error)
      return
    }
    this.durable().then(
      () => {
        this.stats.commits += 1
        this.stats.transactions += group.length
        for (const p of group) p.resolve()
      },
      (error: unknown) => {
        for (const p of group) p.reject(error)
      },
    )
  }

  #failGroup(error: Error): void {
    const group = this.#pending
    this.#pending = []
    for (const p of group) p.reject(error)
  }
}

export class GroupCommitSqliteDialect extends SqliteDialect {
  readonly #database: SQLite.Database
  /** The driver Kysely was given, once it asks for one: its `stats` say how well commits are grouped. */
  driver: GroupCommitSqliteDriver | undefined
  constructor(database: SQLite.Database) {
    super({ database })
    this.#database = database
  }
  override createDriver(): Driver {
    this.driver = new GroupCommitSqliteDriver(this.#database)
    return this.driver
  }
}
