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

/**
 * The GOV.UK components whose macros every template may call. They are loaded once and made globals
 * (govukButton, govukTable, …) rather than imported by the base layout: an import runs the macro file
 * again on every render, and the layout's two dozen imports cost more than most pages' own content.
 */
export const GOVUK_COMPONENTS = [
  'generic-header',
  'service-navigation',
  'phase-banner',
  'footer',
  'back-link',
  'button',
  'table',
  'tag',
  'error-summary',
  'input',
  'radios',
  'checkboxes',
  'select',
  'textarea',
  'date-input',
  'summary-list',
  'pagination',
  'panel',
  'inset-text',
  'warning-text',
  'notification-banner',
  'details',
  'task-list',
  'fieldset',
] as const

const macroName = (component: string): string =>
  `govuk${component.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase())}`

/** Template.getExported is how nunjucks itself imports a template's macros; @types/nunjucks leaves it out. */
interface ExportingTemplate {
  getExported(done: (error: Error | null, exported: Record<string, unknown>) => void): void
}

function addGovukMacros(env: nunjucks.Environment): void {
  for (const component of GOVUK_COMPONENTS) {
    const name = macroName(component)
    const template = env.getTemplate(`govuk/components/${component}/macro.njk`) as unknown as ExportingTemplate
    // Synchronous: the file loader reads and compiles the template before getExported returns.
    template.getExported((error, exported) => {
      if (error) throw error
      if (typeof exported[name] !== 'function') throw new Error(`govuk-frontend has no macro ${name}`)
      env.addGlobal(name, exported[name])
    })
  }
}

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
        addGovukMacros(env)
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
