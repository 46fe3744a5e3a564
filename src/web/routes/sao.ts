import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { LETTER_KINDS, PLACEHOLDER_HELP, isLetterKind } from '../../domain/letters.js'
import { NotFoundError, ValidationError } from '../../services/errors.js'
import { callerOf } from '../plugins/auth.js'
import { pageErrors, readDate, typedDate, type TypedDate } from '../dateInput.js'
import { formBody, pathId } from '../forms.js'
import type { RouteOptions } from './index.js'

type Problem = { field: string; message: string }

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

const versionOf = (body: Record<string, unknown>): number | undefined => {
  const v = Number(body.version)
  return Number.isInteger(v) && v > 0 ? v : undefined
}

/** Runs a service call; its ValidationError becomes the problems to show the form again with. */
async function attempt(action: () => Promise<unknown>): Promise<Problem[]> {
  try {
    await action()
    return []
  } catch (err) {
    if (err instanceof ValidationError) return [...err.problems]
    throw err
  }
}

/** A date from its three boxes: the ISO date, or the GOV.UK message for what is wrong with it. */
function dateField(body: Record<string, unknown>, name: string, label: string) {
  const typed: TypedDate = typedDate(body, name)
  const read = readDate(typed, label, true)
  return { typed, iso: read.ok ? read.value : undefined, problem: read.ok ? undefined : read.message }
}

/**
 * School attendance orders (Education Act 1996 ss437-443) and letters on a case: the SAO list, the
 * start and record-step question pages, and making and downloading letters; letter templates in settings.
 */
