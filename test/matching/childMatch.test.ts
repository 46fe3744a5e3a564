import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MATCH_THRESHOLD, phoneticKey, scoreMatch, type MatchPerson } from '../../src/matching/childMatch.js'

const amara: MatchPerson = {
  firstName: 'Amara',
  lastName: 'Testington',
  dateOfBirth: '2016-03-14',
  upn: 'B801200005001',
  postcode: 'IG1 1NN',
}

describe('child matching', () => {
  it('scores the same child, typed again, at the top', () => {
    const m = scoreMatch(amara, { ...amara })
    expect(m.score).toBe(100)
    expect(m.reasons).toEqual(['Same UPN', 'Same date of birth', 'Same last name', 'Same first name', 'Same postcode'])
  })

  it.each([
    [
      'a misspelt last name and no UPN',
      { lastName: 'Testingten', upn: null },
      ['Same date of birth', 'Similar last name'],
    ],
    ['a different postcode after a move', { postcode: 'E1 6AN' }, ['Same UPN', 'Same date of birth']],
    ['accents and case', { firstName: 'AMÁRA', lastName: 'testington' }, ['Same first name', 'Same last name']],
  ])('recognises %s', (_what, change, mustInclude) => {
    const m = scoreMatch(amara, { ...amara, ...change })
    for (const r of mustInclude) expect(m.reasons).toContain(r)
    expect(m.score).toBeGreaterThanOrEqual(MATCH_THRESHOLD)
  })

  it('notices a transposed day and month', () => {
    const m = scoreMatch({ ...amara, dateOfBirth: '2016-04-03' }, { ...amara, dateOfBirth: '2016-03-04' })
    expect(m.reasons).toContain('Date of birth with day and month swapped')
  })

  it('keeps an unrelated child below the threshold', () => {
    const other: MatchPerson = {
      firstName: 'Kofi',
      lastName: 'Brightwater',
      dateOfBirth: '2012-09-01',
      upn: null,
      postcode: 'E1 6AN',
    }
    expect(scoreMatch(amara, other).score).toBeLessThan(MATCH_THRESHOLD)
  })

  it('gives the same phonetic key to names that sound alike', () => {
    expect(phoneticKey('Smith')).toBe(phoneticKey('Smyth'))
    expect(phoneticKey("O'Neill")).toBe(phoneticKey('Oneill'))
  })

  it('is symmetric and bounded', () => {
    const person = fc.record({
      firstName: fc.string({ minLength: 1, maxLength: 12 }),
      lastName: fc.string({ minLength: 1, maxLength: 12 }),
      dateOfBirth: fc
        .date({ min: new Date('2008-01-01'), max: new Date('2022-12-31'), noInvalidDate: true })
        .map(d => d.toISOString().slice(0, 10)),
      upn: fc.option(fc.constantFrom('B801200005001', 'X00180001701A'), { nil: null }),
      postcode: fc.option(fc.constantFrom('IG1 1NN', 'E1 6AN'), { nil: null }),
    })
    fc.assert(
      fc.property(person, person, (a, b) => {
        const ab = scoreMatch(a, b)
        expect(ab.score).toBe(scoreMatch(b, a).score)
        expect(ab.score).toBeGreaterThanOrEqual(0)
        expect(ab.score).toBeLessThanOrEqual(100)
      }),
    )
  })
})
