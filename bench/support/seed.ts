/**
 * Bulk seeding for benchmarks: many schools, children and open cases, written with multi-row inserts
 * (one transaction on SQLite, which is what makes it fast there; batches of their own on PostgreSQL, so
 * no single transaction holds 200,000 rows). The shape is a busy LA's, not a uniform grid: most cases
 * open, a spread of stages, priorities, workers, schools, flags and due dates, and about 1,600 distinct
 * surnames so that a name search matches a few dozen children, as it would in a real borough.
 */
import { addDays, type IsoDate } from '../../src/domain/dates.js'
import { OPEN_STATUSES, type CaseStatus, type Priority } from '../../src/domain/caseStatus.js'
import { nameKey } from '../../src/domain/names.js'
import { upnCheckLetter } from '../../src/domain/upn.js'
import { engineOf, type Db } from '../../src/data/db.js'
import type { NewCase, NewChild, NewOrganisation } from '../../src/data/schema.js'
import { seededRandom } from '../../src/demo/random.js'

const FIRST = [
  'Ada', 'Ben', 'Cara', 'Dev', 'Ella', 'Finn', 'Gia', 'Hari', 'Iris', 'Jack', 'Kian', 'Lola', 'Max', 'Nora', 'Omar',
  'Pia', 'Quin', 'Rosa', 'Sami', 'Tia', 'Uri', 'Vera', 'Wes', 'Xena', 'Yara', 'Zak', 'Aled', 'Bree', 'Cody', 'Dina',
] // prettier-ignore
const SURNAME_START = [
  'Ash', 'Birch', 'Cole', 'Dun', 'Elm', 'Fair', 'Green', 'Hart', 'Ivy', 'Jun', 'Kest', 'Larch', 'Mead', 'Nettle',
  'Oak', 'Penn', 'Quill', 'Rook', 'Salt', 'Thistle', 'Under', 'Vale', 'Wren', 'Yarrow', 'Brook', 'Clay', 'Dale',
  'Fern', 'Gold', 'Holm', 'Lang', 'Moss', 'North', 'Pike', 'Reed', 'Stone', 'Thorn', 'West', 'Whit', 'Wood',
] // prettier-ignore
const SURNAME_END = [
  'by', 'croft', 'dale', 'den', 'field', 'ford', 'gate', 'ham', 'hill', 'holt', 'hurst', 'ley', 'low', 'man',
  'mere', 'more', 'ridge', 'shaw', 'side', 'stead', 'ton', 'wall', 'well', 'wick', 'win', 'worth', 'ward', 'wood',
  'bourne', 'brook', 'bury', 'cott', 'feld', 'grove', 'land', 'leigh', 'marsh', 'moor', 'port', 'ville',
] // prettier-ignore

const STATUS_SPREAD: CaseStatus[] = [
  ...OPEN_STATUSES,
  'triaged',
  'stage-one',
  'stage-one',
  'stage-one',
  'stage-two',
  'stage-two',
  'stage-two',
  'stage-three',
  'closed',
]
const PRIORITY_SPREAD: Priority[] = ['urgent', 'high', 'high', 'routine', 'routine', 'routine']
const NEXT_ACTIONS = ['Check the school census', 'Phone the family', 'Home visit', 'Contact health', 'Ask the police']

export interface SeedOptions {
  laCode: string
  cases: number
  today: IsoDate
  /** Users to assign cases to; the first is given a larger share, as a team lead would have. */
  workerIds: string[]
  schools?: number
  seed?: number
}

export interface SeedResult {
  cases: number
  schoolIds: string[]
  /** A child that exists, to search for: "first last", a case reference and a UPN. */
  sample: { name: string; reference: string; upn: string }
}

/** A valid, unique UPN: check letter, LA code, establishment number, year and serial (docs/rules/age-and-upn.md). */
function upnFor(laCode: string, n: number): string {
  const rest = `${laCode}${String(2000 + Math.floor(n / 1000))}25${String(n % 1000).padStart(3, '0')}`
  return `${upnCheckLetter(rest)}${rest}`
}

/** Ids derived from a counter: unique, UUID-shaped, and far cheaper than random ones for 200,000 rows. */
const seededId = (kind: number, n: number): string =>
  `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`

