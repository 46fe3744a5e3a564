import type { FastifyInstance } from 'fastify'
import type { ApiOptions } from './index.js'

/** The rules API (issue 4). */
export async function rulesApiRoutes(_app: FastifyInstance, _options: ApiOptions): Promise<void> {}
