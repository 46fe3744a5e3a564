import type { FastifyInstance } from 'fastify'
import type { ApiOptions } from './index.js'

/** The referrals API (issue 5). */
export async function referralApiRoutes(_app: FastifyInstance, _options: ApiOptions): Promise<void> {}
