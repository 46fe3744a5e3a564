import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  allowedActions,
  applyAction,
  CASE_ACTIONS,
  CHECK_RESULTS,
  isCaseAction,
  NEW_CASE_FACTS,
  OUTCOME_KINDS,
  PRECONDITIONS,
  readyActions,
  STAGE_TWO_SOURCES,
  stageOneChecklist,
  stageOneOutstanding,
  stageTwoProgress,
  TRANSITIONS,
  transitionFor,
  validateOutcome,
  validateStageTwoCheck,
  type ActionInput,
  type CaseAction,
  type CaseFacts,
  type OutcomeKind,
} from '../../src/domain/case.js'
import { CASE_STATUSES, type CaseStatus } from '../../src/domain/caseStatus.js'
import { ALL_ROLES, type Role } from '../../src/domain/roles.js'
import type { TriageDecision } from '../../src/domain/triage.js'

const TODAY = '2026-02-02'
const STATUSES = Object.keys(CASE_STATUSES) as CaseStatus[]

const CW: Role[] = ['cme-information-officer', 'vulnerable-childrens-officer', 'ews-operational-manager']
const MANAGER: Role[] = ['ews-operational-manager']
const WORKING: CaseStatus[] = [
  'received',
  'triaged',
  'stage-one',
  'stage-two',
  'stage-three',
  'outcome',
  'closure-requested',
]

/**
 * The lifecycle written out by hand from domain.md §5 and the issue, independently of
 * TRANSITIONS, so that a slip in the table is caught rather than copied into the expectations.
 */
const SPEC: Record<CaseAction, { from: CaseStatus[]; to: CaseStatus | 'same' | 'previous'; roles: Role[] }> = {
  triage: { from: WORKING, to: 'same', roles: CW },
  accept: { from: ['received'], to: 'triaged', roles: CW },
  'return-incomplete': { from: ['received'], to: 'returned', roles: CW },
  resubmit: { from: ['returned'], to: 'received', roles: ['school-staff', 'school-dsl', 'partner-referrer', ...CW] },
  assign: { from: WORKING, to: 'same', roles: CW },
  'start-stage-one': { from: ['triaged'], to: 'stage-one', roles: CW },
  'start-stage-two': { from: ['stage-one'], to: 'stage-two', roles: CW },
  'start-stage-three': { from: ['stage-two'], to: 'stage-three', roles: CW },
  'record-outcome': { from: ['stage-one', 'stage-two', 'stage-three', 'outcome'], to: 'outcome', roles: CW },
  close: { from: ['outcome'], to: 'closed', roles: CW },
  'request-closure-not-found': { from: ['stage-three'], to: 'closure-requested', roles: CW },
  'authorise-closure': { from: ['closure-requested'], to: 'closed', roles: MANAGER },
  'refuse-closure': { from: ['closure-requested'], to: 'previous', roles: MANAGER },
  reopen: { from: ['closed', 'transferred'], to: 'triaged', roles: CW },
  transfer: { from: ['triaged', 'stage-one', 'stage-two', 'stage-three'], to: 'transferred', roles: CW },
  escalate: { from: WORKING, to: 'same', roles: CW },
}

const confirmUrgent: TriageDecision = {
  priority: 'urgent',
  proposed: 'urgent',
  proposalReasons: ['The child is on a child-protection plan'],
  overridden: false,
  reason: 'The child is on a child-protection plan',
}

/** Every precondition met. */
function ready(status: CaseStatus, more: Partial<CaseFacts> = {}): CaseFacts {
  return {
    ...NEW_CASE_FACTS,
    status,
    previousStatus: 'stage-three',
    priority: 'urgent',
    assignedTo: 'user-1',
    stageTwoUnrecorded: [],
    finalVisitDecided: true,
    outcomeKind: 'located-on-roll-here',
    ...more,
  }
}

/** Everything every action's form asks for, filled in correctly. */
const VALID: ActionInput = {
  triage: confirmUrgent,
  reasons: ['The date of birth is missing'],
  reason: 'Every enquiry has been made',
  outcome: { kind: 'located-on-roll-here', evidence: { school: 'Oakfield Primary', startDate: '2026-01-12' } },
  receivingLa: 'Essex County Council',
  newInformation: 'A neighbour saw the child in Ilford',
  assignee: 'Sam Jones',
}

