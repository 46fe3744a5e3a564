/**
 * The CME referral (domain.md §4, protocol Appendix A): one schema shared by the question
 * pages and the API.
 *
 * Validation is in two layers so that a page can be checked on its own and the whole on submit:
 *  1. Zod schemas, one per SECTION: the shape, the formats and what each answer requires.
 *     They do not know today's date or the other sections.
 *  2. Rules (`checkReferral`, `checkSection`): pure functions over parsed values that compare
 *     fields with each other and with `today`, and apply the CME scope check. The whole-referral
 *     schema for the API is `referralSchemaFor({ today })`, the shape refined by these rules.
 *
 * "Complete means complete": every question has an explicit answer. A block of the paper form
 * that the referrer cannot fill is answered `{ answer: 'not-known', reason }`; a single fact
 * (gender, EHCP, free school meals, a sibling's date of birth) has a 'not-known' value instead,
 * because asking why for each fact would bury the referrer without helping the search.
 *
 * Field paths in problems are dotted JSON paths from the referral root ('child.dateOfBirth',
 * 'siblings.list.1.lastName'), the shape `fieldProblems` in admin.ts gives.
 */
import { z } from 'zod'
import { fieldProblems } from './admin.js'
import { ageOn, anniversary, isIsoDate, parts, type IsoDate } from './dates.js'
import { normaliseName } from './names.js'
import {
  ACTION_KINDS,
  codesOf,
  EDUCATION_STATUSES,
  ETHNICITIES,
  GENDERS,
  PROFESSIONAL_KINDS,
  RECEIVED_ON_BEHALF_HOW,
  REFERRER_KINDS,
  UK_PORTS,
  YES_NO,
  YES_NO_NOT_KNOWN,
} from './referralCodes.js'
import { checkCmeScope, type ScopeFacts, type ScopeResult } from './scope.js'
import { checkUpn, normaliseUpn } from './upn.js'

export type Problem = ReturnType<typeof fieldProblems>[number]

/** The literal a sibling's date of birth takes when the referrer does not know it. */
export const NOT_KNOWN = 'not-known'

// ---------------------------------------------------------------------------------------------
// Formats. Each normalises what people type (spaces, case, +44) so that matching and display
// see one spelling, and each is idempotent: a normalised value parses to itself.
// ---------------------------------------------------------------------------------------------

/**
 * Years outside 1900-2099 are typing slips (0216, 2206); rejecting them here keeps them out of
 * the age and scope arithmetic, which would otherwise explain a nonsense date at length.
 */
export function isPlausibleDate(text: string): text is IsoDate {
  if (!isIsoDate(text)) return false
  const { year } = parts(text)
  return year >= 1900 && year <= 2099
}

const GOVUK_POSTCODE = /^(?:[A-Z][A-HJ-Y]?[0-9][A-Z0-9]? [0-9][A-Z]{2}|GIR 0AA)$/

/** Upper case with one space before the inward code ("ig11nn" -> "IG1 1NN"). */
export function normalisePostcode(input: string): string {
  const compact = input.replace(/\s+/g, '').toUpperCase()
  return compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact
}

export const isUkPostcode = (text: string): boolean => GOVUK_POSTCODE.test(text)

/**
 * UK numbers become national digits ("+44 (0)20 7946 0000" -> "02079460000"); numbers abroad
 * become "+" and digits. Separators are dropped because people copy numbers from letters and
 * screens that group them differently.
 */
export function normalisePhone(input: string): string {
  const compact = input.replace(/[\s\-().]/g, '')
  const international = /^(?:\+|00)(\d+)$/.exec(compact)
  if (!international) return compact
  const digits = international[1] ?? ''
  if (digits.startsWith('44')) return `0${digits.slice(2).replace(/^0/, '')}`
  return `+${digits}`
}

/** 01 and 08 numbers may have 10 digits; 02, 03 and 07 always have 11. */
export const isUkPhone = (normalised: string): boolean => /^0(?:[18]\d{8,9}|[237]\d{9})$/.test(normalised)
const isPhoneAbroad = (normalised: string): boolean => /^\+[1-9]\d{6,14}$/.test(normalised)

/** A web address with https:// added when none was typed, as the browser would; undefined if it is not one. */
export function normaliseWebAddress(input: string): string | undefined {
  const text = input.trim()
  if (text === '' || /\s/.test(text)) return undefined
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    return undefined
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  if (url.username !== '' || url.password !== '' || url.port !== '') return undefined
  if (!/^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]+)$/.test(url.hostname)) return undefined
  return url.href
}

// ---------------------------------------------------------------------------------------------
// Schema building blocks
// ---------------------------------------------------------------------------------------------

/**
 * A radio question whose answer reveals more questions is a discriminated union. When nothing
 * is chosen zod reports the union's own path ('siblings'); the page's radios are at
 * 'siblings.answer', so `referralProblems` moves the message there. The map finds those issues
 * by their message, which is unique per question.
 */
const CHOICE_DISCRIMINATORS = new Map<string, string>()
function choice(discriminator: string, message: string): { error: string } {
  CHOICE_DISCRIMINATORS.set(message, discriminator)
  return { error: message }
}

const text = (emptyMessage: string, label: string, max = 200) =>
  z
    .string({ error: emptyMessage })
    .trim()
    .min(1, { error: emptyMessage, abort: true })
    .max(max, `${label} must be ${max} characters or fewer`)

const optionalText = (label: string, max = 200) =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .max(max, `${label} must be ${max} characters or fewer`)
    .transform(v => (v === '' ? undefined : v))
    .optional()

