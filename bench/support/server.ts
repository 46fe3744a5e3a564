/**
 * A server for benchmarks, in its own process so that the load generator does not share its event
 * loop: a fresh database (SQLite file or a new PostgreSQL database), the demo data, an API token for a
 * school, then one line on stdout: {"port":…,"token":…}.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { loadConfig } from '../../src/config.js'
import { systemActor } from '../../src/domain/actor.js'
import { demoId, loadDemoData } from '../../src/demo/demoData.js'
import { openRuntime } from '../../src/runtime.js'
import { buildApp } from '../../src/web/app.js'

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

const config = loadConfig({
  NODE_ENV: 'test',
  DATABASE_URL: databaseUrl,
  SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-00',
  ONROLL_DATA_DIR: mkdtempSync(join(tmpdir(), 'onroll-bench-data-')),
  LOG_LEVEL: 'silent',
  JOBS_ENABLED: 'false',
})
const runtime = await openRuntime(config)
await loadDemoData(runtime.db, runtime.clock, config.la.code)
const caller = { actor: systemActor(config.la.code, 'system'), request: { requestId: 'bench', clientIp: null } }
const token = await runtime.services.admin.createToken(caller, {
  organisationId: demoId('org:larkspur'),
  roles: ['school-staff'],
  name: 'bench',
})
const app = await buildApp({ config, services: runtime.services, clock: runtime.clock, logger: false })
await app.listen({ port: 0, host: '127.0.0.1' })
const address = app.server.address()
const port = typeof address === 'object' && address ? address.port : 0
console.log(JSON.stringify({ port, token, databaseUrl: engine === 'postgres' ? databaseUrl : 'sqlite' }))
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => runtime.close())
    .then(() => process.exit(0))
})
