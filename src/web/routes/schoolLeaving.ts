/**
 * A pupil leaving the school's roll (issue 8): "can I remove this pupil?" and the deletion with its
 * return, the parent's notice of home education, and the Common Transfer File. The services decide
 * and re-check; these pages gather the school's facts and show the answer.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { IsoDate } from '../../domain/dates.js'
import { CTF_DESTINATION_LABELS, type ReturnParent } from '../../domain/schoolReturns.js'
import type { LeavingCheck, LeavingView, SchoolGivenFacts } from '../../services/leavingService.js'
import { callerOf } from '../plugins/auth.js'
import { pageErrors, readDate, typedDate, typedFromIso, type TypedDate } from '../dateInput.js'
import { asList, formBody, pathId, tryForm, type FormErrors } from '../forms.js'
import type { RouteOptions } from './index.js'
import { DELETION_DATE_FIELDS, deletionFacts, deletionValues, type DeletionFormValues } from './rules.js'

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '')
const MAX_PARENTS = 2

/** The fields of the leaving form that are the school's facts (the rest onroll holds itself). */
type LeavingFormValues = DeletionFormValues & { absence: string[] }

function leavingValues(body: Record<string, unknown>): LeavingFormValues {
  return { ...deletionValues(body), absence: asList(body.absence) }
}

function givenFrom(
  values: LeavingFormValues,
  today: IsoDate,
): { given: SchoolGivenFacts } | { problems: { field: string; message: string }[] } {
  const parsed = deletionFacts(values, today)
  if ('problems' in parsed) return parsed
  return { given: { ...parsed.facts, absenceDeclared: values.absence.includes('absenceDeclared') } }
}

/** The typed facts, carried through the record form so the deletion is checked on exactly what was shown. */
const factsBodyOf = (body: Record<string, unknown>): string =>
  JSON.stringify(Object.fromEntries(Object.entries(body).filter(([k]) => k !== '_csrf' && !k.startsWith('record'))))

