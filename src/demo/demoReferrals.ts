/**
 * Demo referrals in every state, from schools and agencies, made through the same service the pages
 * use: drafts, received, returned as incomplete, triaged, and a possible duplicate. Loaded once: when
 * the LA already has referrals, nothing is added.
 */
import type { Kysely } from 'kysely'
import { addDays, anniversary } from '../domain/dates.js'
import { REFERRAL_SECTIONS, type Referral } from '../domain/referral.js'
import { exampleReferral } from '../domain/referralExample.js'
import type { Database } from '../data/schema.js'
import type { Services } from '../services/index.js'
import type { Clock } from '../domain/clock.js'
import { demoId } from './demoData.js'

/** A demo user as a caller of the services, so the demo data goes through the same rules as the pages. */
export const callerFor = async (services: Services, email: string) => {
  const actor = await services.users.actorFor(demoId(`user:${email}`))
  if (!actor) throw new Error(`demo user ${email} is missing`)
  return { actor, request: { requestId: 'demo-data', clientIp: null } }
}

export async function loadDemoReferrals(
  db: Kysely<Database>,
  clock: Clock,
  services: Services,
  laCode: string,
): Promise<number> {
  const existing = await db.selectFrom('referrals').select('id').where('la_code', '=', laCode).executeTakeFirst()
  if (existing) return 0
  const today = clock.today()
  const school = (name: string, urn: string, org: string): Partial<Referral> => ({
    referrer: {
      ...exampleReferral(today).referrer,
      organisation: name,
      name: 'Demo referrer',
      email: `${org}@demo.onroll.invalid`,
    },
    school: {
      educationStatus: 'stopped-attending',
      lastSchool: { answer: 'known', name, urn, lastAttendance: { answer: 'date', date: addDays(today, -15) } },
    },
  })
  const child = (
    firstName: string,
    lastName: string,
    years: number,
    extra: Partial<Referral['child']> = {},
  ): Referral['child'] => ({
    ...exampleReferral(today).child,
    firstName,
    lastName,
    otherNames: [],
    dateOfBirth: addDays(anniversary(today, -years), -37),
    upn: undefined,
    ...extra,
  })
  const partner = (org: string, name: string): Partial<Referral> => ({
    referrer: {
      ...exampleReferral(today).referrer,
      kind: 'partner',
      organisation: name,
      name: 'Demo officer',
      role: 'Safeguarding officer',
      email: `${org}@demo.onroll.invalid`,
    },
    school: {
      educationStatus: 'not-on-roll',
      lastSchool: {
        answer: 'not-known',
        reason: 'The family arrived recently and the child has not been seen at any school.',
      },
    },
    actions: { answer: 'none', reason: 'Police contact only: the family was seen during a welfare check.' },
    siblings: { answer: 'not-known', reason: 'Not known to the police.' },
  })

  /** Fills every page as a person would, through the service, then optionally submits. */
  async function refer(email: string, referral: Referral, submit: boolean): Promise<string> {
    const caller = await callerFor(services, email)
    const id = await services.referrals.start(caller)
    for (const s of REFERRAL_SECTIONS) {
      const result = await services.referrals.saveSection(caller, id, s.key, {}, referral[s.key])
      if (!result.ok) throw new Error(`demo referral ${s.key}: ${result.problems.map(p => p.message).join('; ')}`)
    }
    if (submit) {
      const sent = await services.referrals.submit(caller, id, true)
      if (!sent.ok) throw new Error(`demo referral: ${sent.problems.map(p => p.message).join('; ')}`)
    }
    return id
  }

  const larkspur = 'attendance@larkspur.demo.onroll.invalid'
  await refer(
    larkspur,
    exampleReferral(today, {
      ...school('Larkspur Primary School (demo)', '990001', 'larkspur'),
      child: child('Nia', 'Cloudberry', 9, {
        socialCare: {
          answer: 'yes',
          cpPlan: 'yes',
          childInNeed: 'no',
          lookedAfter: 'no',
          socialWorker: { answer: 'yes', name: 'Demo Social Worker' },
        },
      }),
      safeguarding: {
        riskOfHarm: { answer: 'no' },
        forcedMarriage: { answer: 'no' },
        missingFromHomeOrCare: 'no',
        socialWorkerContacted: { answer: 'yes', date: addDays(today, -10) },
      },
    }),
    true,
  )
  await refer(
    'police.referrer@demo.onroll.invalid',
    exampleReferral(today, {
      ...partner('police', 'Police safeguarding hub (demo)'),
      child: child('Nia', 'Cloudberry', 9, { socialCare: { answer: 'not-known', reason: 'Not checked yet' } }),
    }),
    true,
  )
  await refer(
    'police.referrer@demo.onroll.invalid',
    exampleReferral(today, {
      ...partner('police', 'Police safeguarding hub (demo)'),
      child: child('Rafi', 'Saltmarsh', 12),
      abroad: { answer: 'no' },
    }),
    true,
  )
  const returned = await refer(
    'attendance@kingfisher.demo.onroll.invalid',
    exampleReferral(today, {
      ...school('Kingfisher Academy (demo)', '990002', 'kingfisher'),
      child: child('Oskar', 'Wrenfield', 13),
      siblings: { answer: 'no' },
    }),
    true,
  )
  const beechwood = await refer(
    'dsl@beechwood.demo.onroll.invalid',
    exampleReferral(today, {
      ...school('Beechwood High School (demo)', '990003', 'beechwood'),
      child: child('Zara', 'Valewood', 14),
      siblings: { answer: 'no' },
    }),
    true,
  )
  await refer(larkspur, exampleReferral(today, { child: child('Finn', 'Underhill', 6) }), false)

  const officer = await callerFor(services, 'cme.officer@demo.onroll.invalid')
  const caseOf = async (referralId: string) =>
    await db
      .selectFrom('cases')
      .select(['id', 'version'])
      .where('referral_id', '=', referralId)
      .orderBy('reference')
      .executeTakeFirstOrThrow()
  await services.referrals.returnIncomplete(
    officer,
    (await caseOf(returned)).id,
    'The date of last attendance does not match the school register. Please check it and add the emergency contacts you hold.',
  )
  const accepted = await caseOf(beechwood)
  await services.caseWork.triage(
    officer,
    accepted.id,
    { priority: 'high', reason: 'Older child believed abroad; demo triage.' },
    accepted.version,
  )
  return 6
}
