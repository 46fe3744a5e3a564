/**
 * SQLite checkpoints off the event loop.
 *
 * In WAL mode, committed pages are copied back into the database file by a checkpoint. SQLite runs one
 * inside whichever COMMIT pushes the WAL past `wal_autocheckpoint` pages, and better-sqlite3 is
 * synchronous: that request, and every other this process is serving, waits for the copy and its
 * fsync. So a worker thread, with its own connection, checkpoints every CHECKPOINT_INTERVAL_MS
 * (PASSIVE: it never waits for, or holds up, readers and writers), and the web connection's own
 * threshold is raised so that it checkpoints only if the worker falls far behind.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

export const CHECKPOINT_INTERVAL_MS = 500
/** The web connection's own threshold, in pages (4 KB each): a backstop, not the usual path. */
export const BACKSTOP_CHECKPOINT_PAGES = 20_000

// Plain CommonJS, run with eval: the same source under tsx, the compiled build and the tests.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file)
db.pragma('synchronous = FULL')
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch {
    // Busy or mid-recovery: the next tick tries again, and the web connection's backstop remains.
  }
}, workerData.intervalMs)
parentPort.on('message', () => {
  clearInterval(timer)
  db.close()
  parentPort.close()
})
`

export interface Checkpointer {
  stop(): Promise<void>
}

export function startCheckpointer(file: string, intervalMs = CHECKPOINT_INTERVAL_MS): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } })
  // The thread must not keep a finished process alive, nor an error in it stop the web process.
  worker.unref()
  worker.on('error', () => {})
  const exited = new Promise<void>(resolve => {
    worker.once('exit', () => {
      resolve()
    })
  })
  return {
    // Held open until the thread has closed its connection: an unreferenced thread would let the
    // process end while the caller still awaits this.
    stop: () => {
      worker.ref()
      worker.postMessage('stop')
      return exited
    },
  }
}