const specTarget = (action: CaseAction, facts: CaseFacts): CaseStatus => {
  const to = SPEC[action].to
  if (to === 'same') return facts.status
  if (to === 'previous') return facts.previousStatus ?? 'stage-three'
  return to
}

describe('the transition table', () => {
  it('has one row per action, and every action has a row', () => {
    expect(TRANSITIONS.map(t => t.action).sort()).toEqual([...CASE_ACTIONS].sort())
    for (const a of CASE_ACTIONS) expect(transitionFor(a).action).toBe(a)
  })

  it.each(CASE_ACTIONS)('%s matches the written-out lifecycle', action => {
    const t = transitionFor(action)
    expect([...t.from].sort()).toEqual([...SPEC[action].from].sort())
    expect(t.to).toBe(SPEC[action].to)
    expect([...t.roles].sort()).toEqual([...SPEC[action].roles].sort())
    expect(t.label).not.toBe('')
  })

  it('never lets anyone but the EWS Operational Manager authorise closing as not found', () => {
    const intoClosed = TRANSITIONS.filter(t => t.to === 'closed' && t.from.includes('closure-requested'))
    expect(intoClosed.map(t => [t.action, t.roles])).toEqual([['authorise-closure', ['ews-operational-manager']]])
  })

  it('leaves closed and transferred only by reopening', () => {
    const out = TRANSITIONS.filter(t => t.from.includes('closed') || t.from.includes('transferred'))
    expect(out.map(t => t.action)).toEqual(['reopen'])
  })

  it('recognises action names from forms', () => {
    expect(isCaseAction('authorise-closure')).toBe(true)
    expect(isCaseAction('delete')).toBe(false)
  })
})

describe('every action, by every role, from every status', () => {
  const cases = CASE_ACTIONS.flatMap(action => ALL_ROLES.map(role => [action, role] as const))
  it.each(cases)('%s by %s', (action, role) => {
    for (const status of STATUSES) {
      const facts = ready(status)
      const expected = SPEC[action].from.includes(status) && SPEC[action].roles.includes(role)
      const result = applyAction(facts, action, [role], VALID, TODAY)
      const offered = allowedActions(facts, [role]).find(a => a.action === action)
      expect({ status, ok: result.ok }).toEqual({ status, ok: expected })
      if (result.ok) {
        expect(result.from).toBe(status)
        expect(result.to).toBe(specTarget(action, facts))
        expect(result.timeline).not.toBe('')
        expect(offered).toEqual({ action, label: transitionFor(action).label, to: result.to })
      } else {
        expect(offered).toBeUndefined()
        const label = transitionFor(action).label
        const why = SPEC[action].from.includes(status) ? `${label}: only ` : `${label} is not possible: the case is `
        expect(result.problems).toEqual([expect.stringContaining(why)])
      }
    }
  })

  it('allows an action when any one of the user’s roles allows it', () => {
    const facts = ready('closure-requested')
    expect(applyAction(facts, 'authorise-closure', ['ewo', 'ews-operational-manager'], {}, TODAY).ok).toBe(true)
    expect(applyAction(facts, 'authorise-closure', ['ewo', 'vulnerable-childrens-officer'], {}, TODAY)).toEqual({
      ok: false,
      problems: ['Authorise closure as not found: only the EWS Operational Manager can do this'],
    })
  })

  it('gives a user with no roles nothing', () => {
    for (const status of STATUSES) expect(allowedActions(ready(status), [])).toEqual([])
  })
})

describe('what the page offers', () => {
  it('offers the CME Information Officer triage on a new referral, with accept explained until triaged', () => {
    expect(allowedActions(NEW_CASE_FACTS, ['cme-information-officer'])).toEqual([
      { action: 'triage', label: 'Set priority', to: 'received' },
      {
        action: 'accept',
        label: 'Accept referral',
        to: 'triaged',
        blockedBy: ['Record the priority and the reason first'],
      },
      { action: 'return-incomplete', label: 'Return as incomplete', to: 'returned' },
      { action: 'assign', label: 'Assign case', to: 'received' },
      { action: 'escalate', label: 'Escalate case', to: 'received' },
    ])
    expect(readyActions(NEW_CASE_FACTS, ['cme-information-officer']).map(a => a.action)).toEqual([
      'triage',
      'return-incomplete',
      'assign',
      'escalate',
    ])
  })

  it('offers a school nothing on an open case, and resubmission once it is returned', () => {
    expect(allowedActions(ready('stage-two'), ['school-staff', 'school-dsl'])).toEqual([])
    expect(allowedActions(ready('returned'), ['school-dsl'])).toEqual([
      { action: 'resubmit', label: 'Resubmit referral', to: 'received' },
    ])
  })

  it('offers the manager authorise and send back on a closure request', () => {
    expect(readyActions(ready('closure-requested'), ['ews-operational-manager']).map(a => a.action)).toEqual([
      'triage',
      'assign',
      'authorise-closure',
      'refuse-closure',
      'escalate',
    ])
    expect(readyActions(ready('closure-requested'), ['vulnerable-childrens-officer']).map(a => a.action)).toEqual([
      'triage',
      'assign',
      'escalate',
    ])
  })
})

