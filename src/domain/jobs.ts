import { londonDate, type IsoDate } from './dates.js'

/**
 * The scheduled jobs and when each falls due. A job is identified by the "slot" it runs for (a
 * minute, an hour or a London date): a slot with a successful run is done, so a job missed while
 * every instance was down runs at the next tick, and one that succeeded is not run again.
 */
export type JobSchedule =
  | { every: 'minute' }
  | { every: 'hour' }
  /** Once a day at or after this London time (HH:MM). */
  | { daily: string }

export interface JobInfo {
  label: string
  description: string
  schedule: JobSchedule
}

export const JOBS = {
  'deliver-mail': {
    label: 'Deliver email',
    description: 'Sends the messages waiting in the outbox.',
    schedule: { every: 'minute' },
  },
  'purge-sessions': {
    label: 'Remove expired sessions',
    description: 'Deletes sign-in sessions that have expired.',
    schedule: { every: 'hour' },
  },
  'reminder-digest': {
    label: 'Task reminders',
    description: 'Emails each worker how many tasks are overdue, due today or due soon.',
    schedule: { daily: '07:00' },
  },
  'overdue-alerts': {
    label: 'Overdue alerts',
    description: 'Escalates urgent cases not triaged in time and cases with no action, to the EWS Operational Manager.',
    schedule: { daily: '07:00' },
  },
  'half-term-note': {
    label: 'Half-term note',
    // After school on the last school day, so the note covers the whole half term (domain/schedule.ts).
    description:
      'On the last school day of each half term, a note of the cases closed, for the EWS Operational Manager.',
    schedule: { daily: '18:00' },
  },
  'unfound-reviews': {
    label: 'Reviews of cases not found',
    description: 'On each review date in the school holidays, a review task for every case closed as not found.',
    schedule: { daily: '07:00' },
  },
} as const satisfies Record<string, JobInfo>

export type JobName = keyof typeof JOBS
export const JOB_NAMES = Object.keys(JOBS) as JobName[]
export const isJobName = (v: string): v is JobName => Object.hasOwn(JOBS, v)

const londonTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

/** HH:MM in London at this instant (British Summer Time included). */
export function londonClock(instant: Date): string {
  const p = londonTime.formatToParts(instant)
  const get = (type: string) => p.find(x => x.type === type)?.value ?? '00'
  return `${get('hour')}:${get('minute')}`
}

/**
 * The slot this instant falls in, or undefined when a daily job's time has not come yet today.
 * Minute and hour slots are UTC instants so a clock change cannot create or lose a slot.
 */
export function slotFor(schedule: JobSchedule, now: Date): string | undefined {
  if ('every' in schedule) {
    const iso = now.toISOString()
    return schedule.every === 'minute' ? `${iso.slice(0, 16)}Z` : `${iso.slice(0, 13)}:00Z`
  }
  return londonClock(now) >= schedule.daily ? londonDate(now) : undefined
}

/** The slot to run now, given the slot of the last successful run; undefined when nothing is due. */
export function dueSlot(schedule: JobSchedule, now: Date, lastSucceeded: string | undefined): string | undefined {
  const slot = slotFor(schedule, now)
  if (slot === undefined) return undefined
  return lastSucceeded !== undefined && lastSucceeded >= slot ? undefined : slot
}

/** The London date a daily job last did its work on, for the schedule rules' `isDue`. */
export const asDate = (slot: string | undefined): IsoDate | undefined => slot?.slice(0, 10)
