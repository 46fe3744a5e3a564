/**
 * WEB_CONCURRENCY: the main process migrates and loads the demo data once, then web processes share
 * the port; a web process that dies is replaced; SIGTERM stops them all. Run as the real `onroll start`.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * A free port below Linux's ephemeral range (32768 and up), so no other test's server, listening on
 * port 0, can be given it between this check and the cluster binding it.
 */
const freePort = async (): Promise<number> => {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 10_000)
    const free = await new Promise<boolean>(resolve => {
      const probe = createServer()
      probe.once('error', () => {
        resolve(false)
      })
      probe.listen(port, '127.0.0.1', () => {
        probe.close(() => {
          resolve(true)
        })
      })
    })
    if (free) return port
  }
}

async function waitFor(check: () => Promise<boolean>, ms: number, state: () => string = () => ''): Promise<void> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (await check().catch(() => false)) return
    await new Promise(r => setTimeout(r, 200))
  }
  throw new Error(`timed out: ${state()}`)
}

/**
 * The web processes the cluster's main process forked: its children running onroll (tsx may have its
 * own esbuild child too, which is not one of them).
 */
const webProcesses = (pid: number | undefined): string[] =>
  execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)])
    .toString()
    .split('\n')
    .filter(line => line.includes('src/main.ts'))
    .map(line => line.trim().split(/\s+/)[0] ?? '')

describe('several web processes (WEB_CONCURRENCY)', () => {
  it('serves from two processes on one SQLite database and replaces one that dies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onroll-cluster-'))
    const port = await freePort()
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'start'], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        ONROLL_DATA_DIR: dir,
        PORT: String(port),
        WEB_CONCURRENCY: '2',
        JOBS_ENABLED: 'false',
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    const ready = async () => (await fetch(`http://127.0.0.1:${String(port)}/health/ready`)).ok
    try {
      await waitFor(ready, 60_000)
      const seen = () => {
        try {
          return `${execFileSync('ps', ['-o', 'pid,ppid,args', '--ppid', String(child.pid)]).toString()}\n${output}`
        } catch {
          return output
        }
      }
      await waitFor(async () => webProcesses(child.pid).length === 2, 30_000, seen)
      // The demo data is loaded once, by the main process, not once per web process.
      expect(output.match(/Loaded the demo data set/g)).toHaveLength(1)
      const pids = webProcesses(child.pid)
      expect(pids).toHaveLength(2)
      process.kill(Number(pids[0]), 'SIGKILL')
      await waitFor(async () => output.includes('starting another'), 10_000)
      await waitFor(ready, 30_000)
      const replaced = webProcesses(child.pid)
      expect(replaced).toHaveLength(2)
      expect(replaced).not.toContain(pids[0])
    } finally {
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  }, 120_000)
})
