/**
 * The CME referral made from a pupil of concern: a draft pre-filled by `prefillReferral` from the
 * pupil, the concern and its enquiry log (see prefilledReferral.ts). Runs inside the caller's transaction.
 */
import type { Transaction } from 'kysely'
import type { Clock } from '../domain/clock.js'
import type { Outcome } from '../domain/enquiryOutcome.js'
import type { ContactKind, ContactResult } from '../domain/pupilConcern.js'
import { prefillReferral } from '../domain/referralPrefill.js'
import type { ConcernContact, Database, Pupil, PupilConcern } from '../data/schema.js'
import type { Caller } from './deps.js'
import {
  insertDraftReferral,
  prefillPupil,
  prefillReferrer,
  schoolForPrefill,
  type ReferrerUser,
} from './prefilledReferral.js'

export interface ReferralSource {
  concern: PupilConcern
  outcome: Outcome
  pupil: Pupil
  contacts: readonly ConcernContact[]
  user: ReferrerUser
}

export async function insertPrefilledReferral(
  trx: Transaction<Database>,
  clock: Clock,
  caller: Caller,
  { concern, outcome, pupil, contacts, user }: ReferralSource,
): Promise<{ referralId: string; completed: number }> {
  const school = await schoolForPrefill(trx, concern.school_id)
  const answers = prefillReferral({
    pupil: prefillPupil(pupil, pupil.ehcp === 1 || concern.ehcp_sen === 1),
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
    referrer: prefillReferrer(caller, user),
  })
  return insertDraftReferral(trx, clock, caller, answers)
}
