import type { Kysely } from 'kysely'
import type { Database, NewOrganisation, Organisation } from '../schema.js'

export async function listOrganisations(
  db: Kysely<Database>,
  filter: { laCode?: string; kind?: string } = {},
): Promise<Organisation[]> {
  let q = db.selectFrom('organisations').selectAll()
  if (filter.laCode) q = q.where('la_code', '=', filter.laCode)
  if (filter.kind) q = q.where('kind', '=', filter.kind)
  return q.orderBy('kind').orderBy('name').execute()
}

export async function findOrganisation(db: Kysely<Database>, id: string): Promise<Organisation | undefined> {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findOrganisationByUrn(db: Kysely<Database>, urn: string): Promise<Organisation | undefined> {
  return db.selectFrom('organisations').selectAll().where('urn', '=', urn).executeTakeFirst()
}

export async function insertOrganisation(db: Kysely<Database>, row: NewOrganisation): Promise<void> {
  await db.insertInto('organisations').values(row).execute()
}
