/**
 * Demo pupils of concern (issue 8) at both demo schools, one at each step of Appendix B: a pupil with
 * a social worker to contact now, enquiries under way, a place not taken up, a risk of harm waiting
 * for its MARF, failed enquiries with a pre-filled CME referral in draft, a family said to have left
 * the UK waiting for its referral, an explained absence and a pupil confirmed at a new school.
 * Kingfisher Academy's pupils count school days on its own calendar. Fixed ids: loading twice adds nothing.
 */
import type { Kysely } from 'kysely'
import type { Clock } from '../domain/clock.js'
import { addDays, type IsoDate } from '../domain/dates.js'
import { computeDeadline } from '../domain/policy.js'
import type { SchoolDays } from '../domain/schoolDays.js'
import type { Database } from '../data/schema.js'
import type { Services } from '../services/index.js'
import { DEMO_USERS, demoId } from './demoData.js'

type School = 'larkspur' | 'kingfisher'

interface DemoContact {
  kind: string
  target?: 'phone' | 'address'
  result: string
  daysAgo: number
  visitBy?: string
  agreedPlan?: string
  learntSchool?: string
  learntTravel?: string
  riskOfHarm?: boolean
  notes?: string
}

interface DemoConcern {
  key: string
  school: School
  pupil: number
  circumstance: string
  /** School days since the last attendance (or since the pupil was expected). */
  missed: number
  socialWorker?: string
  cpPlan?: boolean
  contacts: DemoContact[]
  ewo?: boolean
  outcome?: { kind: string; detail?: string; newSchool?: string; failedDaysAgo?: number }
  referral?: boolean
}

export const DEMO_CONCERNS: readonly DemoConcern[] = [
  { key: 'social-worker', school: 'larkspur', pupil: 30, circumstance: 'stopped-attending', missed: 2, socialWorker: 'Ellis Grant', cpPlan: true, contacts: [] },
  {
    key: 'failed-enquiries', school: 'larkspur', pupil: 34, circumstance: 'stopped-attending', missed: 12,
    contacts: [
      { kind: 'phone', target: 'phone', result: 'no-answer', daysAgo: 9 },
      { kind: 'letter', target: 'address', result: 'no-answer', daysAgo: 8 },
      { kind: 'home-visit', target: 'address', result: 'not-at-address', daysAgo: 6, visitBy: 'ewo', notes: 'Curtains drawn, post piling up; a neighbour has not seen the family for two weeks.' },
    ],
    ewo: true, outcome: { kind: 'whereabouts-unknown', failedDaysAgo: 3 }, referral: true,
  },
  {
    key: 'explained', school: 'larkspur', pupil: 40, circumstance: 'stopped-attending', missed: 4,
    contacts: [{ kind: 'phone', target: 'phone', result: 'contact-made', daysAgo: 2, notes: 'Mother says the pupil has chickenpox; a note will follow.' }],
    outcome: { kind: 'absence-explained', detail: 'Illness (chickenpox); the pupil returns next week.' },
  },
  { key: 'place', school: 'larkspur', pupil: 45, circumstance: 'place-not-taken-in-year', missed: 5, contacts: [{ kind: 'phone', target: 'phone', result: 'no-answer', daysAgo: 1 }] },
  { key: 'risk', school: 'larkspur', pupil: 50, circumstance: 'left-without-notice', missed: 6, contacts: [{ kind: 'home-visit', target: 'address', result: 'information', daysAgo: 1, visitBy: 'school', riskOfHarm: true, notes: 'A neighbour heard shouting and a child crying before the family left.' }] },
  { key: 'own-calendar', school: 'kingfisher', pupil: 12, circumstance: 'stopped-attending', missed: 7, contacts: [{ kind: 'phone', target: 'phone', result: 'no-answer', daysAgo: 3 }] },
  {
    key: 'abroad', school: 'kingfisher', pupil: 25, circumstance: 'moving-abroad', missed: 9,
    contacts: [{ kind: 'phone', target: 'phone', result: 'information', daysAgo: 5, learntTravel: 'An aunt says the family flew to Lisbon; no return date.' }],
    ewo: true, outcome: { kind: 'left-uk', failedDaysAgo: 2 },
  },
  {
    key: 'new-school', school: 'kingfisher', pupil: 33, circumstance: 'left-without-notice', missed: 5,
    contacts: [{ kind: 'other', result: 'contact-made', daysAgo: 2, learntSchool: 'Beechwood High School' }],
    outcome: { kind: 'new-school', newSchool: 'Beechwood High School (demo)' },
  },
] // prettier-ignore

/** The `n`th school day before today on this calendar (calendar days when the calendar cannot say). */
function schoolDaysBefore(days: SchoolDays, today: IsoDate, n: number): IsoDate {
  let d = today
  for (let found = 0; found < n;) {
    d = addDays(d, -1)
    const day = days.isSchoolDay(d)
    if (!day.ok) return addDays(today, -n)
    if (day.value) found += 1
  }
  return d
}

const STAFF: Record<School, string> = {
  larkspur: 'attendance@larkspur.demo.onroll.invalid',
  kingfisher: 'attendance@kingfisher.demo.onroll.invalid',
}

