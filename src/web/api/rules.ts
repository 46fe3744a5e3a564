import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { GROUND_LETTERS, SCHOOL_CONFIRMS_GROUNDS } from '../../domain/deletion.js'
import type { Answer } from '../../domain/schoolDays.js'
import { problem, sendProblem } from '../problem.js'
import type { ApiOptions } from './index.js'

/*
 * The rules API: public (config.access 'public', no token) because nothing in it is stored or read
 * about a child; the API context still rate-limits it. Every parameter is checked by its zod schema,
 * whose messages name the parameter, and a bad one becomes a 400 problem pointing at it.
 */

const date = (name: string, description: string) =>
  z.iso
    .date({
      error: issue =>
        issue.input === undefined
          ? `${name} is required (YYYY-MM-DD)`
          : `${name} must be a real date in the form YYYY-MM-DD`,
    })
    .meta({ description, example: '2026-11-02' })

const schoolUrn = (name: string) =>
  z
    .string({ error: `${name} must be a school URN` })
    .regex(/^\d{6}$/, { error: `${name} must be a school URN: 6 digits` })
    .meta({
      description: 'The school’s URN: counts in its own calendar, or the LA default if it has none',
      example: '990002',
    })

const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
  })
  .meta({ description: 'RFC 9457 problem details' })

const badInput = { 400: problemSchema }
const calendarProblems = { ...badInput, 404: problemSchema, 422: problemSchema }

const dayCount = z
  .string({ error: issue => (issue.input === undefined ? 'days is required' : 'days must be a whole number') })
  .regex(/^\d{1,4}$/, { error: 'days must be a whole number from 1 to 1000' })
  .transform(Number)
  .refine(n => n >= 1 && n <= 1000, { error: 'days must be a whole number from 1 to 1000' })
  .meta({ description: 'How many school days after `from` (1 to 1000)', example: '20' })

const flag = (description: string) => z.boolean({ error: 'must be true or false' }).default(false).meta({ description })
const optionalDate = (description: string) =>
  z.iso.date({ error: 'must be a real date in the form YYYY-MM-DD' }).optional().meta({ description })

const sessionCode = z.string({ error: 'must be an attendance code' }).max(2, { error: 'must be an attendance code' })

