import type { FastifyInstance } from 'fastify'
import { formatLongDate, type IsoDate } from '../../domain/dates.js'
import {
  CADENCES,
  POLICY_RULE_KEYS,
  POLICY_RULES,
  type PolicyRuleKey,
  type PolicyValues,
  type RuleConfidence,
  validatePolicyValues,
} from '../../domain/policy.js'
import { PERIOD_KINDS, PERIOD_KIND_LABELS } from '../../services/calendarService.js'
import { ValidationError } from '../../services/errors.js'
import { callerOf } from '../plugins/auth.js'
import { pageErrors, readDate, typedDate, typedFromIso, type TypedDate } from '../dateInput.js'
import { formBody, pathId } from '../forms.js'
import type { RouteOptions } from './index.js'

type Problem = { field: string; message: string }

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '')

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

const CONFIDENCE: Record<RuleConfidence, string> = {
  V: 'Checked against the law itself',
  S: 'From a reliable secondary source',
  'S/M': 'Not yet confirmed for the 2024 regulations',
  M: 'Background knowledge only: check before relying on it',
  protocol: 'The borough protocol’s own figure',
  'onroll-default': 'onroll’s default: neither the law nor the protocol gives a number',
}

/** "15 school days", "5 days, counting from the day after", "every half term". */
export function ruleValueText(key: PolicyRuleKey, value: number): string {
  const rule = POLICY_RULES[key]
  switch (rule.unit) {
    case 'school-days':
      return `${value} school day${value === 1 ? '' : 's'}`
    case 'days':
      return `${value} day${value === 1 ? '' : 's'} (calendar days, ${rule.counting === 'beginning-with' ? 'counting the first day' : 'starting the day after'})`
    case 'per-year':
      return `${value} time${value === 1 ? '' : 's'} a year`
    case 'cadence':
      return CADENCES.find(c => c.value === value)?.label ?? String(value)
  }
}

function ruleRows(values: PolicyValues) {
  return POLICY_RULE_KEYS.map(key => {
    const rule = POLICY_RULES[key]
    return {
      key,
      label: rule.label,
      hint: rule.hint,
      source: rule.source,
      confidence: CONFIDENCE[rule.confidence],
      value: values[key],
      valueText: ruleValueText(key, values[key]),
      unit: rule.unit,
      min: rule.min,
      max: rule.max,
    }
  })
}

const PERIOD_DATES = ['startsOn', 'endsOn']

interface PeriodValues {
  kind: string
  name: string
  startsOn: TypedDate
  endsOn: TypedDate
}

function periodValues(body: Record<string, unknown>): PeriodValues {
  return {
    kind: text(body.kind),
    name: text(body.name),
    startsOn: typedDate(body, 'startsOn'),
    endsOn: typedDate(body, 'endsOn'),
  }
}

/** The typed period as the service's input, or the problems with its dates. */
function periodInput(
  values: PeriodValues,
): { input: { kind: string; name: string; startsOn: string; endsOn: string } } | { problems: Problem[] } {
  const problems: Problem[] = []
  if (values.kind === '') problems.push({ field: 'kind', message: 'Select what kind of period this is' })
  const starts = readDate(values.startsOn, 'Start date', true)
  const ends = readDate(values.endsOn, 'End date', true)
  if (!starts.ok) problems.push({ field: 'startsOn', message: starts.message })
  if (!ends.ok) problems.push({ field: 'endsOn', message: ends.message })
  if (problems.length > 0 || !starts.ok || !ends.ok) return { problems }
  return { input: { kind: values.kind, name: values.name, startsOn: starts.value ?? '', endsOn: ends.value ?? '' } }
}

/** Service problems come back without a page order; show them as the form lays its fields out. */
const PERIOD_ORDER = ['kind', 'name', 'startsOn', 'endsOn', 'period']
const inPeriodOrder = (problems: Problem[]) =>
  [...problems].sort((a, b) => PERIOD_ORDER.indexOf(a.field) - PERIOD_ORDER.indexOf(b.field))

const kindItems = PERIOD_KINDS.map(k => ({ value: k, text: PERIOD_KIND_LABELS[k] }))