export async function seedCases(db: Db, options: SeedOptions): Promise<SeedResult> {
  const random = seededRandom(options.seed ?? 2026)
  const now = new Date().toISOString()
  const schoolCount = options.schools ?? 60
  const schools: NewOrganisation[] = Array.from({ length: schoolCount }, (_, i) => ({
    id: seededId(1, i + 1),
    la_code: options.laCode,
    kind: 'school',
    name: `Bench School ${String(i + 1).padStart(3, '0')}`,
    urn: String(800_000 + i),
    establishment_number: String(3000 + i),
    school_type: 'community',
    phase: i % 3 === 0 ? 'secondary' : 'primary',
    agency_type: null,
    email: null,
    phone: null,
    created_at: now,
    updated_at: now,
  }))
  const surnames = SURNAME_START.flatMap(a => SURNAME_END.map(b => `${a}${b}`))
  let sample: SeedResult['sample'] | undefined

  const children: NewChild[] = []
  const cases: NewCase[] = []
  for (let i = 1; i <= options.cases; i++) {
    const firstName = random.pick(FIRST)
    const lastName = random.pick(surnames)
    const status = random.pick(STATUS_SPREAD)
    const received = status === 'received' || status === 'returned'
    const referredOn = addDays(options.today, -(received ? random.int(0, 3) : random.int(3, 400)))
    const priority = received ? null : random.pick(PRIORITY_SPREAD)
    const cpPlan = random.chance(0.08)
    const lookedAfter = random.chance(0.05)
    const ehcp = random.chance(0.1)
    const upn = random.chance(0.6) ? upnFor(options.laCode, i) : null
    const childId = seededId(2, i)
    const reference = `CME-BENCH-${String(i).padStart(6, '0')}`
    if (!sample && upn && status !== 'closed') sample = { name: `${firstName} ${lastName}`, reference, upn }
    children.push({
      id: childId,
      la_code: options.laCode,
      first_name: firstName,
      last_name: lastName,
      other_names: null,
      date_of_birth: addDays(options.today, -random.int(5 * 365, 16 * 365)),
      gender: random.pick(['female', 'male']),
      ethnicity: null,
      upn,
      former_upn: null,
      ehcp: ehcp ? 1 : 0,
      cp_plan: cpPlan ? 1 : 0,
      looked_after: lookedAfter ? 1 : 0,
      social_worker: null,
      name_key: nameKey(firstName, lastName),
      family_id: null,
      created_at: now,
      updated_at: now,
    })
    const assigned = !received && random.chance(0.9)
    const worker = random.chance(0.3) ? options.workerIds[0] : random.pick(options.workerIds)
    cases.push({
      id: seededId(3, i),
      reference,
      la_code: options.laCode,
      child_id: childId,
      status,
      priority,
      priority_reason: priority ? 'Bench triage' : null,
      school_id: random.chance(0.85) ? random.pick(schools).id : null,
      referrer_org_id: null,
      referral_id: null,
      referred_on: referredOn,
      assigned_to: assigned ? (worker ?? null) : null,
      next_action: received ? 'Triage the referral' : status === 'closed' ? null : random.pick(NEXT_ACTIONS),
      next_action_due: received || status === 'closed' ? null : addDays(options.today, random.int(-20, 30)),
      triage_due: received ? addDays(referredOn, random.int(0, 1)) : null,
      flag_cp_plan: cpPlan ? 1 : 0,
      flag_looked_after: lookedAfter ? 1 : 0,
      flag_ehcp: ehcp ? 1 : 0,
      flag_believed_abroad: random.chance(0.1) ? 1 : 0,
      flag_lead_professional: cpPlan || lookedAfter ? 1 : 0,
      outcome: status === 'closed' ? 'located-on-roll-here' : null,
      closed_on: status === 'closed' ? options.today : null,
      possible_duplicate: random.chance(0.02) ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
  }
  if (!sample) throw new Error('no open case with a UPN was seeded: seed more cases')

  // Bound parameters per statement stay well under SQLite's 32,766 and PostgreSQL's 65,535.
  const batch = 500
  const write = async (trx: Db): Promise<void> => {
    await trx.insertInto('organisations').values(schools).execute()
    for (let i = 0; i < children.length; i += batch) {
      await trx
        .insertInto('children')
        .values(children.slice(i, i + batch))
        .execute()
      await trx
        .insertInto('cases')
        .values(cases.slice(i, i + batch))
        .execute()
    }
  }
  if (engineOf(db) === 'sqlite') await db.transaction().execute(write)
  else {
    await db.insertInto('organisations').values(schools).execute()
    const chunk = 10_000
    for (let i = 0; i < children.length; i += chunk)
      await db.transaction().execute(async trx => {
        for (let j = i; j < Math.min(i + chunk, children.length); j += batch) {
          await trx
            .insertInto('children')
            .values(children.slice(j, Math.min(j + batch, i + chunk)))
            .execute()
          await trx
            .insertInto('cases')
            .values(cases.slice(j, Math.min(j + batch, i + chunk)))
            .execute()
        }
      })
  }
  return { cases: options.cases, schoolIds: schools.map(s => s.id), sample }
}
