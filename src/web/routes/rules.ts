import type { FastifyInstance } from 'fastify'
import { formatLongDate, isIsoDate, type IsoDate } from '../../domain/dates.js'
import { SCHOOL_CONFIRMS_GROUNDS, type SessionMarks } from '../../domain/deletion.js'
import type { DeletionFacts } from '../../services/rulesService.js'
import { callerOf } from '../plugins/auth.js'
import { pageErrors, readDate, typedDate, type TypedDate } from '../dateInput.js'
import { asList, formBody } from '../forms.js'
import type { RouteOptions } from './index.js'

type Problem = { field: string; message: string }

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '')

const MAX_SESSION_LINES = 400

/**
 * Register lines as a school copies them out: "2026-11-02 N N" (date, morning code, afternoon
 * code), one school day a line, oldest first. Every bad line is reported with its number.
 */
export function parseSessionLines(input: string): { sessions: SessionMarks[]; problems: string[] } {
  const sessions: SessionMarks[] = []
  const problems: string[] = []
  const lines = input.split(/\r\n|\n|\r/)
  lines.forEach((raw, i) => {
    const line = raw.trim()
    if (line === '') return
    const at = `Line ${i + 1}`
    const parts = line.split(/[\s,]+/)
    const [date, am, pm] = parts
    if (parts.length !== 3 || date === undefined || am === undefined || pm === undefined) {
      problems.push(`${at}: give the date, the morning code and the afternoon code, like 2026-11-02 N N`)
      return
    }
    if (!isIsoDate(date)) {
      problems.push(`${at}: '${date}' is not a real date; write it as YYYY-MM-DD, like 2026-11-02`)
      return
    }
    if (am.length > 2 || pm.length > 2) {
      problems.push(`${at}: an attendance code is one character, like N, G, O or /`)
      return
    }
    sessions.push({ date, am, pm })
  })
  if (sessions.length > MAX_SESSION_LINES)
    problems.push(`Give at most ${MAX_SESSION_LINES} days of attendance codes; the check needs only the absence`)
  return { sessions, problems }
}

/** Every date box on the deletion-check form, in page order, with the words its messages use. */
const DELETION_DATES = {
  dateOfBirth: 'Date of birth',
  firstDayOfAbsence: 'First day of absence',
  leaveEndedOn: 'Last day of the leave of absence',
  laEnquiriesOn: 'Date the CME team recorded the LA’s part of the enquiries',
  cmeReferralOn: 'Date the CME referral was made',
  eheReceivedOn: 'Date the written notice arrived',
  eheEducatedFrom: 'Date the parent gave',
  eheVerifiedOn: 'Date the EWS Operational Manager verified the notice',
  otherSchoolOn: 'Date the registration at another school was confirmed',
  otherSchoolsConsentedOn: 'Date the last other school consented',
  movedAwayOn: 'Date the move was confirmed',
  diedOn: 'Date of death',
  excludedOn: 'Date of the permanent exclusion',
} as const
type DeletionDate = keyof typeof DELETION_DATES
export const DELETION_DATE_FIELDS = Object.keys(DELETION_DATES) as DeletionDate[]

const LEAVING = ['parent-says-leaving', 'entry-requirements-not-met'] as const
type Leaving = (typeof LEAVING)[number]

const GROUPS = ['pupil', 'steps', 'ehe', 'otherSchool', 'dual', 'exclusion', 'confirmed'] as const

/** What was typed on the deletion-check form, kept to show it again. */
export type DeletionFormValues = Record<DeletionDate, TypedDate> &
  Record<(typeof GROUPS)[number], string[]> & { sessions: string; leaving: string }

export function deletionValues(body: Record<string, unknown>): DeletionFormValues {
  const dates = Object.fromEntries(DELETION_DATE_FIELDS.map(f => [f, typedDate(body, f)])) as Record<
    DeletionDate,
    TypedDate
  >
  const groups = Object.fromEntries(GROUPS.map(g => [g, asList(body[g])])) as Record<(typeof GROUPS)[number], string[]>
  return {
    ...dates,
    ...groups,
    sessions: typeof body.sessions === 'string' ? body.sessions : '',
    leaving: text(body.leaving),
  }
}