const pupilFacts = z
  .object(
    {
      school: schoolUrn('school').optional(),
      dateOfBirth: optionalDate('Needed for Ground L (end of compulsory school age)'),
      lastAttendedOn: z.iso
        .date({
          error: issue =>
            issue.input === undefined
              ? 'lastAttendedOn is required (YYYY-MM-DD)'
              : 'lastAttendedOn must be a real date in the form YYYY-MM-DD',
        })
        .meta({ description: 'The last day the pupil attended', example: '2026-10-16' }),
      sessions: z
        .array(z.object({ date: date('date', 'A school day'), am: sessionCode, pm: sessionCode }), {
          error: 'sessions must be a list of { date, am, pm }',
        })
        .max(400, { error: 'sessions may hold at most 400 days' })
        .default([])
        .meta({ description: 'Attendance codes for each school day since the last attendance, oldest first' }),
      hasEhcp: flag('The pupil has an EHC plan'),
      lookedAfter: flag('The pupil is looked after'),
      placedByLaAtSpecialSchool: flag('The LA placed the pupil at this special school'),
      laConsentToEheDeletion: flag('The LA has consented to deletion for home education'),
      saoNamingSchoolInForce: flag('A school attendance order naming this school is in force'),
      newProvisionConfirmed: flag('A new provision is confirmed and the child attends it'),
      senTeamConsulted: flag('The LA’s SEN team has been consulted'),
      virtualSchoolHeadInformed: flag('The virtual school head has been told'),
      registeredAtAnotherSchool: z
        .object({
          confirmedOn: date('registeredAtAnotherSchool.confirmedOn', 'The date the registration was confirmed'),
          mobileChildMainSchoolHere: flag('A mobile child whose main school is this one'),
          dualRegistrationAgreed: flag('This school agreed to dual registration'),
        })
        .optional()
        .meta({ description: 'Ground A' }),
      alsoRegisteredElsewhere: z
        .object({
          allOtherSchoolsConsentedOn: optionalDate('When the last other school consented'),
          noReasonToBelieveWillAttend: flag('No reasonable grounds to believe the pupil will attend again'),
          mobileChildMainSchoolHere: flag('A mobile child whose main school is this one'),
        })
        .optional()
        .meta({ description: 'Ground C' }),
      writtenEheNotice: z
        .object({
          receivedOn: date('writtenEheNotice.receivedOn', 'The day the written notice arrived'),
          educatedFrom: date('writtenEheNotice.educatedFrom', 'The date the parent gave'),
        })
        .optional()
        .meta({ description: 'Ground F' }),
      eheVerifiedByEwsOn: optionalDate('The EWS Operational Manager verified the notice (protocol)'),
      enquiries: z
        .object({
          schoolMade: flag('The school made reasonable enquiries'),
          laPartRecordedOn: optionalDate('The CME team recorded the LA’s part of the joint enquiries'),
        })
        .default({ schoolMade: false }),
      reasonToBelieveSicknessOrUnavoidableCause: flag('Reasonable grounds to believe sickness or an unavoidable cause'),
      leaveOfAbsenceEndedOn: optionalDate('Ground H: the last day of the leave of absence'),
      noLongerLivesWithinReasonableDistance: z
        .object({
          confirmedOn: date('noLongerLivesWithinReasonableDistance.confirmedOn', 'The date the move was confirmed'),
        })
        .optional()
        .meta({ description: 'Ground G' }),
      isBoarder: flag('The pupil boards'),
      diedOn: optionalDate('Ground K'),
      permanentlyExcludedOn: optionalDate('Ground O'),
      exclusionReviewComplete: flag('Ground O: the exclusion process is complete'),
      ceasesCompulsorySchoolAgeNotContinuing: z
        .object({ because: z.enum(['parent-says-leaving', 'entry-requirements-not-met']) })
        .optional()
        .meta({ description: 'Ground L' }),
      confirmedBySchool: z
        .partialRecord(
          z.enum(SCHOOL_CONFIRMS_GROUNDS),
          z.iso.date({ error: 'must be a real date in the form YYYY-MM-DD' }),
        )
        .optional()
        .meta({ description: 'Grounds B, D, E, J, M and N: the date from which the school confirms their conditions' }),
      ewsAgreedRemoval: flag('Protocol: the Education Welfare Service agreed the removal'),
      cmeReferralMadeOn: optionalDate('Protocol: the date a CME referral was made'),
      safeguardingConcern: flag('Protocol: there is a cause for concern'),
    },
    { error: 'The body must be a JSON object of pupil facts' },
  )
  .meta({ description: 'The pupil facts (nothing is stored)' })

const returnField = z.object({ key: z.string(), label: z.string(), required: z.boolean(), source: z.string() })

const deletionResponse = z.object({
  today: z.string(),
  calendar: z.string(),
  policyVersion: z.number().int(),
  allowedToday: z.boolean(),
  applicableGrounds: z.array(z.enum(GROUND_LETTERS)),
  earliestDate: z.string().optional(),
  reasons: z.array(z.string()),
  protocolBlocks: z.array(z.string()),
  problems: z.array(z.string()),
  warnings: z.array(z.string()),
  grounds: z.array(
    z.object({
      ground: z.enum(GROUND_LETTERS),
      title: z.string(),
      regulation: z.string(),
      status: z.enum(['applies', 'waiting', 'blocked', 'not-indicated', 'needs-confirmation', 'problem']),
      applies: z.boolean(),
      earliestDate: z.string().optional(),
      blockers: z.array(z.string()),
    }),
  ),
  deletionReturns: z.array(z.object({ ground: z.enum(GROUND_LETTERS), fields: z.array(returnField) })),
})

/** A calendar that cannot answer is a 422 whose detail is its "No term dates for …" sentence. */
function noTermDates(reply: FastifyReply, answer: Answer<unknown> & { ok: false }): FastifyReply {
  return sendProblem(reply, problem(422, 'No term dates', answer.problem))
}

