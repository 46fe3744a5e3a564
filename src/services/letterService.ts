/**
 * Letters on a case (issue 7): made from the LA's current template for the kind, stored on the case
 * with the template version they came from, listed on its timeline, and downloaded with an audited
 * read. Templates are edited by managers; each save is a new version, so a letter already sent can
 * always be traced to the words it was made from.
 */
import type { Transaction } from 'kysely'
import { latestReferralDocument } from '../data/repositories/referralRepository.js'
import type { Config } from '../config.js'
import { can } from '../domain/access.js'
import type { Actor } from '../domain/actor.js'
import type { Clock } from '../domain/clock.js'
import { formatLongDate } from '../domain/dates.js'
import {
  DEFAULT_TEMPLATES,
  LETTER_KIND_KEYS,
  LETTER_KINDS,
  PREVIEW_VALUES,
  isLetterKind,
  renderLetter,
  validateTemplate,
  type LetterKind,
  type LetterValues,
} from '../domain/letters.js'
import { newId } from '../data/ids.js'
import type { Case, Database } from '../data/schema.js'
import { letterPdf } from '../integrations/letterPdf.js'
import { audit } from './audit.js'
import { recordCaseEvent } from './caseEvents.js'
import type { Caller, Deps } from './deps.js'
import { ForbiddenError, NotFoundError, ValidationError } from './errors.js'

/** The letters the SAO process makes from its own data; the case page makes the others. */
export const SAO_LETTER_KINDS: readonly LetterKind[] = ['s437-notice', 'notice-of-intention', 'school-attendance-order']

/** An address a letter can go to, with a label that says which without repeating it. */
export interface KnownAddress {
  key: string
  label: string
  lines: string[]
}

export interface CaseLetterRow {
  id: string
  kind: string
  kindLabel: string
  fileName: string
  addressedTo: string
  templateVersion: number
  byteSize: number
  createdAt: string
  createdBy: string
}

type Trx = Transaction<Database>

/** The template in use for a kind, made from the default the first time an LA needs it. */
export async function currentTemplate(trx: Trx, clock: Clock, laCode: string, kind: LetterKind) {
  const latest = await trx
    .selectFrom('letter_templates')
    .selectAll()
    .where('la_code', '=', laCode)
    .where('kind', '=', kind)
    .orderBy('version', 'desc')
    .executeTakeFirst()
  if (latest) return latest
  const row = {
    id: newId(),
    la_code: laCode,
    kind,
    version: 1,
    title: DEFAULT_TEMPLATES[kind].title,
    body: DEFAULT_TEMPLATES[kind].body,
    created_by: null,
    created_by_name: 'onroll (default)',
    created_at: clock.now().toISOString(),
  }
  // Two first uses at once both try version 1; the unique index keeps one and both read it back.
  await trx
    .insertInto('letter_templates')
    .values(row)
    .onConflict(oc => oc.columns(['la_code', 'kind', 'version']).doNothing())
    .execute()
  return trx
    .selectFrom('letter_templates')
    .selectAll()
    .where('la_code', '=', laCode)
    .where('kind', '=', kind)
    .where('version', '=', 1)
    .executeTakeFirstOrThrow()
}

/** Every UK address known for the child, from the referral: where they lived and where they went. */
export async function knownAddresses(trx: Trx, c: Case): Promise<KnownAddress[]> {
  const referral = await latestReferralDocument(trx, c.referral_id)
  const out: KnownAddress[] = []
  const current = referral?.address.current
  if (current?.answer === 'known')
    out.push({
      key: 'current',
      label: 'Last known address',
      lines: [current.line1, current.line2, current.town, current.county, current.postcode].filter(
        (l): l is string => typeof l === 'string' && l.trim() !== '',
      ),
    })
  const dest = referral?.destination.address
  if (dest?.answer === 'uk')
    out.push({
      key: 'destination',
      label: 'New address given in the referral',
      lines: [dest.line1, dest.line2, dest.town, dest.county, dest.postcode].filter(
        (l): l is string => typeof l === 'string' && l.trim() !== '',
      ),
    })
  return out
}

/** The country the child is believed to have gone to, when the referral says. */
export async function countryAbroad(trx: Trx, c: Case): Promise<string | null> {
  const referral = await latestReferralDocument(trx, c.referral_id)
  const dest = referral?.destination.address
  if (dest?.answer === 'abroad') return dest.country
  return referral?.abroad.answer === 'yes' ? (referral.abroad.destinationCountry ?? null) : null
}

/** The values every letter on this case can use. */
export async function caseLetterValues(
  trx: Trx,
  clock: Clock,
  config: Config,
  actor: Actor,
  c: Case,
): Promise<LetterValues> {
  const child = await trx
    .selectFrom('children')
    .select(['first_name', 'last_name', 'date_of_birth', 'family_id'])
    .where('id', '=', c.child_id)
    .executeTakeFirstOrThrow()
  const adult = child.family_id
    ? await trx
        .selectFrom('family_members')
        .select('name')
        .where('family_id', '=', child.family_id)
        .orderBy('created_at')
        .executeTakeFirst()
    : undefined
  const referral = adult ? null : await latestReferralDocument(trx, c.referral_id)
  const fromReferral =
    referral?.address.responsibleAdults.answer === 'known'
      ? referral.address.responsibleAdults.list[0]?.name
      : undefined
  return {
    'child.name': `${child.first_name} ${child.last_name}`,
    'child.dateOfBirth': formatLongDate(child.date_of_birth),
    'case.reference': c.reference,
    'parent.name': adult?.name ?? fromReferral ?? 'The parent or carer',
    today: formatLongDate(clock.today()),
    'la.name': config.la.name,
    'officer.name': actor.name,
  }
}