export async function saoRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  const sao = { config: { access: 'sao:work' as const } }
  const letters = { config: { access: 'letters:use' as const } }
  const templates = { config: { access: 'letters:templates' as const } }

  app.get('/sao', sao, async (request, reply) => {
    const q = request.query as Record<string, unknown>
    const status = q.status === 'ended' || q.status === 'all' ? q.status : 'open'
    const processes = await services.sao.list(callerOf(request), status === 'all' ? {} : { status })
    return reply.view('pages/sao/list.njk', { processes, status })
  })

  // Starting a process on a case.
  async function startPage(
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown>,
    problems: Problem[] = [],
  ) {
    const form = await services.sao.startForm(callerOf(request), pathId(request.params))
    return reply
      .code(problems.length ? 400 : 200)
      .view('pages/sao/start.njk', { form, values, ...pageErrors(problems, ['startedOn']) })
  }

  app.get('/cases/:id/sao/start', sao, async (request, reply) =>
    startPage(request, reply, { startedOn: { day: '', month: '', year: '' } }),
  )

  app.post('/cases/:id/sao/start', sao, async (request, reply) => {
    const body = formBody(request.body)
    const date = dateField(body, 'startedOn', 'Date the stage began or the notice was served')
    const values = {
      reason: str(body.reason),
      stage: str(body.stage),
      specifiedDays: str(body.specifiedDays),
      notes: str(body.notes),
      startedOn: date.typed,
    }
    const caseId = pathId(request.params)
    let processId = ''
    const problems = date.problem
      ? [{ field: 'startedOn', message: date.problem }]
      : await attempt(async () => {
          processId = await services.sao.start(callerOf(request), caseId, {
            ...(values.reason !== undefined ? { reason: values.reason } : {}),
            ...(values.stage !== undefined ? { stage: values.stage } : {}),
            ...(values.specifiedDays !== undefined ? { specifiedDays: values.specifiedDays } : {}),
            ...(values.notes !== undefined ? { notes: values.notes } : {}),
            startedOn: date.iso ?? '',
          })
        })
    if (problems.length > 0) return startPage(request, reply, values, problems)
    return reply.redirect(`/sao/${processId}`)
  })

  // One process: its history and the next step the data allows.
  async function stepPage(
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown>,
    problems: Problem[] = [],
  ) {
    const p = await services.sao.process(callerOf(request), pathId(request.params))
    return reply.code(problems.length ? 400 : 200).view('pages/sao/process.njk', {
      p,
      values: { school: p.namedSchoolId ?? '', ...values },
      saved: (request.query as Record<string, unknown>).saved === '1',
      ...pageErrors(problems, ['startedOn', 'outcomeOn']),
    })
  }

  const emptyDates = { startedOn: { day: '', month: '', year: '' }, outcomeOn: { day: '', month: '', year: '' } }

  app.get('/sao/:id', sao, async (request, reply) => stepPage(request, reply, emptyDates))

  app.post('/sao/:id/outcome', sao, async (request, reply) => {
    const body = formBody(request.body)
    const date = dateField(body, 'outcomeOn', 'Date of the outcome')
    const values = { ...emptyDates, outcome: str(body.outcome), outcomeNotes: str(body.notes), outcomeOn: date.typed }
    const id = pathId(request.params)
    const problems = date.problem
      ? [
          ...(values.outcome ? [] : [{ field: 'outcome', message: 'Select the outcome' }]),
          { field: 'outcomeOn', message: date.problem },
        ]
      : await attempt(() =>
          services.sao.recordOutcome(
            callerOf(request),
            id,
            {
              ...(values.outcome !== undefined ? { outcome: values.outcome } : {}),
              ...(values.outcomeNotes !== undefined ? { notes: values.outcomeNotes } : {}),
              outcomeOn: date.iso ?? '',
            },
            versionOf(body),
          ),
        )
    if (problems.length > 0) return stepPage(request, reply, values, problems)
    return reply.redirect(`/sao/${id}?saved=1`)
  })

  app.post('/sao/:id/stage', sao, async (request, reply) => {
    const body = formBody(request.body)
    const date = dateField(body, 'startedOn', 'Date the stage began or the notice was served')
    const values = {
      ...emptyDates,
      startedOn: date.typed,
      specifiedDays: str(body.specifiedDays),
      school: str(body.school) ?? '',
      notes: str(body.notes),
    }
    const id = pathId(request.params)
    const problems = date.problem
      ? [{ field: 'startedOn', message: date.problem }]
      : await attempt(() =>
          services.sao.startNext(
            callerOf(request),
            id,
            {
              startedOn: date.iso ?? '',
              ...(values.specifiedDays !== undefined ? { specifiedDays: values.specifiedDays } : {}),
              school: values.school,
              ...(values.notes !== undefined ? { notes: values.notes } : {}),
            },
            versionOf(body),
          ),
        )
    if (problems.length > 0) return stepPage(request, reply, values, problems)
    return reply.redirect(`/sao/${id}?saved=1`)
  })

  async function endPage(
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown>,
    problems: Problem[] = [],
  ) {
    const p = await services.sao.process(callerOf(request), pathId(request.params))
    return reply.code(problems.length ? 400 : 200).view('pages/sao/end.njk', { p, values, ...pageErrors(problems) })
  }

  app.get('/sao/:id/end', sao, async (request, reply) => endPage(request, reply, {}))

  app.post('/sao/:id/end', sao, async (request, reply) => {
    const body = formBody(request.body)
    const values = { reason: str(body.reason) ?? '' }
    const id = pathId(request.params)
    const problems = await attempt(() => services.sao.end(callerOf(request), id, values, versionOf(body)))
    if (problems.length > 0) return endPage(request, reply, values, problems)
    return reply.redirect(`/sao/${id}`)
  })

  // Letters on a case.
  const letterKinds = (['family-letter', 'education-department-abroad'] as const).map(k => ({
    value: k,
    text: LETTER_KINDS[k].label,
    hint: LETTER_KINDS[k].hint,
  }))

  async function letterPage(
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown>,
    problems: Problem[] = [],
  ) {
    const caseId = pathId(request.params)
    const panel = await services.sao.casePanel(callerOf(request), caseId)
    return reply.code(problems.length ? 400 : 200).view('pages/sao/letter-new.njk', {
      caseId,
      reference: panel.reference,
      addressCount: panel.addressCount,
      kinds: letterKinds,
      values,
      ...pageErrors(problems),
    })
  }

  app.get('/cases/:id/letters/new', letters, async (request, reply) => letterPage(request, reply, {}))

  app.post('/cases/:id/letters', letters, async (request, reply) => {
    const body = formBody(request.body)
    const values = { kind: str(body.kind), recipient: str(body.recipient), country: str(body.country) }
    const caseId = pathId(request.params)
    const problems = await attempt(() =>
      services.letters.generate(callerOf(request), caseId, {
        ...(values.kind !== undefined ? { kind: values.kind } : {}),
        ...(values.recipient !== undefined ? { recipient: values.recipient } : {}),
        ...(values.country !== undefined ? { country: values.country } : {}),
      }),
    )
    if (problems.length > 0) return letterPage(request, reply, values, problems)
    return reply.redirect(`/cases/${caseId}#letters`)
  })

  app.get('/cases/:id/letters/:letterId', letters, async (request, reply) => {
    const { fileName, pdf } = await services.letters.download(
      callerOf(request),
      pathId(request.params),
      pathId(request.params, 'letterId'),
    )
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(pdf)
  })

  // Letter templates.
  app.get('/settings/letters', templates, async (request, reply) => {
    const list = await services.letters.templates(callerOf(request))
    return reply.view('pages/sao/templates.njk', {
      templates: list,
      saved: (request.query as Record<string, unknown>).saved === '1',
    })
  })

  async function templatePage(
    request: FastifyRequest,
    reply: FastifyReply,
    values?: Record<string, unknown>,
    problems: Problem[] = [],
  ) {
    const kind = (request.params as Record<string, string>).kind ?? ''
    const t = await services.letters.template(callerOf(request), kind)
    return reply.code(problems.length ? 400 : 200).view('pages/sao/template-edit.njk', {
      t,
      placeholders: t.placeholders.map(p => ({ name: `{{${p}}}`, help: PLACEHOLDER_HELP[p] ?? '' })),
      values: values ?? { title: t.current.title, body: t.current.body },
      ...pageErrors(problems),
    })
  }

  app.get('/settings/letters/:kind', templates, async (request, reply) => templatePage(request, reply))

  app.get('/settings/letters/:kind/preview', templates, async (request, reply) => {
    const kind = (request.params as Record<string, string>).kind ?? ''
    const { fileName, pdf } = await services.letters.previewPdf(callerOf(request), kind)
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${fileName}"`)
      .header('cache-control', 'no-store')
      .send(pdf)
  })

  app.post('/settings/letters/:kind', templates, async (request, reply) => {
    const kind = (request.params as Record<string, string>).kind ?? ''
    const body = formBody(request.body)
    const values = { title: str(body.title) ?? '', body: str(body.body) ?? '' }
    if (!isLetterKind(kind)) throw new NotFoundError('Letter template')
    const problems = await attempt(() => services.letters.saveTemplate(callerOf(request), kind, values))
    if (problems.length > 0) return templatePage(request, reply, values, problems)
    return reply.redirect('/settings/letters?saved=1')
  })
}
