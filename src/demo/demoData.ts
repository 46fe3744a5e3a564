/**
 * The demo data set: clearly fictional schools, agencies, people, children and cases, so that
 * anyone can sign in and see the system working. Loading it twice changes nothing: every row
 * has a fixed id and is inserted only when missing.
 */
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Clock } from '../domain/clock.js'
import { OPEN_STATUSES, type CaseStatus, type Priority } from '../domain/caseStatus.js'
import { addDays, minDate, type IsoDate } from '../domain/dates.js'
import { nameKey } from '../domain/names.js'
import type { Role } from '../domain/roles.js'
import type { Database } from '../data/schema.js'
import { loadDemoCalendars } from './demoCalendars.js'
import { seededRandom } from './random.js'

/** Stable UUID-shaped ids from a name, so re-running the loader finds the same rows. */
export function demoId(name: string): string {
  const h = createHash('sha1').update(`onroll-demo:${name}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

interface DemoOrganisation {
  key: string
  kind: 'la' | 'school' | 'partner'
  name: string
  urn?: string
  establishmentNumber?: string
  schoolType?: string
  phase?: string
  agencyType?: string
}

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  { key: 'la', kind: 'la', name: 'Children missing education team (demo)' },
  {
    key: 'larkspur',
    kind: 'school',
    name: 'Larkspur Primary School (demo)',
    urn: '990001',
    establishmentNumber: '2001',
    schoolType: 'community',
    phase: 'primary',
  },
  {
    key: 'kingfisher',
    kind: 'school',
    name: 'Kingfisher Academy (demo)',
    urn: '990002',
    establishmentNumber: '4001',
    schoolType: 'academy',
    phase: 'secondary',
  },
  {
    key: 'beechwood',
    kind: 'school',
    name: 'Beechwood High School (demo)',
    urn: '990003',
    establishmentNumber: '4002',
    schoolType: 'foundation',
    phase: 'secondary',
  },
  {
    key: 'willow',
    kind: 'school',
    name: 'Willow Bank Special School (demo)',
    urn: '990004',
    establishmentNumber: '7001',
    schoolType: 'special',
    phase: 'all-through',
  },
  { key: 'police', kind: 'partner', name: 'Police safeguarding hub (demo)', agencyType: 'police' },
  { key: 'social-care', kind: 'partner', name: "Children's social care front door (demo)", agencyType: 'social-care' },
  { key: 'health', kind: 'partner', name: 'School nursing service (demo)', agencyType: 'health' },
]

interface DemoUser {
  org: string
  name: string
  email: string
  roles: Role[]
}

export const DEMO_USERS: DemoUser[] = [
  { org: 'la', name: 'Alex Morgan', email: 'cme.officer@demo.onroll.invalid', roles: ['cme-information-officer'] },
  { org: 'la', name: 'Priya Shah', email: 'vco@demo.onroll.invalid', roles: ['vulnerable-childrens-officer'] },
  { org: 'la', name: 'Sam Taylor', email: 'ews.manager@demo.onroll.invalid', roles: ['ews-operational-manager'] },
  { org: 'la', name: 'Jordan Lee', email: 'op.director@demo.onroll.invalid', roles: ['operational-director'] },
  { org: 'la', name: 'Robin Clarke', email: 'corp.director@demo.onroll.invalid', roles: ['corporate-director'] },
  { org: 'la', name: 'Morgan Reid', email: 'ehe.officer@demo.onroll.invalid', roles: ['ehe-officer'] },
  { org: 'la', name: 'Casey Brooks', email: 'ewo@demo.onroll.invalid', roles: ['ewo'] },
  { org: 'la', name: 'Jamie Fox', email: 'admin@demo.onroll.invalid', roles: ['system-admin'] },
  { org: 'larkspur', name: 'Dana Hughes', email: 'attendance@larkspur.demo.onroll.invalid', roles: ['school-staff'] },
  { org: 'larkspur', name: 'Lee Carter', email: 'dsl@larkspur.demo.onroll.invalid', roles: ['school-dsl'] },
  { org: 'kingfisher', name: 'Kim Walsh', email: 'attendance@kingfisher.demo.onroll.invalid', roles: ['school-staff'] },
  { org: 'beechwood', name: 'Pat Owen', email: 'dsl@beechwood.demo.onroll.invalid', roles: ['school-dsl'] },
  { org: 'police', name: 'PC Charlie Ward', email: 'police.referrer@demo.onroll.invalid', roles: ['partner-referrer'] },
  { org: 'social-care', name: 'Ellis Grant', email: 'social.worker@demo.onroll.invalid', roles: ['partner-referrer'] },
]

const FIRST_NAMES = [
  'Amara', 'Ben', 'Chloe', 'Dev', 'Ela', 'Finn', 'Grace', 'Hassan', 'Isla', 'Jonah', 'Kai', 'Lena', 'Milo', 'Nia',
  'Oskar', 'Poppy', 'Rafi', 'Sana', 'Theo', 'Uma', 'Vik', 'Willa', 'Yusuf', 'Zara', 'Aleksy', 'Bea', 'Cyrus', 'Daria',
] // prettier-ignore
const LAST_NAMES = [
  'Ashdown', 'Brightwater', 'Cloudberry', 'Dunmore', 'Elmsworth', 'Fairbairn', 'Greenhollow', 'Hartwell', 'Ivorystone',
  'Juniper', 'Kestrelton', 'Larchmont', 'Meadowcroft', 'Nettlefield', 'Oakhurst', 'Pennywhistle', 'Quillby', 'Rookwood',
  'Saltmarsh', 'Thistlewood', 'Underhill', 'Valewood', 'Wrenfield', 'Yarrowby',
] // prettier-ignore

const STATUS_SPREAD: CaseStatus[] = [
  ...OPEN_STATUSES,
  'stage-one',
  'stage-one',
  'stage-two',
  'stage-two',
  'closed',
  'closed',
  'closed',
]
const PRIORITY_SPREAD: Priority[] = ['urgent', 'high', 'high', 'routine', 'routine', 'routine']

export const DEMO_CASE_COUNT = 200

const DEMO_OUTCOMES = [
  'located-on-roll-here',
  'located-on-roll-here',
  'located-on-roll-elsewhere-england',
  'education-abroad',
  'ehe-registered',
  'referred-other-la',
  'not-found',
] as const

const NEXT_ACTIONS: Partial<Record<CaseStatus, string>> = {
  received: 'Triage the referral',
  triaged: 'Start stage one checks',
  'stage-one': 'Work through the referral’s intelligence',
  'stage-two': 'Check the data sources',
  'stage-three': 'Decide the final home visit',
  outcome: 'Monitor until the place is taken up',
  'closure-requested': 'Waiting for the EWS Operational Manager to authorise closure',
}

export async function loadDemoData(db: Kysely<Database>, clock: Clock, laCode: string): Promise<{ inserted: number }> {
  const now = clock.now().toISOString()
  const today = clock.today()
  let inserted = 0
  await db.transaction().execute(async trx => {
    for (const o of DEMO_ORGANISATIONS) {
      const r = await trx
        .insertInto('organisations')
        .values({
          id: demoId(`org:${o.key}`),
          la_code: laCode,
          kind: o.kind,
          name: o.name,
          urn: o.urn ?? null,
          establishment_number: o.establishmentNumber ?? null,
          school_type: o.schoolType ?? null,
          phase: o.phase ?? null,
          agency_type: o.agencyType ?? null,
          email: null,
          phone: null,
          created_at: now,
          updated_at: now,
        })
        .onConflict(oc => oc.column('id').doNothing())
        .executeTakeFirst()
      inserted += Number(r.numInsertedOrUpdatedRows ?? 0)
    }
    for (const u of DEMO_USERS) {
      const id = demoId(`user:${u.email}`)
      const r = await trx
        .insertInto('users')
        .values({
          id,
          organisation_id: demoId(`org:${u.org}`),
          email: u.email,
          name: u.name,
          phone: '020 7946 0000',
          created_at: now,
          updated_at: now,
          last_sign_in_at: null,
        })
        .onConflict(oc => oc.column('id').doNothing())
        .executeTakeFirst()
      if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) {
        inserted += 1
        await trx
          .insertInto('user_roles')
          .values(u.roles.map(role => ({ user_id: id, role })))
          .execute()
      }
    }

    const random = seededRandom(317)
    const schools = DEMO_ORGANISATIONS.filter(o => o.kind === 'school')
    const referrers = DEMO_ORGANISATIONS.filter(o => o.kind !== 'la')
    const caseworkers = DEMO_USERS.filter(
      u => u.roles.includes('cme-information-officer') || u.roles.includes('vulnerable-childrens-officer'),
    )
    for (let i = 1; i <= DEMO_CASE_COUNT; i++) {
      const firstName = random.pick(FIRST_NAMES)
      const lastName = random.pick(LAST_NAMES)
      const age = random.int(5, 15)
      const dateOfBirth: IsoDate = addDays(today, -(age * 365 + random.int(30, 330)))
      const status = random.pick(STATUS_SPREAD)
      // Referrals waiting for triage are days old, not months: triage happens on receipt.
      const referredOn = addDays(today, -(status === 'received' ? random.int(0, 2) : random.int(3, 240)))
      const priority = status === 'received' ? null : random.pick(PRIORITY_SPREAD)
      const school = random.chance(0.85) ? random.pick(schools) : undefined
      const referrer = school && random.chance(0.6) ? school : random.pick(referrers)
      const childId = demoId(`child:${String(i)}`)
      const cpPlan = random.chance(0.08)
      const lookedAfter = random.chance(0.05)
      const ehcp = random.chance(0.1)
      const r = await trx
        .insertInto('children')
        .values({
          id: childId,
          la_code: laCode,
          first_name: firstName,
          last_name: lastName,
          other_names: null,
          date_of_birth: dateOfBirth,
          gender: random.pick(['female', 'male']),
          ethnicity: null,
          upn: null,
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
        .onConflict(oc => oc.column('id').doNothing())
        .executeTakeFirst()
      if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) continue
      inserted += 1
      await trx
        .insertInto('cases')
        .values({
          id: demoId(`case:${String(i)}`),
          reference: `CME-DEMO-${String(i).padStart(6, '0')}`,
          la_code: laCode,
          child_id: childId,
          status,
          priority,
          priority_reason: priority ? 'Demo triage' : null,
          school_id: school ? demoId(`org:${school.key}`) : null,
          referrer_org_id: demoId(`org:${referrer.key}`),
          referral_id: null,
          referred_on: referredOn,
          assigned_to: status === 'received' ? null : demoId(`user:${random.pick(caseworkers).email}`),
          next_action: NEXT_ACTIONS[status] ?? null,
          next_action_due: NEXT_ACTIONS[status] ? addDays(today, random.int(-4, 12)) : null,
          triage_due: status === 'received' ? addDays(referredOn, random.int(0, 1)) : null,
          flag_cp_plan: cpPlan ? 1 : 0,
          flag_looked_after: lookedAfter ? 1 : 0,
          flag_ehcp: ehcp ? 1 : 0,
          flag_believed_abroad: random.chance(0.15) ? 1 : 0,
          flag_lead_professional: cpPlan || lookedAfter ? 1 : 0,
          outcome:
            status === 'closed'
              ? random.pick(DEMO_OUTCOMES)
              : status === 'outcome'
                ? 'monitoring-parent-engaged'
                : null,
          closed_on: status === 'closed' ? minDate(today, addDays(referredOn, random.int(5, 60))) : null,
          created_at: now,
          updated_at: now,
        })
        .execute()
      // Open cases being worked have tasks, some overdue, so the Single List and reminders have something to show.
      if (['stage-one', 'stage-two', 'stage-three'].includes(status) && random.chance(0.6)) {
        const worker = demoId(`user:${random.pick(caseworkers).email}`)
        await trx
          .insertInto('tasks')
          .values({
            id: demoId(`task:${String(i)}`),
            case_id: demoId(`case:${String(i)}`),
            la_code: laCode,
            kind: random.pick(['call', 'visit', 'letter', 'chase'] as const),
            description: null,
            due_on: addDays(today, random.int(-6, 10)),
            assigned_to: worker,
            done_on: null,
            done_by: null,
            created_by: worker,
            created_at: now,
          })
          .execute()
      }
    }
  })
  inserted += await loadDemoCalendars(db, clock, laCode)
  return { inserted }
}

export async function isEmpty(db: Kysely<Database>): Promise<boolean> {
  const row = await db
    .selectFrom('organisations')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return row.n === 0
}