const officer: Role[] = ['cme-information-officer']
const manager: Role[] = ['ews-operational-manager']

describe('receipt and triage', () => {
  it('records the triage decision on the timeline, with an override said to be one', () => {
    expect(applyAction(NEW_CASE_FACTS, 'triage', officer, { triage: confirmUrgent }, TODAY)).toMatchObject({
      ok: true,
      to: 'received',
      timeline: 'Priority set to urgent: The child is on a child-protection plan',
    })
    const override: TriageDecision = {
      ...confirmUrgent,
      priority: 'high',
      overridden: true,
      reason: 'Plan ended last week',
    }
    expect(applyAction(NEW_CASE_FACTS, 'triage', officer, { triage: override }, TODAY)).toMatchObject({
      ok: true,
      timeline: 'Priority set to high, not the proposed urgent: Plan ended last week',
    })
    expect(applyAction(NEW_CASE_FACTS, 'triage', officer, {}, TODAY)).toEqual({
      ok: false,
      problems: ['Record the priority and the reason'],
    })
  })

  it('accepts only once triaged', () => {
    expect(applyAction(NEW_CASE_FACTS, 'accept', officer, {}, TODAY)).toEqual({
      ok: false,
      problems: ['Record the priority and the reason first'],
    })
    expect(applyAction({ ...NEW_CASE_FACTS, priority: 'high' }, 'accept', officer, {}, TODAY)).toMatchObject({
      ok: true,
      to: 'triaged',
      timeline: 'Referral accepted, priority high',
    })
  })

  it('returns an incomplete referral with its reasons and tells the referrer', () => {
    expect(applyAction(NEW_CASE_FACTS, 'return-incomplete', officer, { reasons: ['  ', ''] }, TODAY)).toEqual({
      ok: false,
      problems: ['Enter why the referral is incomplete'],
    })
    expect(
      applyAction(
        NEW_CASE_FACTS,
        'return-incomplete',
        officer,
        { reasons: ['No date of birth', ' No address '] },
        TODAY,
      ),
    ).toEqual({
      ok: true,
      from: 'received',
      to: 'returned',
      timeline: 'Returned to the referrer as incomplete: No date of birth; No address',
      notify: ['referrer'],
      clears: [],
    })
  })

  it('takes a resubmission from the referring school back to received', () => {
    expect(applyAction(ready('returned'), 'resubmit', ['school-staff'], {}, TODAY)).toMatchObject({
      ok: true,
      to: 'received',
      timeline: 'Referral resubmitted',
    })
    expect(applyAction(ready('returned'), 'resubmit', ['ewo'], {}, TODAY)).toEqual({
      ok: false,
      problems: ['Resubmit referral: only the referrer or the CME team can do this'],
    })
  })

  it('assigns with a name, and needs one', () => {
    expect(applyAction(ready('triaged'), 'assign', manager, { assignee: ' ' }, TODAY)).toEqual({
      ok: false,
      problems: ['Select who to assign the case to'],
    })
    expect(applyAction(ready('triaged'), 'assign', manager, { assignee: 'Sam Jones' }, TODAY)).toMatchObject({
      ok: true,
      to: 'triaged',
      timeline: 'Assigned to Sam Jones',
    })
  })
})

