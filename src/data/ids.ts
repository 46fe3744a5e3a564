import { randomFillSync, randomUUID } from 'node:crypto'

/** Text UUID primary keys work the same on both engines and reveal nothing about the record. */
export const newId = (): string => randomUUID()

/** Random bytes drawn from the system a few kilobytes at a time, as randomUUID does: one call per 400 ids. */
const pool = Buffer.alloc(4000)
let used = pool.length

/**
 * A UUID (version 7 layout) that sorts by creation time: for append-only rows such as audit events,
 * whose id index then grows at its end instead of taking a write on a random page for every row.
 * The time it reveals is already in the row.
 */
export function newTimeOrderedId(now = Date.now()): string {
  if (used + 10 > pool.length) {
    randomFillSync(pool)
    used = 0
  }
  const bytes = Buffer.alloc(16)
  bytes.writeUIntBE(now, 0, 6)
  pool.copy(bytes, 6, used, used + 10)
  used += 10
  bytes.writeUInt8(0x70 | (bytes.readUInt8(6) & 0x0f), 6) // version 7
  bytes.writeUInt8(0x80 | (bytes.readUInt8(8) & 0x3f), 8) // RFC 9562 variant
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
