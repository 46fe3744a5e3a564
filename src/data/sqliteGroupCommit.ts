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
 * Checkpoints run on a thread of their own (sqliteCheckpointer.ts), not inside a request's COMMIT.
 *
 * Everything runs on one connection, as Kysely's own SQLite driver does, handed out first come, first
 * served. Compiled statements are kept and reused: preparing costs more than running a small statement.
 */
import type SQLite from 'better-sqlite3'
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

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return Promise.resolve(this.driver.run<R>(this, query))
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    for (const row of this.driver.iterate<R>(this, query)) yield { rows: [row] }
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
      this.#checkpointer = startCheckpointer(this.#db.name)
    }
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock()
    return new Lease(this)
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
    this.#commitGroup()
    this.#statements.clear()
    await this.#checkpointer?.stop()
    this.#db.close()
  }

  run<R>(lease: Lease, { sql, parameters }: CompiledQuery): QueryResult<R> {
    const statement = this.#prepare(sql)
    if (!lease.inTransaction && !statement.readonly) this.#commitGroup()
    if (statement.reader) return { rows: statement.all(parameters) as R[] }
    const { changes, lastInsertRowid } = statement.run(parameters)
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] }
  }

  iterate<R>(lease: Lease, { sql, parameters }: CompiledQuery): IterableIterator<R> {
    const statement = this.#prepare(sql)
    if (!statement.reader) throw new Error('SQLite streams only queries that return rows')
    if (!lease.inTransaction && !statement.readonly) this.#commitGroup()
    return statement.iterate(parameters) as IterableIterator<R>
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

  /** Commits the open physical transaction: one fsync for every transaction in it. The caller holds the connection. */
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
    this.stats.commits += 1
    this.stats.transactions += group.length
    for (const p of group) p.resolve()
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
