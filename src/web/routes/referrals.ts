import type { FastifyInstance } from 'fastify'
import type { RouteOptions } from './index.js'

/** The referral journey (issue 5). */
export async function referralRoutes(_app: FastifyInstance, _options: RouteOptions): Promise<void> {}
