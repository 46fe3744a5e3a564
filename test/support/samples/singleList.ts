/**
 * The Single List's routes for the access matrix (none has a path parameter: the search and the
 * export of a search are POSTs), and a small LA with cases chosen to exercise every filter, sort and
 * search, for the Single List's own tests.
 */
import { DEMO_CALENDARS } from '../../../src/demo/demoCalendars.js'
import { nameKey } from '../../../src/domain/names.js'
import { upnCheckLetter } from '../../../src/domain/upn.js'
import type { Role } from '../../../src/domain/roles.js'
import type { Caller } from '../../../src/services/deps.js'
import type { TestRuntime } from '../db.js'
import type { SampleFactory } from './index.js'

export const singleListSamples: SampleFactory = async () => ({ params: {}, recordRules: {} })

/** The LA of the fixture; another LA holds a child with the same name, who must never show. */
export const LIST_LA = '901'
export const OTHER_LIST_LA = '902'

const id = (kind: number, n: number): string =>
  `${kind.toString(16).padStart(8, '0')}-0000-4000-9000-${n.toString(16).padStart(12, '0')}`

export const LIST_IDS = {
  la: id(0x901, 1),
  otherLa: id(0x902, 1),
  officer: id(0x901, 2),
  vco: id(0x901, 3),
  manager: id(0x901, 4),
  otherOfficer: id(0x902, 2),
  /** Follows the LA's calendar. */
  schoolLa: id(0x901, 5),
  /** Keeps its own calendar (one day longer in September 2026). */
  schoolOwn: id(0x901, 6),
}

/** 13 characters, valid check letter: the UPN of case C. */
const rest = '901200126003'
export const UPN_C = `${upnCheckLetter(rest)}${rest}`

export interface FixtureCase {
  key: string
  first: string
  last: string
  dob: string
  status: string
  priority: string | null
  referredOn: string
  triageDue?: string
  nextAction?: string
  nextActionDue?: string
  assignedTo?: string
  school?: string
  upn?: string
  flags?: ('cp' | 'la' | 'ehcp' | 'abroad' | 'lead' | 'dup')[]
  la?: string
}

/**
 * Cases A to E and G are open; F is closed and H transferred; X is another LA's. Today is 2026-11-25
 * (TEST_NOW). In the default order: A, B (awaiting triage, oldest first), C (urgent), D (high),
 * G, E (routine, oldest first).
 */
export const FIXTURE_CASES: FixtureCase[] = [
  {
    key: 'A',
    first: 'Amelia',
    last: 'Stone',
    dob: '2015-03-10',
    status: 'received',
    priority: null,
    referredOn: '2026-11-24',
    triageDue: '2026-11-24',
    school: LIST_IDS.schoolLa,
    flags: ['cp'],
  },
  { key: 'B', first: 'Ben', last: 'Stone', dob: '2016-09-01', status: 'received', priority: null, referredOn: '2026-11-25', triageDue: '2026-11-25' },
  {
    key: 'C',
    first: 'Cara',
    last: 'Stonehill',
    dob: '2012-08-31',
    status: 'triaged',
    priority: 'urgent',
    referredOn: '2026-09-01',
    nextAction: 'Home visit',
    nextActionDue: '2026-11-20',
    assignedTo: LIST_IDS.officer,
    school: LIST_IDS.schoolOwn,
    upn: UPN_C,
    flags: ['la'],
  },
  {
    key: 'D',
    first: 'Dev',
    last: 'Marsh',
    dob: '2013-01-15',
    status: 'stage-one',
    priority: 'high',
    referredOn: '2026-10-01',
    nextAction: 'Phone "Mum", then visit',
    nextActionDue: '2026-12-01',
    assignedTo: LIST_IDS.vco,
    school: LIST_IDS.schoolLa,
    flags: ['ehcp', 'abroad'],
  },
  {
    key: 'E',
    first: 'Ella',
    last: 'Van Der Berg',
    dob: '2011-11-30',
    status: 'stage-two',
    priority: 'routine',
    referredOn: '2026-09-10',
    nextAction: '=HYPERLINK("http://example.test")',
    nextActionDue: '2026-11-25',
    assignedTo: LIST_IDS.officer,
    flags: ['lead', 'dup'],
  },
  { key: 'F', first: 'Finn', last: 'Marsh', dob: '2014-02-02', status: 'closed', priority: 'routine', referredOn: '2026-06-01', assignedTo: LIST_IDS.officer },
  { key: 'G', first: 'José', last: 'Álvarez', dob: '2010-05-05', status: 'stage-three', priority: 'routine', referredOn: '2025-06-01' },
  { key: 'H', first: 'Hal', last: 'Stone', dob: '2014-02-02', status: 'transferred', priority: 'high', referredOn: '2026-07-01' },
  { key: 'X', first: 'Amelia', last: 'Stone', dob: '2015-03-10', status: 'stage-one', priority: 'urgent', referredOn: '2026-11-01', la: OTHER_LIST_LA },
] // prettier-ignore

export const caseId = (key: string): string => id(0xca5e, key.charCodeAt(0))
export const childId = (key: string): string => id(0xc41d, key.charCodeAt(0))
export const reference = (key: string): string => `CME-T-00000${key}`