/** The form's values as the pupil facts, or every problem with them in page order. */
export function deletionFacts(
  values: DeletionFormValues,
  today: IsoDate,
): { facts: DeletionFacts } | { problems: Problem[] } {
  const problems: Problem[] = []
  const d: Partial<Record<DeletionDate, IsoDate>> = {}
  for (const field of DELETION_DATE_FIELDS) {
    const r = readDate(values[field], DELETION_DATES[field], false)
    if (!r.ok) problems.push({ field, message: r.message })
    else if (r.value) d[field] = r.value
  }
  const { sessions, problems: lineProblems } = parseSessionLines(values.sessions)
  const firstDayMissing = !d.firstDayOfAbsence && !problems.some(p => p.field === 'firstDayOfAbsence')
  if (firstDayMissing && (sessions.length > 0 || d.leaveEndedOn))
    problems.push({
      field: 'firstDayOfAbsence',
      message: 'Enter the first day of absence: the attendance codes and the leave of absence are counted from it',
    })
  problems.push(...lineProblems.map(message => ({ field: 'sessions', message })))
  if (d.eheReceivedOn && !d.eheEducatedFrom && !problems.some(p => p.field === 'eheEducatedFrom'))
    problems.push({ field: 'eheEducatedFrom', message: 'Enter the date the parent gave in the written notice' })
  if (d.eheEducatedFrom && !d.eheReceivedOn && !problems.some(p => p.field === 'eheReceivedOn'))
    problems.push({ field: 'eheReceivedOn', message: 'Enter the date the written notice arrived' })
  if (values.leaving !== '' && values.leaving !== 'no' && !(LEAVING as readonly string[]).includes(values.leaving))
    problems.push({
      field: 'leaving',
      message: 'Select whether the pupil is leaving at the end of compulsory school age',
    })
  if (problems.length > 0) {
    const order = ['dateOfBirth', 'firstDayOfAbsence', 'sessions', ...DELETION_DATE_FIELDS.slice(2), 'leaving']
    return { problems: [...problems].sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field)) }
  }

  const has = (group: (typeof GROUPS)[number], value: string) => values[group].includes(value)
  const confirmed = SCHOOL_CONFIRMS_GROUNDS.filter(g => has('confirmed', g))
  const facts: DeletionFacts = {
    dateOfBirth: d.dateOfBirth,
    firstDayOfAbsence: d.firstDayOfAbsence,
    sessions,
    hasEhcp: has('pupil', 'hasEhcp'),
    lookedAfter: has('pupil', 'lookedAfter'),
    placedByLaAtSpecialSchool: has('pupil', 'placedByLaAtSpecialSchool'),
    saoNamingSchoolInForce: has('pupil', 'saoNamingSchoolInForce'),
    isBoarder: has('pupil', 'isBoarder'),
    reasonToBelieveSicknessOrUnavoidableCause: has('pupil', 'reasonToBelieveSickness'),
    safeguardingConcern: has('pupil', 'safeguardingConcern'),
    enquiries: { schoolMade: has('steps', 'schoolEnquiries'), laPartRecordedOn: d.laEnquiriesOn },
    ewsAgreedRemoval: has('steps', 'ewsAgreedRemoval'),
    newProvisionConfirmed: has('steps', 'newProvisionConfirmed'),
    senTeamConsulted: has('steps', 'senTeamConsulted'),
    virtualSchoolHeadInformed: has('steps', 'virtualSchoolHeadInformed'),
    cmeReferralMadeOn: d.cmeReferralOn,
    laConsentToEheDeletion: has('ehe', 'laConsentToEheDeletion'),
    eheVerifiedByEwsOn: d.eheVerifiedOn,
    leaveOfAbsenceEndedOn: d.leaveEndedOn,
    exclusionReviewComplete: has('exclusion', 'reviewComplete'),
    permanentlyExcludedOn: d.excludedOn,
    diedOn: d.diedOn,
    ...(d.eheReceivedOn && d.eheEducatedFrom
      ? { writtenEheNotice: { receivedOn: d.eheReceivedOn, educatedFrom: d.eheEducatedFrom } }
      : {}),
    ...(d.otherSchoolOn
      ? {
          registeredAtAnotherSchool: {
            confirmedOn: d.otherSchoolOn,
            dualRegistrationAgreed: has('otherSchool', 'dualRegistrationAgreed'),
            mobileChildMainSchoolHere: has('otherSchool', 'mobileChildMainSchoolHere'),
          },
        }
      : {}),
    ...(has('dual', 'alsoRegisteredElsewhere') || d.otherSchoolsConsentedOn
      ? {
          alsoRegisteredElsewhere: {
            allOtherSchoolsConsentedOn: d.otherSchoolsConsentedOn,
            noReasonToBelieveWillAttend: has('dual', 'noReasonToBelieveWillAttend'),
            mobileChildMainSchoolHere: has('otherSchool', 'mobileChildMainSchoolHere'),
          },
        }
      : {}),
    ...(d.movedAwayOn ? { noLongerLivesWithinReasonableDistance: { confirmedOn: d.movedAwayOn } } : {}),
    ...((LEAVING as readonly string[]).includes(values.leaving)
      ? { ceasesCompulsorySchoolAgeNotContinuing: { because: values.leaving as Leaving } }
      : {}),
    ...(confirmed.length > 0
      ? {
          confirmedBySchool: Object.fromEntries(confirmed.map(g => [g, today])),
        }
      : {}),
  }
  return { facts }
}

const emptyDeletionValues = (): DeletionFormValues => deletionValues({})

/** The school-days helper's two forms: count between two dates, or find the Nth school day after one. */
const COUNT_DATES = { countFrom: 'Start date', countTo: 'End date' } as const

