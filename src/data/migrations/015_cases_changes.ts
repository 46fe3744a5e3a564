import { sql, type Kysely } from 'kysely'
import { engineOf } from '../db.js'

/**
 * A counter of changes to `cases`, moved on by the database itself whenever a case is inserted,
 * updated or deleted (by this server, another web process, the CLI or an administrator's SQL). The
 * Single List keeps the counts it has taken and reuses one only while this counter has not moved, so
 * a count is never stale and no code path has to remember to say that cases changed.
 *
 * SQLite: a trigger per row, in the writing transaction. PostgreSQL: a deferred constraint trigger, so
 * the counter's row is locked only while the writing transaction commits (not from its first write to
 * cases), and moved once per transaction however many rows it wrote; TRUNCATE moves it too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cases_changes')
    .addColumn('id', 'integer', c => c.primaryKey())
    .addColumn('n', 'bigint', c => c.notNull())
    .execute()
  await sql`INSERT INTO cases_changes (id, n) VALUES (1, 0)`.execute(db)
  if (engineOf(db) === 'sqlite') {
    for (const op of ['INSERT', 'UPDATE', 'DELETE'])
      await sql
        .raw(
          `CREATE TRIGGER cases_changed_${op.toLowerCase()} AFTER ${op} ON cases ` +
            `BEGIN UPDATE cases_changes SET n = n + 1 WHERE id = 1; END`,
        )
        .execute(db)
    return
  }
  await sql
    .raw(
      `CREATE FUNCTION cases_changed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF current_setting('onroll.cases_changed', true) IS DISTINCT FROM 'yes' THEN
           PERFORM set_config('onroll.cases_changed', 'yes', true);
           UPDATE cases_changes SET n = n + 1 WHERE id = 1;
         END IF;
         RETURN NULL;
       END $$`,
    )
    .execute(db)
  await sql
    .raw(
      `CREATE CONSTRAINT TRIGGER cases_changed AFTER INSERT OR UPDATE OR DELETE ON cases
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cases_changed()`,
    )
    .execute(db)
  await sql
    .raw(`CREATE TRIGGER cases_truncated AFTER TRUNCATE ON cases FOR EACH STATEMENT EXECUTE FUNCTION cases_changed()`)
    .execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (engineOf(db) === 'sqlite') {
    for (const op of ['insert', 'update', 'delete']) await sql.raw(`DROP TRIGGER cases_changed_${op}`).execute(db)
  } else {
    await sql.raw('DROP TRIGGER cases_truncated ON cases').execute(db)
    await sql.raw('DROP TRIGGER cases_changed ON cases').execute(db)
    await sql.raw('DROP FUNCTION cases_changed()').execute(db)
  }
  await db.schema.dropTable('cases_changes').execute()
}