async function organisation(rt: TestRuntime, orgId: string, la: string, kind: string, name: string, now: string) {
  await rt.db
    .insertInto('organisations')
    .values({
      id: orgId,
      la_code: la,
      kind,
      name,
      urn: kind === 'school' ? orgId.slice(-6) : null,
      establishment_number: null,
      school_type: null,
      phase: null,
      agency_type: null,
      email: null,
      phone: null,
      created_at: now,
      updated_at: now,
    })
    .execute()
}

async function user(rt: TestRuntime, userId: string, orgId: string, name: string, roles: Role[], now: string) {
  await rt.db
    .insertInto('users')
    .values({
      id: userId,
      organisation_id: orgId,
      email: `${userId}@list.test`,
      name,
      phone: null,
      created_at: now,
      updated_at: now,
      last_sign_in_at: null,
    })
    .execute()
  await rt.db
    .insertInto('user_roles')
    .values(roles.map(role => ({ user_id: userId, role })))
    .execute()
}

/** Term dates for the LA and the school with its own: the demo's (2025/26 and 2026/27). */
async function calendars(rt: TestRuntime, now: string) {
  for (const [n, c] of DEMO_CALENDARS.entries()) {
    const calendarId = id(0xca1, n + 1)
    await rt.db
      .insertInto('calendars')
      .values({
        id: calendarId,
        la_code: LIST_LA,
        name: c.name,
        school_id: c.school ? LIST_IDS.schoolOwn : null,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute()
    await rt.db
      .insertInto('calendar_periods')
      .values(
        c.periods.map(([kind, name, startsOn, endsOn], i) => ({
          id: id(0xca1 + n + 1, i + 1),
          calendar_id: calendarId,
          kind,
          name,
          starts_on: startsOn,
          ends_on: endsOn,
        })),
      )
      .execute()
  }
}

export async function insertCase(
  rt: TestRuntime,
  c: FixtureCase,
  ids = { caseId: caseId(c.key), childId: childId(c.key), reference: reference(c.key) },
) {
  const now = rt.clock.now().toISOString()
  const flags = new Set(c.flags ?? [])
  await rt.db
    .insertInto('children')
    .values({
      id: ids.childId,
      la_code: c.la ?? LIST_LA,
      first_name: c.first,
      last_name: c.last,
      other_names: null,
      date_of_birth: c.dob,
      gender: null,
      ethnicity: null,
      upn: c.upn ?? null,
      former_upn: null,
      social_worker: null,
      name_key: nameKey(c.first, c.last),
      family_id: null,
      created_at: now,
      updated_at: now,
    })
    .execute()
  await rt.db
    .insertInto('cases')
    .values({
      id: ids.caseId,
      reference: ids.reference,
      la_code: c.la ?? LIST_LA,
      child_id: ids.childId,
      status: c.status,
      priority: c.priority,
      priority_reason: null,
      school_id: c.school ?? null,
      referrer_org_id: null,
      referral_id: null,
      referred_on: c.referredOn,
      assigned_to: c.assignedTo ?? null,
      next_action: c.nextAction ?? null,
      next_action_due: c.nextActionDue ?? null,
      triage_due: c.triageDue ?? null,
      flag_cp_plan: flags.has('cp') ? 1 : 0,
      flag_looked_after: flags.has('la') ? 1 : 0,
      flag_ehcp: flags.has('ehcp') ? 1 : 0,
      flag_believed_abroad: flags.has('abroad') ? 1 : 0,
      flag_lead_professional: flags.has('lead') ? 1 : 0,
      possible_duplicate: flags.has('dup') ? 1 : 0,
      outcome: null,
      closed_on: c.status === 'closed' ? '2026-07-01' : null,
      created_at: now,
      updated_at: now,
    })
    .execute()
}

/** The fixture LA: its team, two schools, its calendars and the cases above. */
export async function loadListFixture(rt: TestRuntime): Promise<void> {
  const now = rt.clock.now().toISOString()
  await organisation(rt, LIST_IDS.la, LIST_LA, 'la', 'Fixture CME team', now)
  await organisation(rt, LIST_IDS.otherLa, OTHER_LIST_LA, 'la', 'Other CME team', now)
  await organisation(rt, LIST_IDS.schoolLa, LIST_LA, 'school', 'Alder Primary', now)
  await organisation(rt, LIST_IDS.schoolOwn, LIST_LA, 'school', 'Birch Academy', now)
  await user(rt, LIST_IDS.officer, LIST_IDS.la, 'Olive Officer', ['cme-information-officer'], now)
  await user(rt, LIST_IDS.vco, LIST_IDS.la, 'Vic Vulnerable', ['vulnerable-childrens-officer'], now)
  await user(rt, LIST_IDS.manager, LIST_IDS.la, 'Mo Manager', ['operational-director'], now)
  await user(rt, LIST_IDS.otherOfficer, LIST_IDS.otherLa, 'Other Officer', ['cme-information-officer'], now)
  await calendars(rt, now)
  for (const c of FIXTURE_CASES) await insertCase(rt, c)
}

let requests = 0

export async function listCaller(rt: TestRuntime, userId: string): Promise<Caller> {
  const actor = await rt.services.users.actorFor(userId)
  if (!actor) throw new Error(`no fixture user ${userId}`)
  requests += 1
  return { actor, request: { requestId: `list-${String(requests)}`, clientIp: '127.0.0.1' } }
}
