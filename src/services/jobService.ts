import { can } from '../domain/access.js'
import { JOBS, JOB_NAMES, type JobSchedule } from '../domain/jobs.js'
import type { Caller, Deps } from './deps.js'
import { ForbiddenError } from './errors.js'

const scheduleText = (s: JobSchedule): string =>
  'every' in s ? (s.every === 'minute' ? 'Every minute' : 'Every hour') : `Daily at ${s.daily} (UK time)`

/** What the scheduled jobs did, for administrators: runs hold counts only, never personal data. */
export function createJobService({ db }: Deps) {
  return {
    async overview(caller: Caller) {
      if (!can(caller.actor, 'admin:users')) throw new ForbiddenError('admin:users')
      const runs = await db.selectFrom('job_runs').selectAll().orderBy('started_at', 'desc').limit(50).execute()
      const latest = await db
        .selectFrom('job_runs')
        .select(['job', 'status', eb => eb.fn.max('started_at').as('at')])
        .groupBy(['job', 'status'])
        .execute()
      const lastAt = (job: string, status: string) => latest.find(r => r.job === job && r.status === status)?.at ?? null
      return {
        jobs: JOB_NAMES.map(name => ({
          name,
          label: JOBS[name].label,
          description: JOBS[name].description,
          schedule: scheduleText(JOBS[name].schedule),
          lastSucceededAt: lastAt(name, 'succeeded'),
          lastFailedAt: lastAt(name, 'failed'),
        })),
        runs: runs.map(r => ({
          id: r.id,
          job: r.job,
          scheduledFor: r.scheduled_for,
          startedAt: r.started_at,
          finishedAt: r.finished_at,
          status: r.status,
          attempts: r.attempts,
          error: r.error,
          instance: r.instance,
          summary: r.summary,
        })),
      }
    },
  }
}

export type JobService = ReturnType<typeof createJobService>
