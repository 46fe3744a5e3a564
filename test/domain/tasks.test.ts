import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { schoolDaysFor, type CalendarData } from '../../src/domain/calendar.js'
import { addDays } from '../../src/domain/dates.js'
import {
  chaseTaskFor,
  DEFAULT_CHASE_SCHOOL_DAYS,
  TASK_KINDS,
  TASK_STATES,
  taskDue,
  taskState,
  validateNewTask,
  validateReassignment,
} from '../../src/domain/tasks.js'

/** 2025/26 with the October half term (27-31 October); nothing outside 2025/26 is known. */
const calendar: CalendarData = {
  name: 'Test LA',
  terms: [
    { name: 'Autumn term 2025', startsOn: '2025-09-03', endsOn: '2025-12-19' },
    { name: 'Spring term 2026', startsOn: '2026-01-05', endsOn: '2026-03-27' },
    { name: 'Summer term 2026', startsOn: '2026-04-13', endsOn: '2026-07-21' },
  ],
  closures: [{ kind: 'half-term', name: 'October half term', startsOn: '2025-10-27', endsOn: '2025-10-31' }],
}
const days = schoolDaysFor(calendar, ['2025-12-25', '2025-12-26', '2026-01-01'])

describe('task kinds', () => {
  it('are the ones the issue names, plus other', () => {
    expect(Object.keys(TASK_KINDS)).toEqual(['call', 'visit', 'letter', 'chase', 'review', 'other'])
    expect(Object.keys(TASK_STATES)).toEqual(['done', 'overdue', 'due-today', 'due-soon', 'upcoming'])
  })
})

describe('taskDue', () => {
  it.each([
    ['2025-10-23', 0, '2025-10-23', 'today, a school day'],
    ['2025-10-25', 0, '2025-11-03', 'today, a Saturday before half term: the first day back'],
    ['2025-10-23', 1, '2025-10-24', 'the next school day'],
    ['2025-10-23', 3, '2025-11-04', 'across half term'],
    ['2025-12-18', 2, '2026-01-05', 'across Christmas'],
  ] as const)('%s + %i school days is %s (%s)', (from, n, due, _why) => {
    expect(taskDue(from, n, days)).toEqual({ ok: true, value: due })
  })

  it('refuses counts that are not whole numbers of 0 or more, and dates that are not dates', () => {
    expect(taskDue('2025-10-23', -1, days)).toEqual({
      ok: false,
      problem: 'Cannot count -1 school days; use a whole number of 0 or more',
    })
    expect(taskDue('2025-10-23', 1.5, days).ok).toBe(false)
    expect(taskDue('2025-02-30', 1, days)).toEqual({ ok: false, problem: 'Not a calendar date: 2025-02-30' })
  })

  it('says so rather than guess beyond the calendar', () => {
    expect(taskDue('2026-07-20', 5, days)).toEqual({
      ok: false,
      problem: 'No term dates for 2026/27 in the Test LA calendar',
    })
  })
})

describe('taskState', () => {
  const today = '2025-10-23' // a Thursday, before the October half term
  it.each([
    ['2025-10-20', '2025-10-22', 'done', 'done late is still done'],
    ['2025-10-22', undefined, 'overdue', 'due yesterday'],
    ['2025-10-23', undefined, 'due-today', 'due today'],
    ['2025-10-24', undefined, 'due-soon', 'due tomorrow'],
    ['2025-10-29', undefined, 'due-soon', 'due in half term: the next school days are 24 Oct and 3 Nov'],
    ['2025-11-03', undefined, 'due-soon', 'two school days away, over half term'],
    ['2025-11-04', undefined, 'upcoming', 'three school days away'],
    ['2026-01-05', undefined, 'upcoming', 'next term'],
  ] as const)('due %s, done %s: %s (%s)', (dueOn, doneOn, state, _why) => {
    expect(taskState({ dueOn, doneOn }, today, days)).toBe(state)
  })

  it('falls back to weekdays for the due-soon marker when the calendar has no term dates', () => {
    const monday = '2030-01-07'
    expect(taskState({ dueOn: '2030-01-09' }, monday, days)).toBe('due-soon')
    expect(taskState({ dueOn: '2030-01-10' }, monday, days)).toBe('upcoming')
    expect(taskState({ dueOn: '2030-06-10' }, monday, days)).toBe('upcoming')
    expect(taskState({ dueOn: '2030-01-06' }, monday, days)).toBe('overdue')
  })

  it('marks overdue, due today and done without needing the calendar', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -400, max: 400 }),
        fc.integer({ min: -30, max: 30 }),
        fc.boolean(),
        (offset, dueIn, done) => {
          const today = addDays('2025-10-23', offset)
          const dueOn = addDays(today, dueIn)
          const state = taskState({ dueOn, doneOn: done ? today : null }, today, days)
          if (done) expect(state).toBe('done')
          else if (dueIn < 0) expect(state).toBe('overdue')
          else if (dueIn === 0) expect(state).toBe('due-today')
          else expect(['due-soon', 'upcoming']).toContain(state)
          // Due within two days is due within two school days, whatever the calendar knows.
          if (!done && dueIn > 0 && dueIn <= 2) expect(state).toBe('due-soon')
        },
      ),
    )
  })
})

