import { addDays, dayOfWeek, isIsoDate, type IsoDate } from './dates.js'
import { answer, noAnswer, type Answer, type SchoolDays } from './schoolDays.js'

/**
 * Tasks on a case: typed pieces of work with a due date counted in school days, an assignee,
 * and a state the Single List and "my tasks" show as a tag (Primero's overdue and due-soon
 * markers; architecture.md).
 */

export const TASK_KINDS = {
  call: 'Phone call',
  visit: 'Home visit',
  letter: 'Letter',
  chase: 'Chase a reply',
  review: 'Review',
  other: 'Other',
} as const
export type TaskKind = keyof typeof TASK_KINDS
export const isTaskKind = (v: string): v is TaskKind => Object.hasOwn(TASK_KINDS, v)

export const TASK_STATES = {
  done: 'Done',
  overdue: 'Overdue',
  'due-today': 'Due today',
  'due-soon': 'Due soon',
  upcoming: 'Upcoming',
} as const
export type TaskState = keyof typeof TASK_STATES

/** "Due soon" means due on one of the next this-many school days after today. */
export const DUE_SOON_SCHOOL_DAYS = 2

/**
 * How long to wait for a reply to a stage two check before chasing it. The protocol names no
 * number; this is onroll's default until it becomes a policy rule an LA can change.
 */
export const DEFAULT_CHASE_SCHOOL_DAYS = 5

/**
 * The due date `schoolDays` school days after `from`. 0 means `from` itself when the school
 * meets that day, else the next school day, matching computeDeadline, so "today" set on a
 * Saturday lands on Monday rather than in the past by Monday.
 */
export function taskDue(from: IsoDate, schoolDays: number, schoolDaysCalc: SchoolDays): Answer<IsoDate> {
  if (!isIsoDate(from)) return noAnswer(`Not a calendar date: ${from}`)
  if (!Number.isInteger(schoolDays) || schoolDays < 0) {
    return noAnswer(`Cannot count ${schoolDays} school days; use a whole number of 0 or more`)
  }
  if (schoolDays > 0) return schoolDaysCalc.add(from, schoolDays)
  const isDay = schoolDaysCalc.isSchoolDay(from)
  if (!isDay.ok) return isDay
  return isDay.value ? answer(from) : schoolDaysCalc.next(from)
}

/** Monday to Friday from `from` to `to` inclusive; only used when the calendar cannot answer. */
function weekdays(from: IsoDate, to: IsoDate): number {
  let n = 0
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const w = dayOfWeek(d)
    if (w !== 0 && w !== 6) n += 1
  }
  return n
}

/**
 * The marker for a task on `today`. Due-soon counts school days, so a task due after a
 * half-term week is not flagged during the holiday. A marker is a prompt, not a legal
 * deadline: when the calendar has no term dates for the period it falls back to weekdays
 * rather than showing nothing, and the task can only be flagged a little late, never missed
 * as overdue (overdue needs no calendar).
 */
export function taskState(
  task: { dueOn: IsoDate; doneOn?: IsoDate | null },
  today: IsoDate,
  schoolDays: SchoolDays,
): TaskState {
  if (task.doneOn != null) return 'done'
  if (task.dueOn < today) return 'overdue'
  if (task.dueOn === today) return 'due-today'
  const from = addDays(today, 1)
  const counted = schoolDays.count(from, task.dueOn)
  if (counted.ok) return counted.value <= DUE_SOON_SCHOOL_DAYS ? 'due-soon' : 'upcoming'
  // More than a week away always holds more than two weekdays; no need to walk the days.
  if (task.dueOn > addDays(today, 7)) return 'upcoming'
  return weekdays(from, task.dueOn) <= DUE_SOON_SCHOOL_DAYS ? 'due-soon' : 'upcoming'
}

export interface NewTaskInput {
  kind?: string
  dueOn?: string
  assignee?: string
  description?: string
}

export interface NewTask {
  kind: TaskKind
  dueOn: IsoDate
  /** The user the task is for (an id the service resolves). */
  assignee: string
  description: string | null
}

export type TaskField = 'kind' | 'dueOn' | 'assignee' | 'description'
export type TaskValidation = { ok: true; value: NewTask } | { ok: false; errors: Partial<Record<TaskField, string>> }

/** Checks a new task; messages follow the GOV.UK error message patterns. */
export function validateNewTask(input: NewTaskInput, today: IsoDate): TaskValidation {
  const errors: Partial<Record<TaskField, string>> = {}
  const kind = input.kind?.trim() ?? ''
  const dueOn = input.dueOn?.trim() ?? ''
  const assignee = input.assignee?.trim() ?? ''
  const description = input.description?.trim() ?? ''

  if (!isTaskKind(kind)) errors.kind = 'Select the type of task'
  if (dueOn === '') errors.dueOn = 'Enter the date the task is due'
  else if (!isIsoDate(dueOn)) errors.dueOn = 'Date the task is due must be a real date'
  else if (dueOn < today) errors.dueOn = 'Date the task is due must be today or in the future'
  if (assignee === '') errors.assignee = 'Select who the task is assigned to'
  // "Other" says nothing about the work by itself, so it needs words; the typed kinds do not.
  if (kind === 'other' && description === '') errors.description = 'Enter what the task is'

  if (Object.keys(errors).length > 0 || !isTaskKind(kind)) return { ok: false, errors }
  return { ok: true, value: { kind, dueOn, assignee, description: description === '' ? null : description } }
}

export type ReassignmentResult = { ok: true; assignee: string } | { ok: false; errors: { assignee: string } }

export function validateReassignment(currentAssignee: string, input: { assignee?: string }): ReassignmentResult {
  const assignee = input.assignee?.trim() ?? ''
  if (assignee === '') return { ok: false, errors: { assignee: 'Select who to reassign the task to' } }
  if (assignee === currentAssignee) {
    return { ok: false, errors: { assignee: 'Select someone else: the task is already assigned to this person' } }
  }
  return { ok: true, assignee }
}

/**
 * The chase task a stage two check "awaiting reply" becomes (issue 6), due `afterSchoolDays`
 * school days after the check, for the officer who made it.
 */
export function chaseTaskFor(
  check: { sourceLabel: string; checkedOn: IsoDate; by: string },
  schoolDaysCalc: SchoolDays,
  afterSchoolDays: number = DEFAULT_CHASE_SCHOOL_DAYS,
): Answer<NewTask> {
  const due = taskDue(check.checkedOn, afterSchoolDays, schoolDaysCalc)
  if (!due.ok) return due
  return answer({
    kind: 'chase',
    dueOn: due.value,
    assignee: check.by,
    description: `Chase the reply from ${check.sourceLabel}`,
  })
}