/**
 * Makes one letter and stores it on the case, inside the caller's transaction: the current
 * template filled in, rendered as a tagged PDF, named by case reference and kind.
 */
export async function storeLetter(
  trx: Trx,
  clock: Clock,
  actor: Actor,
  c: Case,
  input: { kind: LetterKind; values: LetterValues; addressedTo: string; saoStepId?: string },
): Promise<{ id: string; fileName: string }> {
  const template = await currentTemplate(trx, clock, c.la_code, input.kind)
  const pdf = await letterPdf(renderLetter(template, input.values), { createdAt: clock.now() })
  const count = await trx
    .selectFrom('case_letters')
    .select(eb => eb.fn.countAll<string | number>().as('n'))
    .where('case_id', '=', c.id)
    .where('kind', '=', input.kind)
    .executeTakeFirstOrThrow()
  const fileName = `${c.reference}-${input.kind}-${String(Number(count.n) + 1)}.pdf`
  const id = newId()
  await trx
    .insertInto('case_letters')
    .values({
      id,
      case_id: c.id,
      la_code: c.la_code,
      kind: input.kind,
      template_id: template.id,
      template_version: template.version,
      sao_step_id: input.saoStepId ?? null,
      file_name: fileName,
      addressed_to: input.addressedTo,
      content_base64: pdf.toString('base64'),
      byte_size: pdf.length,
      created_by: actor.id,
      created_by_name: actor.name,
      created_at: clock.now().toISOString(),
    })
    .execute()
  await recordCaseEvent(
    trx,
    clock,
    actor,
    c.id,
    'letter.generated',
    `Letter made: ${LETTER_KINDS[input.kind].label} (${input.addressedTo}), ${fileName}`,
    { letterId: id },
  )
  return { id, fileName }
}

export async function lettersOf(trx: Trx, caseId: string): Promise<CaseLetterRow[]> {
  const rows = await trx
    .selectFrom('case_letters')
    .select([
      'id',
      'kind',
      'file_name',
      'addressed_to',
      'template_version',
      'byte_size',
      'created_at',
      'created_by_name',
    ])
    .where('case_id', '=', caseId)
    .orderBy('created_at', 'desc')
    .orderBy('file_name', 'desc')
    .execute()
  return rows.map(r => ({
    id: r.id,
    kind: r.kind,
    kindLabel: isLetterKind(r.kind) ? LETTER_KINDS[r.kind].label : r.kind,
    fileName: r.file_name,
    addressedTo: r.addressed_to,
    templateVersion: r.template_version,
    byteSize: r.byte_size,
    createdAt: r.created_at,
    createdBy: r.created_by_name,
  }))
}

