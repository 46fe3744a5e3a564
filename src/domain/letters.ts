/**
 * Letters as data (issue 7): each kind of letter has a template an LA may edit, written in plain
 * text with placeholders such as {{child.name}}. A template is checked before it is saved, so a
 * mistyped placeholder is refused with a message rather than printed into a letter to a family.
 *
 * Template text: the first line of a block starting "# " is a heading; blocks are separated by a
 * blank line; a single line break inside a block is kept (addresses).
 */

/** What every letter to a parent can say: the child, the case, who it is to and from. */
const TO_THE_FAMILY = [
  'child.name',
  'child.dateOfBirth',
  'case.reference',
  'parent.name',
  'address',
  'today',
  'la.name',
  'officer.name',
] as const
/** A statutory notice's period. */
const NOTICE_PERIOD = ['servedOn', 'days', 'deadline'] as const

export const LETTER_KINDS = {
  'family-letter': {
    label: 'Letter to the family',
    hint: 'Sent to the parent or carer at each address known for the child',
    placeholders: [...TO_THE_FAMILY],
  },
  's437-notice': {
    label: 'Notice requiring the parent to satisfy the LA (s437)',
    hint: 'Served at the notice stage of a school attendance order process',
    placeholders: [...TO_THE_FAMILY, ...NOTICE_PERIOD],
  },
  'notice-of-intention': {
    label: 'Notice of intention to serve a school attendance order (s438)',
    hint: 'Names the school the LA intends to name in the order',
    placeholders: [...TO_THE_FAMILY, ...NOTICE_PERIOD, 'school.name'],
  },
  'school-attendance-order': {
    label: 'School attendance order (s437(3))',
    hint: 'Requires the parent to register the child at the named school',
    placeholders: [...TO_THE_FAMILY, 'servedOn', 'school.name'],
  },
  'education-department-abroad': {
    label: 'Letter to an education department abroad',
    hint: 'Asks the education authority of another country whether the child is registered at a school there',
    placeholders: [
      'child.name',
      'child.dateOfBirth',
      'case.reference',
      'recipient',
      'country',
      'today',
      'la.name',
      'officer.name',
    ],
  },
} as const satisfies Record<string, { label: string; hint: string; placeholders: readonly string[] }>

export type LetterKind = keyof typeof LETTER_KINDS
export const LETTER_KIND_KEYS = Object.keys(LETTER_KINDS) as LetterKind[]
export const isLetterKind = (v: string): v is LetterKind => Object.hasOwn(LETTER_KINDS, v)

/** What each placeholder is filled with, for the settings page's list. */
export const PLACEHOLDER_HELP: Record<string, string> = {
  'child.name': 'The child’s full name',
  'child.dateOfBirth': 'The child’s date of birth, as 1 May 2015',
  'case.reference': 'The case reference, such as CME-317-000123',
  'parent.name': 'The parent or carer the letter is to',
  address: 'The address the letter is sent to, one line each',
  today: 'The date the letter is made',
  'la.name': 'The local authority’s name',
  'officer.name': 'The name of the officer making the letter',
  servedOn: 'The day the notice is served',
  days: 'The number of days the notice gives',
  deadline: 'The last day of the notice’s period',
  'school.name': 'The school the notice or order names',
  recipient: 'The education department the letter is to, with its address',
  country: 'The country the child is believed to be in',
}

