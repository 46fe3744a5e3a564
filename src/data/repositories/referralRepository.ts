import type { Kysely, Transaction } from 'kysely'
import type { Referral } from '../../domain/referral.js'
import type { Database } from '../schema.js'

/** A referral's latest submitted version, as stored (immutable); null for none or a draft never submitted. */
export async function latestReferralVersion(
  trx: Transaction<Database> | Kysely<Database>,
  referralId: string | null,
): Promise<{ id: string; version: number; status: string; document: Referral } | null> {
  if (!referralId) return null
  const r = await trx
    .selectFrom('referrals')
    .select(['id', 'current_version', 'status'])
    .where('id', '=', referralId)
    .executeTakeFirst()
  if (!r || r.current_version === 0) return null
  const v = await trx
    .selectFrom('referral_versions')
    .select('document')
    .where('referral_id', '=', r.id)
    .where('version', '=', r.current_version)
    .executeTakeFirst()
  return v
    ? { id: r.id, version: r.current_version, status: r.status, document: JSON.parse(v.document) as Referral }
    : null
}

/** Just the document of that version. */
export async function latestReferralDocument(
  trx: Transaction<Database> | Kysely<Database>,
  referralId: string | null,
): Promise<Referral | null> {
  return (await latestReferralVersion(trx, referralId))?.document ?? null
}
