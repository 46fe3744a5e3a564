import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.js'
import type { Services } from '../../services/index.js'
import { adminRoutes } from './admin.js'
import { auditRoutes } from './audit.js'
import { authRoutes } from './auth.js'
import { caseFileRoutes } from './caseFile.js'
import { caseRoutes } from './cases.js'
import { homeRoutes } from './home.js'
import { jobRoutes } from './jobs.js'
import { oversightRoutes } from './oversight.js'
import { referralRoutes } from './referrals.js'
import { rulesRoutes } from './rules.js'
import { saoRoutes } from './sao.js'
import { settingsRoutes } from './settings.js'
import { escalationRoutes } from './escalations.js'
import { reviewRoutes } from './reviews.js'
import { halfTermNoteRoutes } from './halfTermNotes.js'
import { schoolLeavingRoutes } from './schoolLeaving.js'
import { schoolReturnsRoutes } from './schoolReturns.js'
import { schoolRollRoutes } from './schoolRoll.js'
import { schoolConcernRoutes } from './schoolConcerns.js'

export interface RouteOptions {
  services: Services
  config: Config
}

/** Pages, grouped by journey. */
export async function webRoutes(app: FastifyInstance, options: RouteOptions): Promise<void> {
  await app.register(homeRoutes, options)
  await app.register(authRoutes, options)
  await app.register(caseRoutes, options)
  await app.register(caseFileRoutes, options)
  await app.register(adminRoutes, options)
  await app.register(auditRoutes, options)
  await app.register(rulesRoutes, options)
  await app.register(settingsRoutes, options)
  await app.register(referralRoutes, options)
  await app.register(oversightRoutes, options)
  await app.register(jobRoutes, options)
  await app.register(saoRoutes, options)
  await app.register(escalationRoutes, options)
  await app.register(reviewRoutes, options)
  await app.register(halfTermNoteRoutes, options)
  await app.register(schoolLeavingRoutes, options)
  await app.register(schoolReturnsRoutes, options)
  await app.register(schoolRollRoutes, options)
  await app.register(schoolConcernRoutes, options)
}
