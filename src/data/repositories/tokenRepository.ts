import type { Kysely } from 'kysely'
import type { Database } from '../schema.js'

export async function findTokenByHash(db: Kysely<Database>, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('organisations', 'organisations.id', 'api_tokens.organisation_id')
    .select([
      'api_tokens.id',
      'api_tokens.name',
      'api_tokens.roles',
      'api_tokens.revoked_at',
      'api_tokens.last_used_at',
      'organisations.id as organisation_id',
      'organisations.name as organisation_name',
      'organisations.kind as organisation_kind',
      'organisations.la_code',
      'organisations.active as organisation_active',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst()
}

export async function listTokens(db: Kysely<Database>) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('organisations', 'organisations.id', 'api_tokens.organisation_id')
    .select([
      'api_tokens.id',
      'api_tokens.name',
      'api_tokens.roles',
      'api_tokens.created_at',
      'api_tokens.last_used_at',
      'api_tokens.revoked_at',
      'organisations.name as organisation_name',
    ])
    .orderBy('api_tokens.created_at', 'desc')
    .execute()
}