const date = (what: string, label: string) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .min(1, { error: `Enter ${what}`, abort: true })
    .refine(isPlausibleDate, `${label} must be a real date`)

const optionalDate = (label: string) =>
  z
    .string({ error: `${label} must be a real date` })
    .trim()
    .refine(v => v === '' || isPlausibleDate(v), `${label} must be a real date`)
    .transform(v => (v === '' ? undefined : v))
    .optional()

const EMAIL_FORMAT = 'Enter an email address in the correct format, like name@example.org'
const email = (emptyMessage: string) =>
  z
    .string({ error: emptyMessage })
    .trim()
    .toLowerCase()
    .min(1, { error: emptyMessage, abort: true })
    .max(254, 'Email address must be 254 characters or fewer')
    .regex(z.regexes.email, EMAIL_FORMAT)

const optionalEmail = () =>
  z
    .string({ error: EMAIL_FORMAT })
    .trim()
    .toLowerCase()
    .max(254, 'Email address must be 254 characters or fewer')
    .refine(v => v === '' || z.regexes.email.test(v), EMAIL_FORMAT)
    .transform(v => (v === '' ? undefined : v))
    .optional()

const UK_PHONE_FORMAT = 'Enter a UK phone number, like 020 7946 0000 or 07700 900 982'
const ANY_PHONE_FORMAT = 'Enter a phone number, like 020 7946 0000, 07700 900 982 or +33 1 23 45 67 89'

/** `abroad`: the number may belong to a family or school outside the UK, so +country numbers are accepted too. */
const phone = (emptyMessage: string, { abroad = false } = {}) =>
  z
    .string({ error: emptyMessage })
    .trim()
    .min(1, { error: emptyMessage, abort: true })
    .overwrite(normalisePhone)
    .refine(v => isUkPhone(v) || (abroad && isPhoneAbroad(v)), abroad ? ANY_PHONE_FORMAT : UK_PHONE_FORMAT)

const optionalPhone = ({ abroad = false } = {}) =>
  z
    .string({ error: abroad ? ANY_PHONE_FORMAT : UK_PHONE_FORMAT })
    .trim()
    .overwrite(normalisePhone)
    .refine(v => v === '' || isUkPhone(v) || (abroad && isPhoneAbroad(v)), abroad ? ANY_PHONE_FORMAT : UK_PHONE_FORMAT)
    .transform(v => (v === '' ? undefined : v))
    .optional()

const WEB_FORMAT = 'Enter a web address in the correct format, like www.example.sch.uk'
const optionalWebAddress = () =>
  z
    .string({ error: WEB_FORMAT })
    .trim()
    .overwrite(v => (v === '' ? v : (normaliseWebAddress(v) ?? v)))
    .refine(v => v === '' || normaliseWebAddress(v) === v, WEB_FORMAT)
    .transform(v => (v === '' ? undefined : v))
    .optional()

const postcode = z
  .string({ error: 'Enter postcode' })
  .trim()
  .min(1, { error: 'Enter postcode', abort: true })
  .overwrite(normalisePostcode)
  .refine(isUkPostcode, 'Enter a UK postcode, like IG1 1NN')

/** GOV.UK address pattern fields; spread into an answer so paths read 'address.current.postcode'. */
const ukAddressShape = {
  line1: text('Enter address line 1, typically the building and street', 'Address line 1'),
  line2: optionalText('Address line 2'),
  town: text('Enter town or city', 'Town or city', 100),
  county: optionalText('County', 100),
  postcode,
}

/** A UPN is optional ("if known": many CME children have none); a given one must pass its check letter. */
const upn = z
  .string({ error: 'Enter the UPN as text' })
  .overwrite(normaliseUpn)
  .superRefine((value, ctx) => {
    if (value === '') return
    const check = checkUpn(value)
    if (!check.valid) ctx.addIssue({ code: 'custom', message: check.problems.join('. ') })
  })
  .transform(v => (v === '' ? undefined : v))
  .optional()

const urn = z
  .string({ error: 'URN must be 6 digits, like 100123' })
  .trim()
  .refine(v => v === '' || /^\d{6}$/.test(v), 'URN must be 6 digits, like 100123')
  .transform(v => (v === '' ? undefined : v))
  .optional()

const yesNo = (message: string) => z.enum(codesOf(YES_NO), { error: message })
const yesNoNotKnown = (message: string) => z.enum(codesOf(YES_NO_NOT_KNOWN), { error: message })

const notKnown = (message: string) =>
  z.object({ answer: z.literal('not-known'), reason: text(message, 'Reason', 1000) })

/** The second "yes" answer records that the step was taken, which is what triage needs to see. */
const contacted = (question: string, dateWhat: string, dateLabel: string, whyNot: string) =>
  z.discriminatedUnion(
    'answer',
    [
      z.object({ answer: z.literal('yes'), date: date(dateWhat, dateLabel) }),
      z.object({ answer: z.literal('no'), reason: text(whyNot, 'Reason', 1000) }),
    ],
    choice('answer', question),
  )

// ---------------------------------------------------------------------------------------------
// The child and siblings share the paper form's row of fields
// ---------------------------------------------------------------------------------------------

type Who = 'child' | 'sibling'

