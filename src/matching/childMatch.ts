/**
 * Is a newly referred child someone already known? Record linkage in three steps: blocking keys pick
 * a few candidates cheaply in the database (same UPN, same date of birth, or the same phonetic key of
 * the last name), a score compares each candidate field by field, and the CME Information Officer
 * decides. The score only orders and explains; it never links by itself.
 */
import { jaroWinkler } from '@skyra/jaro-winkler'
import { doubleMetaphone } from 'double-metaphone'
import { normaliseName } from '../domain/names.js'

export interface MatchPerson {
  firstName: string
  lastName: string
  dateOfBirth: string
  upn: string | null
  postcode: string | null
}

export interface MatchScore {
  score: number
  reasons: string[]
}

/** The blocking key stored on each child: the primary Double Metaphone code of the last name. */
export function phoneticKey(lastName: string): string {
  const name = normaliseName(lastName).replace(/ /g, '')
  return name === '' ? '' : doubleMetaphone(name)[0]
}

/** Dates typed with day and month swapped, or one digit wrong, are common in referrals. */
function dateSimilarity(a: string, b: string): 'same' | 'transposed' | 'near' | 'different' {
  if (a === b) return 'same'
  const [ay, am, ad] = a.split('-')
  const [by, bm, bd] = b.split('-')
  if (ay === by && am === bd && ad === bm) return 'transposed'
  let differing = 0
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differing++
  return a.length === b.length && differing === 1 ? 'near' : 'different'
}

/** 0–100 with the reasons a person can check. Weights favour the identifiers that rarely collide. */
export function scoreMatch(referred: MatchPerson, known: MatchPerson): MatchScore {
  const reasons: string[] = []
  let score = 0
  if (referred.upn && known.upn && referred.upn === known.upn) {
    score += 50
    reasons.push('Same UPN')
  }
  const dob = dateSimilarity(referred.dateOfBirth, known.dateOfBirth)
  if (dob === 'same') {
    score += 25
    reasons.push('Same date of birth')
  } else if (dob !== 'different') {
    score += 10
    reasons.push(
      dob === 'transposed' ? 'Date of birth with day and month swapped' : 'Date of birth one digit different',
    )
  }
  const last = jaroWinkler(normaliseName(referred.lastName), normaliseName(known.lastName))
  if (last >= 0.97) {
    score += 15
    reasons.push('Same last name')
  } else if (last >= 0.88 || phoneticKey(referred.lastName) === phoneticKey(known.lastName)) {
    score += 8
    reasons.push('Similar last name')
  }
  const first = jaroWinkler(normaliseName(referred.firstName), normaliseName(known.firstName))
  if (first >= 0.97) {
    score += 10
    reasons.push('Same first name')
  } else if (first >= 0.85) {
    score += 5
    reasons.push('Similar first name')
  }
  if (referred.postcode && known.postcode && referred.postcode === known.postcode) {
    score += 10
    reasons.push('Same postcode')
  }
  return { score: Math.min(100, score), reasons }
}

/** Below this a candidate is noise: an officer should not have to read it. */
export const MATCH_THRESHOLD = 40
