/** Load generation against 127.0.0.1 only, bounded in time, with exact latency percentiles. */
import autocannon from 'autocannon'
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

export interface LoadResult {
  requests: number
  throughput: number
  p50: number
  p95: number
  p99: number
  non2xx: number
  errors: number
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0)

export async function load(options: autocannon.Options): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:/.test(options.url)) throw new Error('benchmarks target 127.0.0.1 only')
  const latencies: number[] = []
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (err, res) => {
      if (err) reject(err instanceof Error ? err : new Error(String(err)))
      else resolve(res)
    })
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime)
    })
  })
  latencies.sort((a, b) => a - b)
  return {
    requests: result.requests.total,
    throughput: result.requests.total / (result.duration || 1),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    non2xx: result.non2xx,
    errors: result.errors,
  }
}

export interface BenchServer {
  port: number
  token: string
  /** Everything else the server reported on its first line (e.g. what it seeded). */
  details: Record<string, unknown>
  stop(): Promise<void>
}

export async function startServer(
  engine: 'sqlite' | 'postgres',
  extraEnv: Record<string, string> = {},
): Promise<BenchServer> {
  // BENCH_SERVER_NODE_ARGS (e.g. --cpu-prof) profiles the server without touching the load generator.
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'bench/support/server.ts'], {
    env: { ...process.env, BENCH_ENGINE: engine, ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout! })
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve)
    child.once('exit', code => {
      reject(new Error(`bench server exited with ${String(code)}`))
    })
  })
  const details = JSON.parse(first) as Record<string, unknown> & { port: number; token: string }
  const { port, token } = details
  return {
    port,
    token,
    details,
    stop: () =>
      new Promise(resolve => {
        child.once('exit', () => {
          resolve()
        })
        child.kill('SIGTERM')
      }),
  }
}

export const fmt = (n: number): string => n.toFixed(1)
