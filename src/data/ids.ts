import { randomUUID } from 'node:crypto'

/** Text UUID primary keys work the same on both engines and reveal nothing about the record. */
export const newId = (): string => randomUUID()
