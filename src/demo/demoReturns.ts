/**
 * Demo leavers and joiners (issue 8), made through the same services the pages use: deletions under
 * Grounds I, G and A with their deletion returns (the Ground A one late), a pupil with an EHCP whose
 * deletion the rules block, a Ground I deletion with the LA's joint enquiries recorded on its CME
 * case, a parent's notice of home education, new pupil returns (one late, one that raised a
 * "possibly located" alert on an open CME case), and lost-pupil CTFs pending and uploaded. Kingfisher
 * Academy counts in its own calendar. Loaded once: when the first demo leaver exists, nothing is added.
 */
import type { Kysely } from 'kysely'
import { OPEN_STATUSES } from '../domain/caseStatus.js'
import type { Clock } from '../domain/clock.js'
import { addDays, type IsoDate } from '../domain/dates.js'
import { nameKey } from '../domain/names.js'
import { checkUpn } from '../domain/upn.js'
import type { Database } from '../data/schema.js'
import type { Services } from '../services/index.js'
import type { SchoolGivenFacts } from '../services/leavingService.js'
import { DEMO_ORGANISATIONS, demoId } from './demoData.js'
import { callerFor } from './demoReferrals.js'
import { demoUpn } from './demoRolls.js'

type School = 'larkspur' | 'kingfisher'

interface DemoPupil {
  key: string
  school: School
  firstName: string
  lastName: string
  dateOfBirth: IsoDate
  upn: string
  ncYear: string
  ehcp?: boolean
}

const estab = (school: School) => DEMO_ORGANISATIONS.find(o => o.key === school)?.establishmentNumber ?? '0000'

/** The roll's own pupils for the demo, with fixed ids. */
async function insertPupil(db: Kysely<Database>, laCode: string, now: string, p: DemoPupil): Promise<string> {
  const id = demoId(`pupil:leavers:${p.key}`)
  await db
    .insertInto('pupils')
    .values({
      id,
      la_code: laCode,
      school_id: demoId(`org:${p.school}`),
      upn: p.upn,
      former_upn: null,
      first_name: p.firstName,
      last_name: p.lastName,
      other_names: null,
      date_of_birth: p.dateOfBirth,
      gender: 'F',
      ethnicity: 'WBRI',
      nc_year: p.ncYear,
      admission_date: `${String(Number(now.slice(0, 4)) - 2)}-09-03`,
      address_lines: JSON.stringify(['12 Heron Way', 'Demotown']),
      postcode: 'IG9 4AA',
      contacts: JSON.stringify([
        { name: `Sam ${p.lastName}`, relationship: 'Mother', phone: '07700 900456', email: null },
      ]),
      ehcp: p.ehcp ? 1 : 0,
      sen_provision: p.ehcp ? 'E' : 'N',
      name_key: nameKey(p.firstName, p.lastName),
      created_at: now,
      updated_at: now,
    })
    .onConflict(oc => oc.column('id').doNothing())
    .execute()
  return id
}

/** An open CME case's child, to make a pupil who is that child (by name and date of birth, and UPN when valid). */
async function openCaseChild(db: Kysely<Database>, laCode: string, skip: string[]) {
  const rows = await db
    .selectFrom('cases')
    .innerJoin('children', 'children.id', 'cases.child_id')
    .select(['cases.id', 'children.first_name', 'children.last_name', 'children.date_of_birth', 'children.upn'])
    .where('cases.la_code', '=', laCode)
    .where('cases.status', 'in', [...OPEN_STATUSES])
    .orderBy('cases.reference')
    .execute()
  const row = rows.find(r => !skip.includes(r.id))
  if (!row) throw new Error('the demo needs an open CME case')
  return row
}

