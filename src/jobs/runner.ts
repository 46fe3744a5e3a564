/**
 * Runs one job at a time per job name across every app instance, and records each run.
 *
 * Leasing: a row per job in `job_leases`. On PostgreSQL the row is created if missing, then locked
 * with `SELECT … FOR UPDATE SKIP LOCKED` in a short transaction: an instance that finds it locked,
 * or leased until later, skips. On SQLite the lease is one conditional UPDATE (`WHERE leased_until
 * <= now`), atomic because a process has one connection; several processes sharing one SQLite file
 * is not a supported deployment. The lease has an expiry so a crashed instance cannot hold a job
 * for ever, and is given back when the run ends so the next slot need not wait for it.
 */
import { hostname } from 'node:os'
import { sql } from 'kysely'
import { engineOf, type Db } from '../data/db.js'
import { newId } from '../data/ids.js'
import type { Clock } from '../domain/clock.js'
import { JOBS, dueSlot, type JobName } from '../domain/jobs.js'

export interface JobOutcome {
  summary: Record<string, number>
  problems: string[]
}

/** A job's work; `lastSucceeded` is the slot of its last successful run, for jobs that catch up on missed dates. */
export type JobBody = (context: { lastSucceeded: string | undefined; slot: string }) => Promise<JobOutcome>

export type RunResult =
  | { status: 'succeeded'; runId: string; attempts: number; outcome: JobOutcome }
  | { status: 'failed'; runId: string; attempts: number; error: string }
  | { status: 'skipped'; reason: 'leased' | 'not-due' }

export interface RunnerOptions {
  db: Db
  clock: Clock
  bodies: Record<JobName, JobBody>
  /** Names this process in job_runs and job_leases, so an administrator can see which instance ran what. */
  instance?: string
  maxAttempts?: number
  /** Waits between attempts; tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>
  backoffMs?: number
  /** Longer than any job takes: a lease older than this belonged to an instance that died. */
  leaseMs?: number
}

const wait = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))

export function createJobRunner(options: RunnerOptions) {
  const { db, clock, bodies } = options
  const instance = options.instance ?? `${hostname()}:${String(process.pid)}:${newId().slice(0, 8)}`
  const maxAttempts = options.maxAttempts ?? 3
  const sleep = options.sleep ?? wait
  const backoffMs = options.backoffMs ?? 2_000
  const leaseMs = options.leaseMs ?? 15 * 60_000
  const engine = engineOf(db)

  async function acquire(job: JobName): Promise<boolean> {
    const now = clock.now()
    const nowIso = now.toISOString()
    const until = new Date(now.getTime() + leaseMs).toISOString()
    await db
      .insertInto('job_leases')
      .values({ job, holder: null, leased_until: new Date(0).toISOString() })
      .onConflict(oc => oc.column('job').doNothing())
      .execute()
    if (engine === 'postgres') {
      return db.transaction().execute(async trx => {
        const row = await trx
          .selectFrom('job_leases')
          .select(['leased_until'])
          .where('job', '=', job)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst()
        if (!row || row.leased_until > nowIso) return false
        await trx
          .updateTable('job_leases')
          .set({ holder: instance, leased_until: until })
          .where('job', '=', job)
          .execute()
        return true
      })
    }
    const r = await db
      .updateTable('job_leases')
      .set({ holder: instance, leased_until: until })
      .where('job', '=', job)
      .where('leased_until', '<=', nowIso)
      .executeTakeFirst()
    return Number(r.numUpdatedRows) === 1
  }

  async function release(job: JobName): Promise<void> {
    await db
      .updateTable('job_leases')
      .set({ holder: null, leased_until: clock.now().toISOString() })
      .where('job', '=', job)
      .where('holder', '=', instance)
      .execute()
  }

  async function lastSucceeded(job: JobName): Promise<string | undefined> {
    const row = await db
      .selectFrom('job_runs')
      .select(sql<string | null>`max(scheduled_for)`.as('slot'))
      .where('job', '=', job)
      .where('status', '=', 'succeeded')
      .executeTakeFirst()
    return row?.slot ?? undefined
  }

  /**
   * Runs the job now if no other instance is running it. With `onlyIfDue` (the scheduler) it runs
   * only when its slot has no successful run yet; the check is repeated under the lease so that two
   * instances ticking in the same minute cannot both do a daily job.
   */
  async function runJob(job: JobName, opts: { onlyIfDue?: boolean } = {}): Promise<RunResult> {
    if (!(await acquire(job))) return { status: 'skipped', reason: 'leased' }
    try {
      const last = await lastSucceeded(job)
      const due = dueSlot(JOBS[job].schedule, clock.now(), last)
      if (opts.onlyIfDue && due === undefined) return { status: 'skipped', reason: 'not-due' }
      // A run by hand outside its slot is recorded against the current slot, or today's date for a daily job.
      const slot = due ?? last ?? clock.today()
      const runId = newId()
      await db
        .insertInto('job_runs')
        .values({
          id: runId,
          job,
          scheduled_for: slot,
          started_at: clock.now().toISOString(),
          finished_at: null,
          status: 'running',
          attempts: 0,
          error: null,
          instance,
          summary: null,
        })
        .execute()
      let error = ''
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        await db.updateTable('job_runs').set({ attempts: attempt }).where('id', '=', runId).execute()
        try {
          const outcome = await bodies[job]({ lastSucceeded: last, slot })
          await db
            .updateTable('job_runs')
            .set({
              status: 'succeeded',
              finished_at: clock.now().toISOString(),
              summary: JSON.stringify(outcome),
              error: null,
            })
            .where('id', '=', runId)
            .execute()
          return { status: 'succeeded', runId, attempts: attempt, outcome }
        } catch (err) {
          // The message only: errors from the work name ids, never a child, and a stack helps nobody here.
          error = (err instanceof Error ? err.message : String(err)).slice(0, 1000)
          await db.updateTable('job_runs').set({ error }).where('id', '=', runId).execute()
          if (attempt < maxAttempts) await sleep(backoffMs * 2 ** (attempt - 1))
        }
      }
      await db
        .updateTable('job_runs')
        .set({ status: 'failed', finished_at: clock.now().toISOString(), error })
        .where('id', '=', runId)
        .execute()
      return { status: 'failed', runId, attempts: maxAttempts, error }
    } finally {
      await release(job)
    }
  }

  return { runJob, instance }
}

export type JobRunner = ReturnType<typeof createJobRunner>