function parseFactsBody(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'string') return {}
  try {
    const v: unknown = JSON.parse(raw)
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

interface RecordValues {
  ground: string
  deletedOn: TypedDate
  parents: ReturnParent[]
  futureAddress: string
  futureParentName: string
  futureFrom: TypedDate
  newSchoolName: string
  newSchoolStartsOn: TypedDate
  seniorClass: string[]
}

function recordValues(body: Record<string, unknown>): RecordValues {
  const parents: ReturnParent[] = []
  for (let i = 0; i < MAX_PARENTS; i += 1)
    parents.push({
      fullName: text(body[`parents-${i}-fullName`]),
      address: text(body[`parents-${i}-address`]),
      emergencyPhone: text(body[`parents-${i}-emergencyPhone`]),
    })
  return {
    ground: text(body.ground),
    deletedOn: typedDate(body, 'deletedOn'),
    parents,
    futureAddress: text(body.futureAddress),
    futureParentName: text(body.futureParentName),
    futureFrom: typedDate(body, 'futureFrom'),
    newSchoolName: text(body.newSchoolName),
    newSchoolStartsOn: typedDate(body, 'newSchoolStartsOn'),
    seniorClass: asList(body.seniorClass),
  }
}

export async function schoolLeavingRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  // Record-level access: the services let a school see only its own pupils (the access matrix's record rule).
  const own = { config: { access: 'signed-in' as const } }

  async function leavingPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: {
      values?: LeavingFormValues
      /** The school's facts to check: the answer and the page come from one read of the record. */
      given?: SchoolGivenFacts
      record?: RecordValues
      factsBody?: string
      form?: FormErrors
      status?: number
    } = {},
  ) {
    const caller = callerOf(request)
    const pupilId = pathId(request.params, 'pupilId')
    const { view, result }: { view: LeavingView; result?: LeavingCheck } = extra.given
      ? await services.leaving.checkPage(caller, pupilId, extra.given)
      : { view: await services.leaving.view(caller, pupilId) }
    const record: RecordValues = extra.record ?? {
      ground: result?.check.applicableGrounds.length === 1 ? (result.check.applicableGrounds[0] ?? '') : '',
      deletedOn: typedFromIso(view.today),
      parents: Array.from({ length: MAX_PARENTS }, (_, i) => {
        const c = view.contacts[i]
        return c
          ? { fullName: c.name, address: view.address, emergencyPhone: c.phone ?? '' }
          : { fullName: '', address: '', emergencyPhone: '' }
      }),
      futureAddress: '',
      futureParentName: '',
      futureFrom: typedFromIso(undefined),
      newSchoolName: '',
      newSchoolStartsOn: typedFromIso(undefined),
      seniorClass: [],
    }
    return reply.code(extra.status ?? 200).view('pages/school/leaving.njk', {
      v: view,
      values: extra.values ?? leavingValues({}),
      result,
      record,
      factsBody: extra.factsBody ?? '{}',
      ...(extra.form ?? {}),
    })
  }

  app.get('/school/pupils/:pupilId/leaving', own, async (request, reply) => leavingPage(request, reply))

  app.post('/school/pupils/:pupilId/leaving', own, async (request, reply) => {
    const body = formBody(request.body)
    const values = leavingValues(body)
    const parsed = givenFrom(values, services.rules.today())
    if ('problems' in parsed)
      return leavingPage(request, reply, {
        values,
        status: 400,
        form: pageErrors(parsed.problems, DELETION_DATE_FIELDS),
      })
    return leavingPage(request, reply, { values, given: parsed.given, factsBody: factsBodyOf(body) })
  })

  app.post('/school/pupils/:pupilId/leaving/record', own, async (request, reply) => {
    const caller = callerOf(request)
    const pupilId = pathId(request.params, 'pupilId')
    const body = formBody(request.body)
    const factsBody = typeof body.facts === 'string' ? body.facts : '{}'
    const values = leavingValues(parseFactsBody(factsBody))
    const parsed = givenFrom(values, services.rules.today())
    if ('problems' in parsed)
      return leavingPage(request, reply, {
        values,
        status: 400,
        form: pageErrors(parsed.problems, DELETION_DATE_FIELDS),
      })
    const record = recordValues(body)
    const problems: { field: string; message: string }[] = []
    const dates: Record<string, IsoDate | undefined> = {}
    for (const [field, label, required] of [
      ['deletedOn', 'Date the name was deleted', true],
      ['futureFrom', 'Date the pupil will live there from', false],
      ['newSchoolStartsOn', 'Date the pupil starts at the new school', false],
    ] as const) {
      const r = readDate(record[field], label, required)
      if (!r.ok) problems.push({ field, message: r.message })
      else dates[field] = r.value
    }
    const attempt =
      problems.length > 0
        ? ({ ok: false, form: pageErrors(problems, ['deletedOn', 'futureFrom', 'newSchoolStartsOn']) } as const)
        : await tryForm(() =>
            services.leaving.recordDeletion(caller, pupilId, {
              given: parsed.given,
              ground: record.ground,
              deletedOn: dates.deletedOn,
              inMostSeniorClass: record.seniorClass.includes('yes'),
              returnInput: {
                parents: record.parents.filter(p => p.fullName !== '' || p.address !== '' || p.emergencyPhone !== ''),
                futureAddress: record.futureAddress || undefined,
                futureParentName: record.futureParentName || undefined,
                futureFrom: dates.futureFrom,
                newSchoolName: record.newSchoolName || undefined,
                newSchoolStartsOn: dates.newSchoolStartsOn,
              },
            }),
          )
    if (attempt.ok) return reply.redirect(`/school/pupils/${pupilId}/leaving`)
    return leavingPage(request, reply, {
      values,
      given: parsed.given,
      record,
      factsBody,
      form: attempt.form,
      status: 400,
    })
  })

  // Elective home education: the parent's written notice.
  const EHE_DATES = {
    receivedOn: 'Date the written notice arrived',
    educatedFrom: 'Date the parent gave for home education to start',
    verifiedOn: 'Date the EWS Operational Manager verified the notice',
    laConsentOn: 'Date the local authority consented',
  } as const
  type EheField = keyof typeof EHE_DATES
  const EHE_FIELDS = Object.keys(EHE_DATES) as EheField[]

  async function ehePage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { values?: Record<EheField, TypedDate>; form?: FormErrors; status?: number; saved?: boolean } = {},
  ) {
    const view = await services.leaving.eheView(callerOf(request), pathId(request.params, 'pupilId'))
    const n = view.held.eheNotice
    const values =
      extra.values ??
      ({
        receivedOn: typedFromIso(n?.receivedOn),
        educatedFrom: typedFromIso(n?.educatedFrom),
        verifiedOn: typedFromIso(n?.verifiedOn ?? undefined),
        laConsentOn: typedFromIso(n?.laConsentOn ?? undefined),
      } satisfies Record<EheField, TypedDate>)
    return reply.code(extra.status ?? 200).view('pages/school/home-education.njk', {
      v: view,
      values,
      saved: extra.saved === true || (request.query as Record<string, unknown>).saved === '1',
      ...(extra.form ?? {}),
    })
  }

  app.get('/school/pupils/:pupilId/home-education', own, async (request, reply) => ehePage(request, reply))

  app.post('/school/pupils/:pupilId/home-education', own, async (request, reply) => {
    const pupilId = pathId(request.params, 'pupilId')
    const body = formBody(request.body)
    const values = Object.fromEntries(EHE_FIELDS.map(f => [f, typedDate(body, f)])) as Record<EheField, TypedDate>
    const problems: { field: string; message: string }[] = []
    const dates: Partial<Record<EheField, IsoDate>> = {}
    for (const f of EHE_FIELDS) {
      const r = readDate(values[f], EHE_DATES[f], f === 'receivedOn' || f === 'educatedFrom')
      if (!r.ok) problems.push({ field: f, message: r.message })
      else if (r.value) dates[f] = r.value
    }
    const attempt =
      problems.length > 0
        ? ({ ok: false, form: pageErrors(problems, EHE_FIELDS) } as const)
        : await tryForm(() => services.leaving.recordEheNotice(callerOf(request), pupilId, dates))
    if (attempt.ok) return reply.redirect(`/school/pupils/${pupilId}/home-education?saved=1`)
    const form = {
      ...attempt.form,
      errorList: attempt.form.errorList.map(e => ({
        ...e,
        href: EHE_FIELDS.some(f => e.href === `#${f}`) ? `${e.href}-day` : e.href,
      })),
    }
    return ehePage(request, reply, { values, form, status: 400 })
  })

  // The Common Transfer File.
  async function ctfPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { values?: Record<string, string>; form?: FormErrors; status?: number } = {},
  ) {
    const view = await services.ctf.page(callerOf(request), pathId(request.params, 'pupilId'))
    return reply.code(extra.status ?? 200).view('pages/school/ctf.njk', {
      v: view,
      values: extra.values ?? { destination: 'unknown', laCode: '', establishmentNumber: '' },
      destinations: CTF_DESTINATION_LABELS,
      ...(extra.form ?? {}),
    })
  }

  app.get('/school/pupils/:pupilId/ctf', own, async (request, reply) => ctfPage(request, reply))

  app.post('/school/pupils/:pupilId/ctf', own, async (request, reply) => {
    const pupilId = pathId(request.params, 'pupilId')
    const body = formBody(request.body)
    const values = {
      destination: text(body.destination),
      laCode: text(body.laCode),
      establishmentNumber: text(body.establishmentNumber),
    }
    const attempt = await tryForm(() => services.ctf.generate(callerOf(request), pupilId, values))
    if (attempt.ok) return reply.redirect(`/school/pupils/${pupilId}/ctf`)
    return ctfPage(request, reply, { values, form: attempt.form, status: 400 })
  })

  app.get('/school/ctf/:ctfId/download', own, async (request, reply) => {
    const file = await services.ctf.download(callerOf(request), pathId(request.params, 'ctfId'))
    return reply
      .header('content-type', 'application/xml; charset=utf-8')
      .header('content-disposition', `attachment; filename="${file.fileName}"`)
      .header('cache-control', 'no-store')
      .send(file.xml)
  })

  app.post('/school/ctf/:ctfId/uploaded', own, async (request, reply) => {
    const { pupilId } = await services.ctf.markUploaded(callerOf(request), pathId(request.params, 'ctfId'))
    const back = formBody(request.body).back === 'returns' ? '/school/returns' : `/school/pupils/${pupilId}/ctf`
    return reply.redirect(back)
  })
}