export function createLetterService({ db, clock, config }: Deps) {
  async function usableCase(trx: Trx, caller: Caller, caseId: string): Promise<Case> {
    if (!can(caller.actor, 'letters:use')) throw new ForbiddenError('letters:use')
    const c = await trx.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst()
    if (!c || c.la_code !== caller.actor.laCode) throw new NotFoundError('Case')
    return c
  }

  const requireTemplates = (caller: Caller) => {
    if (!can(caller.actor, 'letters:templates')) throw new ForbiddenError('letters:templates')
  }

  return {
    /**
     * Makes a letter on a case: to the family, one at each known address, or to an education
     * department abroad. The SAO notices are made by the SAO process, from its dates.
     */
    async generate(
      caller: Caller,
      caseId: string,
      raw: { kind?: string; recipient?: string; country?: string },
    ): Promise<string[]> {
      const kind = raw.kind ?? ''
      if (!isLetterKind(kind) || SAO_LETTER_KINDS.includes(kind))
        throw new ValidationError([{ field: 'kind', message: 'Select the letter to make' }])
      return db.transaction().execute(async trx => {
        const c = await usableCase(trx, caller, caseId)
        const values = await caseLetterValues(trx, clock, config, caller.actor, c)
        const made: string[] = []
        if (kind === 'family-letter') {
          const addresses = await knownAddresses(trx, c)
          if (addresses.length === 0)
            throw new ValidationError([
              { field: 'kind', message: 'No address is known for this child: a letter to the family cannot be made' },
            ])
          for (const a of addresses) {
            const r = await storeLetter(trx, clock, caller.actor, c, {
              kind,
              values: { ...values, address: a.lines.join('\n') },
              addressedTo: `Parent or carer at the ${a.label.toLowerCase()}`,
            })
            made.push(r.id)
          }
        } else {
          const recipient = raw.recipient?.trim() ?? ''
          const country = raw.country?.trim() || ((await countryAbroad(trx, c)) ?? '')
          const problems = [
            ...(recipient === ''
              ? [{ field: 'recipient', message: 'Enter the education department’s name and address' }]
              : recipient.length > 1000
                ? [{ field: 'recipient', message: 'Name and address must be 1,000 characters or fewer' }]
                : []),
            ...(country === '' ? [{ field: 'country', message: 'Enter the country' }] : []),
            ...(country.length > 100 ? [{ field: 'country', message: 'Country must be 100 characters or fewer' }] : []),
          ]
          if (problems.length > 0) throw new ValidationError(problems)
          const r = await storeLetter(trx, clock, caller.actor, c, {
            kind,
            values: { ...values, recipient, country },
            addressedTo: `Education department in ${country}`,
          })
          made.push(r.id)
        }
        await audit(trx, clock, caller.actor, caller.request, 'letter.generate', [
          { caseId: c.id, childId: c.child_id, detail: { kind, letters: made.length } },
        ])
        return made
      })
    },

    /** One stored letter's PDF, for download: an audited read of the child's record. */
    async download(caller: Caller, caseId: string, letterId: string): Promise<{ fileName: string; pdf: Buffer }> {
      return db.transaction().execute(async trx => {
        const c = await usableCase(trx, caller, caseId)
        const letter = await trx
          .selectFrom('case_letters')
          .select(['id', 'file_name', 'content_base64', 'kind'])
          .where('id', '=', letterId)
          .where('case_id', '=', c.id)
          .executeTakeFirst()
        if (!letter) throw new NotFoundError('Letter')
        await audit(trx, clock, caller.actor, caller.request, 'letter.download', [
          { caseId: c.id, childId: c.child_id, detail: { letterId: letter.id, kind: letter.kind } },
        ])
        return { fileName: letter.file_name, pdf: Buffer.from(letter.content_base64, 'base64') }
      })
    },

    /** The current version of each kind's template, for the settings page. */
    async templates(caller: Caller) {
      requireTemplates(caller)
      return db.transaction().execute(async trx => {
        const out = []
        for (const kind of LETTER_KIND_KEYS) {
          const t = await currentTemplate(trx, clock, caller.actor.laCode, kind)
          out.push({
            kind,
            label: LETTER_KINDS[kind].label,
            hint: LETTER_KINDS[kind].hint,
            version: t.version,
            savedBy: t.created_by_name,
            savedAt: t.created_at,
          })
        }
        return out
      })
    },

    /** One kind's template: the current text, its placeholders and every earlier version. */
    async template(caller: Caller, kind: string) {
      requireTemplates(caller)
      if (!isLetterKind(kind)) throw new NotFoundError('Letter template')
      return db.transaction().execute(async trx => {
        const current = await currentTemplate(trx, clock, caller.actor.laCode, kind)
        const versions = await trx
          .selectFrom('letter_templates')
          .select(['version', 'created_by_name', 'created_at'])
          .where('la_code', '=', caller.actor.laCode)
          .where('kind', '=', kind)
          .orderBy('version', 'desc')
          .execute()
        return {
          kind,
          label: LETTER_KINDS[kind].label,
          hint: LETTER_KINDS[kind].hint,
          placeholders: LETTER_KINDS[kind].placeholders,
          current,
          versions,
        }
      })
    },

    /** The current version of a template as a PDF, filled with made-up values. */
    async previewPdf(caller: Caller, kind: string): Promise<{ fileName: string; pdf: Buffer }> {
      requireTemplates(caller)
      if (!isLetterKind(kind)) throw new NotFoundError('Letter template')
      const t = await db.transaction().execute(trx => currentTemplate(trx, clock, caller.actor.laCode, kind))
      const pdf = await letterPdf(renderLetter(t, PREVIEW_VALUES), { createdAt: clock.now() })
      return { fileName: `preview-${kind}-version-${String(t.version)}.pdf`, pdf }
    },

    /** Saves an edit as the next version; a template with an unknown placeholder is refused. */
    async saveTemplate(caller: Caller, kind: string, raw: { title?: string; body?: string }): Promise<number> {
      requireTemplates(caller)
      if (!isLetterKind(kind)) throw new NotFoundError('Letter template')
      const text = { title: raw.title ?? '', body: raw.body ?? '' }
      const problems = validateTemplate(kind, text)
      if (problems.length > 0) throw new ValidationError(problems)
      return db.transaction().execute(async trx => {
        const current = await currentTemplate(trx, clock, caller.actor.laCode, kind)
        const version = current.version + 1
        await trx
          .insertInto('letter_templates')
          .values({
            id: newId(),
            la_code: caller.actor.laCode,
            kind,
            version,
            title: text.title.trim(),
            body: text.body.replace(/\r\n/g, '\n').trim(),
            created_by: caller.actor.id,
            created_by_name: caller.actor.name,
            created_at: clock.now().toISOString(),
          })
          .execute()
        await audit(trx, clock, caller.actor, caller.request, 'letter-template.save', [{ detail: { kind, version } }])
        return version
      })
    },
  }
}

export type LetterService = ReturnType<typeof createLetterService>