const socialCare = (who: Who) =>
  z.discriminatedUnion(
    'answer',
    [
      z.object({
        answer: z.literal('yes'),
        cpPlan: yesNoNotKnown(`Select whether the ${who} is on a child protection plan`),
        childInNeed: yesNoNotKnown(`Select whether the ${who} is a child in need`),
        lookedAfter: yesNoNotKnown(`Select whether the ${who} is looked after by a local authority`),
        socialWorker: z.discriminatedUnion(
          'answer',
          [
            z.object({
              answer: z.literal('yes'),
              name: text("Enter the social worker's name", 'Name'),
              team: optionalText('Team or council'),
              phone: optionalPhone(),
              email: optionalEmail(),
            }),
            z.object({ answer: z.literal('no') }),
            notKnown(`Explain why it is not known whether the ${who} has a social worker`),
          ],
          choice('answer', `Select whether the ${who} has an allocated social worker`),
        ),
      }),
      z.object({ answer: z.literal('no') }),
      notKnown(`Explain why it is not known whether social care is involved with the ${who}`),
    ],
    choice('answer', `Select whether children's social care is involved with the ${who}`),
  )

/** Keys in page order, so the error summary lists problems in the order of the fields. */
function personShape<D extends z.ZodType>(who: Who, dateOfBirth: D) {
  return {
    firstName: text(`Enter the ${who}'s first name`, 'First name', 100),
    lastName: text(`Enter the ${who}'s last name`, 'Last name', 100),
    otherNames: z
      .array(text('Enter the other name, or remove it', 'Other name', 100))
      .max(10, 'Enter 10 other names or fewer')
      .default([]),
    dateOfBirth,
    gender: z.enum(codesOf(GENDERS), { error: `Select the ${who}'s gender` }),
    ethnicity: z.enum(codesOf(ETHNICITIES), { error: `Select the ${who}'s ethnicity` }),
    upn,
    ehcp: yesNoNotKnown(`Select whether the ${who} has an education, health and care plan (EHCP)`),
    freeSchoolMeals: yesNoNotKnown(`Select whether the ${who} gets free school meals`),
    socialCare: socialCare(who),
  }
}

const siblingDateOfBirth = z
  .string({ error: "Enter the sibling's date of birth, or select that it is not known" })
  .trim()
  .min(1, { error: "Enter the sibling's date of birth, or select that it is not known", abort: true })
  .refine(v => v === NOT_KNOWN || isPlausibleDate(v), 'Date of birth must be a real date')

const sibling = z.object({
  ...personShape('sibling', siblingDateOfBirth),
  alsoReferred: yesNo('Select whether you are referring this sibling as missing education too'),
})

// ---------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------

const SECTION_TITLES = {
  child: "Child's details",
  safeguarding: 'Safeguarding',
  school: 'School and last attendance',
  siblings: 'Siblings',
  address: 'Current address and responsible adults',
  destination: 'Where the child is going',
  abroad: 'Leaving the UK',
  actions: 'Action taken before referring',
  professionals: 'Professionals involved',
  additional: 'Additional information',
  referrer: "Referrer's details",
} as const

const sectionObject = <S extends z.core.$ZodLooseShape>(key: keyof typeof SECTION_TITLES, shape: S) =>
  z.object(shape, { error: `Complete the '${SECTION_TITLES[key]}' section` })

const childSection = sectionObject('child', personShape('child', date("the child's date of birth", 'Date of birth')))

/**
 * Safeguarding comes straight after the child on the task list: a risk of harm means a MARF now,
 * not after nine more pages. `socialWorkerContacted` is asked only when the child or a sibling
 * has a child protection plan or an allocated social worker (`needsSocialWorkerContact`).
 */
const safeguardingSection = sectionObject('safeguarding', {
  riskOfHarm: z.discriminatedUnion(
    'answer',
    [
      z.object({
        answer: z.literal('yes'),
        marf: z.discriminatedUnion(
          'answer',
          [
            z.object({
              answer: z.literal('yes'),
              date: date('the date the MARF was made', 'Date the MARF was made'),
              // Optional because the front door may not have given one yet; the date proves it was made.
              reference: optionalText('MARF reference', 100),
            }),
            z.object({ answer: z.literal('no'), reason: text('Explain why a MARF has not been made', 'Reason', 1000) }),
          ],
          choice('answer', 'Select whether a child protection referral (MARF) has been made'),
        ),
      }),
      z.object({ answer: z.literal('no') }),
      notKnown('Explain why it is not known whether the child is at risk of harm'),
    ],
    choice('answer', 'Select whether you think the child is at risk of harm'),
  ),
  forcedMarriage: z.discriminatedUnion(
    'answer',
    [
      z.object({
        answer: z.literal('yes'),
        socialCareContacted: contacted(
          "Select whether you have contacted children's social care",
          "the date you contacted children's social care",
          "Date you contacted children's social care",
          "Explain why you have not contacted children's social care",
        ),
      }),
      z.object({ answer: z.literal('no') }),
    ],
    choice('answer', 'Select whether there is a concern about forced marriage'),
  ),
  missingFromHomeOrCare: yesNo('Select whether the child is missing from home or from care'),
  socialWorkerContacted: contacted(
    'Select whether you have contacted the social worker',
    'the date you contacted the social worker',
    'Date you contacted the social worker',
    'Explain why you have not contacted the social worker',
  ).optional(),
})

/**
 * `educationStatus` feeds the scope check. A school refers a pupil from its own roll; a partner
 * may know only a school's name, or nothing (then 'not-known' and why).
 */
const schoolSection = sectionObject('school', {
  educationStatus: z.enum(codesOf(EDUCATION_STATUSES), { error: "Select the child's situation" }),
  lastSchool: z.discriminatedUnion(
    'answer',
    [
      z.object({
        answer: z.literal('known'),
        name: text("Enter the name of the child's last school", 'School name'),
        urn,
        lastAttendance: z.discriminatedUnion(
          'answer',
          [
            z.object({
              answer: z.literal('date'),
              date: date('the date of last attendance', 'Date of last attendance'),
            }),
            // A child who never took up an allocated place has no date to give.
            z.object({ answer: z.literal('never-attended') }),
            notKnown('Explain why the date of last attendance is not known'),
          ],
          choice('answer', 'Select whether you know the date of last attendance'),
        ),
      }),
      notKnown("Explain why the child's last school is not known"),
    ],
    choice('answer', "Select whether you know the child's last school"),
  ),
})

