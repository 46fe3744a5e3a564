import { fixedClock, type Clock } from '../../src/domain/clock.js'

/** A clock the test moves between fixed instants; every service reads it through the same object. */
export function movableClock(start: string): Clock & { set(instant: string): void } {
  let current = fixedClock(start)
  return {
    now: () => current.now(),
    today: () => current.today(),
    set: (instant: string) => {
      current = fixedClock(instant)
    },
  }
}
