import type { Config } from './config.js'
import { systemClock, type Clock } from './domain/clock.js'
import { createDb, type Db } from './data/db.js'
import { migrateToLatest } from './data/migrate.js'
import { createServices, type Services } from './services/index.js'

/** Everything a command needs: the database (migrated), the clock and the services. */
export interface Runtime {
  config: Config
  db: Db
  clock: Clock
  services: Services
  close(): Promise<void>
}

export async function openRuntime(config: Config, clock: Clock = systemClock): Promise<Runtime> {
  const db = createDb(config.database)
  try {
    await migrateToLatest(db)
  } catch (err) {
    await db.destroy()
    throw err
  }
  const services = createServices({ db, clock, config })
  return { config, db, clock, services, close: () => db.destroy() }
}
