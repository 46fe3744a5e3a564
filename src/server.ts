import closeWithGrace from 'close-with-grace'
import type { Config } from './config.js'
import { isEmpty } from './demo/demoData.js'
import { describeDemoLoad, loadDemo } from './demo/index.js'
import { runnerFor } from './jobs/jobs.js'
import { startScheduler } from './jobs/scheduler.js'
import { openRuntime } from './runtime.js'
import { buildApp } from './web/app.js'

/** Migrates, optionally loads the demo data into an empty database, and serves until told to stop. */
export async function serve(config: Config, options: { demoIfEmpty: boolean }): Promise<void> {
  const runtime = await openRuntime(config)
  if (options.demoIfEmpty && (await isEmpty(runtime.db))) {
    console.log(describeDemoLoad(await loadDemo(runtime, config.la.code)))
  }
  const app = await buildApp({ config, services: runtime.services, clock: runtime.clock })
  const scheduler = config.jobsEnabled ? startScheduler(runnerFor(runtime), app.log) : undefined
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error')
    // Let a running job finish before the database closes under it.
    await scheduler?.stop()
    await app.close()
    await runtime.close()
  })
  await app.listen({ port: config.port, host: config.host })
}
