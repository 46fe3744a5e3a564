import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { newTimeOrderedId } from '../../src/data/ids.js'

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('time-ordered ids', () => {
  it('are UUIDs of version 7 with the RFC 9562 variant', () => {
    for (let i = 0; i < 1000; i++) expect(newTimeOrderedId()).toMatch(UUID_V7)
  })

  it('sort as text in the order of the times they were made at', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 47 }), fc.integer({ min: 1, max: 2 ** 20 }), (t, gap) => {
        expect(newTimeOrderedId(t) < newTimeOrderedId(t + gap)).toBe(true)
      }),
    )
  })

  it('differ when made in the same millisecond', () => {
    const now = Date.now()
    const ids = new Set(Array.from({ length: 5000 }, () => newTimeOrderedId(now)))
    expect(ids.size).toBe(5000)
  })
})
