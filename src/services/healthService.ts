import { ping } from '../data/db.js'
import type { Deps } from './deps.js'

export function createHealthService({ db }: Deps) {
  return {
    async ready(): Promise<{ database: 'up' | 'down' }> {
      try {
        await ping(db)
        return { database: 'up' }
      } catch {
        return { database: 'down' }
      }
    },
  }
}
