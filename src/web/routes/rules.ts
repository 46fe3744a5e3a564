import type { FastifyInstance } from 'fastify'
import type { RouteOptions } from './index.js'

/** Rules helpers for people: school days and the deletion check (issue 4). */
export async function rulesRoutes(_app: FastifyInstance, _options: RouteOptions): Promise<void> {}
