import type { Config } from '../config.js'
import type { Clock } from '../domain/clock.js'
import type { Db } from '../data/db.js'
import type { Actor, RequestContext } from '../domain/actor.js'

/** What every service is built from. */
export interface Deps {
  db: Db
  clock: Clock
  config: Config
}

/** Who is asking and from where: passed to every service call that touches child data. */
export interface Caller {
  actor: Actor
  request: RequestContext
}
