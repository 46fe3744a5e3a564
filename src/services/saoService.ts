/**
 * The school attendance order process on a case (Education Act 1996 ss437-443; protocol Appendix
 * C). The stages, periods and outcomes are versioned data in domain/sao.ts; this service keeps one
 * process's history, refuses a step the data does not allow, counts each period, makes the notice
 * the stage serves, and sets a task for the day the LA may act. Each call authorises, runs in one
 * transaction with its audit event and lands on the case's timeline.
 */
import type { Selectable, Transaction } from 'kysely'
import { can } from '../domain/access.js'
import type { Actor } from '../domain/actor.js'
import { OPEN_STATUSES, isCaseStatus } from '../domain/caseStatus.js'
import { addDays, formatLongDate, isIsoDate, type IsoDate } from '../domain/dates.js'
import type { PolicyValues } from '../domain/policy.js'
import {
  SAO_VERSIONS,
  findStage,
  nextStage,
  periodDays,
  saoVersionInForce,
  validateSaoStep,
  type SaoProcessVersion,
  type SaoStage,
  type SaoStepRecord,
} from '../domain/sao.js'
import {
  SAO_REASONS,
  isSaoReason,
  nextForProcess,
  openingStages,
  stageNamesSchool,
  type SaoNext,
} from '../domain/saoCase.js'
import type { SchoolDays } from '../domain/schoolDays.js'
import { taskDue } from '../domain/tasks.js'
import { newId } from '../data/ids.js'
import type { AuditRecord } from '../data/repositories/auditRepository.js'
import type { Case, Database, SaoProcessTable, SaoStepTable } from '../data/schema.js'
import { audit, auditShown } from './audit.js'
import { recordCaseEvent } from './caseEvents.js'
import type { Caller, Deps } from './deps.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.js'
import {
  SAO_LETTER_KINDS,
  caseLetterValues,
  knownAddresses,
  lettersOf,
  storeLetter,
  type CaseLetterRow,
} from './letterService.js'
import { isLetterKind } from '../domain/letters.js'
import type { PolicyService } from './policyService.js'

type Trx = Transaction<Database>
type CalendarLookup = (laCode: string, schoolId: string | null) => Promise<SchoolDays>

/** School days after the order is served before the worker checks the child is on the named school's roll. */
export const MONITOR_CHECK_SCHOOL_DAYS = 10

export interface SaoStepView {
  id: string
  round: number
  stageKey: string
  stageTitle: string
  section: string
  startedOn: string
  deadline: string | null
  specifiedDays: number | null
  schoolName: string | null
  outcomeKey: string | null
  outcomeLabel: string | null
  outcomeOn: string | null
  notes: string | null
  outcomeNotes: string | null
  by: string
  outcomeBy: string | null
  letters: { id: string; fileName: string }[]
}

export interface SaoProcessView {
  id: string
  caseId: string
  caseReference: string
  childName: string
  versionKey: string
  versionName: string
  reason: string
  status: 'open' | 'ended'
  round: number
  currentStageTitle: string
  schoolName: string | null
  startedOn: string
  endedOn: string | null
  endReason: string | null
  version: number
  steps: SaoStepView[]
  next: SaoNext
}

const versionByKey = (key: string): SaoProcessVersion | undefined => SAO_VERSIONS.find(v => v.id === key)

type SaoProcessRow = Selectable<SaoProcessTable>
type SaoStepRow = Selectable<SaoStepTable>

/** A process as read: its row, its case, the stage data of its version and its steps in order. */
interface LoadedProcess {
  p: SaoProcessRow
  c: Case
  version: SaoProcessVersion
  steps: SaoStepRow[]
}

/** What the views of some processes need besides their own rows, read once for all of them. */
interface ViewData {
  schoolNames: ReadonlyMap<string, string>
  childNames: ReadonlyMap<string, string>
  lettersByStep: ReadonlyMap<string, { id: string; fileName: string }[]>
}

/** Groups rows by a key, keeping their order. */
function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const row of rows) {
    const k = key(row)
    const group = out.get(k)
    if (group) group.push(row)
    else out.set(k, [row])
  }
  return out
}

const recordsOf = (
  steps: readonly {
    stage_key: string
    started_on: string
    specified_days: number | null
    outcome_key: string | null
  }[],
): SaoStepRecord[] =>
  steps.map(s => ({
    stageKey: s.stage_key,
    startedOn: s.started_on,
    ...(s.specified_days !== null ? { specifiedDays: s.specified_days } : {}),
    ...(s.outcome_key !== null ? { outcomeKey: s.outcome_key } : {}),
  }))

