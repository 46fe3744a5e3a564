import type { FastifyInstance } from 'fastify'
import type { RouteOptions } from './index.js'

/** Calendars and policy settings (issue 4). */
export async function settingsRoutes(_app: FastifyInstance, _options: RouteOptions): Promise<void> {}