describe('stages one to three', () => {
  it('starts stage one only when someone owns the case', () => {
    const facts = ready('triaged', { assignedTo: null })
    expect(allowedActions(facts, officer).find(a => a.action === 'start-stage-one')?.blockedBy).toEqual([
      'Assign the case to an officer first',
    ])
  })

  it('starts stage two only when every checklist item has a result, and says which have not', () => {
    const facts = ready('stage-one', { stageOneOutstanding: ['Phone number: 07700 900123', 'Address: 1 High St'] })
    expect(applyAction(facts, 'start-stage-two', officer, {}, TODAY)).toEqual({
      ok: false,
      problems: [
        'Record a result for every item on the stage one checklist: still to do: Phone number: 07700 900123, Address: 1 High St',
      ],
    })
  })

  it('starts stage three once every source has a check, even one still awaiting a reply', () => {
    const blocked = ready('stage-two', { stageTwoUnrecorded: ['Police'] })
    expect(applyAction(blocked, 'start-stage-three', officer, {}, TODAY)).toEqual({
      ok: false,
      problems: ['Record a check against every stage two source (awaiting reply is enough): not yet checked: Police'],
    })
    const awaiting = ready('stage-two', { stageTwoAwaiting: ['Police'] })
    expect(applyAction(awaiting, 'start-stage-three', officer, {}, TODAY)).toMatchObject({
      ok: true,
      to: 'stage-three',
    })
  })
})

describe('outcomes and closing', () => {
  it('keeps a monitored case open until the place is confirmed, then closes it', () => {
    const monitoring = applyAction(
      ready('stage-one'),
      'record-outcome',
      officer,
      {
        outcome: {
          kind: 'monitoring-parent-engaged',
          evidence: { engagement: 'Applied for a Year 4 place', engagedOn: '2026-01-20' },
        },
      },
      TODAY,
    )
    expect(monitoring).toMatchObject({
      ok: true,
      to: 'outcome',
      timeline:
        'Outcome recorded: Child in area, parent engaged: monitoring until on roll (How the parent is engaging: Applied for a Year 4 place; Date the parent engaged: 20 January 2026)',
    })
    const open = ready('outcome', { outcomeKind: 'monitoring-parent-engaged' })
    expect(applyAction(open, 'close', officer, {}, TODAY)).toEqual({
      ok: false,
      problems: [
        'Record an outcome that locates the child before closing the case: the child is being monitored until a place is allocated and the child is on roll',
      ],
    })
    expect(applyAction(open, 'record-outcome', officer, VALID, TODAY)).toMatchObject({ ok: true, to: 'outcome' })
    expect(applyAction({ ...open, outcomeKind: 'located-on-roll-here' }, 'close', officer, {}, TODAY)).toMatchObject({
      ok: true,
      to: 'closed',
      timeline: 'Case closed: Located: on roll at a school in this area',
    })
  })

  it('refuses "not found" as an outcome: that closure needs the manager', () => {
    expect(
      applyAction(ready('stage-three'), 'record-outcome', officer, { outcome: { kind: 'not-found' } }, TODAY),
    ).toEqual({
      ok: false,
      problems: ['To close a case as not found, request closure from the EWS Operational Manager'],
    })
  })

  it('requests closure as not found only from stage three, with every check final and the final visit decided', () => {
    expect(allowedActions(ready('stage-two'), officer).map(a => a.action)).not.toContain('request-closure-not-found')
    const facts = ready('stage-three', {
      stageTwoUnrecorded: ['Housing'],
      stageTwoAwaiting: ['Police', 'Health'],
      finalVisitDecided: false,
    })
    expect(applyAction(facts, 'request-closure-not-found', officer, {}, TODAY)).toEqual({
      ok: false,
      problems: [
        'Every stage two check needs a final result: found, not found or not applicable: not yet checked: Housing; awaiting a reply from: Police, Health',
        'Record the final home visit, or the decision not to make one',
        'Enter a summary of the enquiries made and why the child cannot be found',
      ],
    })
    expect(
      applyAction(ready('stage-three'), 'request-closure-not-found', officer, { reason: 'All checks negative' }, TODAY),
    ).toEqual({
      ok: true,
      from: 'stage-three',
      to: 'closure-requested',
      timeline: 'Closure as not found requested: All checks negative',
      notify: ['ews-operational-manager'],
      clears: [],
    })
  })

  it('authorises with safeguarding concerns only once the agreed conclusion is recorded', () => {
    const concern = ready('closure-requested', { hasSafeguardingConcern: true })
    expect(applyAction(concern, 'authorise-closure', manager, {}, TODAY)).toEqual({
      ok: false,
      problems: ['Record the conclusion agreed with social care or the police first: there are safeguarding concerns'],
    })
    expect(
      applyAction({ ...concern, safeguardingConclusionRecorded: true }, 'authorise-closure', manager, {}, TODAY),
    ).toEqual({
      ok: true,
      from: 'closure-requested',
      to: 'closed',
      timeline: 'Closure as not found authorised; the conclusion agreed with social care or the police is recorded',
      notify: ['operational-director'],
      clears: [],
    })
    expect(
      applyAction(ready('closure-requested'), 'authorise-closure', manager, { note: 'Review at Easter' }, TODAY),
    ).toMatchObject({ ok: true, timeline: 'Closure as not found authorised. Note: Review at Easter' })
  })

  it('sends a refused closure back to the stage it came from, with the reason', () => {
    const facts = ready('closure-requested', { previousStatus: 'stage-three' })
    expect(applyAction(facts, 'refuse-closure', manager, {}, TODAY)).toEqual({
      ok: false,
      problems: ['Enter why the case is not to be closed'],
    })
    expect(applyAction(facts, 'refuse-closure', manager, { reason: 'Check housing again' }, TODAY)).toEqual({
      ok: true,
      from: 'closure-requested',
      to: 'stage-three',
      timeline: 'Closure as not found refused, case back at stage three: Check housing again',
      notify: ['assignee'],
      clears: [],
    })
  })

  it('falls back to stage three when the stored previous status is not a stage', () => {
    const facts = ready('closure-requested', { previousStatus: 'closed' })
    expect(applyAction(facts, 'refuse-closure', manager, { reason: 'x' }, TODAY)).toMatchObject({ to: 'stage-three' })
    expect(
      allowedActions({ ...facts, previousStatus: null }, manager).find(a => a.action === 'refuse-closure')?.to,
    ).toBe('stage-three')
  })
})