function periodOf(stage: SaoStage, policy: PolicyValues, specifiedDays: number | undefined): { periodDays?: number } {
  const n = periodDays(stage, { policy, ...(specifiedDays !== undefined ? { specifiedDays } : {}) })
  return n === undefined ? {} : { periodDays: n }
}

const text = (v: string | undefined): string => v?.trim() ?? ''

function readDays(raw: string | undefined): { value?: number; problem?: string } {
  const t = text(raw)
  if (t === '') return {}
  if (!/^\d{1,3}$/.test(t)) return { problem: 'Enter the number of days the notice gives, like 15' }
  return { value: Number(t) }
}

function readOn(raw: string | undefined, today: IsoDate, label: string): { value?: IsoDate; problem?: string } {
  const t = text(raw)
  if (t === '') return { problem: `Enter the ${label}` }
  if (!isIsoDate(t)) return { problem: `The ${label} must be a real date` }
  if (t > today) return { problem: `The ${label} must be today or in the past` }
  return { value: t }
}

/** The view of one process, from its rows and the names and letters read for it (no queries). */
function buildView(loaded: LoadedProcess, data: ViewData, policyValues?: PolicyValues): SaoProcessView {
  const { version, steps } = loaded
  const proc = loaded.p
  const schoolName = (id: string | null) => (id ? (data.schoolNames.get(id) ?? null) : null)
  const childName = data.childNames.get(proc.child_id)
  if (childName === undefined) throw new Error(`The child of school attendance order process ${proc.id} was not read`)
  return {
    id: proc.id,
    caseId: proc.case_id,
    caseReference: loaded.c.reference,
    childName,
    versionKey: proc.version_key,
    versionName: version.name,
    reason: isSaoReason(proc.reason) ? SAO_REASONS[proc.reason] : proc.reason,
    status: proc.status === 'ended' ? 'ended' : 'open',
    round: proc.round,
    currentStageTitle: findStage(version, proc.current_stage)?.title ?? proc.current_stage,
    schoolName: schoolName(proc.named_school_id),
    startedOn: proc.started_on,
    endedOn: proc.ended_on,
    endReason: proc.end_reason,
    version: proc.version,
    steps: steps.map(s => {
      const stage = findStage(version, s.stage_key)
      return {
        id: s.id,
        round: s.round,
        stageKey: s.stage_key,
        stageTitle: stage?.title ?? s.stage_key,
        section: stage?.section ?? '',
        startedOn: s.started_on,
        deadline: s.deadline,
        specifiedDays: s.specified_days,
        schoolName: schoolName(s.named_school_id),
        outcomeKey: s.outcome_key,
        outcomeLabel: s.outcome_key
          ? (stage?.outcomes.find(o => o.key === s.outcome_key)?.label ?? s.outcome_key)
          : null,
        outcomeOn: s.outcome_on,
        notes: s.notes,
        outcomeNotes: s.outcome_notes,
        by: s.started_by_name,
        outcomeBy: s.outcome_by_name,
        letters: data.lettersByStep.get(s.id) ?? [],
      }
    }),
    next: nextForProcess(version, recordsOf(steps), {
      ended: proc.status === 'ended',
      ...(policyValues ? { policy: policyValues } : {}),
    }),
  }
}