const siblingsSection = z.discriminatedUnion(
  'answer',
  [
    z.object({
      answer: z.literal('yes'),
      list: z.array(sibling).min(1, 'Add at least one sibling').max(20, 'Add 20 siblings or fewer'),
    }),
    z.object({ answer: z.literal('no') }),
    notKnown('Explain why it is not known whether the child has siblings'),
  ],
  choice('answer', 'Select whether the child has any siblings'),
)

const responsibleAdult = z.object({
  name: text("Enter the adult's name", 'Name'),
  relationship: text("Enter the adult's relationship to the child, like mother or grandparent", 'Relationship', 100),
  phones: z
    .array(phone('Enter the phone number, or remove it', { abroad: true }))
    .max(5, 'Enter 5 phone numbers or fewer')
    .default([]),
  email: optionalEmail(),
})

const addressSection = sectionObject('address', {
  current: z.discriminatedUnion(
    'answer',
    [
      z.object({
        answer: z.literal('known'),
        ...ukAddressShape,
        dateLeft: z.discriminatedUnion(
          'answer',
          [
            // A date in the future is allowed: families often say when they will move.
            z.object({ answer: z.literal('date'), date: date('the date of leaving this address', 'Date of leaving') }),
            z.object({ answer: z.literal('not-left') }),
            notKnown('Explain why the date of leaving this address is not known'),
          ],
          choice('answer', 'Select whether the child has left this address'),
        ),
      }),
      notKnown("Explain why the child's current address is not known"),
    ],
    choice('answer', "Select whether you know the child's current address"),
  ),
  responsibleAdults: z.discriminatedUnion(
    'answer',
    [
      z.object({
        answer: z.literal('known'),
        list: z
          .array(responsibleAdult)
          .min(1, 'Add at least one responsible adult')
          .max(10, 'Add 10 responsible adults or fewer'),
      }),
      notKnown('Explain why the responsible adults are not known'),
    ],
    choice('answer', 'Select whether you know who is responsible for the child'),
  ),
})

const destinationSection = sectionObject('destination', {
  address: z.discriminatedUnion(
    'answer',
    [
      z.object({ answer: z.literal('uk'), ...ukAddressShape }),
      z.object({
        answer: z.literal('abroad'),
        address: optionalText('Address', 500),
        country: text('Enter the country', 'Country', 100),
      }),
      notKnown('Explain why the new address is not known'),
    ],
    choice('answer', 'Select whether you know the new address'),
  ),
  school: z.discriminatedUnion(
    'answer',
    [
      z.object({
        answer: z.literal('known'),
        name: text('Enter the name of the new school', 'School name'),
        phone: optionalPhone({ abroad: true }),
        webAddress: optionalWebAddress(),
        email: optionalEmail(),
      }),
      notKnown('Explain why the new school is not known'),
    ],
    choice('answer', 'Select whether you know the new school'),
  ),
})

const PORT_CODES = codesOf(UK_PORTS)

/** Every detail of the journey is optional: a referrer reports what the family said, often only a country. */
const abroadSection = z.discriminatedUnion(
  'answer',
  [
    z.object({
      answer: z.literal('yes'),
      departureDate: optionalDate('Date of departure'),
      accompanyingAdult: optionalText('Accompanying adult'),
      departurePlace: z
        .discriminatedUnion(
          'port',
          [
            z.object({ port: z.enum(PORT_CODES) }),
            z.object({ port: z.literal('other'), name: text('Enter the airport or port', 'Airport or port', 100) }),
          ],
          choice('port', 'Select the airport or port'),
        )
        .optional(),
      travelReference: optionalText('Flight number, ship or train', 100),
      destinationCountry: optionalText('Country', 100),
      destinationCity: optionalText('City or town', 100),
    }),
    z.object({ answer: z.literal('no') }),
    notKnown('Explain why it is not known whether the child is leaving the UK'),
  ],
  choice('answer', 'Select whether the child is leaving or has left the UK'),
)

const action = z.object({
  kind: z.enum(codesOf(ACTION_KINDS), { error: 'Select the kind of action' }),
  date: date('the date of the action', 'Date of the action'),
  by: text('Enter who took the action', 'Who took the action'),
  outcome: text('Enter the outcome of the action', 'Outcome', 2000),
})

/** A school must have tried (checked in `checkReferral`); a partner may have had no contact with the family. */
const actionsSection = z.discriminatedUnion(
  'answer',
  [
    z.object({
      answer: z.literal('yes'),
      list: z.array(action).min(1, 'Add at least one action').max(50, 'Add 50 actions or fewer'),
    }),
    z.object({
      answer: z.literal('none'),
      reason: text('Explain why no action was taken before referring', 'Reason', 1000),
    }),
  ],
  choice('answer', 'Select whether any action was taken before this referral'),
)

const involvement = z.object({
  kind: z.enum(codesOf(PROFESSIONAL_KINDS), { error: 'Select the kind of professional involvement' }),
  details: text(
    'Enter details of the involvement, like the name and contact details of the professional',
    'Details',
    2000,
  ),
})