/** A CME case the demo makes for one of its own pupils, so the school's journey has a known child to follow. */
async function insertOpenCase(
  db: Kysely<Database>,
  laCode: string,
  now: string,
  key: string,
  p: DemoPupil,
  referredOn: IsoDate,
): Promise<string> {
  const childId = demoId(`child:leavers:${key}`)
  const caseId = demoId(`case:leavers:${key}`)
  await db
    .insertInto('children')
    .values({
      id: childId,
      la_code: laCode,
      first_name: p.firstName,
      last_name: p.lastName,
      other_names: null,
      date_of_birth: p.dateOfBirth,
      gender: 'F',
      ethnicity: null,
      upn: p.upn,
      former_upn: null,
      name_key: nameKey(p.firstName, p.lastName),
      family_id: null,
      postcode: 'IG9 4AA',
      phonetic_key: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict(oc => oc.column('id').doNothing())
    .execute()
  await db
    .insertInto('cases')
    .values({
      id: caseId,
      reference: 'CME-DEMO-900001',
      la_code: laCode,
      child_id: childId,
      status: 'stage-two',
      priority: 'high',
      priority_reason: 'Demo triage',
      school_id: demoId(`org:${p.school}`),
      referrer_org_id: demoId(`org:${p.school}`),
      referral_id: null,
      referred_on: referredOn,
      assigned_to: demoId('user:cme.officer@demo.onroll.invalid'),
      next_action: 'Joint enquiries with the school',
      next_action_due: null,
      triage_due: null,
      outcome: null,
      closed_on: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict(oc => oc.column('id').doNothing())
    .execute()
  return caseId
}

export async function loadDemoReturns(
  db: Kysely<Database>,
  clock: Clock,
  services: Services,
  laCode: string,
): Promise<number> {
  const marker = demoId('pupil:leavers:ehcp')
  if (await db.selectFrom('pupils').select('id').where('id', '=', marker).executeTakeFirst()) return 0
  const now = clock.now().toISOString()
  const today = clock.today()
  const larkspur = await callerFor(services, 'attendance@larkspur.demo.onroll.invalid')
  const kingfisher = await callerFor(services, 'attendance@kingfisher.demo.onroll.invalid')
  const officer = await callerFor(services, 'cme.officer@demo.onroll.invalid')
  const year = Number(today.slice(0, 4))
  let made = 0

  // A pupil with an EHCP who stopped attending: the rules keep the name on roll.
  await insertPupil(db, laCode, now, {
    key: 'ehcp',
    school: 'larkspur',
    firstName: 'Ottilie',
    lastName: 'Brackenbury',
    dateOfBirth: `${String(year - 9)}-02-14`,
    upn: demoUpn(laCode, estab('larkspur'), 901, 24),
    ncYear: '4',
    ehcp: true,
  })
  made += 1

  // Ground I: the child of an open CME case, absent for more than 20 school days, with the LA's enquiries recorded.
  const caseChild = await openCaseChild(db, laCode, [])
  const groundI = await insertPupil(db, laCode, now, {
    key: 'ground-i',
    school: 'larkspur',
    firstName: caseChild.first_name,
    lastName: caseChild.last_name,
    dateOfBirth: caseChild.date_of_birth,
    upn: caseChild.upn && checkUpn(caseChild.upn).valid ? caseChild.upn : demoUpn(laCode, estab('larkspur'), 902, 24),
    ncYear: '5',
  })
  await services.jointEnquiries.recordEnquiries(officer, caseChild.id, {
    recordedOn: addDays(today, -3),
    details:
      'Checked the DfE Lost Pupil Database, neighbouring LAs, health and housing records: no trace of the family.',
  })
  const absent: SchoolGivenFacts = {
    firstDayOfAbsence: addDays(today, -56),
    absenceDeclared: true,
    sessions: [],
    enquiries: { schoolMade: true },
    reasonToBelieveSicknessOrUnavoidableCause: false,
    newProvisionConfirmed: false,
    ewsAgreedRemoval: true,
    cmeReferralMadeOn: addDays(today, -30),
  }
  const parent = (name: string) => ({
    fullName: name,
    address: '12 Heron Way, Demotown, IG9 4AA',
    emergencyPhone: '07700 900456',
  })
  await services.leaving.recordDeletion(larkspur, groundI, {
    given: absent,
    ground: 'I',
    deletedOn: today,
    inMostSeniorClass: false,
    returnInput: { parents: [parent(`Sam ${caseChild.last_name}`)] },
  })
  await services.ctf.generate(larkspur, groundI, { destination: 'unknown' })
  made += 1

  // Ready for Ground I: absent eight weeks, the LA's part of the joint enquiries recorded; the school has not deleted yet.
  const ready: DemoPupil = {
    key: 'ground-i-ready',
    school: 'larkspur',
    firstName: 'Juniper',
    lastName: 'Fallowfield',
    dateOfBirth: `${String(year - 10)}-05-17`,
    upn: demoUpn(laCode, estab('larkspur'), 908, 24),
    ncYear: '5',
  }
  await insertPupil(db, laCode, now, ready)
  const readyCase = await insertOpenCase(db, laCode, now, 'ground-i-ready', ready, addDays(today, -30))
  await services.jointEnquiries.recordEnquiries(officer, readyCase, {
    recordedOn: addDays(today, -2),
    details: 'Lost Pupil Database, other LAs, health visitor and housing checked: the family cannot be found.',
  })
  made += 1

  // Ground G: moved abroad; the CTF (outside the maintained sector) is uploaded.
  const movedAway = await insertPupil(db, laCode, now, {
    key: 'ground-g',
    school: 'larkspur',
    firstName: 'Rafferty',
    lastName: 'Quenby',
    dateOfBirth: `${String(year - 8)}-06-02`,
    upn: demoUpn(laCode, estab('larkspur'), 903, 24),
    ncYear: '3',
  })
  await services.leaving.recordDeletion(larkspur, movedAway, {
    given: {
      ...absent,
      firstDayOfAbsence: undefined,
      absenceDeclared: false,
      noLongerLivesWithinReasonableDistance: { confirmedOn: addDays(today, -1) },
      newProvisionConfirmed: true,
    },
    ground: 'G',
    deletedOn: today,
    inMostSeniorClass: false,
    returnInput: {
      parents: [parent('Alex Quenby')],
      futureAddress: 'Rua das Flores 10, Porto, Portugal',
      futureParentName: 'Alex Quenby',
      futureFrom: addDays(today, -1),
    },
  })
  const g = await services.ctf.generate(larkspur, movedAway, { destination: 'outside-maintained' })
  await services.ctf.markUploaded(larkspur, g.ctfId)
  made += 1

  // Ground A at the academy (its own calendar): deleted in the MIS two days ago, so the return is late.
  const otherSchool = await insertPupil(db, laCode, now, {
    key: 'ground-a',
    school: 'kingfisher',
    firstName: 'Imogen',
    lastName: 'Thackeray',
    dateOfBirth: `${String(year - 13)}-11-20`,
    upn: demoUpn(laCode, estab('kingfisher'), 904, 23),
    ncYear: '8',
  })
  await services.leaving.recordDeletion(kingfisher, otherSchool, {
    given: {
      ...absent,
      firstDayOfAbsence: undefined,
      absenceDeclared: false,
      registeredAtAnotherSchool: { confirmedOn: addDays(today, -3) },
      newProvisionConfirmed: true,
    },
    ground: 'A',
    deletedOn: addDays(today, -2),
    inMostSeniorClass: false,
    returnInput: {
      parents: [parent('Jo Thackeray')],
      newSchoolName: 'Beechwood High School (demo)',
      newSchoolStartsOn: addDays(today, -3),
    },
  })
  await services.ctf.generate(kingfisher, otherSchool, { destination: 'school', laCode, establishmentNumber: '4002' })
  made += 1

  // A parent's written notice of home education at the academy: the EHE officer is told, a draft referral started.
  const ehe = await insertPupil(db, laCode, now, {
    key: 'ehe',
    school: 'kingfisher',
    firstName: 'Cassius',
    lastName: 'Marchbank',
    dateOfBirth: `${String(year - 14)}-04-09`,
    upn: demoUpn(laCode, estab('kingfisher'), 905, 22),
    ncYear: '9',
  })
  await services.leaving.recordEheNotice(kingfisher, ehe, {
    receivedOn: addDays(today, -2),
    educatedFrom: addDays(today, 5),
  })
  made += 1

  // New pupil returns: one on time at Larkspur, and one at Kingfisher, late, of the child an open CME case is looking for.
  await services.admissions.admit(larkspur, {
    firstName: 'Wilhelmina',
    lastName: 'Ashgrove',
    dateOfBirth: `${String(year - 7)}-03-30`,
    gender: 'F',
    upn: demoUpn(laCode, '9999', 906, 21),
    ncYear: '2',
    admissionDate: addDays(today, -1),
    addressLine1: '4 Mill Lane',
    town: 'Demotown',
    postcode: 'IG9 2BD',
    parentName: 'Chris Ashgrove',
    parentPhone: '07700 900777',
    previousSchool: 'St Aidan’s Primary, Elsewhere',
  })
  const sought = await openCaseChild(db, laCode, [caseChild.id])
  await services.admissions.admit(kingfisher, {
    firstName: sought.first_name,
    lastName: sought.last_name,
    dateOfBirth: sought.date_of_birth,
    gender: 'M',
    upn: sought.upn && checkUpn(sought.upn).valid ? sought.upn : demoUpn(laCode, '9999', 907, 21),
    ncYear: '9',
    admissionDate: addDays(today, -8),
    addressLine1: '31 Station Street',
    town: 'Demotown',
    postcode: 'IG9 3EF',
    parentName: `Lee ${sought.last_name}`,
    parentPhone: '07700 900888',
  })
  made += 2
  return made
}
