/**
 * Demo school attendance orders and letters (issue 7): one process stopped at each stage of the
 * Education Act 1996 process, one that started again because the child was still not on roll, one
 * that ended, and a letter of each kind. Made through the services, so every notice is a real PDF
 * with its dates, and idempotent: a case that already has a process or letter is left alone.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../data/schema.js'
import { OPEN_STATUSES } from '../domain/caseStatus.js'
import type { Clock } from '../domain/clock.js'
import { addDays, type IsoDate } from '../domain/dates.js'
import type { Services } from '../services/index.js'
import { ValidationError } from '../services/errors.js'
import { demoId } from './demoData.js'

type Action = { start: string; at: number; school?: boolean } | { outcome: string; at: number }

/** The whole road from informal enquiries to prosecution, in days from the first step. */
const ROAD: Action[] = [
  { start: 'informal-enquiries', at: 0 },
  { outcome: 'not-confirmed', at: 7 },
  { start: 's437-notice', at: 7 },
  { outcome: 'period-ended', at: 22 },
  { start: 'la-decision', at: 22 },
  { outcome: 'not-satisfied-expedient', at: 23 },
  { start: 's438-notice-of-intention', at: 23, school: true },
  { outcome: 'no-choice', at: 38 },
  { start: 'serve-order', at: 38, school: true },
  { outcome: 'served', at: 38 },
  { start: 'monitor', at: 38 },
  { outcome: 'not-complying', at: 60 },
  { start: 'eso-considered', at: 60 },
  { outcome: 'eso-and-prosecute', at: 65 },
  { start: 'prosecution', at: 65 },
]

/** Each demo process: how far along the road it has gone, and what happened after. */
const PROCESSES: { key: string; steps: number; then?: Action[] }[] = [
  { key: 'informal', steps: 1 },
  { key: 's437', steps: 3 },
  { key: 'decision', steps: 5 },
  { key: 's438', steps: 7 },
  { key: 'order', steps: 9 },
  { key: 'monitor', steps: 11 },
  { key: 'eso', steps: 13 },
  { key: 'prosecution', steps: 15 },
  {
    key: 'restart',
    steps: 11,
    then: [
      { outcome: 'not-on-roll', at: 60 },
      { start: 's437-notice', at: 61 },
    ],
  },
  { key: 'ended', steps: 1, then: [{ outcome: 'education-confirmed', at: 5 }] },
]

/** How many processes and letters were made: zero when the demo's were already there. */
export async function loadDemoSao(
  db: Kysely<Database>,
  clock: Clock,
  services: Services,
  laCode: string,
): Promise<number> {
  const actor = await services.users.actorFor(demoId('user:cme.officer@demo.onroll.invalid'))
  if (!actor) return 0
  const caller = { actor, request: { requestId: 'demo-sao', clientIp: null } }
  const school = demoId('org:larkspur')
  const cases = (
    await db
      .selectFrom('cases')
      .select(['id', 'reference', 'referral_id'])
      .where('la_code', '=', laCode)
      .where('status', 'in', OPEN_STATUSES)
      .orderBy('reference')
      .execute()
  ).sort((a, b) => Number(a.referral_id === null) - Number(b.referral_id === null))
  const withProcess = new Set(
    (await db.selectFrom('sao_processes').select('case_id').where('la_code', '=', laCode).execute()).map(
      r => r.case_id,
    ),
  )
  // Already loaded: the demo's processes are the first ones made in this LA.
  if (withProcess.size >= PROCESSES.length) return 0
  const today = clock.today()
  let made = 0
  const free = cases.filter(c => !withProcess.has(c.id))
  for (const [i, plan] of PROCESSES.entries()) {
    const c = free[i]
    if (!c) break
    const actions = [...ROAD.slice(0, plan.steps), ...(plan.then ?? [])]
    const last = Math.max(...actions.map(a => a.at))
    // The last step five days ago, so a notice just served has its period still running.
    const first: IsoDate = addDays(today, -(last + 5))
    const on = (a: Action) => addDays(first, a.at)
    const [opening, ...rest] = actions
    if (!opening || !('start' in opening)) continue
    const id = await services.sao.start(caller, c.id, {
      reason: 'fails-to-engage',
      stage: opening.start,
      startedOn: on(opening),
    })
    for (const a of rest) {
      if ('outcome' in a) await services.sao.recordOutcome(caller, id, { outcome: a.outcome, outcomeOn: on(a) })
      else await services.sao.startNext(caller, id, { startedOn: on(a), ...(a.school ? { school } : {}) })
    }
    made += 1
  }
  // A letter to the family at each known address and one to an education department abroad.
  const lettered = free[0]
  if (lettered) {
    const kinds = new Set(
      (await db.selectFrom('case_letters').select('kind').where('case_id', '=', lettered.id).execute()).map(
        k => k.kind,
      ),
    )
    if (!kinds.has('family-letter')) {
      const letters = await services.letters
        .generate(caller, lettered.id, { kind: 'family-letter' })
        .catch((err: unknown) => {
          // A child with no known address gets no family letter; anything else is a fault in the demo.
          if (err instanceof ValidationError) return []
          throw err
        })
      made += letters.length
    }
    if (!kinds.has('education-department-abroad')) {
      const letters = await services.letters.generate(caller, lettered.id, {
        kind: 'education-department-abroad',
        recipient: 'Ministry of Education\nDepartment of Basic Education\nAccra\nGhana',
        country: 'Ghana',
      })
      made += letters.length
    }
  }
  return made
}
