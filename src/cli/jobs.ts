/** `onroll jobs list` and `onroll jobs run NAME`: the scheduled jobs by hand, with the same lease as the server's. */
import type { Config } from '../config.js'
import { JOBS, JOB_NAMES, isJobName } from '../domain/jobs.js'
import { runnerFor } from '../jobs/jobs.js'
import { openRuntime, type Runtime } from '../runtime.js'

type Out = { log: (s: string) => void; error: (s: string) => void }

const USAGE = `Usage: onroll jobs list\n       onroll jobs run NAME\n\nJobs: ${JOB_NAMES.join(', ')}`

export async function runJobsCommand(
  config: Config,
  args: string[],
  out: Out = console,
  open: (config: Config) => Promise<Runtime> = openRuntime,
): Promise<number> {
  const [action, name, ...extra] = args
  if (action === 'run' && (name === undefined || !isJobName(name) || extra.length > 0)) {
    out.error(name && !isJobName(name) ? `onroll: there is no job called "${name}"\n${USAGE}` : USAGE)
    return 1
  }
  if (action !== 'list' && action !== 'run') {
    out.error(USAGE)
    return 1
  }
  const runtime = await open(config)
  try {
    if (action === 'list') {
      const runs = await runtime.db
        .selectFrom('job_runs')
        .select(['job', 'status', 'started_at'])
        .orderBy('started_at', 'desc')
        .limit(500)
        .execute()
      for (const job of JOB_NAMES) {
        const last = runs.find(r => r.job === job)
        out.log([job, last ? `${last.status} ${last.started_at}` : 'never run', JOBS[job].label].join('\t'))
      }
      return 0
    }
    if (name === undefined || !isJobName(name)) return 1
    const result = await runnerFor(runtime).runJob(name)
    if (result.status === 'skipped') {
      out.error(`onroll: ${name} is running on another instance; try again when it has finished`)
      return 1
    }
    if (result.status === 'failed') {
      out.error(`onroll: ${name} failed: ${result.error}`)
      return 1
    }
    const counts = Object.entries(result.outcome.summary).map(([k, v]) => `${k} ${String(v)}`)
    out.log(`${name} ran: ${counts.join(', ') || 'nothing to do'}.`)
    for (const p of result.outcome.problems) out.error(`  ${p}`)
    return 0
  } finally {
    await runtime.close()
  }
}