const professionalsSection = z.discriminatedUnion(
  'answer',
  [
    z.object({
      answer: z.literal('yes'),
      list: z.array(involvement).min(1, 'Add at least one professional').max(20, 'Add 20 professionals or fewer'),
    }),
    z.object({ answer: z.literal('none-known') }),
  ],
  choice('answer', 'Select whether any professionals are involved with the child or family'),
)

const additionalSection = z.discriminatedUnion(
  'answer',
  [
    z.object({
      answer: z.literal('yes'),
      details: text('Enter the additional information', 'Additional information', 5000),
    }),
    z.object({ answer: z.literal('nothing-to-add') }),
  ],
  choice('answer', 'Select whether you have anything to add'),
)

/**
 * Pre-filled from the signed-in user. `received` says whether the referrer used the service
 * ('online') or a CME officer typed it in for them, and when it arrived; who typed it is the
 * signed-in user, recorded by the audit trail rather than the form.
 */
const referrerSection = sectionObject('referrer', {
  kind: z.enum(codesOf(REFERRER_KINDS), { error: 'Select whether the referrer is a school or a partner agency' }),
  name: text("Enter the referrer's name", 'Name'),
  organisation: text("Enter the referrer's organisation", 'Organisation'),
  role: text("Enter the referrer's role, like attendance officer", 'Role'),
  email: email("Enter the referrer's email address"),
  phone: phone("Enter the referrer's phone number"),
  address: z.object(ukAddressShape, { error: "Enter the referrer's address" }),
  received: z.discriminatedUnion(
    'how',
    [
      z.object({ how: z.literal('online') }),
      z.object({
        how: z.enum(RECEIVED_ON_BEHALF_HOW),
        on: date('the date the referral was received', 'Date received'),
      }),
    ],
    choice('how', 'Select how the referral was received'),
  ),
})

const SECTION_SCHEMAS = {
  child: childSection,
  safeguarding: safeguardingSection,
  school: schoolSection,
  siblings: siblingsSection,
  address: addressSection,
  destination: destinationSection,
  abroad: abroadSection,
  actions: actionsSection,
  professionals: professionalsSection,
  additional: additionalSection,
  referrer: referrerSection,
} as const

export type SectionKey = keyof typeof SECTION_SCHEMAS
export type SectionSchema<K extends SectionKey> = (typeof SECTION_SCHEMAS)[K]

const sectionEntry = <K extends SectionKey>(key: K) => ({
  key,
  title: SECTION_TITLES[key],
  schema: SECTION_SCHEMAS[key],
})

/** The GOV.UK task list, in order, with each page's title and schema. */
export const REFERRAL_SECTIONS = [
  sectionEntry('child'),
  sectionEntry('safeguarding'),
  sectionEntry('school'),
  sectionEntry('siblings'),
  sectionEntry('address'),
  sectionEntry('destination'),
  sectionEntry('abroad'),
  sectionEntry('actions'),
  sectionEntry('professionals'),
  sectionEntry('additional'),
  sectionEntry('referrer'),
] as const

export const SECTION_KEYS: readonly SectionKey[] = REFERRAL_SECTIONS.map(s => s.key)

export const sectionSchema = <K extends SectionKey>(key: K): SectionSchema<K> => SECTION_SCHEMAS[key]

export const isSectionKey = (value: string): value is SectionKey => Object.hasOwn(SECTION_SCHEMAS, value)

/** The whole referral's shape without the cross-section rules; use `referralSchemaFor` to accept one. */
export const referralShape = z.object(SECTION_SCHEMAS, { error: 'Enter the referral' })

export type Referral = z.output<typeof referralShape>
export type ReferralInput = z.input<typeof referralShape>
export type ReferralSection<K extends SectionKey> = Referral[K]
export type ReferralDraft = Partial<Referral>
export type ChildDetails = Referral['child']
export type Sibling = z.output<typeof sibling>

// ---------------------------------------------------------------------------------------------
// Problems
// ---------------------------------------------------------------------------------------------

/** Zod issues as field problems, with unanswered radio questions moved onto their radios. */
export function referralProblems(error: z.ZodError, prefix: readonly string[] = []): Problem[] {
  const issues = error.issues.map(issue => {
    const discriminator = CHOICE_DISCRIMINATORS.get(issue.message)
    const alreadyOnRadios =
      discriminator === undefined ||
      issue.code !== 'invalid_type' ||
      issue.path[issue.path.length - 1] === discriminator
    return { ...issue, path: [...prefix, ...issue.path, ...(alreadyOnRadios ? [] : [discriminator])] }
  })
  return fieldProblems(new z.ZodError(issues))
}

const problem = (field: string, message: string): Problem => ({ field, message })

// ---------------------------------------------------------------------------------------------
// Derived facts
// ---------------------------------------------------------------------------------------------

type Person = ChildDetails | Sibling

const hasCpPlan = (p: Person): boolean => p.socialCare.answer === 'yes' && p.socialCare.cpPlan === 'yes'
const hasSocialWorker = (p: Person): boolean =>
  p.socialCare.answer === 'yes' && p.socialCare.socialWorker.answer === 'yes'
const socialCareFact = (p: Person, fact: 'cpPlan' | 'childInNeed' | 'lookedAfter'): boolean =>
  p.socialCare.answer === 'yes' && p.socialCare[fact] === 'yes'

const siblingsOf = (draft: ReferralDraft): Sibling[] => (draft.siblings?.answer === 'yes' ? draft.siblings.list : [])

/**
 * The protocol's first question (domain.md §3): a child protection plan or a social worker for
 * the child or anyone in the family means contacting that social worker immediately.
 */
export function needsSocialWorkerContact(draft: ReferralDraft): boolean {
  const people: Person[] = [...(draft.child ? [draft.child] : []), ...siblingsOf(draft)]
  return people.some(p => hasCpPlan(p) || hasSocialWorker(p))
}

