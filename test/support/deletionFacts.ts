import type { IsoDate } from '../../src/domain/dates.js'
import type { TestRuntime } from './db.js'

/**
 * Pupil facts for which Ground I applies on the test date (Wednesday 25 November 2026) in the demo
 * LA calendar: absent from Monday 19 October, 20 school days of N, G and O (half term skipped), the
 * school's and the LA's enquiries, and the protocol's steps done.
 */
export async function groundIFacts(rt: TestRuntime, laCode: string) {
  const days = await rt.services.calendars.schoolDaysFor(laCode)
  const dates: IsoDate[] = []
  let date: IsoDate = '2026-10-16'
  for (let i = 0; i < 20; i += 1) {
    const next = days.next(date)
    if (!next.ok) throw new Error(next.problem)
    date = next.value
    dates.push(date)
  }
  const codes = ['N', 'G', 'O']
  return {
    lastAttendedOn: '2026-10-16',
    sessions: dates.map((d, i) => ({ date: d, am: codes[i % 3]!, pm: codes[(i + 1) % 3]! })),
    enquiries: { schoolMade: true, laPartRecordedOn: '2026-11-23' },
    ewsAgreedRemoval: true,
    cmeReferralMadeOn: '2026-11-02',
  }
}
