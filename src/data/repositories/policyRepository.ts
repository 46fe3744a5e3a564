import type { Insertable, Kysely, Selectable } from 'kysely'
import type { Database, PolicyVersionTable } from '../schema.js'

export type PolicyVersionRow = Selectable<PolicyVersionTable>

/** An LA's stored policy versions with the name of whoever made each, oldest first. */
export async function listPolicyVersions(
  db: Kysely<Database>,
  laCode: string,
): Promise<(PolicyVersionRow & { created_by_name: string | null })[]> {
  return db
    .selectFrom('policy_versions')
    .leftJoin('users', 'users.id', 'policy_versions.created_by')
    .selectAll('policy_versions')
    .select('users.name as created_by_name')
    .where('policy_versions.la_code', '=', laCode)
    .orderBy('policy_versions.version')
    .execute()
}

export async function insertPolicyVersion(db: Kysely<Database>, row: Insertable<PolicyVersionTable>): Promise<void> {
  await db.insertInto('policy_versions').values(row).execute()
}