describe('reopening and transfer', () => {
  it('reopens a closed or transferred case on new information and resets the old conclusions', () => {
    for (const status of ['closed', 'transferred'] as const) {
      expect(applyAction(ready(status), 'reopen', officer, {}, TODAY)).toEqual({
        ok: false,
        problems: ['Enter the new information'],
      })
      expect(applyAction(ready(status), 'reopen', officer, { newInformation: 'Seen in Ilford' }, TODAY)).toEqual({
        ok: true,
        from: status,
        to: 'triaged',
        timeline: 'Case reopened on new information: Seen in Ilford',
        notify: [],
        clears: ['outcome', 'stage-checks', 'final-visit-decision', 'safeguarding-conclusion'],
      })
    }
  })

  it('passes a non-resident family to the receiving LA and tells the referrer and that LA', () => {
    expect(applyAction(ready('triaged'), 'transfer', officer, {}, TODAY)).toEqual({
      ok: false,
      problems: ['Enter the local authority the case is passed to', 'Enter why the family is not resident in the area'],
    })
    expect(
      applyAction(ready('triaged'), 'transfer', officer, { receivingLa: 'Essex', reason: 'Moved in March' }, TODAY),
    ).toEqual({
      ok: true,
      from: 'triaged',
      to: 'transferred',
      timeline: 'Passed to Essex; the family is not resident in the area: Moved in March',
      notify: ['referrer', 'receiving-la'],
      clears: [],
    })
  })

  it('does not transfer a family recorded as resident', () => {
    expect(applyAction(ready('stage-one', { residency: 'resident' }), 'transfer', officer, VALID, TODAY)).toEqual({
      ok: false,
      problems: ['The family is recorded as resident in the area: change the residency first'],
    })
  })
})

describe('preconditions', () => {
  it('every precondition is used and has a message', () => {
    const used = new Set(TRANSITIONS.flatMap(t => t.preconditions.map(p => p.key)))
    expect([...used].sort()).toEqual(Object.keys(PRECONDITIONS).sort())
    for (const p of Object.values(PRECONDITIONS)) expect(p.message).toMatch(/^[A-Z]/)
  })
})

