import { describe, expect, it } from 'vitest'
import { formatLongDate, type IsoDate } from '../../src/domain/dates.js'
import { checkCmeScope, type EducationStatus, type ScopeFacts, type ScopeResult } from '../../src/domain/scope.js'

const MISSING = {
  inScope: false,
  code: 'missing-from-care',
  reason:
    'The child is missing from home or care. That is handled under the missing from home or care procedure, not as a child missing education.',
  routeTo:
    "Report the child missing to the police and tell the child's social worker now. If the child is looked after, also tell the virtual school head.",
} as const

const ATTENDANCE = {
  inScope: false,
  code: 'attendance',
  reason:
    'The child is on a school roll and attending, though poorly. That is attendance work, not a child missing education.',
  routeTo: "Contact the Education Welfare Service, who work with the child's school on attendance.",
} as const

const HOME_EDUCATION = {
  inScope: false,
  code: 'home-education',
  reason: 'Elective home education has been notified for this child. That is not a child missing education.',
  routeTo: "Contact the council's elective home education team, who check that the education is suitable.",
} as const

const tooYoung = (startsOn: string) =>
  ({
    inScope: false,
    code: 'too-young',
    reason: `The child is not yet of compulsory school age: it starts on ${startsOn}.`,
    routeTo: 'Contact the school admissions team about an early years or reception place.',
  }) as const

const tooOld = (endedOn: string) =>
  ({
    inScope: false,
    code: 'too-old',
    reason: `The child is no longer of compulsory school age: it ended on ${endedOn}.`,
    routeTo: "Contact the council's post-16 participation team.",
  }) as const

const IN_SCOPE = { inScope: true } as const

// Born 1 Jan 2022: compulsory school age 31 March 2027 to 25 June 2038 (16 on 1 Jan 2038).
const YOUNG = '2022-01-01'
// Born 1 Oct 2009: compulsory school age 31 December 2014 to 26 June 2026 (16 on 1 Oct 2025).
const OLD = '2009-10-01'
// Born 10 May 2015: of compulsory school age throughout 2026.
const MIDDLE = '2015-05-10'

const facts = (dateOfBirth: IsoDate, status: EducationStatus, missingFromHomeOrCare = false): ScopeFacts => ({
  dateOfBirth,
  status,
  missingFromHomeOrCare,
})

describe('checkCmeScope', () => {
  it.each<[string, ScopeFacts, IsoDate, ScopeResult]>([
    ['not on roll', facts(MIDDLE, 'not-on-roll'), '2026-11-02', IN_SCOPE],
    ['stopped attending', facts(MIDDLE, 'stopped-attending'), '2026-11-02', IN_SCOPE],
    ['left, destination unknown', facts(MIDDLE, 'left-destination-unknown'), '2026-11-02', IN_SCOPE],
    ['poor attendance', facts(MIDDLE, 'on-roll-poor-attendance'), '2026-11-02', ATTENDANCE],
    ['home educated', facts(MIDDLE, 'home-educated'), '2026-11-02', HOME_EDUCATION],
    ['missing from care, otherwise in scope', facts(MIDDLE, 'not-on-roll', true), '2026-11-02', MISSING],
    ['missing from care beats poor attendance', facts(MIDDLE, 'on-roll-poor-attendance', true), '2026-11-02', MISSING],
    ['missing from care beats home education', facts(MIDDLE, 'home-educated', true), '2026-11-02', MISSING],
    ['missing from care beats too young', facts(YOUNG, 'not-on-roll', true), '2026-11-02', MISSING],
    ['missing from care beats too old', facts(OLD, 'not-on-roll', true), '2026-11-02', MISSING],
    ['too young, day before start', facts(YOUNG, 'not-on-roll'), '2027-03-30', tooYoung('31 March 2027')],
    ['in scope on the start day', facts(YOUNG, 'not-on-roll'), '2027-03-31', IN_SCOPE],
    [
      'too young beats poor attendance',
      facts(YOUNG, 'on-roll-poor-attendance'),
      '2026-11-02',
      tooYoung('31 March 2027'),
    ],
    ['too young beats home education', facts(YOUNG, 'home-educated'), '2026-11-02', tooYoung('31 March 2027')],
    ['in scope on the leaving date', facts(OLD, 'stopped-attending'), '2026-06-26', IN_SCOPE],
    ['too old, day after the leaving date', facts(OLD, 'stopped-attending'), '2026-06-27', tooOld('26 June 2026')],
    ['too old beats poor attendance', facts(OLD, 'on-roll-poor-attendance'), '2026-09-01', tooOld('26 June 2026')],
    ['too old beats home education', facts(OLD, 'home-educated'), '2026-09-01', tooOld('26 June 2026')],
    // 16 on 1 Oct 2025 but still of compulsory school age until the June leaving date.
    ['aged 16 before the leaving date', facts(OLD, 'left-destination-unknown'), '2026-01-05', IN_SCOPE],
    // 16 on 15 Aug 2027 (after the leaving date): ceased, aged 15, on 25 June 2027.
    [
      'aged 15 after an August-birthday leaving date',
      facts('2011-08-15', 'not-on-roll'),
      '2027-07-01',
      tooOld('25 June 2027'),
    ],
    // Born 29 Feb 2020: 5 on 1 March 2025, so compulsory school age starts 31 March 2025.
    [
      '29 February birth, day before start',
      facts('2020-02-29', 'not-on-roll'),
      '2025-03-30',
      tooYoung('31 March 2025'),
    ],
    ['unborn at the referral date', facts('2027-05-01', 'not-on-roll'), '2026-11-02', tooYoung('31 August 2032')],
  ])('%s', (_name, scopeFacts, on, expected) => {
    expect(checkCmeScope(scopeFacts, on)).toEqual(expected)
  })

  it('rejects a date of birth that is not a calendar date', () => {
    expect(() => checkCmeScope(facts('2015-02-30', 'not-on-roll'), '2026-11-02')).toThrow(RangeError)
  })
})

// formatLongDate lives in dates.ts; it is tested here because the scope messages are its reason to exist.
describe('formatLongDate', () => {
  it.each([
    ['2027-03-31', '31 March 2027'],
    ['2026-06-05', '5 June 2026'],
    ['2025-01-01', '1 January 2025'],
    ['2024-02-29', '29 February 2024'],
  ])('%s -> %s', (date, text) => {
    expect(formatLongDate(date)).toBe(text)
  })

  it('rejects text that is not a calendar date', () => {
    expect(() => formatLongDate('2025-13-01')).toThrow(RangeError)
  })
})
