import cluster from 'node:cluster'
import closeWithGrace from 'close-with-grace'
import type { Config } from './config.js'
import { isEmpty } from './demo/demoData.js'
import { describeDemoLoad, loadDemo } from './demo/index.js'
import { runnerFor } from './jobs/jobs.js'
import { startScheduler } from './jobs/scheduler.js'
import { openRuntime } from './runtime.js'
import { buildApp } from './web/app.js'

/** Which worker this process is (1…n) when the server runs as a cluster; undefined otherwise. */
const workerNumber = (): number | undefined =>
  cluster.isWorker ? Number(process.env.ONROLL_WORKER ?? cluster.worker?.id) : undefined

/**
 * Migrates, optionally loads the demo data into an empty database, and serves until told to stop.
 * With WEB_CONCURRENCY above 1 the main process does the migration and demo data once, then forks
 * that many web processes sharing the port (one Node process is one core; a page is CPU-bound).
 */
export async function serve(config: Config, options: { demoIfEmpty: boolean }): Promise<void> {
  if (config.workers > 1 && cluster.isPrimary) {
    await prepare(config, options)
    superviseWorkers(config.workers)
    return
  }
  const runtime = await openRuntime(config)
  if (!cluster.isWorker) await loadDemoIfEmpty(runtime, config, options)
  const app = await buildApp({ config, services: runtime.services, clock: runtime.clock })
  // Jobs are leased through the database, so more would be safe; one scheduler per cluster is enough.
  const runsJobs = config.jobsEnabled && (workerNumber() ?? 1) === 1
  const scheduler = runsJobs ? startScheduler(runnerFor(runtime), app.log) : undefined
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error')
    // Let a running job finish before the database closes under it.
    await scheduler?.stop()
    await app.close()
    await runtime.close()
  })
  await app.listen({ port: config.port, host: config.host })
}

async function loadDemoIfEmpty(
  runtime: Awaited<ReturnType<typeof openRuntime>>,
  config: Config,
  options: { demoIfEmpty: boolean },
): Promise<void> {
  if (options.demoIfEmpty && (await isEmpty(runtime.db)))
    console.log(describeDemoLoad(await loadDemo(runtime, config.la.code)))
}

/** Migrations and demo data run once, in the main process, before any web process starts. */
async function prepare(config: Config, options: { demoIfEmpty: boolean }): Promise<void> {
  const runtime = await openRuntime(config)
  try {
    await loadDemoIfEmpty(runtime, config, options)
  } finally {
    await runtime.close()
  }
}

/** Forks the web processes and replaces one that dies, unless the cluster is shutting down. */
function superviseWorkers(count: number): void {
  let stopping = false
  const numbers = new Map<number, number>()
  const fork = (n: number): void => {
    const worker = cluster.fork({ ONROLL_WORKER: String(n) })
    numbers.set(worker.id, n)
  }
  for (let n = 1; n <= count; n++) fork(n)
  cluster.on('exit', (worker, code, signal) => {
    const n = numbers.get(worker.id) ?? 0
    numbers.delete(worker.id)
    if (stopping) return
    console.error(`Web process ${String(n)} stopped (${signal || String(code)}); starting another.`)
    fork(n)
  })
  closeWithGrace({ delay: 15_000 }, async () => {
    stopping = true
    await Promise.all(
      Object.values(cluster.workers ?? {}).map(
        w =>
          new Promise<void>(resolve => {
            if (!w) {
              resolve()
              return
            }
            w.once('exit', () => {
              resolve()
            })
            w.kill('SIGTERM')
          }),
      ),
    )
  })
}
