import { describe, expect, it } from 'vitest'
import { flatten, itemCount, removeItem, toInput, typedFrom } from '../../src/web/formState.js'

describe('form state', () => {
  it('builds the nested section input, joining date boxes and dropping empty answers', () => {
    const typed = typedFrom({
      _csrf: 'x',
      'child.firstName': 'Amara',
      'child.lastName': '',
      'child.dateOfBirth-day': '4',
      'child.dateOfBirth-month': '3',
      'child.dateOfBirth-year': '2016',
      'child.otherNames': 'Amy\n\nAmz',
      'child.socialCare.answer': 'yes',
      'child.socialCare.socialWorker.name': '',
    })
    expect(toInput(typed, 'child')).toEqual({
      firstName: 'Amara',
      dateOfBirth: '2016-03-04',
      otherNames: ['Amy', 'Amz'],
      socialCare: { answer: 'yes' },
    })
  })

  it('keeps an impossible date impossible so the schema names it', () => {
    expect(
      toInput(
        { 'child.dateOfBirth-day': '31', 'child.dateOfBirth-month': 'Feb', 'child.dateOfBirth-year': '2016' },
        'child',
      ),
    ).toEqual({ dateOfBirth: 'not-a-date' })
  })

  it('makes arrays of repeated groups and removes one, closing the gap', () => {
    const typed = {
      'siblings.answer': 'yes',
      'siblings.list.0.firstName': 'A',
      'siblings.list.1.firstName': 'B',
      'siblings.list.2.firstName': 'C',
    }
    expect(itemCount(typed, 'siblings.list')).toBe(3)
    const removed = removeItem(typed, 'siblings.list', 1)
    expect(removed).toEqual({
      'siblings.answer': 'yes',
      'siblings.list.0.firstName': 'A',
      'siblings.list.1.firstName': 'C',
    })
    expect(toInput(removed, 'siblings')).toEqual({ answer: 'yes', list: [{ firstName: 'A' }, { firstName: 'C' }] })
  })

  it('flattens a stored answer back into what the page shows', () => {
    const typed = flatten(
      { firstName: 'A', dateOfBirth: '2016-03-04', otherNames: ['X', 'Y'] },
      'child',
      /dateOfBirth$/,
    )
    expect(typed).toEqual({
      'child.firstName': 'A',
      'child.dateOfBirth-day': '4',
      'child.dateOfBirth-month': '3',
      'child.dateOfBirth-year': '2016',
      'child.otherNames': 'X\nY',
    })
    expect(toInput(typed, 'child')).toEqual({ firstName: 'A', dateOfBirth: '2016-03-04', otherNames: ['X', 'Y'] })
  })
})
