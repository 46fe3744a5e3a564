import type { Db } from '../data/db.js'
import type { Clock } from '../domain/clock.js'
import { asDate, type JobName } from '../domain/jobs.js'
import type { Services } from '../services/index.js'
import { createJobRunner, type JobBody, type RunnerOptions } from './runner.js'

/** What each job does: the work lives in the services, so a job is one call and its counts. */
export function jobBodies(services: Services): Record<JobName, JobBody> {
  return {
    'deliver-mail': async () => ({ summary: await services.mail.deliverPending(), problems: [] }),
    'purge-sessions': async () => ({ summary: { removed: await services.sessions.purgeExpired() }, problems: [] }),
    'reminder-digest': () => services.scheduledWork.reminderDigest(),
    'overdue-alerts': () => services.scheduledWork.overdueAlerts(),
    'half-term-note': () => services.scheduledWork.halfTermNote(),
    'unfound-reviews': ({ lastSucceeded }) => services.scheduledWork.unfoundReviews(asDate(lastSucceeded)),
  }
}

/** The runner for this process's services; the server's scheduler and `onroll jobs run` both use it. */
export function runnerFor(
  runtime: { db: Db; clock: Clock; services: Services },
  options: Partial<Omit<RunnerOptions, 'db' | 'clock' | 'bodies'>> = {},
) {
  return createJobRunner({ db: runtime.db, clock: runtime.clock, bodies: jobBodies(runtime.services), ...options })
}