export function createSaoService({ db, clock, config }: Deps, policy: PolicyService, schoolDaysFor: CalendarLookup) {
  const authorise = (caller: Caller) => {
    if (!can(caller.actor, 'sao:work')) throw new ForbiddenError('sao:work')
  }

  async function caseOf(trx: Trx, caller: Caller, caseId: string): Promise<Case> {
    authorise(caller)
    const c = await trx.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst()
    if (!c || c.la_code !== caller.actor.laCode) throw new NotFoundError('Case')
    return c
  }

  /** The caller may see this process: it is in their LA, and the stage data of its version is known. */
  function admit(caller: Caller, p: SaoProcessRow | undefined): { p: SaoProcessRow; version: SaoProcessVersion } {
    if (!p || p.la_code !== caller.actor.laCode) throw new NotFoundError('School attendance order process')
    const version = versionByKey(p.version_key)
    if (!version) throw new NotFoundError('School attendance order process version')
    return { p, version }
  }

  async function processOf(trx: Trx, caller: Caller, processId: string): Promise<LoadedProcess> {
    authorise(caller)
    const { p, version } = admit(
      caller,
      await trx.selectFrom('sao_processes').selectAll().where('id', '=', processId).executeTakeFirst(),
    )
    const c = await trx.selectFrom('cases').selectAll().where('id', '=', p.case_id).executeTakeFirstOrThrow()
    const steps = await trx.selectFrom('sao_steps').selectAll().where('process_id', '=', p.id).orderBy('seq').execute()
    return { p, c, version, steps }
  }

  /**
   * Processes already read, with their cases and steps: two queries however many there are (at most
   * 500, the list's limit, so the IN lists stay inside both engines' parameter limits). The caller
   * is authorised and each process admitted as processOf admits one.
   */
  async function processesOf(trx: Trx, caller: Caller, rows: readonly SaoProcessRow[]): Promise<LoadedProcess[]> {
    authorise(caller)
    const admitted = rows.map(p => admit(caller, p))
    if (admitted.length === 0) return []
    const caseIds = [...new Set(admitted.map(a => a.p.case_id))]
    const cases = new Map(
      (await trx.selectFrom('cases').selectAll().where('id', 'in', caseIds).execute()).map(c => [c.id, c]),
    )
    const steps = groupBy(
      await trx
        .selectFrom('sao_steps')
        .selectAll()
        .where(
          'process_id',
          'in',
          admitted.map(a => a.p.id),
        )
        .orderBy('process_id')
        .orderBy('seq')
        .execute(),
      s => s.process_id,
    )
    return admitted.map(({ p, version }) => {
      const c = cases.get(p.case_id)
      if (!c) throw new NotFoundError('Case')
      return { p, c, version, steps: steps.get(p.id) ?? [] }
    })
  }

  /** Where the case is and its policy: read before a transaction opens, as the calendar uses its own connection. */
  async function lookups(caseId: string | undefined, on: string | undefined, fallbackLa = config.la.code) {
    const where = caseId
      ? await db.selectFrom('cases').select(['la_code', 'school_id']).where('id', '=', caseId).executeTakeFirst()
      : undefined
    const laCode = where?.la_code ?? fallbackLa
    const day = on && isIsoDate(on) ? on : clock.today()
    const [days, inForce] = await Promise.all([
      schoolDaysFor(laCode, where?.school_id ?? null),
      policy.inForce(laCode, day),
    ])
    return { days, policy: inForce.values }
  }

  async function schoolIn(trx: Trx, laCode: string, id: string | undefined) {
    if (!id) return undefined
    return trx
      .selectFrom('organisations')
      .select(['id', 'name'])
      .where('id', '=', id)
      .where('la_code', '=', laCode)
      .where('kind', '=', 'school')
      .where('active', '=', 1)
      .executeTakeFirst()
  }

  async function schoolsOf(trx: Trx, laCode: string) {
    return trx
      .selectFrom('organisations')
      .select(['id', 'name'])
      .where('la_code', '=', laCode)
      .where('kind', '=', 'school')
      .where('active', '=', 1)
      .orderBy('name')
      .execute()
  }

  /**
   * Inserts a stage as begun: its step row, the task for the day the LA may act, and the notice the
   * stage serves, filled in from the process's dates and named school.
   */
  async function beginStage(
    trx: Trx,
    actor: Actor,
    c: Case,
    processId: string,
    stage: SaoStage,
    input: {
      seq: number
      round: number
      on: IsoDate
      specifiedDays?: number
      deadline?: IsoDate
      /** The days the notice gives: the statute's, the policy's or the notice's own, whichever is longest. */
      periodDays?: number
      school?: { id: string; name: string }
      notes: string
    },
    days: SchoolDays,
  ): Promise<{ stepId: string; letters: number }> {
    const stepId = newId()
    let taskId: string | null = null
    let due: IsoDate | undefined
    let description = ''
    if (input.deadline) {
      due = addDays(input.deadline, 1)
      description = `SAO: the period of "${stage.title}" ends on ${formatLongDate(input.deadline)}; record the outcome`
    } else if (stage.key === 'monitor') {
      const d = taskDue(input.on, MONITOR_CHECK_SCHOOL_DAYS, days)
      due = d.ok ? d.value : addDays(input.on, 14)
      description = 'SAO: check the child is registered at and attending the named school'
    }
    if (due) {
      taskId = newId()
      await trx
        .insertInto('tasks')
        .values({
          id: taskId,
          case_id: c.id,
          la_code: c.la_code,
          kind: 'other',
          description,
          due_on: due,
          assigned_to: c.assigned_to ?? actor.id,
          done_on: null,
          done_by: null,
          created_by: actor.id,
          created_at: clock.now().toISOString(),
        })
        .execute()
    }
    await trx
      .insertInto('sao_steps')
      .values({
        id: stepId,
        process_id: processId,
        seq: input.seq,
        round: input.round,
        stage_key: stage.key,
        started_on: input.on,
        specified_days: input.specifiedDays ?? null,
        deadline: input.deadline ?? null,
        named_school_id: input.school?.id ?? null,
        outcome_key: null,
        outcome_on: null,
        notes: input.notes === '' ? null : input.notes,
        outcome_notes: null,
        task_id: taskId,
        started_by: actor.id,
        started_by_name: actor.name,
        outcome_by_name: null,
        created_at: clock.now().toISOString(),
      })
      .execute()
    await trx
      .updateTable('sao_processes')
      .set({
        current_stage: stage.key,
        round: input.round,
        ...(input.school ? { named_school_id: input.school.id } : {}),
        updated_at: clock.now().toISOString(),
      })
      .where('id', '=', processId)
      .execute()
    await recordCaseEvent(
      trx,
      clock,
      actor,
      c.id,
      'sao.stage',
      `School attendance order: ${stage.title} from ${formatLongDate(input.on)}${input.deadline ? `; period ends ${formatLongDate(input.deadline)}` : ''}${input.school ? `; names ${input.school.name}` : ''}`,
      { processId, stage: stage.key },
    )
    let letters = 0
    // Only the notices with a template are made here; a prosecution file is prepared outside onroll.
    const kind = stage.document
    if (kind !== undefined && isLetterKind(kind) && SAO_LETTER_KINDS.includes(kind)) {
      const values = await caseLetterValues(trx, clock, config, actor, c)
      const [address] = await knownAddresses(trx, c)
      await storeLetter(trx, clock, actor, c, {
        kind,
        values: {
          ...values,
          address: address?.lines.join('\n') ?? '',
          servedOn: formatLongDate(input.on),
          ...(input.deadline ? { deadline: formatLongDate(input.deadline) } : {}),
          ...(input.periodDays !== undefined ? { days: String(input.periodDays) } : {}),
          'school.name': input.school?.name ?? '',
        },
        addressedTo: address
          ? `Parent or carer at the ${address.label.toLowerCase()}`
          : 'Parent or carer (no address known)',
        saoStepId: stepId,
      })
      letters += 1
    }
    return { stepId, letters }
  }

  /**
   * The views of processes already read: the named schools, the children's names and the stages'
   * letters are read once for all of them (three queries at most, however many processes), and each
   * view is built by buildView. The process page, the case panel and the list share this.
   */
  async function viewsOf(
    trx: Trx,
    loaded: readonly LoadedProcess[],
    policyValues?: PolicyValues,
  ): Promise<SaoProcessView[]> {
    if (loaded.length === 0) return []
    const schoolIds = [
      ...new Set(
        loaded
          .flatMap(l => [l.p.named_school_id, ...l.steps.map(s => s.named_school_id)])
          .filter((x): x is string => x !== null),
      ),
    ]
    const schools = schoolIds.length
      ? await trx.selectFrom('organisations').select(['id', 'name']).where('id', 'in', schoolIds).execute()
      : []
    const childIds = [...new Set(loaded.map(l => l.p.child_id))]
    const children = await trx
      .selectFrom('children')
      .select(['id', 'first_name', 'last_name'])
      .where('id', 'in', childIds)
      .execute()
    const processIds = loaded.filter(l => l.steps.length > 0).map(l => l.p.id)
    // By case first, which case_letters is indexed by; a stage's letter is always on its process's case.
    const letters = processIds.length
      ? await trx
          .selectFrom('case_letters')
          .select(['id', 'file_name', 'sao_step_id'])
          .where('case_id', 'in', [...new Set(loaded.map(l => l.p.case_id))])
          .where('sao_step_id', 'in', eb =>
            eb.selectFrom('sao_steps').select('sao_steps.id').where('sao_steps.process_id', 'in', processIds),
          )
          .orderBy('created_at')
          .orderBy('id')
          .execute()
      : []
    const data: ViewData = {
      schoolNames: new Map(schools.map(s => [s.id, s.name])),
      childNames: new Map(children.map(c => [c.id, `${c.first_name} ${c.last_name}`])),
      lettersByStep: new Map(
        [...groupBy(letters, l => l.sao_step_id ?? '')].map(([stepId, ls]) => [
          stepId,
          ls.map(l => ({ id: l.id, fileName: l.file_name })),
        ]),
      ),
    }
    return loaded.map(l => buildView(l, data, policyValues))
  }

  async function viewOf(trx: Trx, loaded: LoadedProcess, policyValues?: PolicyValues): Promise<SaoProcessView> {
    const [view] = await viewsOf(trx, [loaded], policyValues)
    if (!view) throw new NotFoundError('School attendance order process')
    return view
  }

  async function bump(
    trx: Trx,
    processId: string,
    expected: number | undefined,
    current: number,
    set: Record<string, unknown> = {},
  ) {
    const r = await trx
      .updateTable('sao_processes')
      .set({ ...set, version: current + 1, updated_at: clock.now().toISOString() })
      .where('id', '=', processId)
      .where('version', '=', expected ?? current)
      .executeTakeFirst()
    if (Number(r.numUpdatedRows) === 0) throw new ConflictError('The school attendance order process')
  }

  /** Is the child on the named school's roll? From the school roll, when the school's roll is in onroll. */
  async function rollCheck(
    trx: Trx,
    childId: string,
    schoolId: string | null,
  ): Promise<'on-roll' | 'not-found' | null> {
    if (!schoolId) return null
    const child = await trx
      .selectFrom('children')
      .select(['upn', 'name_key', 'date_of_birth'])
      .where('id', '=', childId)
      .executeTakeFirstOrThrow()
    const pupil = await trx
      .selectFrom('pupils')
      .select('id')
      .where('school_id', '=', schoolId)
      .where('on_roll', '=', 1)
      .where(eb =>
        eb.or([
          ...(child.upn ? [eb('upn', '=', child.upn)] : []),
          eb.and([eb('name_key', '=', child.name_key), eb('date_of_birth', '=', child.date_of_birth)]),
        ]),
      )
      .executeTakeFirst()
    return pupil ? 'on-roll' : 'not-found'
  }

  return {
    /** The SAO section of a case page: its processes, letters and whether a process can start. */
    async casePanel(caller: Caller, caseId: string) {
      const { policy: values } = await lookups(caseId, undefined)
      return db.transaction().execute(async trx => {
        const c = await caseOf(trx, caller, caseId)
        const rows = await trx
          .selectFrom('sao_processes')
          .selectAll()
          .where('case_id', '=', c.id)
          .orderBy('started_at', 'desc')
          .execute()
        const processes = await viewsOf(trx, await processesOf(trx, caller, rows), values)
        const letters: CaseLetterRow[] = await lettersOf(trx, c.id)
        const addresses = await knownAddresses(trx, c)
        await audit(trx, clock, caller.actor, caller.request, 'case.sao-view', [{ caseId: c.id, childId: c.child_id }])
        return {
          caseId: c.id,
          reference: c.reference,
          processes,
          letters,
          addressCount: addresses.length,
          canStart:
            isCaseStatus(c.status) && OPEN_STATUSES.includes(c.status) && !processes.some(p => p.status === 'open'),
        }
      })
    },

    /**
     * Every process in the LA, open first, for the CME team's list: read in the same few queries
     * however many there are, and audited as one event naming every case and child shown.
     */
    async list(caller: Caller, filter: { status?: string } = {}) {
      const { policy: values } = await lookups(undefined, undefined, caller.actor.laCode)
      const status = filter.status === 'open' || filter.status === 'ended' ? filter.status : undefined
      return db.transaction().execute(async trx => {
        authorise(caller)
        let q = trx
          .selectFrom('sao_processes')
          .selectAll()
          .where('la_code', '=', caller.actor.laCode)
          .orderBy('status', 'desc')
          .orderBy('started_at', 'desc')
        if (status) q = q.where('status', '=', status)
        const loaded = await processesOf(trx, caller, await q.limit(500).execute())
        const out = await viewsOf(trx, loaded, values)
        // One event for the page, naming each case and child once (a case may have had more than one process).
        const shown = new Map<string, AuditRecord>()
        for (const { c } of loaded) shown.set(c.id, { caseId: c.id, childId: c.child_id })
        await auditShown(trx, clock, caller.actor, caller.request, 'sao.list', [...shown.values()], {
          status: status ?? 'all',
          processes: out.length,
        })
        return out
      })
    },

    /** What the start page needs: the case, the version in force and its opening stages. */
    async startForm(caller: Caller, caseId: string) {
      return db.transaction().execute(async trx => {
        const c = await caseOf(trx, caller, caseId)
        const version = saoVersionInForce(SAO_VERSIONS, clock.today())
        if (!version) throw new NotFoundError('School attendance order process in force')
        await audit(trx, clock, caller.actor, caller.request, 'sao.view', [{ caseId: c.id, childId: c.child_id }])
        return {
          caseId: c.id,
          reference: c.reference,
          versionName: version.name,
          reasons: SAO_REASONS,
          stages: openingStages(version).map(s => ({
            key: s.key,
            title: s.title,
            section: s.section,
            hasPeriod: s.period !== undefined,
          })),
        }
      })
    },

    /** Starts a process on an open case, with its first stage (informal enquiries or the s437 notice). */
    async start(
      caller: Caller,
      caseId: string,
      raw: { reason?: string; stage?: string; startedOn?: string; specifiedDays?: string; notes?: string },
    ): Promise<string> {
      const { days, policy: values } = await lookups(caseId, raw.startedOn)
      return db.transaction().execute(async trx => {
        const c = await caseOf(trx, caller, caseId)
        const today = clock.today()
        if (!isCaseStatus(c.status) || !OPEN_STATUSES.includes(c.status))
          throw new ValidationError([
            { field: 'reason', message: 'A school attendance order process can only start on an open case' },
          ])
        const open = await trx
          .selectFrom('sao_processes')
          .select('id')
          .where('case_id', '=', c.id)
          .where('status', '=', 'open')
          .executeTakeFirst()
        if (open)
          throw new ValidationError([
            { field: 'reason', message: 'This case already has an open school attendance order process' },
          ])
        const on = readOn(raw.startedOn, today, 'date the stage began or the notice was served')
        const specified = readDays(raw.specifiedDays)
        const version = saoVersionInForce(SAO_VERSIONS, on.value ?? today)
        if (!version)
          throw new ValidationError([
            { field: 'startedOn', message: 'No school attendance order process was in force on that date' },
          ])
        const problems: { field: string; message: string }[] = []
        if (!raw.reason || !isSaoReason(raw.reason))
          problems.push({ field: 'reason', message: 'Select why the process is starting' })
        const stage = openingStages(version).find(s => s.key === raw.stage)
        if (!stage) problems.push({ field: 'stage', message: 'Select the stage the process starts with' })
        if (on.problem) problems.push({ field: 'startedOn', message: on.problem })
        if (specified.problem) problems.push({ field: 'specifiedDays', message: specified.problem })
        const notes = text(raw.notes)
        if (notes.length > 5000) problems.push({ field: 'notes', message: 'Notes must be 5,000 characters or fewer' })
        const reason = raw.reason && isSaoReason(raw.reason) ? raw.reason : undefined
        if (problems.length > 0 || !stage || !on.value || !reason) throw new ValidationError(problems)
        const check = validateSaoStep(
          version,
          [],
          {
            stageKey: stage.key,
            on: on.value,
            ...(specified.value !== undefined && stage.period?.kind === 'at-least'
              ? { specifiedDays: specified.value }
              : {}),
          },
          values,
        )
        if (!check.ok)
          throw new ValidationError([
            { field: check.problem.includes('days') ? 'specifiedDays' : 'stage', message: check.problem },
          ])
        const id = newId()
        const now = clock.now().toISOString()
        await trx
          .insertInto('sao_processes')
          .values({
            id,
            la_code: c.la_code,
            case_id: c.id,
            child_id: c.child_id,
            version_key: version.id,
            reason,
            status: 'open',
            current_stage: stage.key,
            named_school_id: null,
            round: 1,
            started_on: on.value,
            started_at: now,
            started_by: caller.actor.id,
            ended_on: null,
            end_reason: null,
            updated_at: now,
          })
          .execute()
        await recordCaseEvent(
          trx,
          clock,
          caller.actor,
          c.id,
          'sao.start',
          `School attendance order process started: ${SAO_REASONS[reason].toLowerCase()}`,
          { processId: id },
        )
        const begun = await beginStage(
          trx,
          caller.actor,
          c,
          id,
          stage,
          {
            seq: 1,
            round: 1,
            on: on.value,
            ...(specified.value !== undefined && stage.period?.kind === 'at-least'
              ? { specifiedDays: specified.value }
              : {}),
            ...(check.deadline ? { deadline: check.deadline } : {}),
            ...periodOf(stage, values, specified.value),
            notes,
          },
          days,
        )
        await audit(trx, clock, caller.actor, caller.request, 'sao.start', [
          { caseId: c.id, childId: c.child_id, detail: { processId: id, stage: stage.key, letters: begun.letters } },
        ])
        return id
      })
    },

    /** One process with what may happen next, for the record-step page. */
    async process(caller: Caller, processId: string) {
      const where = await db
        .selectFrom('sao_processes')
        .select('case_id')
        .where('id', '=', processId)
        .executeTakeFirst()
      const { policy: values } = await lookups(where?.case_id, undefined)
      return db.transaction().execute(async trx => {
        const loaded = await processOf(trx, caller, processId)
        const view = await viewOf(trx, loaded, values)
        const schools =
          view.next.kind === 'start' && (stageNamesSchool(view.next.stage) || view.next.stage.key === 'monitor')
            ? await schoolsOf(trx, loaded.c.la_code)
            : []
        const roll =
          view.next.kind === 'outcome' && view.next.stage.key === 'monitor'
            ? await rollCheck(trx, loaded.p.child_id, loaded.p.named_school_id)
            : null
        await audit(trx, clock, caller.actor, caller.request, 'sao.view', [
          { caseId: loaded.c.id, childId: loaded.c.child_id },
        ])
        return { ...view, schools, namedSchoolId: loaded.p.named_school_id, roll }
      })
    },

    /** Records how the stage in progress ended; an outcome that ends the process ends it. */
    async recordOutcome(
      caller: Caller,
      processId: string,
      raw: { outcome?: string; outcomeOn?: string; notes?: string },
      expectedVersion?: number,
    ): Promise<void> {
      await db.transaction().execute(async trx => {
        const { p, c, version, steps } = await processOf(trx, caller, processId)
        const today = clock.today()
        const last = steps[steps.length - 1]
        if (p.status !== 'open' || !last || last.outcome_key !== null)
          throw new ValidationError([
            { field: 'outcome', message: 'There is no stage in progress to record an outcome for' },
          ])
        const stage = findStage(version, last.stage_key)
        if (!stage) throw new NotFoundError('Stage')
        const outcome = stage.outcomes.find(o => o.key === raw.outcome)
        const on = readOn(raw.outcomeOn, today, 'date of the outcome')
        const notes = text(raw.notes)
        const problems: { field: string; message: string }[] = []
        if (!outcome) problems.push({ field: 'outcome', message: `Select the outcome of "${stage.title}"` })
        if (on.problem) problems.push({ field: 'outcomeOn', message: on.problem })
        else if (on.value && on.value < last.started_on)
          problems.push({
            field: 'outcomeOn',
            message: `The date of the outcome cannot be before the stage began on ${formatLongDate(last.started_on)}`,
          })
        if (outcome?.key === 'period-ended' && on.value && last.deadline && on.value <= last.deadline)
          problems.push({
            field: 'outcomeOn',
            message: `The period does not end until ${formatLongDate(last.deadline)}; the earliest date is ${formatLongDate(addDays(last.deadline, 1))}`,
          })
        // s438(4): a school counts as the parent's choice only if chosen within the period.
        if (outcome?.key === 'parent-chose-school' && on.value && last.deadline && on.value > last.deadline)
          problems.push({
            field: 'outcomeOn',
            message: `The period to choose a school ended on ${formatLongDate(last.deadline)}: a later choice is not the parent's choice under the notice`,
          })
        if (notes.length > 5000) problems.push({ field: 'notes', message: 'Notes must be 5,000 characters or fewer' })
        if (problems.length > 0 || !outcome || !on.value) throw new ValidationError(problems)
        const step = nextStage(version, stage.key, outcome.key)
        const restarts = step !== undefined && 'restart' in step
        const ends = !step || 'end' in step
        await trx
          .updateTable('sao_steps')
          .set({
            outcome_key: outcome.key,
            outcome_on: on.value,
            outcome_notes: notes === '' ? null : notes,
            outcome_by_name: caller.actor.name,
          })
          .where('id', '=', last.id)
          .execute()
        if (last.task_id)
          await trx
            .updateTable('tasks')
            .set({ done_on: today, done_by: caller.actor.id })
            .where('id', '=', last.task_id)
            .where('done_on', 'is', null)
            .execute()
        await bump(
          trx,
          p.id,
          expectedVersion,
          p.version,
          ends ? { status: 'ended', ended_on: on.value, end_reason: outcome.label } : {},
        )
        await recordCaseEvent(
          trx,
          clock,
          caller.actor,
          c.id,
          'sao.outcome',
          `School attendance order: ${stage.title} — ${outcome.label}${ends ? '. The process has ended' : restarts ? '. The stages start again' : ''}`,
          { processId: p.id, stage: stage.key, outcome: outcome.key },
        )
        await audit(trx, clock, caller.actor, caller.request, 'sao.outcome', [
          { caseId: c.id, childId: c.child_id, detail: { processId: p.id, stage: stage.key, outcome: outcome.key } },
        ])
      })
    },

    /**
     * Starts the stage the last outcome leads to, on the day given: refused before the law allows
     * (the period it waits for has not ended), and a naming stage needs the school.
     */
    async startNext(
      caller: Caller,
      processId: string,
      raw: { startedOn?: string; specifiedDays?: string; school?: string; notes?: string },
      expectedVersion?: number,
    ): Promise<void> {
      const where = await db
        .selectFrom('sao_processes')
        .select('case_id')
        .where('id', '=', processId)
        .executeTakeFirst()
      const { days, policy: values } = await lookups(where?.case_id, raw.startedOn)
      await db.transaction().execute(async trx => {
        const { p, c, version, steps } = await processOf(trx, caller, processId)
        const today = clock.today()
        const last = steps[steps.length - 1]
        const next =
          p.status === 'open' && last?.outcome_key ? nextStage(version, last.stage_key, last.outcome_key) : undefined
        if (!next || 'end' in next || !last)
          throw new ValidationError([
            {
              field: 'startedOn',
              message: 'No stage can start now: record the outcome of the stage in progress first',
            },
          ])
        const stage = next.stage
        const on = readOn(raw.startedOn, today, 'date the stage began or the notice was served')
        const specified = readDays(raw.specifiedDays)
        const notes = text(raw.notes)
        const problems: { field: string; message: string }[] = []
        if (on.problem) problems.push({ field: 'startedOn', message: on.problem })
        if (specified.problem) problems.push({ field: 'specifiedDays', message: specified.problem })
        let school: { id: string; name: string } | undefined
        if (stageNamesSchool(stage)) {
          school = await schoolIn(trx, c.la_code, text(raw.school) || (p.named_school_id ?? undefined))
          if (!school) problems.push({ field: 'school', message: 'Select the school the notice or order names' })
        } else if (stage.key === 'monitor' && text(raw.school) !== '') {
          school = await schoolIn(trx, c.la_code, text(raw.school))
          if (!school) problems.push({ field: 'school', message: 'Select a school from the list' })
        }
        if (notes.length > 5000) problems.push({ field: 'notes', message: 'Notes must be 5,000 characters or fewer' })
        if (problems.length > 0 || !on.value) throw new ValidationError(problems)
        const check = validateSaoStep(
          version,
          recordsOf(steps),
          {
            stageKey: stage.key,
            on: on.value,
            ...(specified.value !== undefined && stage.period?.kind === 'at-least'
              ? { specifiedDays: specified.value }
              : {}),
          },
          values,
        )
        if (!check.ok)
          throw new ValidationError([
            {
              field: check.problem.includes('must give at least') ? 'specifiedDays' : 'startedOn',
              message: check.problem,
            },
          ])
        const round = 'restart' in next ? p.round + 1 : p.round
        await bump(trx, p.id, expectedVersion, p.version)
        const begun = await beginStage(
          trx,
          caller.actor,
          c,
          p.id,
          stage,
          {
            seq: steps.length + 1,
            round,
            on: on.value,
            ...(specified.value !== undefined && stage.period?.kind === 'at-least'
              ? { specifiedDays: specified.value }
              : {}),
            ...(check.deadline ? { deadline: check.deadline } : {}),
            ...periodOf(stage, values, specified.value),
            ...(school ? { school } : {}),
            notes,
          },
          days,
        )
        await audit(trx, clock, caller.actor, caller.request, 'sao.stage', [
          {
            caseId: c.id,
            childId: c.child_id,
            detail: { processId: p.id, stage: stage.key, round, letters: begun.letters },
          },
        ])
      })
    },

    /** Ends a process early (the family moved away, the child was found on a roll elsewhere), with why. */
    async end(caller: Caller, processId: string, raw: { reason?: string }, expectedVersion?: number): Promise<void> {
      await db.transaction().execute(async trx => {
        const { p, c, steps } = await processOf(trx, caller, processId)
        if (p.status !== 'open')
          throw new ValidationError([{ field: 'reason', message: 'This process has already ended' }])
        const reason = text(raw.reason)
        if (reason === '') throw new ValidationError([{ field: 'reason', message: 'Enter why the process is ending' }])
        if (reason.length > 2000)
          throw new ValidationError([{ field: 'reason', message: 'Reason must be 2,000 characters or fewer' }])
        const today = clock.today()
        await bump(trx, p.id, expectedVersion, p.version, { status: 'ended', ended_on: today, end_reason: reason })
        const openTasks = steps.map(s => s.task_id).filter((t): t is string => t !== null)
        if (openTasks.length > 0)
          await trx
            .updateTable('tasks')
            .set({ done_on: today, done_by: caller.actor.id })
            .where('id', 'in', openTasks)
            .where('done_on', 'is', null)
            .execute()
        await recordCaseEvent(trx, clock, caller.actor, c.id, 'sao.end', 'School attendance order process ended', {
          processId: p.id,
          reasons: reason,
        })
        await audit(trx, clock, caller.actor, caller.request, 'sao.end', [
          { caseId: c.id, childId: c.child_id, detail: { processId: p.id } },
        ])
      })
    },
  }
}

export type SaoService = ReturnType<typeof createSaoService>