export function lastAttendanceDate(school: ReferralSection<'school'>): IsoDate | undefined {
  return school.lastSchool.answer === 'known' && school.lastSchool.lastAttendance.answer === 'date'
    ? school.lastSchool.lastAttendance.date
    : undefined
}

export function scopeFacts(referral: Pick<Referral, 'child' | 'school' | 'safeguarding'>): ScopeFacts {
  return {
    dateOfBirth: referral.child.dateOfBirth,
    status: referral.school.educationStatus,
    missingFromHomeOrCare: referral.safeguarding.missingFromHomeOrCare === 'yes',
  }
}

/** The CME scope check (scope.ts) for a referral, so the service can route a refused one. */
export function referralScope(
  referral: Pick<Referral, 'child' | 'school' | 'safeguarding'>,
  today: IsoDate,
): ScopeResult {
  return checkCmeScope(scopeFacts(referral), today)
}

/** Where each refusal belongs on the form: the answer that put the child out of scope. */
const SCOPE_FIELDS = {
  'too-young': 'child.dateOfBirth',
  'too-old': 'child.dateOfBirth',
  attendance: 'school.educationStatus',
  'home-education': 'school.educationStatus',
  'missing-from-care': 'safeguarding.missingFromHomeOrCare',
} as const

const scopeMessage = (result: Extract<ScopeResult, { inScope: false }>): string => `${result.reason} ${result.routeTo}`

/**
 * A page checks the one scope fact it asks, before the others are known. checkCmeScope needs a
 * date of birth, so the status and missing-from-care pages pass one that is always of compulsory
 * school age (10 today); the age page passes a status that is always in scope.
 */
function partialScope(facts: Partial<ScopeFacts>, today: IsoDate): Problem[] {
  const result = checkCmeScope(
    {
      dateOfBirth: facts.dateOfBirth ?? anniversary(today, -10),
      status: facts.status ?? 'not-on-roll',
      missingFromHomeOrCare: facts.missingFromHomeOrCare ?? false,
    },
    today,
  )
  return result.inScope ? [] : [problem(SCOPE_FIELDS[result.code], scopeMessage(result))]
}

const personKey = (p: Person): string => `${normaliseName(p.firstName)}|${normaliseName(p.lastName)}|${p.dateOfBirth}`

// ---------------------------------------------------------------------------------------------
// Rules across fields, sections and today
// ---------------------------------------------------------------------------------------------

/*
 * A date already refused (a birth or attendance in the future) is not compared with others: the
 * referrer should see the one mistake, not the knock-on problems it causes.
 */
interface Rule {
  /** 'page': only when one page is checked; 'submit': only on the whole referral. */
  when: 'page' | 'submit' | 'always'
  check: (draft: ReferralDraft, today: IsoDate) => Problem[]
}