describe('outcome evidence', () => {
  it.each(Object.keys(OUTCOME_KINDS) as OutcomeKind[])('%s asks for its evidence', kind => {
    const info = OUTCOME_KINDS[kind]
    const result = validateOutcome({ kind, evidence: {} }, TODAY)
    if (info.closes === 'authorisation') {
      expect(result.ok).toBe(false)
      return
    }
    expect(result).toEqual({
      ok: false,
      errors: Object.fromEntries(info.evidence.map(f => [f.key, f.missing])),
    })
    expect(info.evidence.length).toBeGreaterThan(0)
  })

  it('closes located outcomes on closing, keeps monitoring open, and needs authorisation for not found', () => {
    const closes = Object.fromEntries(Object.entries(OUTCOME_KINDS).map(([k, v]) => [k, v.closes]))
    expect(closes).toEqual({
      'located-on-roll-here': 'on-close',
      'located-on-roll-elsewhere-england': 'on-close',
      'located-on-roll-elsewhere-uk': 'on-close',
      'education-abroad': 'on-close',
      'ehe-registered': 'on-close',
      'referred-other-la': 'on-close',
      'referred-agency': 'on-close',
      'monitoring-parent-engaged': 'stays-open',
      'not-found': 'authorisation',
    })
  })

  it('checks dates are real and not in the future, and trims text', () => {
    expect(
      validateOutcome(
        { kind: 'located-on-roll-here', evidence: { school: ' Oakfield ', startDate: '2026-02-30' } },
        TODAY,
      ),
    ).toEqual({ ok: false, errors: { startDate: 'Start date must be a real date' } })
    expect(
      validateOutcome(
        { kind: 'located-on-roll-here', evidence: { school: 'Oakfield', startDate: '2026-02-03' } },
        TODAY,
      ),
    ).toEqual({ ok: false, errors: { startDate: 'Start date must be today or in the past' } })
    expect(
      validateOutcome({ kind: 'located-on-roll-here', evidence: { school: ' Oakfield ', startDate: TODAY } }, TODAY),
    ).toEqual({ ok: true, value: { kind: 'located-on-roll-here', evidence: { school: 'Oakfield', startDate: TODAY } } })
    expect(validateOutcome({ kind: 'abroad' }, TODAY)).toEqual({ ok: false, errors: { kind: 'Select the outcome' } })
    expect(validateOutcome(undefined, TODAY)).toEqual({ ok: false, errors: { kind: 'Select the outcome' } })
  })

  it('records how education abroad was verified', () => {
    const result = applyAction(
      ready('stage-two'),
      'record-outcome',
      officer,
      {
        outcome: {
          kind: 'education-abroad',
          evidence: {
            country: 'Romania',
            provider: 'Scoala Gimnaziala nr. 5, Iasi',
            howVerified: 'School confirmed by email the child attends',
            verifiedOn: '2026-01-30',
          },
        },
      },
      TODAY,
    )
    expect(result).toMatchObject({
      ok: true,
      timeline:
        'Outcome recorded: Located: receiving education abroad (Country: Romania; School or education department: Scoala Gimnaziala nr. 5, Iasi; How it was verified: School confirmed by email the child attends; Date verified: 30 January 2026)',
    })
  })
})

describe('stage one checklist', () => {
  const intel = {
    phones: ['07700 900123', '+44 7700 900123', ' ', '020 7946 0000'],
    addresses: ['1 High Street, Ilford IG1 1AA', '1 high street ilford ig1 1aa'],
    schools: ['Oakfield Primary'],
    contacts: ['Aunt: Mary Smith 07700 900999'],
  }

  it('lists each piece of intelligence once, skipping blanks', () => {
    const items = stageOneChecklist(intel)
    expect(items.map(i => [i.kind, i.label])).toEqual([
      ['phone', 'Phone number: 07700 900123'],
      ['phone', 'Phone number: 020 7946 0000'],
      ['address', 'Address: 1 High Street, Ilford IG1 1AA'],
      ['school', 'School named: Oakfield Primary'],
      ['contact', 'Contact: Aunt: Mary Smith 07700 900999'],
    ])
    for (const i of items) expect(i.key).toMatch(/^(phone|address|school|contact)-[0-9a-f]{8}$/)
    expect(new Set(items.map(i => i.key)).size).toBe(items.length)
  })

  it('gives the same keys whatever order the intelligence comes in', () => {
    const keys = (x: typeof intel) => stageOneChecklist(x).map(i => i.key)
    fc.assert(
      fc.property(
        fc.shuffledSubarray(intel.phones, { minLength: intel.phones.length }),
        fc.shuffledSubarray(intel.addresses, { minLength: intel.addresses.length }),
        (phones, addresses) => {
          expect(new Set(keys({ ...intel, phones, addresses }))).toEqual(new Set(keys(intel)))
        },
      ),
    )
  })

  it('tells the same text apart by kind', () => {
    const items = stageOneChecklist({ phones: [], addresses: [], schools: ['St Mary'], contacts: ['St Mary'] })
    expect(items).toHaveLength(2)
    expect(items[0]?.key).not.toBe(items[1]?.key)
  })

  it('reports the items without a result', () => {
    const items = stageOneChecklist(intel)
    const results = { [items[0]!.key]: 'not-found' as const, [items[1]!.key]: 'awaiting-reply' as const }
    expect(stageOneOutstanding(items, results)).toEqual(items.slice(2).map(i => i.label))
  })
})

