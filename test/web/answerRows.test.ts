import { describe, expect, it } from 'vitest'
import { exampleReferral } from '../../src/domain/referralExample.js'
import { answerRows } from '../../src/web/answerRows.js'

describe('check your answers rows', () => {
  const r = exampleReferral('2026-11-25')
  it('labels the child and shows codes and dates readably', () => {
    const rows = answerRows('child', r.child)
    expect(rows).toContainEqual({ key: 'First name', value: 'Amara' })
    expect(rows).toContainEqual({ key: 'Ethnicity', value: 'Black - African' })
    expect(rows.find(x => x.key === 'Date of birth')?.value).toBe('25 November 2016')
    expect(rows).toContainEqual({ key: "Children's social care involved", value: 'No' })
  })
  it('gives every section at least one row', () => {
    for (const [key, value] of Object.entries(r)) expect(answerRows(key, value).length, key).toBeGreaterThan(0)
  })
})
