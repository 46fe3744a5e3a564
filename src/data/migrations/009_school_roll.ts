import type { Kysely } from 'kysely'

/**
 * The school roll (issue 8): the pupils a school has on its admission register, imported from
 * the school's MIS as CSV or entered by hand. The school's side of the protocol (pupils of
 * concern, enquiries, deletion, the deletion and new-pupil returns, the lost-pupil CTF) all
 * start from a row here. A pupil who leaves stays in the table with `on_roll = 0` and the date
 * and ground of deletion, because the returns and the CTF are about pupils who have left.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pupils')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('la_code', 'text', c => c.notNull())
    .addColumn('school_id', 'text', c => c.notNull().references('organisations.id'))
    .addColumn('upn', 'text')
    .addColumn('former_upn', 'text')
    .addColumn('first_name', 'text', c => c.notNull())
    .addColumn('last_name', 'text', c => c.notNull())
    .addColumn('other_names', 'text')
    .addColumn('date_of_birth', 'text', c => c.notNull())
    .addColumn('gender', 'text')
    .addColumn('ethnicity', 'text')
    /** National curriculum year as the census codes it: 'R', '1'…'14', 'N1', 'N2', 'X'. */
    .addColumn('nc_year', 'text')
    .addColumn('admission_date', 'text', c => c.notNull())
    .addColumn('address_lines', 'text')
    .addColumn('postcode', 'text')
    /** JSON array of { name, relationship, phone, email } from the MIS contacts. */
    .addColumn('contacts', 'text')
    .addColumn('ehcp', 'integer', c => c.notNull().defaultTo(0))
    /** Census SEN provision: 'N' none, 'K' SEN support, 'E' EHC plan. */
    .addColumn('sen_provision', 'text')
    .addColumn('free_school_meals', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('looked_after', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('cp_plan', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('child_in_need', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('social_worker', 'text')
    /** Placed at a special school by the LA: Ground F needs the LA's consent first. */
    .addColumn('la_placed_special', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('name_key', 'text', c => c.notNull())
    .addColumn('on_roll', 'integer', c => c.notNull().defaultTo(1))
    .addColumn('left_on', 'text')
    .addColumn('deletion_ground', 'text')
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('updated_at', 'text', c => c.notNull())
    .addColumn('version', 'integer', c => c.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('pupils_school').on('pupils').columns(['school_id', 'on_roll', 'name_key']).execute()
  await db.schema.createIndex('pupils_upn').on('pupils').columns(['la_code', 'upn']).execute()
  await db.schema.createIndex('pupils_dob').on('pupils').columns(['la_code', 'date_of_birth']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pupils').execute()
}