describe('stage two checks', () => {
  it('defaults to the sources the issue lists', () => {
    expect(STAGE_TWO_SOURCES.map(s => s.key)).toEqual([
      'school-rolls',
      'ehe-register',
      'social-care',
      'health',
      'housing',
      'council-tax',
      'benefits',
      'police',
      'ukvi-border-force',
      'other-las',
      'lost-pupil-database',
    ])
    expect(Object.keys(CHECK_RESULTS)).toEqual(['found', 'not-found', 'awaiting-reply', 'not-applicable'])
  })

  it('counts the latest check for each source and ignores sources no longer on the list', () => {
    const sources = STAGE_TWO_SOURCES.slice(0, 3)
    expect(
      stageTwoProgress(sources, [
        { source: 'school-rolls', result: 'awaiting-reply' },
        { source: 'school-rolls', result: 'not-found' },
        { source: 'ehe-register', result: 'not-found' },
        { source: 'ehe-register', result: 'awaiting-reply' },
        { source: 'retired-source', result: 'awaiting-reply' },
      ]),
    ).toEqual({ unrecorded: ["Children's social care"], awaiting: ['Elective home education register'] })
  })

  it('validates a check with GOV.UK messages', () => {
    expect(validateStageTwoCheck({}, STAGE_TWO_SOURCES, TODAY)).toEqual({
      ok: false,
      errors: {
        source: 'Select the source checked',
        checkedOn: 'Enter the date of the check',
        result: 'Select the result of the check',
      },
    })
    expect(
      validateStageTwoCheck({ source: 'police', checkedOn: '2026-02-03', result: 'found' }, STAGE_TWO_SOURCES, TODAY),
    ).toEqual({
      ok: false,
      errors: { checkedOn: 'Date of the check must be today or in the past', details: 'Enter what the check found' },
    })
    expect(
      validateStageTwoCheck(
        { source: 'police', checkedOn: '2026-13-01', result: 'not-applicable' },
        STAGE_TWO_SOURCES,
        TODAY,
      ),
    ).toEqual({
      ok: false,
      errors: { checkedOn: 'Date of the check must be a real date', details: 'Enter why this check does not apply' },
    })
    expect(
      validateStageTwoCheck(
        { source: 'police', checkedOn: TODAY, result: 'awaiting-reply', details: ' ' },
        STAGE_TWO_SOURCES,
        TODAY,
      ),
    ).toEqual({ ok: true, value: { source: 'police', checkedOn: TODAY, result: 'awaiting-reply', details: null } })
  })
})

// ---------------------------------------------------------------------------------------
// Properties over random histories
// ---------------------------------------------------------------------------------------

const VALID_OUTCOME_KINDS = (Object.keys(OUTCOME_KINDS) as OutcomeKind[]).filter(k => k !== 'not-found')

/** A valid outcome of the given kind, evidence filled from its field list. */
function outcomeOf(kind: OutcomeKind): ActionInput['outcome'] {
  const evidence = Object.fromEntries(
    OUTCOME_KINDS[kind].evidence.map(f => [f.key, f.type === 'date' ? '2026-01-05' : 'Recorded']),
  )
  return { kind, evidence }
}

/** Facts the service would change between actions: recording checks, visits, concerns. */
const factChanges = fc.record(
  {
    priority: fc.constantFrom('urgent' as const, 'high' as const, 'routine' as const, null),
    assignedTo: fc.constantFrom('user-1', null),
    residency: fc.constantFrom('unknown' as const, 'resident' as const, 'not-resident' as const),
    hasSafeguardingConcern: fc.boolean(),
    safeguardingConclusionRecorded: fc.boolean(),
    stageOneOutstanding: fc.constantFrom([], ['Phone number: 1']),
    stageTwoUnrecorded: fc.constantFrom([], ['Police']),
    stageTwoAwaiting: fc.constantFrom([], ['Health']),
    finalVisitDecided: fc.boolean(),
  },
  { requiredKeys: [] },
)

const step = fc.record({
  wild: fc.integer({ min: 0, max: 9 }),
  pick: fc.nat(),
  action: fc.constantFrom(...CASE_ACTIONS),
  roles: fc.subarray(ALL_ROLES, { maxLength: 3 }),
  changes: factChanges,
  outcome: fc.constantFrom(...VALID_OUTCOME_KINDS),
  /** Sometimes the form is sent empty, which must never let an action through that needs input. */
  empty: fc.integer({ min: 0, max: 4 }),
})

