import { demoId } from '../../src/demo/demoData.js'
import { newId } from '../../src/data/ids.js'
import type { NewPupil } from '../../src/data/schema.js'
import type { SchoolGivenFacts } from '../../src/services/leavingService.js'
import { nameKey } from '../../src/domain/names.js'
import type { TestRuntime } from './db.js'

/** A pupil on a demo school's roll, with the details a deletion return and a CTF need. */
export async function addPupil(
  rt: TestRuntime,
  school: 'larkspur' | 'kingfisher',
  over: Partial<NewPupil> = {},
): Promise<string> {
  const id = newId()
  const now = rt.clock.now().toISOString()
  const first = over.first_name ?? 'Ada'
  const last = over.last_name ?? 'Alderbrook'
  await rt.db
    .insertInto('pupils')
    .values({
      id,
      la_code: '317',
      school_id: demoId(`org:${school}`),
      upn: 'B801200005001',
      former_upn: null,
      first_name: first,
      last_name: last,
      other_names: null,
      date_of_birth: '2016-04-02',
      gender: 'F',
      ethnicity: 'WBRI',
      nc_year: '5',
      admission_date: '2021-09-03',
      address_lines: JSON.stringify(['1 Heron Way', 'Demotown']),
      postcode: 'IG9 1AA',
      contacts: JSON.stringify([
        { name: 'Sam Alderbrook', relationship: 'Mother', phone: '07700 900123', email: null },
      ]),
      name_key: nameKey(first, last),
      created_at: now,
      updated_at: now,
      ...over,
    })
    .execute()
  return id
}

/** An open CME case for a child with these details, as the Single List would hold it. */
export async function addOpenCase(
  rt: TestRuntime,
  child: { firstName: string; lastName: string; dateOfBirth: string; upn: string | null },
): Promise<string> {
  const now = rt.clock.now().toISOString()
  const childId = newId()
  const caseId = newId()
  await rt.db
    .insertInto('children')
    .values({
      id: childId,
      la_code: '317',
      first_name: child.firstName,
      last_name: child.lastName,
      other_names: null,
      date_of_birth: child.dateOfBirth,
      gender: null,
      ethnicity: null,
      upn: child.upn,
      former_upn: null,
      name_key: nameKey(child.firstName, child.lastName),
      family_id: null,
      postcode: null,
      phonetic_key: null,
      created_at: now,
      updated_at: now,
    })
    .execute()
  await rt.db
    .insertInto('cases')
    .values({
      id: caseId,
      reference: `CME-TEST-${caseId.slice(0, 6)}`,
      la_code: '317',
      child_id: childId,
      status: 'stage-one',
      priority: 'routine',
      priority_reason: null,
      school_id: demoId('org:larkspur'),
      referrer_org_id: demoId('org:larkspur'),
      referral_id: null,
      referred_on: '2026-10-30',
      assigned_to: null,
      next_action: null,
      next_action_due: null,
      triage_due: null,
      outcome: null,
      closed_on: null,
      created_at: now,
      updated_at: now,
    })
    .execute()
  return caseId
}

/** Absent from Monday 19 October 2026, every session G, N or O (declared), with the protocol's steps done. */
export const ABSENT: SchoolGivenFacts = {
  firstDayOfAbsence: '2026-10-19',
  absenceDeclared: true,
  sessions: [],
  enquiries: { schoolMade: true },
  reasonToBelieveSicknessOrUnavoidableCause: false,
  newProvisionConfirmed: false,
  ewsAgreedRemoval: true,
  cmeReferralMadeOn: '2026-11-02',
}

/** The deletion return's parent, as a school types them. */
export const RETURN_INPUT = {
  parents: [{ fullName: 'Sam Alderbrook', address: '1 Heron Way, Demotown', emergencyPhone: '07700 900123' }],
}

/** A deletion under ground I on 25 November 2026 of a pupil absent as in ABSENT. */
export const DELETE_UNDER_I = {
  given: ABSENT,
  ground: 'I',
  deletedOn: '2026-11-25',
  inMostSeniorClass: false,
  returnInput: RETURN_INPUT,
}
