/** The stages a case passes through (domain.md §5). The transitions between them live in case.ts. */
export const CASE_STATUSES = {
  received: 'Received',
  returned: 'Returned as incomplete',
  triaged: 'Triaged',
  'stage-one': 'Stage one checks',
  'stage-two': 'Stage two checks',
  'stage-three': 'Stage three',
  outcome: 'Outcome recorded',
  'closure-requested': 'Closure requested',
  closed: 'Closed',
  transferred: 'Transferred',
} as const
export type CaseStatus = keyof typeof CASE_STATUSES
export const isCaseStatus = (v: string): v is CaseStatus => Object.hasOwn(CASE_STATUSES, v)

/** A case is on the Single List until it is closed or handed to another LA. */
export const OPEN_STATUSES: readonly CaseStatus[] = [
  'received',
  'returned',
  'triaged',
  'stage-one',
  'stage-two',
  'stage-three',
  'outcome',
  'closure-requested',
]

export const PRIORITIES = { urgent: 'Urgent', high: 'High', routine: 'Routine' } as const
export type Priority = keyof typeof PRIORITIES
export const isPriority = (v: string): v is Priority => Object.hasOwn(PRIORITIES, v)
/** Sort weight: urgent first. */
export const PRIORITY_ORDER: Record<Priority, number> = { urgent: 0, high: 1, routine: 2 }