export async function rulesApiRoutes(app: FastifyInstance, { services, config }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const laOf = (request: FastifyRequest) => request.actor?.laCode ?? config.la.code
  const common = { tags: ['rules'], security: [] }

  api.get(
    '/rules/compulsory-school-age',
    {
      config: { access: 'public' },
      schema: {
        ...common,
        summary: 'Compulsory school age for a date of birth',
        description:
          'When compulsory school age starts and ends (Education Act 1996 s8), and with `on`, whether the child is of compulsory school age that day. Both ends are inclusive.',
        querystring: z.object({
          dateOfBirth: date('dateOfBirth', 'The child’s date of birth'),
          on: date('on', 'A date to test').optional(),
        }),
        response: {
          200: z.object({
            dateOfBirth: z.string(),
            startsOn: z.string(),
            endsOn: z.string(),
            on: z.string().optional(),
            isOfCompulsorySchoolAge: z.boolean().optional(),
          }),
          ...badInput,
        },
      },
    },
    async request => services.rules.compulsorySchoolAge(request.query.dateOfBirth, request.query.on),
  )

  api.get(
    '/rules/upn/:upn',
    {
      config: { access: 'public' },
      schema: {
        ...common,
        summary: 'Check a Unique Pupil Number',
        description:
          'Whether a UPN is well formed with the right check letter, and every problem with it. Spaces are ignored.',
        params: z.object({
          upn: z.string().max(40, { error: 'upn must be 40 characters or fewer' }).meta({ example: 'A801200100001' }),
        }),
        response: {
          200: z.object({ upn: z.string(), valid: z.boolean(), temporary: z.boolean(), problems: z.array(z.string()) }),
          ...badInput,
        },
      },
    },
    async request => services.rules.checkUpn(request.params.upn),
  )

  api.get(
    '/rules/school-days',
    {
      config: { access: 'public' },
      schema: {
        ...common,
        summary: 'Count school days between two dates',
        description:
          'School days from `from` to `to`, both included, in the school’s calendar (or the LA default). A range without term dates is a 422 problem.',
        querystring: z
          .object({
            from: date('from', 'The first day of the range'),
            to: date('to', 'The last day of the range'),
            school: schoolUrn('school').optional(),
          })
          .refine(q => q.to >= q.from, { error: 'to must be the same as or after from', path: ['to'] }),
        response: {
          200: z.object({ from: z.string(), to: z.string(), schoolDays: z.number().int() }),
          ...calendarProblems,
        },
      },
    },
    async (request, reply) => {
      const { from, to, school } = request.query
      const { answer } = await services.rules.countSchoolDays(
        laOf(request),
        from,
        to,
        school ? { urn: school } : undefined,
      )
      if (!answer.ok) return noTermDates(reply, answer)
      return { from, to, schoolDays: answer.value }
    },
  )

  api.get(
    '/rules/school-days/add',
    {
      config: { access: 'public' },
      schema: {
        ...common,
        summary: 'The Nth school day after a date',
        description:
          '`from` itself never counts: days=1 is the next school day. A date beyond the known term dates is a 422 problem.',
        querystring: z.object({
          from: date('from', 'The date to count from'),
          days: dayCount,
          school: schoolUrn('school').optional(),
        }),
        response: {
          200: z.object({ from: z.string(), days: z.number().int(), date: z.string() }),
          ...calendarProblems,
        },
      },
    },
    async (request, reply) => {
      const { from, days, school } = request.query
      const { answer } = await services.rules.addSchoolDays(
        laOf(request),
        from,
        days,
        school ? { urn: school } : undefined,
      )
      if (!answer.ok) return noTermDates(reply, answer)
      return { from, days, date: answer.value }
    },
  )

  api.post(
    '/rules/deletion-check',
    {
      config: { access: 'public' },
      schema: {
        ...common,
        summary: 'May a pupil’s name be deleted from the admission register today?',
        description:
          'Checks Grounds A to O (SI 2024/208 reg 9(1)) and the borough protocol against the facts given, counting school days in the school’s calendar and the LA’s policy in force today. Nothing is stored.',
        body: pupilFacts,
        response: { 200: deletionResponse, ...badInput, 404: problemSchema },
      },
    },
    async request => {
      const { school, ...facts } = request.body
      const result = await services.rules.deletionCheck(laOf(request), facts, school ? { urn: school } : undefined)
      const { check } = result
      return {
        today: result.today,
        calendar: result.calendar,
        policyVersion: result.policyVersion,
        allowedToday: check.allowedToday,
        applicableGrounds: check.applicableGrounds,
        ...(check.earliestDate ? { earliestDate: check.earliestDate } : {}),
        reasons: check.reasons,
        protocolBlocks: check.protocolBlocks,
        problems: check.problems,
        warnings: check.warnings,
        grounds: result.grounds.map(g => ({
          ground: g.ground,
          title: g.title,
          regulation: g.regulation,
          status: g.status,
          applies: g.applies,
          ...(g.earliestDate ? { earliestDate: g.earliestDate } : {}),
          blockers: g.blockers,
        })),
        deletionReturns: result.returns.map(r => ({ ground: r.ground, fields: r.fields })),
      }
    },
  )
}
