import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { STAGE_TWO_SOURCES } from '../../src/domain/case.js'
import { FINDINGS_MAX, validateUnfoundReview } from '../../src/domain/unfoundReview.js'

const TODAY = '2026-12-21'
const valid = { sources: ['health', 'police'], reviewedOn: TODAY, findings: 'No trace', decision: 'confirm' }

describe('the review of a case closed as not found', () => {
  it.each([
    ['no sources', { sources: [] }, { sources: 'Select the checks you made again' }],
    ['only unknown sources', { sources: ['tarot'] }, { sources: 'Select the checks you made again' }],
    ['no date', { reviewedOn: '' }, { reviewedOn: 'Enter the date of the review' }],
    ['a date that is not real', { reviewedOn: '2026-02-30' }, { reviewedOn: 'Enter the date of the review' }],
    [
      'a date in the future',
      { reviewedOn: '2026-12-22' },
      { reviewedOn: 'The date of the review must be today or in the past' },
    ],
    ['blank findings', { findings: '   ' }, { findings: 'Enter what the checks found' }],
    [
      'findings too long',
      { findings: 'x'.repeat(FINDINGS_MAX + 1) },
      { findings: `What the checks found must be ${String(FINDINGS_MAX)} characters or fewer` },
    ],
    ['no decision', { decision: undefined }, { decision: 'Select whether to confirm the closure or reopen the case' }],
    [
      'an unknown decision',
      { decision: 'maybe' },
      { decision: 'Select whether to confirm the closure or reopen the case' },
    ],
  ] as const)('refuses %s', (_name, change, errors) => {
    expect(validateUnfoundReview({ ...valid, ...change }, STAGE_TWO_SOURCES, TODAY)).toEqual({ ok: false, errors })
  })

  it('reports every problem at once', () => {
    const r = validateUnfoundReview({ sources: [] }, STAGE_TWO_SOURCES, TODAY)
    expect(r.ok ? [] : Object.keys(r.errors).sort()).toEqual(['decision', 'findings', 'reviewedOn', 'sources'])
  })

  it('accepts a review of today, trimming the findings, and either decision', () => {
    expect(validateUnfoundReview({ ...valid, findings: '  No trace  ' }, STAGE_TWO_SOURCES, TODAY)).toEqual({
      ok: true,
      value: { sources: ['health', 'police'], reviewedOn: TODAY, findings: 'No trace', decision: 'confirm' },
    })
    expect(validateUnfoundReview({ ...valid, decision: 'reopen' }, STAGE_TWO_SOURCES, TODAY)).toMatchObject({
      ok: true,
      value: { decision: 'reopen' },
    })
  })

  it('keeps only known sources, each once, whatever is ticked', () => {
    const keys = STAGE_TWO_SOURCES.map(s => s.key)
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...keys), fc.string())), ticked => {
        const r = validateUnfoundReview({ ...valid, sources: ticked }, STAGE_TWO_SOURCES, TODAY)
        const known = ticked.filter(t => keys.includes(t))
        if (known.length === 0) return !r.ok && r.errors.sources !== undefined
        return (
          r.ok &&
          new Set(r.value.sources).size === r.value.sources.length &&
          r.value.sources.every(s => known.includes(s))
        )
      }),
    )
  })
})
