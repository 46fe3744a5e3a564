/**
 * `npm run bench:referrals`: 20 concurrent clients submitting valid referrals through the API for 30
 * seconds, on SQLite and on PostgreSQL. Prints throughput and p50/p95/p99 latency, and the ratio to the
 * server's own /health/live throughput measured in the same run. Target: p95 under 150 ms.
 * BENCH_SECONDS shortens the run; BENCH_ENGINES=sqlite runs one engine.
 */
import { addDays, londonDate } from '../src/domain/dates.js'
import { exampleReferral } from '../src/domain/referralExample.js'
import { fmt, load, startServer } from './support/load.js'

const seconds = Number(process.env.BENCH_SECONDS ?? 30)
const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[]
const connections = 20
const FIRST = ['Ada', 'Bo', 'Cai', 'Dee', 'Eli', 'Fay', 'Gus', 'Hal', 'Ida', 'Jo', 'Kit', 'Lu']
const LAST = ['Ashby', 'Birch', 'Coombe', 'Dale', 'Eden', 'Frith', 'Grove', 'Heath', 'Ings', 'Jarrow']

const today = londonDate(new Date())
const base = exampleReferral(today)
let n = 0
/** Different children, so duplicate matching does real work instead of matching one child forever. */
function body(): string {
  n++
  const r = structuredClone(base)
  r.child.firstName = FIRST[n % FIRST.length] ?? 'Ada'
  r.child.lastName = `${LAST[Math.floor(n / FIRST.length) % LAST.length] ?? 'Ashby'}${String(n % 97)}`
  r.child.upn = undefined
  r.child.dateOfBirth = addDays(base.child.dateOfBirth, -(n % 1500))
  r.siblings = { answer: 'no' }
  return JSON.stringify(r)
}

console.log(`Referral API benchmark: ${String(connections)} connections, ${String(seconds)} s per engine, 127.0.0.1`)
for (const engine of engines) {
  const server = await startServer(engine)
  try {
    const url = `http://127.0.0.1:${String(server.port)}`
    const health = await load({ url: `${url}/health/live`, connections, duration: Math.min(5, seconds) })
    const result = await load({
      url: `${url}/api/v1/referrals`,
      connections,
      duration: seconds,
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      requests: [{ setupRequest: req => ({ ...req, body: body() }) }],
    })
    console.log(
      `${engine.padEnd(8)} referrals: ${String(result.requests)} in ${String(seconds)} s = ${fmt(result.throughput)}/s; ` +
        `p50 ${fmt(result.p50)} ms, p95 ${fmt(result.p95)} ms, p99 ${fmt(result.p99)} ms; non-2xx ${String(result.non2xx)}, errors ${String(result.errors)}; ` +
        `health ${fmt(health.throughput)}/s (referral/health throughput ratio ${(result.throughput / health.throughput).toFixed(4)}); ` +
        `p95 target 150 ms: ${result.p95 < 150 ? 'met' : 'NOT met'}`,
    )
  } finally {
    await server.stop()
  }
}
