/**
 * The CME referral made from a pupil of concern: a draft in the referral journey's own format
 * (services/referralService.ts DraftDocument), pre-filled by `prefillReferral` from the pupil, the
 * concern and its enquiry log. Sections that pass their page's rules count as completed; the rest wait,
 * as typed, on their pages for the school to finish. Runs inside the caller's transaction.
 */
import type { Transaction } from 'kysely'
import type { Clock } from '../domain/clock.js'
import type { Outcome } from '../domain/enquiryOutcome.js'
import type { ContactKind, ContactResult } from '../domain/pupilConcern.js'
import { validateSection, type ReferralDraft, type SectionKey } from '../domain/referral.js'
import { prefillReferral, typedFields } from '../domain/referralPrefill.js'
import { newId } from '../data/ids.js'
import type { ConcernContact, Database, Pupil, PupilConcern } from '../data/schema.js'
import type { Caller } from './deps.js'
import type { DraftDocument } from './referralService.js'
import { parseAddress, parseContacts } from './rollService.js'

export interface ReferralSource {
  concern: PupilConcern
  outcome: Outcome
  pupil: Pupil
  contacts: readonly ConcernContact[]
  user: { name: string; email: string; phone: string | null } | undefined
}

export async function insertPrefilledReferral(
  trx: Transaction<Database>,
  clock: Clock,
  caller: Caller,
  { concern, outcome, pupil, contacts, user }: ReferralSource,
): Promise<{ referralId: string; completed: number }> {
  const school = await trx
    .selectFrom('organisations')
    .select(['name', 'urn'])
    .where('id', '=', concern.school_id)
    .executeTakeFirstOrThrow()
  const answers = prefillReferral({
    pupil: {
      firstName: pupil.first_name,
      lastName: pupil.last_name,
      otherNames: pupil.other_names,
      dateOfBirth: pupil.date_of_birth,
      gender: pupil.gender,
      ethnicity: pupil.ethnicity,
      upn: pupil.upn,
      ehcp: pupil.ehcp === 1 || concern.ehcp_sen === 1,
      freeSchoolMeals: pupil.free_school_meals === 1,
      addressLines: parseAddress(pupil.address_lines),
      postcode: pupil.postcode,
      contacts: parseContacts(pupil.contacts),
    },
    concern: {
      circumstance: concern.circumstance,
      outcome,
      lastAttendedOn: concern.last_attended_on,
      cpPlan: concern.cp_plan === 1,
      childInNeed: concern.child_in_need === 1,
      lookedAfter: concern.looked_after === 1,
      socialWorker: concern.social_worker,
      socialWorkerPhone: concern.social_worker_phone,
      marfMadeOn: concern.marf_made_on,
      marfReference: concern.marf_reference,
      ewoName: concern.ewo_name,
      ewoConsultedOn: concern.ewo_consulted_on,
      ewoAdvice: concern.ewo_advice,
    },
    school: { name: school.name, urn: school.urn },
    contacts: contacts.map(c => ({
      kind: c.kind as ContactKind,
      target: c.target,
      contactedOn: c.contacted_on,
      madeBy: c.made_by,
      visitBy: c.visit_by,
      result: c.result as ContactResult,
      notes: c.notes,
      agreedPlan: c.agreed_plan,
      learntAddress: c.learnt_address,
      learntSchool: c.learnt_school,
      learntTravel: c.learnt_travel,
      riskOfHarm: c.risk_of_harm === 1,
    })),
    referrer: {
      name: user?.name ?? caller.actor.name,
      organisation: caller.actor.organisationName,
      email: user?.email ?? '',
      phone: user?.phone ?? '',
    },
  })
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
