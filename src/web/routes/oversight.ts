import type { FastifyInstance } from 'fastify'
import { OUTCOME_KINDS, isOutcomeKind } from '../../domain/case.js'
import { formatLongDate } from '../../domain/dates.js'
import { ValidationError } from '../../services/errors.js'
import { callerOf } from '../plugins/auth.js'
import { pageErrors, readDate, typedDate, typedFromIso } from '../dateInput.js'
import { formBody } from '../forms.js'
import type { RouteOptions } from './index.js'

const outcomeLabel = (key: string): string =>
  isOutcomeKind(key) ? OUTCOME_KINDS[key].label : key === 'transferred' ? 'Transferred to another local authority' : key

/** Single List addresses for each figure: the manager follows a number to the cases behind it. */
const listHref = (params: Record<string, string>) => `/cases?${new URLSearchParams(params).toString()}`

/** Monthly oversight (protocol Appendix E): for the EWS Operational Manager and the directors. */
export async function oversightRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  const access = { config: { access: 'oversight:view' as const } }

  const page = async (request: Parameters<typeof callerOf>[0], extra: Record<string, unknown>) => {
    const s = await services.oversight.summary(callerOf(request))
    return {
      ...s,
      stages: s.stages.map(st => ({
        ...st,
        href: listHref({ stage: st.status }),
        byPriority: st.byPriority.map(p => ({ ...p, href: listHref({ stage: st.status, priority: p.priority }) })),
      })),
      links: {
        overdue: listHref({ overdue: '1' }),
        closures: listHref({ stage: 'closure-requested' }),
        unassigned: listHref({ view: 'unassigned' }),
      },
      reports: s.reports.map(r => ({
        ...r,
        title: `${formatLongDate(r.from)} to ${formatLongDate(r.to)}`,
        outcomes: Object.entries(r.body.byOutcome).map(([k, n]) => ({ label: outcomeLabel(k), count: n })),
      })),
      dueBy: formatLongDate(s.state.dueBy),
      values: { recordedOn: typedFromIso(s.today) },
      ...extra,
    }
  }

  app.get('/oversight', access, async (request, reply) =>
    reply.view(
      'pages/oversight/index.njk',
      await page(request, { saved: (request.query as Record<string, unknown>).saved === '1' }),
    ),
  )

  app.post('/oversight', access, async (request, reply) => {
    const body = formBody(request.body)
    const recordedOn = typedDate(body, 'recordedOn')
    const notes = typeof body.notes === 'string' ? body.notes : ''
    try {
      await services.oversight.record(callerOf(request), {
        recordedOn: readDate(recordedOn, 'Date oversight was done', true),
        notes,
      })
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      return reply
        .code(400)
        .view(
          'pages/oversight/index.njk',
          await page(request, { ...pageErrors(err.problems, ['recordedOn']), values: { recordedOn, notes } }),
        )
    }
    return reply.redirect('/oversight?saved=1#record')
  })
}
