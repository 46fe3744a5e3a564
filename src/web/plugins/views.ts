import view from '@fastify/view'
import type { FastifyInstance } from 'fastify'
import nunjucks from 'nunjucks'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Config } from '../../config.js'
import { ROLES, isRole } from '../../domain/roles.js'
import { formatDate, formatDateTime } from '../format.js'
import { navItems } from '../navigation.js'
import { answerRows } from '../answerRows.js'

/** Views are read from src/ in both the dev server and the compiled build (dist/ and src/ are siblings). */
export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..')

export async function setUpViews(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(view, {
    engine: { nunjucks },
    templates: [join(projectRoot, 'src/web/views'), join(projectRoot, 'node_modules/govuk-frontend/dist')],
    options: {
      autoescape: true,
      noCache: config.development,
      onConfigure: (env: nunjucks.Environment) => {
        env.addGlobal('serviceName', 'Children missing education')
        env.addGlobal('laName', config.la.name)
        env.addGlobal('navItems', navItems)
        env.addGlobal('answerRows', answerRows)
        // Nunjucks cannot set a key on an object; templates build small lookup maps with this.
        env.addFilter('setAttribute', (target: Record<string, unknown>, key: string, value: unknown) => {
          target[key] = value
          return target
        })
        env.addFilter('govukDate', formatDate)
        env.addFilter('dateTime', formatDateTime)
        env.addFilter('roleLabel', (role: string) => (isRole(role) ? ROLES[role] : role))
        env.addFilter('pluralise', (n: number, one: string, many: string) => `${String(n)} ${n === 1 ? one : many}`)
      },
    },
  })
}

/** Values every page needs: who is signed in, a CSRF token, where they are. */
export function setUpViewLocals(app: FastifyInstance): void {
  app.addHook('preHandler', async (request, reply) => {
    reply.locals = {
      ...reply.locals,
      actor: request.actor,
      csrfToken: reply.generateCsrf(),
      currentPath: request.url.split('?')[0],
    }
  })
}