export interface LetterTemplateText {
  title: string
  body: string
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g

/** Every placeholder a text uses, in order of first use. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map(m => m[1] ?? ''))]
}

/**
 * Problems with a template for a kind, worded for the manager editing it; empty when it may be
 * saved. Unknown placeholders are named with the ones that may be used, and stray braces are
 * caught because they would otherwise be printed as they are.
 */
export function validateTemplate(
  kind: LetterKind,
  t: LetterTemplateText,
): { field: 'title' | 'body'; message: string }[] {
  const problems: { field: 'title' | 'body'; message: string }[] = []
  const allowed: readonly string[] = LETTER_KINDS[kind].placeholders
  const title = t.title.trim()
  const body = t.body.trim()
  if (title === '') problems.push({ field: 'title', message: 'Enter the letter’s title' })
  else if (title.length > 200) problems.push({ field: 'title', message: 'Title must be 200 characters or fewer' })
  if (body === '') problems.push({ field: 'body', message: 'Enter the letter’s text' })
  else if (body.length > 20_000) problems.push({ field: 'body', message: 'Text must be 20,000 characters or fewer' })
  for (const [field, text] of [
    ['title', title],
    ['body', body],
  ] as const) {
    const unknown = placeholdersIn(text).filter(p => !allowed.includes(p))
    if (unknown.length > 0)
      problems.push({
        field,
        message: `${unknown.map(p => `{{${p}}}`).join(', ')} ${unknown.length === 1 ? 'is not a placeholder' : 'are not placeholders'} this letter can use. Use ${allowed.map(p => `{{${p}}}`).join(', ')}`,
      })
    const stray = text.replace(PLACEHOLDER, '')
    if (/\{\{|\}\}/.test(stray))
      problems.push({
        field,
        message: 'A placeholder is not closed: write it as {{child.name}}, with two braces each side',
      })
  }
  return problems
}

export type LetterValues = Partial<Record<string, string>>

export interface LetterBlock {
  kind: 'heading' | 'paragraph'
  text: string
}

export interface RenderedLetter {
  title: string
  blocks: LetterBlock[]
}

/** Fills the placeholders; one the caller has no value for is left visibly blank rather than guessed. */
export function fillPlaceholders(text: string, values: LetterValues): string {
  return text.replace(PLACEHOLDER, (_m, name: string) => values[name] ?? '')
}

/** A template filled in and split into the headings and paragraphs the PDF is tagged with. */
export function renderLetter(t: LetterTemplateText, values: LetterValues): RenderedLetter {
  const blocks: LetterBlock[] = []
  for (const raw of t.body.replace(/\r\n/g, '\n').split(/\n\s*\n/)) {
    const block = raw.trim()
    if (block === '') continue
    if (block.startsWith('# ')) {
      const [first = '', ...rest] = block.split('\n')
      blocks.push({ kind: 'heading', text: fillPlaceholders(first.slice(2).trim(), values) })
      if (rest.length > 0) blocks.push({ kind: 'paragraph', text: fillPlaceholders(rest.join('\n').trim(), values) })
    } else blocks.push({ kind: 'paragraph', text: fillPlaceholders(block, values) })
  }
  return { title: fillPlaceholders(t.title.trim(), values), blocks }
}

const SIGN_OFF = `Yours sincerely

{{officer.name}}
Children Missing Education team, {{la.name}}`

/** The templates an LA starts with; the first edit makes version 2. */
export const DEFAULT_TEMPLATES: Record<LetterKind, LetterTemplateText> = {
  'family-letter': {
    title: 'Your child’s education: {{child.name}}',
    body: `{{parent.name}}
{{address}}

{{today}}

Our reference: {{case.reference}}

Dear {{parent.name}},

# Your child’s education

We are trying to find out where {{child.name}}, born {{child.dateOfBirth}}, is receiving their education. Our records show that they are not on the roll of a school.

Every child of compulsory school age must receive a suitable full-time education. Please contact the Children Missing Education team within 10 days of the date of this letter to tell us where your child is being educated, or if you need help to find a school place.

If you have moved, please tell us your new address.

${SIGN_OFF}`,
  },
  's437-notice': {
    title: 'Notice under section 437(1) of the Education Act 1996',
    body: `{{parent.name}}
{{address}}

Date of service: {{servedOn}}

Our reference: {{case.reference}}

# Notice requiring you to satisfy the local authority that your child is receiving suitable education

Child: {{child.name}}, born {{child.dateOfBirth}}

It appears to {{la.name}} that {{child.name}}, who is of compulsory school age, may not be receiving suitable education, either by regular attendance at school or otherwise.

Under section 437(1) of the Education Act 1996 you are required to satisfy the local authority, within {{days}} days beginning with the day on which this notice is served, that is by {{deadline}}, that your child is receiving suitable education.

# What happens if you do not

If you do not satisfy the local authority by {{deadline}}, and it considers that your child should attend school, it will serve a notice of intention to serve a school attendance order, naming a school.

${SIGN_OFF}`,
  },
  'notice-of-intention': {
    title: 'Notice of intention to serve a school attendance order',
    body: `{{parent.name}}
{{address}}

Date of service: {{servedOn}}

Our reference: {{case.reference}}

# Notice of intention to serve a school attendance order (Education Act 1996, section 438)

Child: {{child.name}}, born {{child.dateOfBirth}}

You have not satisfied {{la.name}} that {{child.name}} is receiving suitable education, and the local authority considers it expedient that your child should attend school.

The local authority intends to serve a school attendance order requiring you to register your child at {{school.name}}.

# Your right to choose a school

If, within {{days}} days beginning with the day on which this notice is served, that is by {{deadline}}, you tell the local authority of another school you want your child to attend, and that school is suitable and will admit your child, that school will be named in the order instead.

${SIGN_OFF}`,
  },
  'school-attendance-order': {
    title: 'School attendance order',
    body: `{{parent.name}}
{{address}}

Date of service: {{servedOn}}

Our reference: {{case.reference}}

# School attendance order (Education Act 1996, section 437)

Child: {{child.name}}, born {{child.dateOfBirth}}

{{la.name}} requires you to cause {{child.name}} to become a registered pupil at {{school.name}}.

This order remains in force while your child is of compulsory school age, unless it is revoked by the local authority or a court directs that it ceases to be in force.

# If you do not comply

Failing to comply with this order is an offence under section 443 of the Education Act 1996, unless you prove that your child is receiving suitable education otherwise than at school.

You may ask the local authority to name a different school (section 440) or to revoke the order if you have arranged suitable education otherwise than at school (section 442).

${SIGN_OFF}`,
  },
  'education-department-abroad': {
    title: 'Request for information about a child’s education',
    body: `{{recipient}}

{{today}}

Our reference: {{case.reference}}

Dear Sir or Madam,

# Request for information: {{child.name}}

We understand that {{child.name}}, born {{child.dateOfBirth}}, may have moved from our area to {{country}}. The child is no longer attending a school in England.

We would be grateful if you could tell us whether the child is registered at a school in your area, and if so which school and from what date.

This request is made under our duty to identify children missing education. Please reply quoting our reference.

${SIGN_OFF}`,
  },
}

/** Made-up values for previewing a template: no real child's details ever appear in a preview. */
export const PREVIEW_VALUES: LetterValues = {
  'child.name': 'Sample Child',
  'child.dateOfBirth': '1 May 2015',
  'case.reference': 'CME-000-000000',
  'parent.name': 'Sample Parent',
  address: '1 Sample Street\nSample Town\nAB1 2CD',
  today: '1 September 2026',
  'la.name': 'Sample Borough Council',
  'officer.name': 'Sample Officer',
  servedOn: '1 September 2026',
  days: '15',
  deadline: '15 September 2026',
  'school.name': 'Sample Primary School',
  recipient: 'Ministry of Education\nSample City',
  country: 'Sampleland',
}