const RULES: readonly Rule[] = [
  {
    when: 'always',
    check: ({ child }, today) =>
      child && child.dateOfBirth >= today ? [problem('child.dateOfBirth', 'Date of birth must be in the past')] : [],
  },
  {
    when: 'page',
    check: ({ child }, today) =>
      child && child.dateOfBirth < today ? partialScope({ dateOfBirth: child.dateOfBirth }, today) : [],
  },
  {
    when: 'page',
    check: ({ school }, today) => (school ? partialScope({ status: school.educationStatus }, today) : []),
  },
  {
    when: 'page',
    check: ({ safeguarding }, today) =>
      safeguarding?.missingFromHomeOrCare === 'yes' ? partialScope({ missingFromHomeOrCare: true }, today) : [],
  },
  {
    // One check on submit so the refusal follows scope.ts's order: missing from care first, then age, then status.
    when: 'submit',
    check: ({ child, school, safeguarding }, today) => {
      if (!child || !school || !safeguarding || child.dateOfBirth >= today) return []
      const result = referralScope({ child, school, safeguarding }, today)
      return result.inScope ? [] : [problem(SCOPE_FIELDS[result.code], scopeMessage(result))]
    },
  },
  {
    when: 'always',
    check: (draft, today) => {
      const { child } = draft
      const childKey = child ? personKey(child) : undefined
      const seen = new Set<string>()
      return siblingsOf(draft).flatMap((s, i) => {
        const at = (field: string) => `siblings.list.${i}.${field}`
        const found: Problem[] = []
        const known = s.dateOfBirth !== NOT_KNOWN
        if (known && s.dateOfBirth >= today) found.push(problem(at('dateOfBirth'), 'Date of birth must be in the past'))
        const key = personKey(s)
        if (key === childKey) {
          found.push(problem(at('firstName'), 'A sibling cannot have the same name and date of birth as the child'))
        } else if (seen.has(key)) {
          found.push(problem(at('firstName'), 'This sibling is already on the list: remove one of them'))
        }
        seen.add(key)
        if (s.alsoReferred === 'yes') {
          if (!known) {
            found.push(problem(at('dateOfBirth'), "Enter the sibling's date of birth to refer them too"))
          } else if (s.dateOfBirth < today) {
            const age = checkCmeScope(
              { dateOfBirth: s.dateOfBirth, status: 'not-on-roll', missingFromHomeOrCare: false },
              today,
            )
            if (!age.inScope) {
              found.push(problem(at('alsoReferred'), `This sibling cannot be referred too. ${scopeMessage(age)}`))
            }
          }
        }
        return found
      })
    },
  },
  {
    when: 'always',
    check: ({ child, school }, today) => {
      const attended = school ? lastAttendanceDate(school) : undefined
      if (attended === undefined) return []
      const field = 'school.lastSchool.lastAttendance.date'
      if (attended > today) return [problem(field, 'Date of last attendance must be today or in the past')]
      if (child && child.dateOfBirth < today && attended <= child.dateOfBirth) {
        return [problem(field, "Date of last attendance must be after the child's date of birth")]
      }
      return []
    },
  },
  {
    // A school refers a pupil who was on its roll (domain.md §3), so it knows the school and the register.
    when: 'always',
    check: ({ referrer, school }) => {
      if (referrer?.kind !== 'school' || !school) return []
      const found: Problem[] = []
      if (school.educationStatus === 'not-on-roll') {
        found.push(
          problem(
            'school.educationStatus',
            'Select whether the pupil has stopped attending or has left: a school can only refer a pupil who was on its roll',
          ),
        )
      }
      if (school.lastSchool.answer !== 'known') {
        found.push(
          problem(
            'school.lastSchool.answer',
            "Enter the school's name: a school can only refer a pupil who was on its roll",
          ),
        )
      } else if (school.lastSchool.lastAttendance.answer === 'not-known') {
        found.push(
          problem(
            'school.lastSchool.lastAttendance.answer',
            "Enter the date of last attendance from the school's attendance register",
          ),
        )
      }
      return found
    },
  },
  {
    when: 'always',
    check: ({ referrer, actions }) =>
      referrer?.kind === 'school' && actions?.answer === 'none'
        ? [
            problem(
              'actions.answer',
              'Add the actions the school took before referring: a school must try to contact the family first',
            ),
          ]
        : [],
  },
  {
    when: 'always',
    check: ({ child, school, abroad }, today) => {
      if (abroad?.answer !== 'yes' || abroad.departureDate === undefined) return []
      const departed = abroad.departureDate
      const attended = school ? lastAttendanceDate(school) : undefined
      if (attended !== undefined && attended <= today && departed < attended) {
        return [
          problem('abroad.departureDate', 'The date of departure must be on or after the date of last attendance'),
        ]
      }
      if (child && child.dateOfBirth < today && departed <= child.dateOfBirth) {
        return [problem('abroad.departureDate', "The date of departure must be after the child's date of birth")]
      }
      return []
    },
  },
  {
    when: 'always',
    check: ({ actions }, today) =>
      actions?.answer === 'yes'
        ? actions.list.flatMap((a, i) =>
            a.date > today
              ? [problem(`actions.list.${i}.date`, 'Date of the action must be today or in the past')]
              : [],
          )
        : [],
  },
  {
    when: 'always',
    check: (draft, today) => {
      const { safeguarding } = draft
      if (!safeguarding) return []
      const found: Problem[] = []
      const notFuture = (value: IsoDate, field: string, label: string) => {
        if (value > today) found.push(problem(field, `${label} must be today or in the past`))
      }
      const { riskOfHarm, forcedMarriage, socialWorkerContacted } = safeguarding
      if (riskOfHarm.answer === 'yes' && riskOfHarm.marf.answer === 'yes') {
        notFuture(riskOfHarm.marf.date, 'safeguarding.riskOfHarm.marf.date', 'Date the MARF was made')
      }
      if (forcedMarriage.answer === 'yes' && forcedMarriage.socialCareContacted.answer === 'yes') {
        notFuture(
          forcedMarriage.socialCareContacted.date,
          'safeguarding.forcedMarriage.socialCareContacted.date',
          "Date you contacted children's social care",
        )
      }
      if (socialWorkerContacted?.answer === 'yes') {
        notFuture(
          socialWorkerContacted.date,
          'safeguarding.socialWorkerContacted.date',
          'Date you contacted the social worker',
        )
      }
      if (!socialWorkerContacted && needsSocialWorkerContact(draft)) {
        found.push(
          problem('safeguarding.socialWorkerContacted.answer', 'Select whether you have contacted the social worker'),
        )
      }
      return found
    },
  },
  {
    when: 'always',
    check: ({ referrer }, today) =>
      referrer && referrer.received.how !== 'online' && referrer.received.on > today
        ? [problem('referrer.received.on', 'Date received must be today or in the past')]
        : [],
  },
]

const sectionOf = (field: string): string => field.split('.', 1)[0] ?? field

/** Problems in task-list order, so the error summary follows the pages. */
function inSectionOrder(problems: Problem[]): Problem[] {
  const rank = (p: Problem) => SECTION_KEYS.indexOf(sectionOf(p.field) as SectionKey)
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i)
    .map(({ p }) => p)
}

export interface ReferralContext {
  /** The date in Europe/London (`londonDate`) on which the referral is checked. */
  today: IsoDate
}

/**
 * The rules for a parsed referral: cross-field, cross-section, today and CME scope. Empty when it
 * may be accepted. Run after `referralShape` has parsed it; `validateReferral` does both.
 */
export function checkReferral(referral: Referral, { today }: ReferralContext): Problem[] {
  return inSectionOrder(RULES.filter(r => r.when !== 'page').flatMap(r => r.check(referral, today)))
}

/**
 * The rules one page can answer: those about `value`, using whatever other sections the draft
 * already holds (e.g. the referrer, pre-filled, decides what the school page must say). Only
 * problems on this page's fields are returned; the rest wait for their pages or for submit.
 */
export function checkSection<K extends SectionKey>(
  key: K,
  value: ReferralSection<K>,
  { today, draft = {} }: ReferralContext & { draft?: ReferralDraft },
): Problem[] {
  const merged: ReferralDraft = { ...draft, [key]: value }
  return RULES.filter(r => r.when !== 'submit')
    .flatMap(r => r.check(merged, today))
    .filter(p => sectionOf(p.field) === key)
}

