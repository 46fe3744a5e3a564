/**
 * Demo school rolls (issue 8): Larkspur Primary (on the LA's calendar) and Kingfisher Academy
 * (on its own calendar) each have a roll of fictional pupils with valid UPNs, so the school's
 * side of the protocol — pupils of concern, deletion, the returns and the CTF — has pupils to
 * start from. Ids are stable, so loading twice changes nothing.
 */
import type { Kysely } from 'kysely'
import type { Clock } from '../domain/clock.js'
import { addDays, dateOf, parts, type IsoDate } from '../domain/dates.js'
import { nameKey } from '../domain/names.js'
import { upnCheckLetter } from '../domain/upn.js'
import type { Database } from '../data/schema.js'
import { DEMO_ORGANISATIONS, demoId } from './demoData.js'
import { seededRandom, type Random } from './random.js'

export interface DemoRoll {
  school: 'larkspur' | 'kingfisher'
  /** National curriculum years on roll: 0 is Reception. */
  years: readonly number[]
  perYear: number
}

export const DEMO_ROLLS: readonly DemoRoll[] = [
  { school: 'larkspur', years: [0, 1, 2, 3, 4, 5, 6], perYear: 8 },
  { school: 'kingfisher', years: [7, 8, 9, 10, 11], perYear: 10 },
]

const FIRST = [
  'Ada', 'Bilal', 'Cora', 'Dmitri', 'Esme', 'Femi', 'Gus', 'Hana', 'Ivo', 'Jade', 'Kofi', 'Lila', 'Mateo', 'Noor',
  'Orla', 'Pia', 'Reuben', 'Sofia', 'Tariq', 'Una', 'Vera', 'Wes', 'Ximena', 'Yara', 'Zain',
] // prettier-ignore
const LAST = [
  'Alderbrook', 'Birchfield', 'Coldstream', 'Dovecote', 'Eastleigh', 'Foxglove', 'Gorsemoor', 'Hazelden', 'Ingleby',
  'Jessamine', 'Kilnworth', 'Lindenhurst', 'Mistletoe', 'Northcote', 'Orchardly', 'Primrose', 'Rushmere', 'Sorrelby',
  'Tansyfield', 'Umberleigh', 'Vetchworth', 'Willowmere',
] // prettier-ignore
const STREETS = ['Heron Way', 'Mill Lane', 'Orchard Road', 'Station Street', 'Chapel Close', 'Rowan Avenue']

/** The academic year (starting year) that contains a date: 1 September to 31 August. */
function academicYearOf(date: IsoDate): number {
  const { year, month } = parts(date)
  return month >= 9 ? year : year - 1
}

/** A date of birth in the cohort of national curriculum year `ncYear` in the academic year starting `startYear`. */
function dateOfBirthFor(random: Random, ncYear: number, startYear: number): IsoDate {
  // Reception children turn 5 during the academic year: born 1 Sep (startYear-5) to 31 Aug (startYear-4).
  const cohortStart = dateOf(startYear - 5 - ncYear, 9, 1)
  return addDays(cohortStart, random.int(0, 364))
}

export function demoUpn(laNumber: string, establishment: string, serial: number, allocated: number): string {
  const body = `${laNumber}${establishment}${String(allocated % 100).padStart(2, '0')}${String(serial).padStart(3, '0')}`
  return `${upnCheckLetter(body)}${body}`
}

export async function loadDemoRolls(db: Kysely<Database>, clock: Clock, laCode: string): Promise<number> {
  const now = clock.now().toISOString()
  const today = clock.today()
  const startYear = academicYearOf(today)
  const random = seededRandom(9001)
  let inserted = 0
  await db.transaction().execute(async trx => {
    for (const roll of DEMO_ROLLS) {
      const org = DEMO_ORGANISATIONS.find(o => o.key === roll.school)
      const establishment = org?.establishmentNumber ?? '0000'
      let serial = 0
      for (const ncYear of roll.years) {
        for (let i = 0; i < roll.perYear; i++) {
          serial += 1
          const firstName = random.pick(FIRST)
          const lastName = random.pick(LAST)
          const ehcp = random.chance(0.05)
          const admittedYear = startYear - (ncYear - (roll.years[0] ?? ncYear))
          const r = await trx
            .insertInto('pupils')
            .values({
              id: demoId(`pupil:${roll.school}:${String(serial)}`),
              la_code: laCode,
              school_id: demoId(`org:${roll.school}`),
              upn: demoUpn(laCode, establishment, serial, admittedYear),
              former_upn: null,
              first_name: firstName,
              last_name: lastName,
              other_names: null,
              date_of_birth: dateOfBirthFor(random, ncYear, startYear),
              gender: random.pick(['F', 'M']),
              ethnicity: random.pick(['WBRI', 'WIRI', 'AIND', 'BAFR', 'MWBC', 'CHNE', 'WROM', 'APKN']),
              nc_year: ncYear === 0 ? 'R' : String(ncYear),
              admission_date: dateOf(admittedYear, 9, random.int(2, 6)),
              address_lines: JSON.stringify([`${String(random.int(1, 120))} ${random.pick(STREETS)}`, 'Demotown']),
              postcode: `IG9 ${String(random.int(1, 9))}${random.pick(['AA', 'BD', 'EF', 'GH'])}`,
              contacts: JSON.stringify([
                {
                  name: `${random.pick(FIRST)} ${lastName}`,
                  relationship: random.pick(['Mother', 'Father', 'Carer', 'Grandparent']),
                  phone: `07700 900${String(random.int(100, 999))}`,
                  email: null,
                },
              ]),
              ehcp: ehcp ? 1 : 0,
              sen_provision: ehcp ? 'E' : random.chance(0.12) ? 'K' : 'N',
              free_school_meals: random.chance(0.2) ? 1 : 0,
              looked_after: random.chance(0.03) ? 1 : 0,
              cp_plan: random.chance(0.03) ? 1 : 0,
              child_in_need: random.chance(0.05) ? 1 : 0,
              social_worker: null,
              la_placed_special: 0,
              name_key: nameKey(firstName, lastName),
              created_at: now,
              updated_at: now,
            })
            .onConflict(oc => oc.column('id').doNothing())
            .executeTakeFirst()
          inserted += Number(r.numInsertedOrUpdatedRows ?? 0)
        }
      }
    }
  })
  return inserted
}