export async function loadDemoConcerns(
  db: Kysely<Database>,
  clock: Clock,
  services: Services,
  laCode: string,
): Promise<number> {
  const today = clock.today()
  const policy = await services.policy.inForce(laCode, today)
  const calendars: Record<School, SchoolDays> = {
    larkspur: await services.calendars.schoolDaysForSchool(laCode, { id: demoId('org:larkspur') }),
    kingfisher: await services.calendars.schoolDaysForSchool(laCode, { id: demoId('org:kingfisher') }),
  }
  let inserted = 0
  const referrals: { concernId: string; school: School }[] = []
  await db.transaction().execute(async trx => {
    for (const c of DEMO_CONCERNS) {
      const id = demoId(`concern:${c.key}`)
      const days = calendars[c.school]
      const start = schoolDaysBefore(days, today, c.missed)
      const staff = DEMO_USERS.find(u => u.email === STAFF[c.school])
      const pupilId = demoId(`pupil:${c.school}:${String(c.pupil)}`)
      const pupil = await trx.selectFrom('pupils').selectAll().where('id', '=', pupilId).executeTakeFirst()
      if (!pupil || !staff) continue
      const never = c.circumstance.startsWith('place-not-taken')
      const failedOn =
        c.outcome?.failedDaysAgo !== undefined ? schoolDaysBefore(days, today, c.outcome.failedDaysAgo) : null
      const due = failedOn ? computeDeadline('schoolReferralDays', failedOn, policy, days) : null
      const outcomeOn = c.outcome ? addDays(today, -1) : null
      const closes =
        c.outcome && ['absence-explained', 'returned', 'new-school', 'home-education'].includes(c.outcome.kind)
      const recorded = `${addDays(start, 1)}T09:00:00.000Z`
      const r = await trx
        .insertInto('pupil_concerns')
        .values({
          id,
          la_code: laCode,
          school_id: demoId(`org:${c.school}`),
          pupil_id: pupilId,
          circumstance: c.circumstance,
          last_attended_on: never ? null : start,
          expected_on: never ? addDays(start, 1) : null,
          cp_plan: c.cpPlan ? 1 : 0,
          child_in_need: 0,
          looked_after: pupil.looked_after,
          ehcp_sen: pupil.ehcp,
          social_worker: c.socialWorker ?? null,
          social_worker_phone: c.socialWorker ? '020 7946 0999' : null,
          status: closes ? 'closed' : 'open',
          outcome: c.outcome?.kind ?? null,
          outcome_on: outcomeOn,
          outcome_detail: c.outcome?.detail ?? null,
          new_school: c.outcome?.newSchool ?? null,
          records_requested_on: c.outcome?.newSchool ? outcomeOn : null,
          enquiries_failed_on: failedOn,
          referral_due_on: due?.ok ? due.value.dueOn : null,
          referral_policy_version: due?.ok ? due.value.policyVersion : null,
          ewo_consulted_on: c.ewo ? addDays(today, -2) : null,
          ewo_name: c.ewo ? 'Casey Brooks' : null,
          ewo_advice: c.ewo ? 'Enquiries exhausted: refer to the CME team now.' : null,
          created_by: demoId(`user:${staff.email}`),
          created_at: recorded,
          updated_at: recorded,
        })
        .onConflict(oc => oc.column('id').doNothing())
        .executeTakeFirst()
      const added = Number(r.numInsertedOrUpdatedRows ?? 0)
      inserted += added
      if (added === 0) continue
      const phone = (JSON.parse(pupil.contacts ?? '[]') as { phone?: string }[])[0]?.phone ?? null
      const address = [...(JSON.parse(pupil.address_lines ?? '[]') as string[]), pupil.postcode]
        .filter(Boolean)
        .join(', ')
      for (const [i, k] of c.contacts.entries())
        await trx
          .insertInto('concern_contacts')
          .values({
            id: demoId(`concern:${c.key}:contact:${String(i)}`),
            concern_id: id,
            kind: k.kind,
            target: k.target === 'phone' ? phone : k.target === 'address' ? address : null,
            contacted_on: schoolDaysBefore(days, today, k.daysAgo),
            made_by:
              k.visitBy === 'ewo' ? 'Casey Brooks, education welfare officer' : `${staff.name}, attendance officer`,
            visit_by: k.visitBy ?? null,
            result: k.result,
            notes: k.notes ?? null,
            agreed_plan: k.agreedPlan ?? null,
            learnt_address: null,
            learnt_school: k.learntSchool ?? null,
            learnt_travel: k.learntTravel ?? null,
            risk_of_harm: k.riskOfHarm ? 1 : 0,
            created_by: demoId(`user:${staff.email}`),
            created_at: recorded,
          })
          .onConflict(oc => oc.column('id').doNothing())
          .execute()
      if (c.referral) referrals.push({ concernId: id, school: c.school })
    }
  })
  // The pre-filled referral goes through the same service as the "Make the CME referral" button.
  for (const r of referrals) {
    const actor = await services.users.actorFor(demoId(`user:${STAFF[r.school]}`))
    if (actor)
      await services.concerns.startReferral({ actor, request: { requestId: 'demo-data', clientIp: null } }, r.concernId)
  }
  return inserted
}