/** Rules helpers for people: school days and the deletion check (issue 4). Nothing typed here is stored. */
export async function rulesRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  const schoolDaysPage = async (
    request: Parameters<typeof callerOf>[0],
    extra: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> => {
    const { actor } = callerOf(request)
    const schools = await services.rules.schools(actor.laCode)
    // A school user counts in their own school's calendar unless they choose another.
    const own = actor.organisationKind === 'school' ? (schools.find(s => s.id === actor.organisationId)?.urn ?? '') : ''
    return { schools, values: { countSchool: own, addSchool: own }, ...extra }
  }

  app.get('/rules/school-days', { config: { access: 'rules:use' } }, async (request, reply) =>
    reply.view('pages/rules/school-days.njk', await schoolDaysPage(request)),
  )

  app.post('/rules/school-days', { config: { access: 'rules:use' } }, async (request, reply) => {
    const { actor } = callerOf(request)
    const body = formBody(request.body)
    const mode = body.mode === 'add' ? 'add' : 'count'
    const values = {
      countFrom: typedDate(body, 'countFrom'),
      countTo: typedDate(body, 'countTo'),
      countSchool: text(body.countSchool),
      addFrom: typedDate(body, 'addFrom'),
      addDays: text(body.addDays),
      addSchool: text(body.addSchool),
    }
    const schools = await services.rules.schools(actor.laCode)
    const schoolField = mode === 'count' ? 'countSchool' : 'addSchool'
    const urn = values[schoolField]
    const school = urn === '' ? undefined : schools.find(s => s.urn === urn)
    const schoolRef = school ? { urn: school.urn } : undefined
    const schoolProblem: Problem[] =
      urn !== '' && !school ? [{ field: schoolField, message: 'Select a school from the list' }] : []

    // Problems are listed in the order the fields appear on the page.
    const problems: Problem[] = []
    let result: Record<string, unknown> | undefined
    if (mode === 'count') {
      const from = readDate(values.countFrom, COUNT_DATES.countFrom, true)
      const to = readDate(values.countTo, COUNT_DATES.countTo, true)
      if (!from.ok) problems.push({ field: 'countFrom', message: from.message })
      if (!to.ok) problems.push({ field: 'countTo', message: to.message })
      else if (from.ok && from.value && to.value && to.value < from.value)
        problems.push({ field: 'countTo', message: 'The end date must be the same as or after the start date' })
      problems.push(...schoolProblem)
      if (problems.length === 0 && from.ok && to.ok && from.value && to.value) {
        const { calendar, answer } = await services.rules.countSchoolDays(actor.laCode, from.value, to.value, schoolRef)
        result = answer.ok
          ? {
              mode,
              calendar,
              heading: `${answer.value} school day${answer.value === 1 ? '' : 's'}`,
              text: `From ${formatLongDate(from.value)} to ${formatLongDate(to.value)}, counting both days.`,
            }
          : { mode, calendar, problem: answer.problem }
      }
    } else {
      const from = readDate(values.addFrom, 'Start date', true)
      if (!from.ok) problems.push({ field: 'addFrom', message: from.message })
      const n = /^\d{1,4}$/.test(values.addDays) ? Number(values.addDays) : NaN
      if (values.addDays === '') problems.push({ field: 'addDays', message: 'Enter the number of school days' })
      else if (!(n >= 1 && n <= 1000))
        problems.push({ field: 'addDays', message: 'Number of school days must be a whole number from 1 to 1000' })
      problems.push(...schoolProblem)
      if (problems.length === 0 && from.ok && from.value) {
        const { calendar, answer } = await services.rules.addSchoolDays(actor.laCode, from.value, n, schoolRef)
        result = answer.ok
          ? {
              mode,
              calendar,
              heading: formatLongDate(answer.value),
              text: `${n} school day${n === 1 ? '' : 's'} after ${formatLongDate(from.value)} (that day itself is not counted).`,
            }
          : { mode, calendar, problem: answer.problem }
      }
    }
    if (problems.length > 0)
      return reply.code(400).view('pages/rules/school-days.njk', {
        schools,
        values,
        ...pageErrors(problems, ['countFrom', 'countTo', 'addFrom']),
      })
    return reply.view('pages/rules/school-days.njk', { schools, values, result })
  })

  const deletionCheck = { config: { access: 'school:pupils' as const } }

  app.get('/rules/deletion-check', deletionCheck, async (_request, reply) =>
    reply.view('pages/rules/deletion-check.njk', { values: emptyDeletionValues() }),
  )

  app.post('/rules/deletion-check', deletionCheck, async (request, reply) => {
    const { actor } = callerOf(request)
    const values = deletionValues(formBody(request.body))
    const parsed = deletionFacts(values, services.rules.today())
    if ('problems' in parsed)
      return reply.code(400).view('pages/rules/deletion-check.njk', {
        values,
        ...pageErrors(parsed.problems, DELETION_DATE_FIELDS),
      })
    // A school user's own calendar: academies set their own term dates.
    const school = actor.organisationKind === 'school' ? { id: actor.organisationId } : undefined
    const result = await services.rules.deletionCheck(actor.laCode, parsed.facts, school)
    return reply.view('pages/rules/deletion-result.njk', { result })
  })
}