/** The road to closing as not found, which random choice alone rarely travels to the end. */
const MAIN_ROAD: readonly CaseAction[] = [
  'accept',
  'start-stage-one',
  'start-stage-two',
  'start-stage-three',
  'request-closure-not-found',
  'authorise-closure',
  'reopen',
]

/**
 * Mostly the next step along the main road when these roles can take it, so that histories
 * reach closure; otherwise any action they can do now, one offered but blocked, or any
 * action at all, allowed or not.
 */
function chooseAction(
  facts: CaseFacts,
  roles: readonly Role[],
  s: { wild: number; pick: number; action: CaseAction },
): CaseAction {
  const ready = readyActions(facts, roles)
  const onward = ready.find(a => MAIN_ROAD.includes(a.action))
  if (s.wild >= 5 && onward) return onward.action
  const choices = s.wild === 0 ? [] : s.wild === 1 ? allowedActions(facts, roles) : ready
  return choices[s.pick % Math.max(choices.length, 1)]?.action ?? s.action
}

/** What the service stores after a successful action. */
function advance(facts: CaseFacts, action: CaseAction, input: ActionInput, to: CaseStatus): CaseFacts {
  const next: CaseFacts = {
    ...facts,
    status: to,
    previousStatus: to === facts.status ? facts.previousStatus : facts.status,
  }
  if (action === 'record-outcome' && input.outcome?.kind) next.outcomeKind = input.outcome.kind as OutcomeKind
  if (action === 'request-closure-not-found') next.outcomeKind = 'not-found'
  if (action === 'assign') next.assignedTo = input.assignee ?? null
  if (action === 'reopen') {
    next.outcomeKind = null
    next.finalVisitDecided = false
    next.safeguardingConclusionRecorded = false
    next.stageTwoUnrecorded = STAGE_TWO_SOURCES.map(s => s.label)
  }
  return next
}

describe('random histories', () => {
  it('close a case awaiting authorisation only by the EWS Operational Manager, leave closed only by reopening, and agree with allowedActions', () => {
    const reached = new Set<CaseStatus>()
    let authorised = 0
    fc.assert(
      fc.property(fc.array(step, { minLength: 30, maxLength: 80 }), steps => {
        let facts: CaseFacts = NEW_CASE_FACTS
        for (const s of steps) {
          facts = { ...facts, ...s.changes }
          const action = chooseAction(facts, s.roles, s)
          const complete = s.empty > 0
          const input: ActionInput = complete ? { ...VALID, outcome: outcomeOf(s.outcome) } : {}
          const result = applyAction(facts, action, s.roles, input, TODAY)
          const offer = allowedActions(facts, s.roles).find(a => a.action === action)

          if (complete) expect(result.ok).toBe(offer !== undefined && offer.blockedBy === undefined)
          else if (result.ok) expect(offer?.blockedBy).toBeUndefined()
          if (!result.ok) {
            expect(result.problems.length).toBeGreaterThan(0)
            continue
          }
          expect(result.to).toBe(offer?.to)

          if (facts.status === 'closure-requested' && result.to === 'closed') {
            expect(action).toBe('authorise-closure')
            expect(s.roles).toContain('ews-operational-manager')
            expect(!facts.hasSafeguardingConcern || facts.safeguardingConclusionRecorded).toBe(true)
            authorised += 1
          }
          if (facts.status === 'closed' || facts.status === 'transferred') expect(action).toBe('reopen')
          facts = advance(facts, action, input, result.to)
          reached.add(facts.status)
        }
      }),
      { numRuns: 500 },
    )
    // The histories must actually get deep enough for the properties above to mean something.
    expect(reached).toContain('closure-requested')
    expect(reached).toContain('closed')
    expect(authorised).toBeGreaterThan(0)
  })

  it('lets no action that needs input through with an empty form', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STATUSES),
        fc.constantFrom(...CASE_ACTIONS),
        fc.subarray(ALL_ROLES),
        (status, action, roles) => {
          const facts = { ...NEW_CASE_FACTS, status }
          const result = applyAction(facts, action, roles, {}, TODAY)
          if (result.ok) expect(transitionFor(action).input).toEqual([])
        },
      ),
    )
  })
})
