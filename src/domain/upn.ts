/**
 * Unique Pupil Numbers (DfE): a check letter, then the LA code (3 digits), establishment
 * number (4), year of allocation (2) and serial (3). A temporary UPN ends in a letter
 * instead of the last serial digit. See docs/rules/age-and-upn.md.
 */

/** The 23 letters UPNs use; I, O and S are left out because they are easily read as 1, 0 and 5. */
export const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ'

const UPN_LENGTH = 13

/** Placeholders the CIN and SSDA903 returns accept for an unknown UPN; they must never be stored as one. */
const UNKNOWN_UPN_PLACEHOLDER = /^UN[1-5]$/

export interface UpnCheck {
  /** The input with spaces removed and letters upper-cased, valid or not. */
  upn: string
  valid: boolean
  /** True when the UPN has the temporary form (a letter as character 13), whether or not it is valid. */
  temporary: boolean
  /** Sentences for the person typing it; empty when valid. */
  problems: string[]
}

/** Spaces are removed because UPNs are often copied from letters and screens that group the characters. */
export function normaliseUpn(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase()
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9'
const isUpnLetter = (c: string): boolean => c.length === 1 && UPN_LETTERS.includes(c)

/**
 * The check letter for characters 2 to 13 of a UPN: each character times its position
 * (2..13), summed, mod 23, looked up in UPN_LETTERS. A letter in position 13 (temporary UPN)
 * counts at its place in UPN_LETTERS.
 */
export function upnCheckLetter(chars2to13: string): string {
  const chars = [...chars2to13]
  const last = chars[chars.length - 1] ?? ''
  if (chars.length !== UPN_LENGTH - 1 || !chars.slice(0, -1).every(isDigit) || !(isDigit(last) || isUpnLetter(last))) {
    throw new RangeError(`Not characters 2 to 13 of a UPN: ${chars2to13}`)
  }
  const sum = chars.reduce((total, c, i) => total + (i + 2) * (isDigit(c) ? Number(c) : UPN_LETTERS.indexOf(c)), 0)
  return UPN_LETTERS.charAt(sum % 23)
}

/** "character 5", "characters 5 and 7", "characters 3, 5 and 7". */
function characterList(positions: number[]): string {
  if (positions.length === 1) return `character ${positions[0]}`
  return `characters ${positions.slice(0, -1).join(', ')} and ${positions[positions.length - 1]}`
}

export function checkUpn(input: string): UpnCheck {
  const upn = normaliseUpn(input)
  const result = (problems: string[], temporary = false): UpnCheck => ({
    upn,
    valid: problems.length === 0,
    temporary,
    problems,
  })

  if (upn === '') return result(['Enter a UPN'])
  if (UNKNOWN_UPN_PLACEHOLDER.test(upn)) {
    return result([`${upn} is a code for an unknown UPN, not a UPN: leave the UPN empty if it is not known`])
  }

  const chars = [...upn]
  const first = chars[0] ?? ''
  const last = chars[chars.length - 1] ?? ''
  const problems: string[] = []

  if (chars.length !== UPN_LENGTH) problems.push(`A UPN is 13 characters; this one has ${chars.length}`)
  if (!isUpnLetter(first)) problems.push('The first character must be a letter other than I, O or S')

  // Positions between the first and the last are checked even when the length is wrong, so
  // a stray letter is reported together with the missing or extra character.
  const middle = chars.slice(1, -1)
  const notDigits = middle.flatMap((c, i) => (isDigit(c) ? [] : [i + 2]))
  if (notDigits.length > 0) {
    const hint = middle.includes('O') ? ' (the letter O is not a zero)' : ''
    problems.push(`Characters 2 to 12 must be digits; check ${characterList(notDigits)}${hint}`)
  }

  const lastIsLetter = isUpnLetter(last)
  if (chars.length > 1 && !isDigit(last) && !lastIsLetter) {
    problems.push('The last character must be a digit, or a letter other than I, O or S for a temporary UPN')
  }

  const temporary = chars.length === UPN_LENGTH && lastIsLetter
  if (problems.length === 0 && upnCheckLetter(upn.slice(1)) !== first) {
    problems.push('The check letter does not match the rest of the UPN: check it has been copied correctly')
  }
  return result(problems, temporary)
}
