import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../schema.js'

/** Session ids are stored hashed: a copy of the table does not let anyone take over a session. */
export const hashSessionId = (sessionId: string): string => createHash('sha256').update(sessionId).digest('hex')

export async function readSession(db: Kysely<Database>, sessionId: string, now: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('sessions')
    .select(['data', 'expires_at'])
    .where('id_hash', '=', hashSessionId(sessionId))
    .executeTakeFirst()
  if (!row || row.expires_at <= now) return undefined
  return row.data
}

export async function writeSession(
  db: Kysely<Database>,
  session: { id: string; userId: string | null; data: string; now: string; expiresAt: string },
): Promise<void> {
  const idHash = hashSessionId(session.id)
  await db
    .insertInto('sessions')
    .values({
      id_hash: idHash,
      user_id: session.userId,
      data: session.data,
      created_at: session.now,
      expires_at: session.expiresAt,
    })
    .onConflict(oc =>
      oc.column('id_hash').doUpdateSet({ user_id: session.userId, data: session.data, expires_at: session.expiresAt }),
    )
    .execute()
}

export async function deleteSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', hashSessionId(sessionId)).execute()
}

export async function deleteSessionsOfUser(db: Kysely<Database>, userId: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst()
  return Number(result.numDeletedRows)
}

export async function deleteExpiredSessions(db: Kysely<Database>, now: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst()
  return Number(result.numDeletedRows)
}

export async function countSessionsOfUser(db: Kysely<Database>, userId: string, now: string): Promise<number> {
  const row = await db
    .selectFrom('sessions')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow()
  return row.n
}