/** "3 September 2026 to 18 December 2026", or one date for a single day. */
export function dateRange(startsOn: IsoDate, endsOn: IsoDate): string {
  return startsOn === endsOn ? formatLongDate(startsOn) : `${formatLongDate(startsOn)} to ${formatLongDate(endsOn)}`
}

/** Calendars and policy settings, for LA administrators and the EWS Operational Manager (issue 4). */
export async function settingsRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  const settings = { config: { access: 'admin:settings' as const } }

  app.get('/settings', settings, async (_request, reply) => reply.view('pages/settings/index.njk', {}))

  // Calendars
  app.get('/settings/calendars', settings, async (request, reply) => {
    const calendars = await services.calendars.listCalendars(callerOf(request))
    return reply.view('pages/settings/calendars.njk', { calendars })
  })

  const importPage = async (request: Parameters<typeof callerOf>[0], extra: Record<string, unknown>) => ({
    schools: await services.rules.schools(callerOf(request).actor.laCode),
    ...extra,
  })

  app.get('/settings/calendars/import', settings, async (request, reply) =>
    reply.view(
      'pages/settings/calendar-import.njk',
      await importPage(request, { values: { format: '', school: '', text: '' } }),
    ),
  )

  app.post('/settings/calendars/import', settings, async (request, reply) => {
    const body = formBody(request.body)
    const values = {
      format: text(body.format),
      school: text(body.school),
      text: typeof body.text === 'string' ? body.text : '',
    }
    let calendarId: string | undefined
    const problems = await attempt(async () => {
      const result = await services.calendars.importCalendar(callerOf(request), {
        text: values.text,
        format: values.format,
        schoolUrn: values.school === '' ? undefined : values.school,
      })
      calendarId = result.calendarId
    })
    if (calendarId) return reply.redirect(`/settings/calendars/${calendarId}?saved=1`)
    const order = ['school', 'format', 'text']
    const sorted = [...problems].sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field))
    return reply
      .code(400)
      .view('pages/settings/calendar-import.njk', await importPage(request, { values, ...pageErrors(sorted) }))
  })

  const calendarPage = async (
    request: Parameters<typeof callerOf>[0],
    id: string,
    extra: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> => {
    const calendar = await services.calendars.getCalendar(callerOf(request), id)
    return {
      calendar,
      kindItems,
      kindLabels: PERIOD_KIND_LABELS,
      dateRange,
      values: { kind: '', name: '', startsOn: {}, endsOn: {} },
      saved: (request.query as Record<string, unknown>).saved === '1',
      ...extra,
    }
  }

  app.get('/settings/calendars/:id', settings, async (request, reply) =>
    reply.view('pages/settings/calendar.njk', await calendarPage(request, pathId(request.params))),
  )

  app.post('/settings/calendars/:id/periods', settings, async (request, reply) => {
    const id = pathId(request.params)
    const values = periodValues(formBody(request.body))
    const typed = periodInput(values)
    const problems =
      'problems' in typed
        ? typed.problems
        : await attempt(() => services.calendars.addPeriod(callerOf(request), id, typed.input))
    if (problems.length === 0) return reply.redirect(`/settings/calendars/${id}?saved=1`)
    return reply
      .code(400)
      .view(
        'pages/settings/calendar.njk',
        await calendarPage(request, id, { values, saved: false, ...pageErrors(inPeriodOrder(problems), PERIOD_DATES) }),
      )
  })

  app.get('/settings/calendars/:id/periods/:periodId', settings, async (request, reply) => {
    const id = pathId(request.params)
    const periodId = pathId(request.params, 'periodId')
    const caller = callerOf(request)
    const calendar = await services.calendars.getCalendar(caller, id)
    const period = await services.calendars.getPeriod(caller, id, periodId)
    return reply.view('pages/settings/period-form.njk', {
      calendar,
      period,
      kindItems,
      values: {
        kind: period.kind,
        name: period.name,
        startsOn: typedFromIso(period.startsOn),
        endsOn: typedFromIso(period.endsOn),
      },
    })
  })

  app.post('/settings/calendars/:id/periods/:periodId', settings, async (request, reply) => {
    const id = pathId(request.params)
    const periodId = pathId(request.params, 'periodId')
    const caller = callerOf(request)
    const values = periodValues(formBody(request.body))
    const typed = periodInput(values)
    const problems =
      'problems' in typed
        ? typed.problems
        : await attempt(() => services.calendars.changePeriod(caller, id, periodId, typed.input))
    if (problems.length === 0) return reply.redirect(`/settings/calendars/${id}?saved=1`)
    const calendar = await services.calendars.getCalendar(caller, id)
    const period = await services.calendars.getPeriod(caller, id, periodId)
    return reply.code(400).view('pages/settings/period-form.njk', {
      calendar,
      period,
      kindItems,
      values,
      ...pageErrors(inPeriodOrder(problems), PERIOD_DATES),
    })
  })

  app.post('/settings/calendars/:id/periods/:periodId/remove', settings, async (request, reply) => {
    const id = pathId(request.params)
    const periodId = pathId(request.params, 'periodId')
    const problems = await attempt(() => services.calendars.removePeriod(callerOf(request), id, periodId))
    if (problems.length === 0) return reply.redirect(`/settings/calendars/${id}?saved=1`)
    return reply
      .code(400)
      .view('pages/settings/calendar.njk', await calendarPage(request, id, { saved: false, ...pageErrors(problems) }))
  })

  // Policy
  app.get('/settings/policy', settings, async (request, reply) => {
    const { versions, inForce, today } = await services.policy.list(callerOf(request))
    return reply.view('pages/settings/policy.njk', {
      versions,
      inForce,
      today,
      rules: ruleRows(inForce.values),
      saved: (request.query as Record<string, unknown>).saved === '1',
    })
  })

  const policyForm = (values: Record<string, unknown>, extra: object = {}) => ({
    rules: POLICY_RULE_KEYS.map(key => ({
      key,
      label: POLICY_RULES[key].label,
      hint: POLICY_RULES[key].hint,
      unit: POLICY_RULES[key].unit,
      min: POLICY_RULES[key].min,
      max: POLICY_RULES[key].max,
      source: POLICY_RULES[key].source,
    })),
    cadences: CADENCES,
    values,
    ...extra,
  })

  app.get('/settings/policy/new', settings, async (request, reply) => {
    const { inForce } = await services.policy.list(callerOf(request))
    const values: Record<string, unknown> = { effectiveFrom: {}, note: '' }
    for (const key of POLICY_RULE_KEYS) values[key] = String(inForce.values[key])
    return reply.view('pages/settings/policy-form.njk', policyForm(values))
  })

  app.post('/settings/policy', settings, async (request, reply) => {
    const body = formBody(request.body)
    const effective = typedDate(body, 'effectiveFrom')
    const values: Record<string, unknown> = {
      effectiveFrom: effective,
      note: typeof body.note === 'string' ? body.note : '',
    }
    for (const key of POLICY_RULE_KEYS) values[key] = text(body[key])
    const date = readDate(effective, 'Date the new values take effect', true)
    const ruleValues = Object.fromEntries(POLICY_RULE_KEYS.map(k => [k, values[k]]))
    let problems: Problem[]
    if (!date.ok) {
      // The service is not called without a date, but the numbers are still checked so every problem shows at once.
      const checked = validatePolicyValues(ruleValues)
      problems = [
        { field: 'effectiveFrom', message: date.message },
        ...(checked.ok
          ? []
          : POLICY_RULE_KEYS.flatMap(k => (checked.problems[k] ? [{ field: k, message: checked.problems[k] }] : []))),
      ]
    } else {
      problems = await attempt(() =>
        services.policy.createVersion(callerOf(request), {
          effectiveFrom: date.value ?? '',
          values: ruleValues,
          note: typeof body.note === 'string' ? body.note : '',
        }),
      )
    }
    if (problems.length === 0) return reply.redirect('/settings/policy?saved=1')
    const order = ['effectiveFrom', 'note', ...POLICY_RULE_KEYS]
    const sorted = [...problems].sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field))
    const form = pageErrors(sorted, ['effectiveFrom'])
    // The range messages are the same for many rules, so the summary says which rule each is about.
    const errorList = form.errorList.map(e => {
      const key = POLICY_RULE_KEYS.find(k => e.href === `#${k}`)
      return key ? { ...e, text: `${POLICY_RULES[key].label}: ${e.text.charAt(0).toLowerCase()}${e.text.slice(1)}` } : e
    })
    return reply.code(400).view('pages/settings/policy-form.njk', policyForm(values, { ...form, errorList }))
  })
}
