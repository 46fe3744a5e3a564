import { JOB_NAMES } from '../domain/jobs.js'
import type { JobRunner } from './runner.js'

export interface SchedulerLog {
  info(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

/**
 * Ticks every minute and offers each job the chance to run; each decides from the clock and its
 * last successful run whether it is due (domain/jobs.ts). Jobs run one after another, so on SQLite
 * they never compete for the single connection, and a tick that is still running skips the next.
 */
export function startScheduler(runner: JobRunner, log: SchedulerLog, intervalMs = 60_000): { stop(): Promise<void> } {
  let current: Promise<void> | undefined
  const tick = async () => {
    for (const job of JOB_NAMES) {
      try {
        const r = await runner.runJob(job, { onlyIfDue: true })
        if (r.status === 'failed') log.error({ job, runId: r.runId, error: r.error }, 'job failed')
        else if (r.status === 'succeeded' && job !== 'deliver-mail')
          log.info({ job, runId: r.runId, summary: r.outcome.summary }, 'job ran')
      } catch (err) {
        // The database may be away for a moment; the next tick tries again.
        log.error({ job, err }, 'job could not start')
      }
    }
  }
  const timer = setInterval(() => {
    if (current) return
    current = tick().finally(() => {
      current = undefined
    })
  }, intervalMs)
  timer.unref()
  return {
    async stop() {
      clearInterval(timer)
      await current
    },
  }
}
