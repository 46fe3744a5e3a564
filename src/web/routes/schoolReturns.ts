/**
 * Returns between schools and the LA (issue 8): a school's returns and CTF deadlines, admitting a
 * pupil (the new pupil return), the LA's feed of every school's returns, and the CME team's side on
 * a case (the LA's part of the joint enquiries, possibly-located alerts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { IsoDate } from '../../domain/dates.js'
import { NC_YEAR_CODES } from '../../domain/ctf.js'
import { validateAdmission, type AdmissionInput } from '../../services/admissionService.js'
import { ALERT_OUTCOMES } from '../../services/jointEnquiryService.js'
import { callerOf } from '../plugins/auth.js'
import { pageErrors, readDate, typedDate, type TypedDate } from '../dateInput.js'
import { asList, formBody, pathId, tryForm, type FormErrors } from '../forms.js'
import type { RouteOptions } from './index.js'

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '')
const one = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

const ADMISSION_TEXT = [
  'firstName',
  'lastName',
  'otherNames',
  'gender',
  'upn',
  'ncYear',
  'addressLine1',
  'town',
  'postcode',
  'parentName',
  'parentRelationship',
  'parentPhone',
  'previousSchool',
] as const
const ADMISSION_DATES = { dateOfBirth: 'Date of birth', admissionDate: 'Date of admission' } as const
type AdmissionDate = keyof typeof ADMISSION_DATES
const ADMISSION_DATE_FIELDS = Object.keys(ADMISSION_DATES) as AdmissionDate[]

type AdmissionValues = Record<(typeof ADMISSION_TEXT)[number], string> &
  Record<AdmissionDate, TypedDate> & { flags: string[] }

export async function schoolReturnsRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  app.get('/school/returns', { config: { access: 'school:pupils' } }, async (request, reply) =>
    reply.view('pages/school/returns.njk', { o: await services.returns.schoolOverview(callerOf(request)) }),
  )

  app.get('/school/returns/:returnId', { config: { access: 'signed-in' } }, async (request, reply) =>
    reply.view('pages/school/return.njk', {
      r: await services.returns.schoolReturn(callerOf(request), pathId(request.params, 'returnId')),
      back: '/school/returns',
    }),
  )

  const admissionPage = (reply: FastifyReply, values: AdmissionValues, form?: FormErrors, status = 200) =>
    reply.code(status).view('pages/school/admission.njk', {
      values,
      ncYears: NC_YEAR_CODES.filter(y => y !== 'X'),
      ...(form ?? {}),
    })

  const emptyAdmission = (): AdmissionValues => ({
    ...(Object.fromEntries(ADMISSION_TEXT.map(f => [f, ''])) as Record<(typeof ADMISSION_TEXT)[number], string>),
    dateOfBirth: { day: '', month: '', year: '' },
    admissionDate: { day: '', month: '', year: '' },
    flags: [],
  })

  app.get('/school/admissions/new', { config: { access: 'school:pupils' } }, async (_request, reply) =>
    admissionPage(reply, emptyAdmission()),
  )

  app.post(
    '/school/admissions/new',
    { config: { access: 'school:pupils' } },
    async (request: FastifyRequest, reply) => {
      const body = formBody(request.body)
      const values: AdmissionValues = {
        ...(Object.fromEntries(ADMISSION_TEXT.map(f => [f, text(body[f])])) as Record<
          (typeof ADMISSION_TEXT)[number],
          string
        >),
        dateOfBirth: typedDate(body, 'dateOfBirth'),
        admissionDate: typedDate(body, 'admissionDate'),
        flags: asList(body.flags),
      }
      const dateProblems: { field: string; message: string }[] = []
      const dates: Partial<Record<AdmissionDate, IsoDate>> = {}
      for (const f of ADMISSION_DATE_FIELDS) {
        const r = readDate(values[f], ADMISSION_DATES[f], true)
        if (!r.ok) dateProblems.push({ field: f, message: r.message })
        else if (r.value) dates[f] = r.value
      }
      const input: AdmissionInput = {
        ...Object.fromEntries(ADMISSION_TEXT.map(f => [f, values[f] || undefined])),
        ...dates,
        ehcp: values.flags.includes('ehcp'),
        lookedAfter: values.flags.includes('lookedAfter'),
      }
      const order = ['firstName', 'lastName', 'otherNames', 'dateOfBirth', 'gender', 'upn', 'ncYear', 'admissionDate']
      const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length)
      const showProblems = (problems: { field: string; message: string }[]) =>
        admissionPage(
          reply,
          values,
          pageErrors(
            [...problems].sort((a, b) => rank(a.field) - rank(b.field)),
            ADMISSION_DATE_FIELDS,
          ),
          400,
        )
      if (dateProblems.length > 0) {
        // The date boxes' own messages replace the service's "Enter the date" for those fields.
        const others = validateAdmission(input, services.rules.today()).filter(
          p => !dateProblems.some(d => d.field === p.field),
        )
        return showProblems([...dateProblems, ...others])
      }
      const attempt = await tryForm(() => services.admissions.admit(callerOf(request), input))
      if (attempt.ok) {
        const { returnId } = attempt.value
        return reply.redirect(returnId ? `/school/returns/${returnId}` : '/school/returns')
      }
      return showProblems(attempt.form.errorList.map(e => ({ field: e.href.slice(1), message: e.text })))
    },
  )

  // The LA's feed.
  app.get('/returns', { config: { access: 'returns:view' } }, async (request, reply) => {
    const q = request.query as Record<string, unknown>
    return reply.view('pages/returns/feed.njk', {
      f: await services.returns.feed(callerOf(request), { kind: one(q.kind), schoolId: one(q.school) }),
    })
  })

  app.get('/returns/:returnId', { config: { access: 'returns:view' } }, async (request, reply) =>
    reply.view('pages/school/return.njk', {
      r: await services.returns.laReturn(callerOf(request), pathId(request.params, 'returnId')),
      back: '/returns',
      la: true,
    }),
  )

  // The CME team's side on a case.
  async function linksPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { values?: Record<string, unknown>; form?: FormErrors; status?: number } = {},
  ) {
    const view = await services.jointEnquiries.view(callerOf(request), pathId(request.params))
    return reply.code(extra.status ?? 200).view('pages/cases/school-links.njk', {
      v: view,
      outcomes: ALERT_OUTCOMES,
      values: extra.values ?? { recordedOn: { day: '', month: '', year: '' }, details: '' },
      ...(extra.form ?? {}),
    })
  }

  app.get('/cases/:id/school-links', { config: { access: 'single-list:view' } }, async (request, reply) =>
    linksPage(request, reply),
  )

  app.post('/cases/:id/la-enquiries', { config: { access: 'case:work' } }, async (request, reply) => {
    const id = pathId(request.params)
    const body = formBody(request.body)
    const values = { recordedOn: typedDate(body, 'recordedOn'), details: text(body.details) }
    const date = readDate(values.recordedOn, 'Date the LA’s enquiries were completed', true)
    const attempt = !date.ok
      ? ({ ok: false, form: pageErrors([{ field: 'recordedOn', message: date.message }], ['recordedOn']) } as const)
      : await tryForm(() =>
          services.jointEnquiries.recordEnquiries(callerOf(request), id, {
            recordedOn: date.value,
            details: values.details,
          }),
        )
    if (attempt.ok) return reply.redirect(`/cases/${id}/school-links`)
    return linksPage(request, reply, { values, form: attempt.form, status: 400 })
  })

  app.post('/cases/:id/possibly-located/:alertId', { config: { access: 'case:work' } }, async (request, reply) => {
    const id = pathId(request.params)
    const alertId = pathId(request.params, 'alertId')
    const attempt = await tryForm(() =>
      services.jointEnquiries.resolveAlert(callerOf(request), id, alertId, one(formBody(request.body).outcome)),
    )
    if (attempt.ok) return reply.redirect(`/cases/${id}/school-links`)
    return linksPage(request, reply, { form: attempt.form, status: 400 })
  })
}
