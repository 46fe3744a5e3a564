/**
 * `npm run bench:single-list`: the Single List with 100,000 open cases (and their children) seeded
 * before the server starts, on SQLite and on PostgreSQL. A CME officer signs in through the demo
 * sign-in, as a browser would; then 20 concurrent connections request, for BENCH_SECONDS each (30 by
 * default): the first page, a filtered page (urgent cases at stage two), and a search by a child's full
 * name (a POST with the page's CSRF token). Prints p50/p95/p99 latency, requests per second and the
 * ratio to the server's own /health/live throughput measured in the same run, each scenario after two
 * untimed seconds of the same requests to warm the server up. Target: p95 under 100 ms.
 * Then, for comparison, a signed-in page with no child data and the first page with one connection. BENCH_ENGINES=sqlite runs one engine;
 * BENCH_CASES changes the number of cases.
 */
import { demoId } from '../src/demo/demoData.js'
import { fmt, load, startServer, type LoadResult } from './support/load.js'

const seconds = Number(process.env.BENCH_SECONDS ?? 30)
const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[]
const cases = Number(process.env.BENCH_CASES ?? 100_000)
const connections = 20
const TARGET_P95_MS = 100
const WARM_UP_SECONDS = 2

/** A cookie jar of one: what the server set, sent back as a browser would. */
class Session {
  private cookies = new Map<string, string>()
  constructor(private readonly base: string) {}

  get cookie(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  async request(path: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const res = await fetch(`${this.base}${path}`, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        cookie: this.cookie,
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    })
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const at = pair?.indexOf('=') ?? -1
      if (pair && at > 0) this.cookies.set(pair.slice(0, at), pair.slice(at + 1))
    }
    return res
  }
}

const csrfFrom = (html: string): string => {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
  if (!token) throw new Error('no CSRF token on the page')
  return token
}

/** Signs in as the demo CME officer and returns the session and a CSRF token for the search form. */
async function signIn(base: string): Promise<{ session: Session; csrf: string }> {
  const session = new Session(base)
  const signInPage = await (await session.request('/sign-in')).text()
  const res = await session.request('/sign-in/demo', {
    method: 'POST',
    form: { userId: demoId('user:cme.officer@demo.onroll.invalid'), _csrf: csrfFrom(signInPage) },
  })
  if (res.status !== 302) throw new Error(`demo sign-in failed: ${String(res.status)}`)
  const list = await session.request('/cases')
  if (list.status !== 200) throw new Error(`the Single List answered ${String(list.status)}`)
  return { session, csrf: csrfFrom(await list.text()) }
}

const line = (engine: string, name: string, r: LoadResult, health: LoadResult): string =>
  `${engine.padEnd(8)} ${name.padEnd(13)} ${fmt(r.throughput).padStart(7)} req/s; p50 ${fmt(r.p50)} ms, p95 ${fmt(r.p95)} ms, ` +
  `p99 ${fmt(r.p99)} ms; non-2xx ${String(r.non2xx)}, errors ${String(r.errors)}; ` +
  `ratio to /health/live ${(r.throughput / health.throughput).toFixed(4)}; ` +
  `p95 target ${String(TARGET_P95_MS)} ms: ${r.p95 < TARGET_P95_MS ? 'met' : 'NOT met'}`

console.log(
  `Single List benchmark: ${cases.toLocaleString('en-GB')} cases, ${String(connections)} connections, ` +
    `${String(seconds)} s per scenario, 127.0.0.1`,
)
for (const engine of engines) {
  const started = Date.now()
  const server = await startServer(engine, { BENCH_SEED_CASES: String(cases), BENCH_DEMO_SIGN_IN: 'true' })
  try {
    const seeded = server.details.seeded as { sample: { name: string } } | undefined
    if (!seeded) throw new Error('the bench server did not seed any cases')
    console.log(`${engine.padEnd(8)} seeded and started in ${fmt((Date.now() - started) / 1000)} s`)
    const base = `http://127.0.0.1:${String(server.port)}`
    const { session, csrf } = await signIn(base)
    const search = new URLSearchParams({ _csrf: csrf, q: seeded.sample.name }).toString()
    // Check each scenario answers as it should before timing it: a benchmark of error pages proves nothing.
    const probe = await session.request('/cases/search', {
      method: 'POST',
      form: { _csrf: csrf, q: seeded.sample.name },
    })
    if (probe.status !== 200 || !(await probe.text()).includes('match your search'))
      throw new Error(`the search answered ${String(probe.status)} without results`)

    const health = await load({ url: `${base}/health/live`, connections, duration: Math.min(5, seconds) })
    const headers = { cookie: session.cookie }
    const scenarios: [string, Parameters<typeof load>[0]][] = [
      ['first page', { url: `${base}/cases`, headers }],
      ['filtered page', { url: `${base}/cases?priority=urgent&stage=stage-two`, headers }],
      [
        'search',
        {
          url: `${base}/cases/search`,
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
          body: search,
        },
      ],
    ]
    console.log(`${engine.padEnd(8)} health        ${fmt(health.throughput).padStart(7)} req/s`)
    // Each scenario runs for WARM_UP_SECONDS untimed first, so that the figures are of a server that has
    // compiled its hot code and filled its caches (a real one has been up for days), not of its first second.
    for (const [, options] of scenarios) await load({ connections, duration: WARM_UP_SECONDS, ...options })
    for (const [name, options] of scenarios) {
      const result = await load({ connections, duration: seconds, ...options })
      console.log(line(engine, name, result, health))
    }
    // For comparison only: the cheapest signed-in page (session, no child data, no audit), and the first
    // page for one user alone, when it does not queue behind 19 others.
    const floor = await load({ url: `${base}/accessibility`, headers, connections, duration: Math.min(5, seconds) })
    console.log(
      `${engine.padEnd(8)} /accessibility signed in, 20 connections: ${fmt(floor.throughput)} req/s; ` +
        `p50 ${fmt(floor.p50)} ms, p95 ${fmt(floor.p95)} ms`,
    )
    const alone = await load({ connections: 1, duration: Math.min(5, seconds), ...scenarios[0]![1] })
    console.log(
      `${engine.padEnd(8)} first page, 1 connection: ${fmt(alone.throughput)} req/s; p50 ${fmt(alone.p50)} ms, ` +
        `p95 ${fmt(alone.p95)} ms, p99 ${fmt(alone.p99)} ms`,
    )
  } finally {
    await server.stop()
  }
}
