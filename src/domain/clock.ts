import { londonDate, type IsoDate } from './dates.js'

/** Time is injected so every deadline and reminder can be tested on fixed dates. */
export interface Clock {
  now(): Date
  today(): IsoDate
}

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => londonDate(new Date()),
}

export function fixedClock(instant: string | Date): Clock {
  const at = typeof instant === 'string' ? new Date(instant) : instant
  return { now: () => new Date(at), today: () => londonDate(at) }
}
