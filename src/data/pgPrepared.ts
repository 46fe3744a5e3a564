/**
 * PostgreSQL with server-side prepared statements.
 *
 * The Single List's queries run against a table with a dozen partial and expression indexes, and
 * PostgreSQL weighs every one of them each time it plans: planning the list's page took about 4 ms,
 * running it under 1 ms. A named statement is parsed once per connection, and after five runs
 * PostgreSQL keeps a generic plan when it is as good as the ones it made for the values given (it is
 * not, and keeps planning for each value, where the value matters: a name search's LIKE prefix).
 *
 * Each connection prepares at most MAX_PREPARED statements (the IN lists of different lengths make
 * many texts); past that, statements run unnamed as before, so a backend's memory stays bounded.
 * A named statement's result columns are fixed when it is prepared: if a migration changes a table
 * while the server runs, PostgreSQL refuses the statement ("cached plan must not change result type").
 * That query fails, and the connection is closed rather than returned to the pool, so its replacement
 * prepares afresh; the same for a statement the server no longer has (a pooler's DISCARD ALL).
 * Behind PgBouncer in transaction mode (before 1.21), or any pooler that discards a session's state,
 * named statements do not work: DATABASE_PREPARED_STATEMENTS=false turns this off.
 */
import { createHash } from 'node:crypto'
import type pg from 'pg'
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely'

export const MAX_PREPARED = 500

/** cached plan must not change result type; prepared statement does not exist. */
const STALE_STATEMENT = new Set(['0A000', '26000'])

/** Which statements each connection has prepared: the names live as long as the connection does. */
const preparedBy = new WeakMap<pg.PoolClient, Set<string>>()

const nameOf = (sql: string): string => `onroll_${createHash('sha1').update(sql).digest('base64url').slice(0, 20)}`

function preparing(client: pg.PoolClient, max: number): PostgresPoolClient {
  let prepared = preparedBy.get(client)
  if (!prepared) preparedBy.set(client, (prepared = new Set()))
  const names = prepared
  let stale = false
  function query<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>>
  function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>
  function query<R>(
    sqlOrCursor: string | PostgresCursor<R>,
    parameters?: readonly unknown[],
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    // A cursor (streaming) goes through as it came.
    if (typeof sqlOrCursor !== 'string')
      return (client.query as unknown as (c: PostgresCursor<R>) => PostgresCursor<R>)(sqlOrCursor)
    const values = [...(parameters ?? [])]
    const name = nameOf(sqlOrCursor)
    if (names.has(name) || names.size < max) {
      names.add(name)
      const result = client.query({ name, text: sqlOrCursor, values }) as unknown as Promise<PostgresQueryResult<R>>
      return result.catch((error: unknown) => {
        if (error instanceof Error && 'code' in error && STALE_STATEMENT.has(String(error.code))) stale = true
        throw error
      })
    }
    return client.query(sqlOrCursor, values) as unknown as Promise<PostgresQueryResult<R>>
  }
  return {
    query,
    release: (destroy?: boolean) => {
      client.release(destroy === true || stale)
    },
  }
}

/** The pool as Kysely's PostgresDialect wants it, handing out connections that prepare their statements. */
export function preparingPool(pool: pg.Pool, max = MAX_PREPARED): PostgresPool {
  return {
    connect: async () => preparing(await pool.connect(), max),
    end: () => pool.end(),
  }
}