describe('validateNewTask', () => {
  const today = '2025-10-23'

  it('asks for everything missing, in GOV.UK words', () => {
    expect(validateNewTask({}, today)).toEqual({
      ok: false,
      errors: {
        kind: 'Select the type of task',
        dueOn: 'Enter the date the task is due',
        assignee: 'Select who the task is assigned to',
      },
    })
  })

  it('checks the due date is real and not in the past', () => {
    expect(validateNewTask({ kind: 'call', dueOn: '2025-02-29', assignee: 'u1' }, today)).toEqual({
      ok: false,
      errors: { dueOn: 'Date the task is due must be a real date' },
    })
    expect(validateNewTask({ kind: 'call', dueOn: '2025-10-22', assignee: 'u1' }, today)).toEqual({
      ok: false,
      errors: { dueOn: 'Date the task is due must be today or in the future' },
    })
  })

  it('needs a description for "other" only', () => {
    expect(validateNewTask({ kind: 'other', dueOn: today, assignee: 'u1', description: ' ' }, today)).toEqual({
      ok: false,
      errors: { description: 'Enter what the task is' },
    })
    expect(validateNewTask({ kind: ' visit ', dueOn: today, assignee: ' u1 ' }, today)).toEqual({
      ok: true,
      value: { kind: 'visit', dueOn: today, assignee: 'u1', description: null },
    })
    expect(
      validateNewTask({ kind: 'other', dueOn: '2025-11-04', assignee: 'u1', description: 'Ring the GP' }, today),
    ).toEqual({ ok: true, value: { kind: 'other', dueOn: '2025-11-04', assignee: 'u1', description: 'Ring the GP' } })
  })

  it('refuses a kind that is not on the list', () => {
    expect(validateNewTask({ kind: 'email', dueOn: today, assignee: 'u1' }, today)).toEqual({
      ok: false,
      errors: { kind: 'Select the type of task' },
    })
  })
})

describe('reassignment', () => {
  it('needs someone, and someone else', () => {
    expect(validateReassignment('u1', {})).toEqual({
      ok: false,
      errors: { assignee: 'Select who to reassign the task to' },
    })
    expect(validateReassignment('u1', { assignee: ' u1 ' })).toEqual({
      ok: false,
      errors: { assignee: 'Select someone else: the task is already assigned to this person' },
    })
    expect(validateReassignment('u1', { assignee: 'u2' })).toEqual({ ok: true, assignee: 'u2' })
  })
})

describe('chaseTaskFor', () => {
  it('turns a check awaiting a reply into a chase task for the officer who made it', () => {
    expect(DEFAULT_CHASE_SCHOOL_DAYS).toBe(5)
    expect(chaseTaskFor({ sourceLabel: 'Police', checkedOn: '2025-10-22', by: 'u1' }, days)).toEqual({
      ok: true,
      value: { kind: 'chase', dueOn: '2025-11-05', assignee: 'u1', description: 'Chase the reply from Police' },
    })
    expect(chaseTaskFor({ sourceLabel: 'Health', checkedOn: '2025-10-22', by: 'u1' }, days, 1)).toMatchObject({
      ok: true,
      value: { dueOn: '2025-10-23' },
    })
    expect(chaseTaskFor({ sourceLabel: 'Health', checkedOn: '2026-07-20', by: 'u1' }, days).ok).toBe(false)
  })
})
