import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { UPN_LETTERS, checkUpn, normaliseUpn, upnCheckLetter } from '../../src/domain/upn.js'

const LENGTH_12 = 'A UPN is 13 characters; this one has 12'
const FIRST = 'The first character must be a letter other than I, O or S'
const LAST = 'The last character must be a digit, or a letter other than I, O or S for a temporary UPN'
const CHECK = 'The check letter does not match the rest of the UPN: check it has been copied correctly'

describe('normaliseUpn', () => {
  it.each([
    ['b801200005001', 'B801200005001'],
    ['  B801 2000 05001 ', 'B801200005001'],
    ['x001\t8000\u00a01701a', 'X00180001701A'],
    ['', ''],
  ])('%j -> %s', (input, expected) => {
    expect(normaliseUpn(input)).toBe(expected)
  })
})

describe('upnCheckLetter', () => {
  // Worked with the law-and-formats §6 formula outside this code base.
  it.each([
    ['801200005001', 'B'],
    ['00180001701A', 'X'],
    ['317102312345', 'C'],
    ['999999999999', 'F'],
    ['000000000000', 'A'],
    ['80120000500A', 'M'],
    ['20612340199Z', 'D'],
  ])('%s -> %s', (tail, letter) => {
    expect(upnCheckLetter(tail)).toBe(letter)
  })

  it.each(['80120000500', '8012000050011', '8012000A5001', '80120000500I', '80120000500a'])(
    'rejects %s, which is not characters 2 to 13 of a UPN',
    tail => {
      expect(() => upnCheckLetter(tail)).toThrow(RangeError)
    },
  )
})

describe('checkUpn', () => {
  it.each([
    ['B801200005001', 'B801200005001', false],
    ['X00180001701A', 'X00180001701A', true],
    ['b801200005001', 'B801200005001', false],
    [' B801 2000 05001 ', 'B801200005001', false],
    ['x0018 0001 701a', 'X00180001701A', true],
    ['C317102312345', 'C317102312345', false],
    ['M80120000500A', 'M80120000500A', true],
    ['D20612340199Z', 'D20612340199Z', true],
  ])('%j is valid', (input, upn, temporary) => {
    expect(checkUpn(input)).toEqual({ upn, valid: true, temporary, problems: [] })
  })

  it.each<[string, string[]]>([
    ['', ['Enter a UPN']],
    ['   ', ['Enter a UPN']],
    ['UN1', ['UN1 is a code for an unknown UPN, not a UPN: leave the UPN empty if it is not known']],
    ['un5', ['UN5 is a code for an unknown UPN, not a UPN: leave the UPN empty if it is not known']],
    ['B80120000500', [LENGTH_12]],
    ['B8012000050011', ['A UPN is 13 characters; this one has 14']],
    ['B', ['A UPN is 13 characters; this one has 1']],
    ['1', ['A UPN is 13 characters; this one has 1', FIRST]],
    ['I801200005001', [FIRST]],
    ['O801200005001', [FIRST]],
    ['S801200005001', [FIRST]],
    ['8801200005001', [FIRST]],
    ['B8012O0005001', ['Characters 2 to 12 must be digits; check character 6 (the letter O is not a zero)']],
    ['B801A00005B01', ['Characters 2 to 12 must be digits; check characters 5 and 11']],
    ['B8-1A00005B01', ['Characters 2 to 12 must be digits; check characters 3, 5 and 11']],
    ['B80120000500I', [LAST]],
    ['B80120000500-', [LAST]],
    ['C801200005001', [CHECK]],
    ['B801200005002', [CHECK]],
    ['SA8012B0005O', [LENGTH_12, FIRST, 'Characters 2 to 12 must be digits; check characters 2 and 7', LAST]],
  ])('%j has problems %j', (input, problems) => {
    const result = checkUpn(input)
    expect(result.problems).toEqual(problems)
    expect(result.valid).toBe(false)
  })

  it('reports the temporary form even when the check letter is wrong', () => {
    expect(checkUpn('A00180001701A')).toEqual({
      upn: 'A00180001701A',
      valid: false,
      temporary: true,
      problems: [CHECK],
    })
  })

  it('returns the normalised text even when it is not a UPN', () => {
    expect(checkUpn(' b80 12 ').upn).toBe('B8012')
  })
})

const digit = fc.constantFrom(...'0123456789')
const upnLetter = fc.constantFrom(...UPN_LETTERS)
const tail = fc
  .tuple(fc.array(digit, { minLength: 11, maxLength: 11 }), fc.oneof(digit, upnLetter))
  .map(([digits, last]) => digits.join('') + last)

describe('UPN properties', () => {
  it('the computed check letter makes a valid UPN', () => {
    fc.assert(
      fc.property(tail, t => {
        const result = checkUpn(upnCheckLetter(t) + t)
        expect(result.valid).toBe(true)
        expect(result.temporary).toBe(/[A-Z]$/.test(t))
      }),
    )
  })

  /*
   * Changing digit d to e at position w changes the sum by (e - d) * w. With 1 <= |e - d| <= 9
   * and 2 <= w <= 13, neither factor is a multiple of the prime 23, so neither is their
   * product: the remainder, and so the check letter, always changes.
   */
  it('changing any one digit makes the UPN invalid', () => {
    fc.assert(
      fc.property(tail, fc.nat(), fc.integer({ min: 1, max: 9 }), (t, at, shift) => {
        const upn = upnCheckLetter(t) + t
        const digitPositions = [...upn].flatMap((c, i) => (/\d/.test(c) ? [i] : []))
        const i = digitPositions[at % digitPositions.length] ?? 1
        const changed = upn.slice(0, i) + String((Number(upn[i]) + shift) % 10) + upn.slice(i + 1)
        expect(checkUpn(changed)).toMatchObject({ valid: false, problems: [CHECK] })
      }),
    )
  })

  it('changing the check letter makes the UPN invalid', () => {
    fc.assert(
      fc.property(tail, upnLetter, (t, letter) => {
        fc.pre(letter !== upnCheckLetter(t))
        expect(checkUpn(letter + t).valid).toBe(false)
      }),
    )
  })
})
