/**
 * The CME referral a school makes when a parent gives written notice of elective home education
 * (protocol, "Elective Home Education"): a draft pre-filled by `prefillEheReferral` from the roll
 * row, the school, any open concern's last attendance, the notice and the signed-in user. Runs inside
 * the caller's transaction; the caller writes the audit event.
 */
import type { Transaction } from 'kysely'
import type { Clock } from '../domain/clock.js'
import type { IsoDate } from '../domain/dates.js'
import { prefillEheReferral } from '../domain/referralPrefill.js'
import type { Database, Pupil } from '../data/schema.js'
import type { Caller } from './deps.js'
import {
  insertDraftReferral,
  prefillPupil,
  prefillReferrer,
  schoolForPrefill,
  type ReferrerUser,
} from './prefilledReferral.js'

export interface EheReferralSource {
  pupil: Pupil
  notice: { receivedOn: IsoDate; educatedFrom: IsoDate; verifiedOn: IsoDate | null; laConsentOn: IsoDate | null }
  user: ReferrerUser
}

export async function insertEheReferral(
  trx: Transaction<Database>,
  clock: Clock,
  caller: Caller,
  { pupil, notice, user }: EheReferralSource,
): Promise<{ referralId: string; completed: number }> {
  const school = await schoolForPrefill(trx, pupil.school_id)
  // The roll has no attendance of its own: an open concern's date is the last one onroll was told.
  const concern = await trx
    .selectFrom('pupil_concerns')
    .select('last_attended_on')
    .where('pupil_id', '=', pupil.id)
    .where('status', '=', 'open')
    .executeTakeFirst()
  const answers = prefillEheReferral({
    pupil: prefillPupil(pupil),
    socialCare: {
      cpPlan: pupil.cp_plan === 1,
      childInNeed: pupil.child_in_need === 1,
      lookedAfter: pupil.looked_after === 1,
      socialWorker: pupil.social_worker,
      socialWorkerPhone: null,
    },
    school: { name: school.name, urn: school.urn },
    lastAttendedOn: concern?.last_attended_on ?? null,
    notice,
    referrer: prefillReferrer(caller, user),
  })
  return insertDraftReferral(trx, clock, caller, answers)
}
