/**
 * A draft CME referral in the referral journey's own format (services/referralService.ts
 * DraftDocument) from pre-filled answers (domain/referralPrefill.ts). Sections that pass their page's
 * rules count as completed; the rest wait, as typed, on their pages for the school to finish. Runs
 * inside the caller's transaction; the caller writes the audit event.
 */
import type { Transaction } from 'kysely'
import type { Clock } from '../domain/clock.js'
import { validateSection, type ReferralDraft, type SectionKey } from '../domain/referral.js'
import { typedFields } from '../domain/referralPrefill.js'
import { newId } from '../data/ids.js'
import type { Database, Pupil } from '../data/schema.js'
import type { Caller } from './deps.js'
import type { DraftDocument } from './referralService.js'
import { parseAddress, parseContacts } from './rollService.js'

/** The signed-in person, as `users` holds them. */
export type ReferrerUser = { name: string; email: string; phone: string | null } | undefined

/** The child's details from the roll row, as the prefill reads them. */
export const prefillPupil = (pupil: Pupil, ehcp = pupil.ehcp === 1) => ({
  firstName: pupil.first_name,
  lastName: pupil.last_name,
  otherNames: pupil.other_names,
  dateOfBirth: pupil.date_of_birth,
  gender: pupil.gender,
  ethnicity: pupil.ethnicity,
  upn: pupil.upn,
  ehcp,
  freeSchoolMeals: pupil.free_school_meals === 1,
  addressLines: parseAddress(pupil.address_lines),
  postcode: pupil.postcode,
  contacts: parseContacts(pupil.contacts),
})

export const prefillReferrer = (caller: Caller, user: ReferrerUser) => ({
  name: user?.name ?? caller.actor.name,
  organisation: caller.actor.organisationName,
  email: user?.email ?? '',
  phone: user?.phone ?? '',
})

export async function schoolForPrefill(trx: Transaction<Database>, schoolId: string) {
  return trx.selectFrom('organisations').select(['name', 'urn']).where('id', '=', schoolId).executeTakeFirstOrThrow()
}

export async function insertDraftReferral(
  trx: Transaction<Database>,
  clock: Clock,
  caller: Caller,
  answers: Partial<Record<SectionKey, unknown>>,
): Promise<{ referralId: string; completed: number }> {
  const sections: ReferralDraft = {}
  const typed: Partial<Record<SectionKey, Record<string, string>>> = {}
  const invalid: SectionKey[] = []
  for (const [key, value] of Object.entries(answers) as [SectionKey, unknown][]) {
    if (value === undefined) continue
    const result = validateSection(key, value, { today: clock.today(), draft: sections })
    if (result.success) Object.assign(sections, { [key]: result.data })
    else {
      typed[key] = typedFields(value, key)
      invalid.push(key)
    }
  }
  const referralId = newId()
  const now = clock.now().toISOString()
  await trx
    .insertInto('referrals')
    .values({
      id: referralId,
      la_code: caller.actor.laCode,
      reference: null,
      status: 'draft',
      referrer_org_id: caller.actor.organisationId,
      created_by: caller.actor.id,
      channel: 'online',
      draft: JSON.stringify({ sections, typed, invalid } satisfies DraftDocument),
      case_id: null,
      return_reasons: null,
      idempotency_key: null,
      created_at: now,
      updated_at: now,
      submitted_at: null,
    })
    .execute()
  return { referralId, completed: Object.keys(sections).length }
}