export type Validated<T> = { success: true; data: T } | { success: false; problems: Problem[] }

/** One page: its schema, then its rules. */
export function validateSection<K extends SectionKey>(
  key: K,
  input: unknown,
  context: ReferralContext & { draft?: ReferralDraft },
): Validated<ReferralSection<K>> {
  const parsed = sectionSchema(key).safeParse(input)
  if (!parsed.success) return { success: false, problems: referralProblems(parsed.error, [key]) }
  const data = parsed.data as ReferralSection<K>
  const problems = checkSection(key, data, context)
  return problems.length > 0 ? { success: false, problems } : { success: true, data }
}

/** The whole referral, as on submit and in the API. */
export function validateReferral(input: unknown, context: ReferralContext): Validated<Referral> {
  const parsed = referralShape.safeParse(input)
  if (!parsed.success) return { success: false, problems: referralProblems(parsed.error) }
  const problems = checkReferral(parsed.data, context)
  return problems.length > 0 ? { success: false, problems } : { success: true, data: parsed.data }
}

/**
 * The whole-referral schema for a day: the shape plus `checkReferral`, for the API body and its
 * OpenAPI document. A factory because "in the future" depends on the day; build it per request.
 */
export function referralSchemaFor(context: ReferralContext) {
  return referralShape.superRefine((referral, ctx) => {
    for (const p of checkReferral(referral, context)) {
      ctx.addIssue({
        code: 'custom',
        path: p.field.split('.').map(s => (/^\d+$/.test(s) ? Number(s) : s)),
        message: p.message,
      })
    }
  })
}

// ---------------------------------------------------------------------------------------------
// Safeguarding: what the pages prompt and what travels to triage
// ---------------------------------------------------------------------------------------------

export const SAFEGUARDING_PROMPTS = {
  socialWorker:
    'The child or someone in the family has a child protection plan or a social worker. Contact that social worker immediately, and the education welfare service, to agree who will do what. Then record here that you have.',
  marf: "Make a child protection referral now, using the multi-agency referral form (MARF), to the council's children's social care front door. If the child is in immediate danger, call 999. Do not wait for this referral to be processed.",
  forcedMarriage:
    "Contact children's social care immediately. If the child is in immediate danger, call 999. The Forced Marriage Unit gives advice on 020 7008 0151.",
} as const
export type SafeguardingPrompt = keyof typeof SAFEGUARDING_PROMPTS

/** The prompts a page should show for the answers given so far (a draft or a whole referral). */
export function safeguardingPrompts(draft: ReferralDraft): SafeguardingPrompt[] {
  const prompts: SafeguardingPrompt[] = []
  if (needsSocialWorkerContact(draft)) prompts.push('socialWorker')
  if (draft.safeguarding?.riskOfHarm.answer === 'yes') prompts.push('marf')
  if (draft.safeguarding?.forcedMarriage.answer === 'yes') prompts.push('forcedMarriage')
  return prompts
}

/**
 * Children under 7 (Reception to Year 2, roughly) are "very young" for triage: they cannot seek
 * help themselves and are seen by few adults outside the home once they stop attending school.
 */
export const VERY_YOUNG_UNDER_AGE = 7

export interface SafeguardingFlags {
  /** The child is on a child protection plan. */
  cpPlan: boolean
  lookedAfter: boolean
  childInNeed: boolean
  /** The child has an allocated social worker. */
  socialWorker: boolean
  /** A sibling has a child protection plan, is looked after or a child in need, or has a social worker: the lead-professional rule reaches the whole family. */
  familySocialCare: boolean
  riskOfHarm: boolean
  forcedMarriage: boolean
  /** Believed to be leaving or to have left the UK, and neither a new address nor a new school is known. */
  believedAbroadNoDestination: boolean
  veryYoung: boolean
  ehcp: boolean
  /** The referrer says it contacted the social worker (the prompt was acted on). */
  socialWorkerContacted: boolean
  /** A MARF was made for a risk of harm. */
  marfMade: boolean
}

/** The facts that push a referral towards urgent at triage (domain.md §5), computed on `today`. */
export function safeguardingFlags(referral: Referral, { today }: ReferralContext): SafeguardingFlags {
  const { child, safeguarding, destination, abroad } = referral
  const destinationKnown =
    destination.address.answer === 'uk' ||
    (destination.address.answer === 'abroad' && destination.address.address !== undefined) ||
    destination.school.answer === 'known'
  return {
    cpPlan: hasCpPlan(child),
    lookedAfter: socialCareFact(child, 'lookedAfter'),
    childInNeed: socialCareFact(child, 'childInNeed'),
    socialWorker: hasSocialWorker(child),
    familySocialCare: siblingsOf(referral).some(
      s => hasCpPlan(s) || hasSocialWorker(s) || socialCareFact(s, 'lookedAfter') || socialCareFact(s, 'childInNeed'),
    ),
    riskOfHarm: safeguarding.riskOfHarm.answer === 'yes',
    forcedMarriage: safeguarding.forcedMarriage.answer === 'yes',
    believedAbroadNoDestination: abroad.answer === 'yes' && !destinationKnown,
    veryYoung: ageOn(child.dateOfBirth, today) < VERY_YOUNG_UNDER_AGE,
    ehcp: child.ehcp === 'yes',
    socialWorkerContacted: safeguarding.socialWorkerContacted?.answer === 'yes',
    marfMade: safeguarding.riskOfHarm.answer === 'yes' && safeguarding.riskOfHarm.marf.answer === 'yes',
  }
}
