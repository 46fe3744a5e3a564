/**
 * A server for benchmarks, in its own process so that the load generator does not share its event
 * loop: a fresh database (SQLite file or a new PostgreSQL database), the demo data, an API token for a
 * school, then one line on stdout: {"port":…,"token":…}.
 *
 * Opt-in: BENCH_SEED_CASES=100000 seeds that many open cases and children (bench/support/seed.ts)
 * before serving, and adds {"seeded":{…}} (a child to search for) to the line; BENCH_DEMO_SIGN_IN=true
 * turns on the demo sign-in so that a benchmark can sign in as a CME officer like a browser does.
 *
 * BENCH_WORKERS (default 1; `WEB_CONCURRENCY` in production) web processes share the port
 * through node:cluster, as the real server does; the main process prepares the database first.
 */
import cluster from 'node:cluster'
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import pg from 'pg'
import { loadConfig } from '../../src/config.js'
import { systemActor } from '../../src/domain/actor.js'
import { demoId, loadDemoData } from '../../src/demo/demoData.js'
import { openRuntime } from '../../src/runtime.js'
import { buildApp } from '../../src/web/app.js'
import { seedCases } from './seed.js'

const workers = Number(process.env.BENCH_WORKERS ?? 1)

function benchConfig(databaseUrl: string) {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-00',
    ONROLL_DATA_DIR: process.env.BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'onroll-bench-data-')),
    LOG_LEVEL: 'silent',
    JOBS_ENABLED: 'false',
    ...(process.env.BENCH_DEMO_SIGN_IN === 'true' ? { DEMO_SIGN_IN: 'true' } : {}),
  })
}

if (cluster.isWorker) {
  // A web process: the database is ready; serve on the port the main process chose.
  const config = benchConfig(process.env.BENCH_RESOLVED_DATABASE_URL ?? '')
  const runtime = await openRuntime(config)
  const app = await buildApp({ config, services: runtime.services, clock: runtime.clock, logger: false })
  await app.listen({ port: Number(process.env.BENCH_PORT), host: '127.0.0.1' })
  process.on('SIGTERM', () => {
    void app
      .close()
      .then(() => runtime.close())
      .then(() => process.exit(0))
  })
  process.send?.('ready')
} else {
  await main()
}

/** A free port on 127.0.0.1 for the cluster to share. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => {
        resolve(port)
      })
    })
  })
}

async function main(): Promise<void> {
  const engine = process.env.BENCH_ENGINE ?? 'sqlite'
  let databaseUrl: string
  if (engine === 'postgres') {
    const admin =
      process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
    const name = `onroll_bench_${String(process.pid)}`
    const c = new pg.Client({ connectionString: admin })
    await c.connect()
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await c.query(`CREATE DATABASE ${name}`)
    await c.end()
    const url = new URL(admin)
    url.pathname = `/${name}`
    databaseUrl = url.href
  } else {
    databaseUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'onroll-bench-')), 'bench.sqlite')}`
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'onroll-bench-data-'))
  process.env.BENCH_DATA_DIR = dataDir
  const config = benchConfig(databaseUrl)
  const runtime = await openRuntime(config)
  await loadDemoData(runtime.db, runtime.clock, config.la.code)
  const seedCount = Number(process.env.BENCH_SEED_CASES ?? 0)
  const seeded =
    seedCount > 0
      ? await seedCases(runtime.db, {
          laCode: config.la.code,
          cases: seedCount,
          today: runtime.clock.today(),
          workerIds: ['cme.officer', 'vco', 'ews.manager'].map(u => demoId(`user:${u}@demo.onroll.invalid`)),
        })
      : undefined
  // PostgreSQL as it runs for real: statistics gathered and the visibility map set, as autovacuum would
  // have done by the time an LA had 100,000 cases. SQLite gets nothing: onroll never runs ANALYZE there.
  if (seeded && engine === 'postgres') await sql`VACUUM ANALYZE`.execute(runtime.db)
  const caller = { actor: systemActor(config.la.code, 'system'), request: { requestId: 'bench', clientIp: null } }
  const token = await runtime.services.admin.createToken(caller, {
    organisationId: demoId('org:larkspur'),
    roles: ['school-staff'],
    name: 'bench',
  })
  // The web processes open their own connections; the main process only prepared the database.
  await runtime.close()
  const port = await freePort()
  const forked = Array.from({ length: workers }, () =>
    cluster.fork({ BENCH_PORT: String(port), BENCH_RESOLVED_DATABASE_URL: databaseUrl }),
  )
  await Promise.all(
    forked.map(
      w =>
        new Promise<void>((resolve, reject) => {
          w.once('message', () => {
            resolve()
          })
          w.once('exit', code => {
            reject(new Error(`bench web process exited with ${String(code)}`))
          })
        }),
    ),
  )
  console.log(
    JSON.stringify({
      port,
      token,
      databaseUrl: engine === 'postgres' ? databaseUrl : 'sqlite',
      ...(seeded ? { seeded: { cases: seeded.cases, sample: seeded.sample } } : {}),
    }),
  )
  /** A seeded PostgreSQL database is a few hundred megabytes: drop it when done rather than leave it behind. */
  async function dropSeededDatabase(): Promise<void> {
    if (!seeded || engine !== 'postgres') return
    const admin =
      process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
    const c = new pg.Client({ connectionString: admin })
    await c.connect()
    await c.query(`DROP DATABASE IF EXISTS ${new URL(databaseUrl).pathname.slice(1)} WITH (FORCE)`)
    await c.end()
  }
  const stopWorker = (w: (typeof forked)[number]) =>
    new Promise<void>(resolve => {
      w.once('exit', () => {
        resolve()
      })
      w.kill('SIGTERM')
    })
  process.on('SIGTERM', () => {
    void Promise.all(forked.map(stopWorker))
      .then(dropSeededDatabase)
      .then(() => process.exit(0))
  })
}
