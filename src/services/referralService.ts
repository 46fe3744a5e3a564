/**
 * The CME referral (Appendix A): drafts saved page by page, submission of a complete referral
 * (online, on a caller's behalf, or by API with an Idempotency-Key), receipt by the CME team as a
 * child and a case on the Single List, possible duplicates, return as incomplete and resubmission.
 */
import type { Insertable, Transaction } from 'kysely'
import { can } from '../domain/access.js'
import type { Actor } from '../domain/actor.js'
import { CASEWORK_ROLES, hasAnyRole } from '../domain/roles.js'
import { nameKey } from '../domain/names.js'
import {
  REFERRAL_SECTIONS,
  isSectionKey,
  safeguardingFlags,
  safeguardingPrompts,
  validateReferral,
  validateSection,
  type Problem,
  type Referral,
  type ReferralDraft,
  type SectionKey,
} from '../domain/referral.js'
import { MATCH_THRESHOLD, phoneticKey, scoreMatch } from '../matching/childMatch.js'
import { engineOf } from '../data/db.js'
import { newId } from '../data/ids.js'
import { nextInSequence } from '../data/repositories/referenceRepository.js'
import type { ChildTable, Database } from '../data/schema.js'
import { audit, type AuditSubject } from './audit.js'
import { recordCaseEvent } from './caseEvents.js'
import type { Caller, Deps } from './deps.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.js'
import type { MailService } from './mailService.js'

/** What is kept of a referral being written: valid sections, and what was last typed on each page. */
export interface DraftDocument {
  sections: ReferralDraft
  typed: Partial<Record<SectionKey, Record<string, unknown>>>
  invalid: SectionKey[]
}

export type SectionState = 'completed' | 'in-progress' | 'not-started'

export interface ReferralSummary {
  id: string
  reference: string | null
  status: string
  childName: string | null
  updatedAt: string
  submittedAt: string | null
  returnReasons: string | null
  caseId: string | null
}

const emptyDraft = (): DraftDocument => ({ sections: {}, typed: {}, invalid: [] })

const parseDraft = (text: string): DraftDocument => ({
  ...emptyDraft(),
  ...(JSON.parse(text) as Partial<DraftDocument>),
})

export const EDITABLE_STATUSES = ['draft', 'returned'] as const

type ReferralRow = Awaited<ReturnType<typeof loadRow>>

async function loadRow(trx: Transaction<Database>, id: string) {
  return trx.selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The referrer's organisation works on its own referrals; the LA's CME team on any in its LA. */
function mayUse(actor: Actor, row: { la_code: string; referrer_org_id: string }): boolean {
  if (actor.laCode !== row.la_code) return false
  return row.referrer_org_id === actor.organisationId || hasAnyRole(actor.roles, CASEWORK_ROLES)
}

/** The siblings referred as missing education too: each becomes a case (which needs a date of birth). */
function siblingsReferredToo(referral: Referral) {
  if (referral.siblings.answer !== 'yes') return []
  return referral.siblings.list.flatMap(s =>
    s.alsoReferred === 'yes' && s.dateOfBirth !== 'not-known' ? [{ ...s, dateOfBirth: s.dateOfBirth }] : [],
  )
}

export function createReferralService({ db, clock, config }: Deps, mail: MailService) {
  const today = () => clock.today()

  async function requireRow(trx: Transaction<Database>, caller: Caller, id: string): Promise<NonNullable<ReferralRow>> {
    const row = await loadRow(trx, id)
    if (!row) throw new NotFoundError('Referral')
    if (!mayUse(caller.actor, row)) throw new ForbiddenError('referral:view')
    return row
  }

  const formatReference = (year: string, n: number) => `CME-${year}-${String(n).padStart(6, '0')}`

  /** Allocates "CME-2026-000123" for the year of submission: one taken in advance if there is one. */
  async function allocateReference(trx: Transaction<Database>, taken: string[] = []): Promise<string> {
    const ready = taken.shift()
    if (ready) return ready
    const year = today().slice(0, 4)
    return formatReference(year, await nextInSequence(trx, `CME-${year}`))
  }

  /**
   * References for a new submission, taken before its transaction on PostgreSQL: the counter row,
   * locked from allocation to commit, would otherwise make every other submission wait for the whole
   * of this one. Taken in a statement of their own, the lock lasts one statement. A submission that
   * then fails leaves a gap in the numbers, which is harmless. On SQLite, which has one writer however
   * it is done, they are taken inside the transaction (none in advance).
   */
  async function takeReferences(referral: Referral): Promise<string[]> {
    if (engineOf(db) !== 'postgres') return []
    const count = 1 + siblingsReferredToo(referral).length
    const year = today().slice(0, 4)
    const last = await nextInSequence(db, `CME-${year}`, count)
    return Array.from({ length: count }, (_, i) => formatReference(year, last - count + 1 + i))
  }

  async function schoolIdFor(trx: Transaction<Database>, laCode: string, referral: Referral): Promise<string | null> {
    const last = referral.school.lastSchool
    if (last.answer !== 'known' || !last.urn) return null
    const org = await trx
      .selectFrom('organisations')
      .select('id')
      .where('urn', '=', last.urn)
      .where('la_code', '=', laCode)
      .executeTakeFirst()
    return org?.id ?? null
  }

  /** Children already known who may be this child: blocking on UPN, date of birth or phonetic last name, then scored. */
  async function findPossibleMatches(
    trx: Transaction<Database>,
    laCode: string,
    childId: string,
    child: Pick<
      Insertable<ChildTable>,
      'first_name' | 'last_name' | 'date_of_birth' | 'upn' | 'postcode' | 'phonetic_key'
    >,
  ) {
    const candidates = await trx
      .selectFrom('children')
      .leftJoin('cases', 'cases.child_id', 'children.id')
      .select([
        'children.id',
        'children.first_name',
        'children.last_name',
        'children.date_of_birth',
        'children.upn',
        'children.postcode',
        'cases.id as case_id',
        'cases.status as case_status',
      ])
      .where('children.la_code', '=', laCode)
      .where('children.id', '!=', childId)
      .where(eb =>
        eb.or([
          ...(child.upn ? [eb('children.upn', '=', child.upn)] : []),
          eb('children.date_of_birth', '=', child.date_of_birth),
          ...(child.phonetic_key ? [eb('children.phonetic_key', '=', child.phonetic_key)] : []),
        ]),
      )
      .limit(200)
      .execute()
    const referred = {
      firstName: child.first_name,
      lastName: child.last_name,
      dateOfBirth: child.date_of_birth,
      upn: child.upn ?? null,
      postcode: child.postcode ?? null,
    }
    const best = new Map<string, { childId: string; caseId: string | null; score: number; reasons: string[] }>()
    for (const c of candidates) {
      const m = scoreMatch(referred, {
        firstName: c.first_name,
        lastName: c.last_name,
        dateOfBirth: c.date_of_birth,
        upn: c.upn,
        postcode: c.postcode,
      })
      if (m.score < MATCH_THRESHOLD) continue
      const previous = best.get(c.id)
      // Prefer the candidate's open case, if it has one, so the officer sees the live case.
      const open = c.case_status !== null && c.case_status !== 'closed' && c.case_status !== 'transferred'
      if (!previous || (open && previous.caseId === null))
        best.set(c.id, { childId: c.id, caseId: c.case_id, score: m.score, reasons: m.reasons })
    }
    return [...best.values()].sort((a, b) => b.score - a.score).slice(0, 10)
  }

  /** A child (and their case) from the referral, with the family around them. */
  async function createChildAndCase(
    trx: Transaction<Database>,
    caller: Caller,
    row: NonNullable<ReferralRow>,
    referral: Referral,
    person: Referral['child'],
    familyId: string,
    reference: string,
  ): Promise<{ childId: string; caseId: string; possibleDuplicate: boolean }> {
    const now = clock.now().toISOString()
    const childId = newId()
    const social = person.socialCare
    const postcode = referral.address.current.answer === 'known' ? referral.address.current.postcode : null
    const childRow: Insertable<ChildTable> = {
      id: childId,
      la_code: row.la_code,
      first_name: person.firstName,
      last_name: person.lastName,
      other_names: person.otherNames.length > 0 ? person.otherNames.join(', ') : null,
      date_of_birth: person.dateOfBirth,
      gender: person.gender,
      ethnicity: person.ethnicity,
      upn: person.upn ?? null,
      former_upn: null,
      ehcp: person.ehcp === 'yes' ? 1 : 0,
      free_school_meals: person.freeSchoolMeals === 'yes' ? 1 : 0,
      cp_plan: social.answer === 'yes' && social.cpPlan === 'yes' ? 1 : 0,
      child_in_need: social.answer === 'yes' && social.childInNeed === 'yes' ? 1 : 0,
      looked_after: social.answer === 'yes' && social.lookedAfter === 'yes' ? 1 : 0,
      social_worker: social.answer === 'yes' && social.socialWorker.answer === 'yes' ? social.socialWorker.name : null,
      name_key: nameKey(person.firstName, person.lastName),
      phonetic_key: phoneticKey(person.lastName),
      postcode,
      family_id: familyId,
      created_at: now,
      updated_at: now,
    }
    await trx.insertInto('children').values(childRow).execute()
    const flags = safeguardingFlags(person === referral.child ? referral : { ...referral, child: person }, {
      today: today(),
    })
    const caseId = newId()
    await trx
      .insertInto('cases')
      .values({
        id: caseId,
        reference,
        la_code: row.la_code,
        child_id: childId,
        status: 'received',
        priority: null,
        priority_reason: null,
        school_id: await schoolIdFor(trx, row.la_code, referral),
        referrer_org_id: row.referrer_org_id,
        referral_id: row.id,
        referred_on: today(),
        assigned_to: null,
        next_action: 'Triage the referral',
        next_action_due: null,
        triage_due: null,
        flag_cp_plan: flags.cpPlan ? 1 : 0,
        flag_looked_after: flags.lookedAfter ? 1 : 0,
        flag_ehcp: flags.ehcp ? 1 : 0,
        flag_believed_abroad: referral.abroad.answer === 'yes' ? 1 : 0,
        flag_lead_professional: flags.socialWorker || flags.familySocialCare ? 1 : 0,
        outcome: null,
        closed_on: null,
        created_at: now,
        updated_at: now,
      })
      .execute()
    const matches = await findPossibleMatches(trx, row.la_code, childId, childRow)
    for (const m of matches)
      await trx
        .insertInto('possible_matches')
        .values({
          id: newId(),
          case_id: caseId,
          candidate_child_id: m.childId,
          candidate_case_id: m.caseId,
          score: m.score,
          reasons: JSON.stringify(m.reasons),
          status: 'open',
          decided_by: null,
          decided_at: null,
        })
        .execute()
    if (matches.length > 0)
      await trx.updateTable('cases').set({ possible_duplicate: 1 }).where('id', '=', caseId).execute()
    return { childId, caseId, possibleDuplicate: matches.length > 0 }
  }

  // Who gets the new-referral notice changes rarely; a minute's staleness saves a query per submission.
  const teamCache = new Map<string, { at: number; addresses: string[] }>()

  /** Emails carry the reference and a link, never the child's name. */
  async function cmeTeamAddresses(trx: Transaction<Database>, laCode: string): Promise<string[]> {
    const cached = teamCache.get(laCode)
    if (cached && clock.now().getTime() - cached.at < 60_000) return cached.addresses
    const rows = await trx
      .selectFrom('users')
      .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
      .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
      .select('users.email')
      .where('user_roles.role', '=', 'cme-information-officer')
      .where('users.active', '=', 1)
      .where('organisations.la_code', '=', laCode)
      .execute()
    const addresses = [...new Set(rows.map(r => r.email))]
    teamCache.set(laCode, { at: clock.now().getTime(), addresses })
    return addresses
  }

  /**
   * Stores the referral exactly as submitted (a new immutable version) and puts the child on the
   * Single List: a new case on first submission, the same case back to "received" on resubmission.
   */
  async function submitInTransaction(
    trx: Transaction<Database>,
    caller: Caller,
    row: NonNullable<ReferralRow>,
    referral: Referral,
    lockVersion: number,
    taken: string[] = [],
  ): Promise<{ reference: string; caseId: string }> {
    const now = clock.now().toISOString()
    const version = row.current_version + 1
    const reference = row.reference ?? (await allocateReference(trx, taken))
    const claimed = await trx
      .updateTable('referrals')
      .set({
        status: 'submitted',
        reference,
        current_version: version,
        submitted_at: now,
        updated_at: now,
        return_reasons: null,
        draft: JSON.stringify({ sections: referral, typed: {}, invalid: [] } satisfies DraftDocument),
        lock_version: lockVersion + 1,
      })
      .where('id', '=', row.id)
      .where('lock_version', '=', lockVersion)
      .where('status', 'in', EDITABLE_STATUSES)
      .executeTakeFirst()
    // A second click, or a second tab, finds the referral already submitted: nothing is done twice.
    if (Number(claimed.numUpdatedRows) === 0) throw new ConflictError('The referral')
    await trx
      .insertInto('referral_versions')
      .values({
        id: newId(),
        referral_id: row.id,
        version,
        document: JSON.stringify(referral),
        submitted_by: caller.actor.id,
        submitted_at: now,
      })
      .execute()

    let caseId = row.case_id
    let childId: string
    const audited: AuditSubject[] = []
    if (caseId) {
      await trx
        .updateTable('cases')
        .set({ status: 'received', updated_at: now, next_action: 'Triage the referral' })
        .where('id', '=', caseId)
        .execute()
      childId = (await trx.selectFrom('cases').select('child_id').where('id', '=', caseId).executeTakeFirstOrThrow())
        .child_id
      await recordCaseEvent(
        trx,
        clock,
        caller.actor,
        caseId,
        'referral.resubmitted',
        `Referral resubmitted (version ${String(version)})`,
        { version },
      )
    } else {
      const familyId = newId()
      const main = await createChildAndCase(trx, caller, row, referral, referral.child, familyId, reference)
      caseId = main.caseId
      childId = main.childId
      await trx.updateTable('referrals').set({ case_id: caseId }).where('id', '=', row.id).execute()
      await recordCaseEvent(
        trx,
        clock,
        caller.actor,
        caseId,
        'referral.received',
        `Referral received (version 1) by ${row.channel === 'api' ? 'API' : row.channel === 'on-behalf' ? 'the CME team on the referrer’s behalf' : 'the online form'}`,
        { version },
      )
      if (main.possibleDuplicate)
        await recordCaseEvent(
          trx,
          clock,
          caller.actor,
          caseId,
          'referral.possible-duplicate',
          'Possible match with a child already known: check before triage',
        )
      if (referral.address.responsibleAdults.answer === 'known')
        await trx
          .insertInto('family_members')
          .values(
            referral.address.responsibleAdults.list.map(a => ({
              id: newId(),
              la_code: row.la_code,
              family_id: familyId,
              name: a.name,
              relationship: a.relationship,
              phones: JSON.stringify(a.phones),
              email: a.email ?? null,
              created_at: now,
            })),
          )
          .execute()
      // Each sibling is a child in their own right: those referred too get their own case in the same family.
      for (const s of siblingsReferredToo(referral)) {
        const siblingRef = await allocateReference(trx, taken)
        const sib = await createChildAndCase(trx, caller, row, referral, s, familyId, siblingRef)
        await recordCaseEvent(
          trx,
          clock,
          caller.actor,
          sib.caseId,
          'referral.received',
          `Referred as a sibling in ${reference}`,
          { version },
        )
        audited.push({ caseId: sib.caseId, childId: sib.childId, detail: { referralId: row.id } })
      }
    }
    audited.unshift({ caseId, childId, detail: { referralId: row.id, version } })
    const link = `${config.serviceUrl}/referrals/${row.id}`
    await mail.queue(trx, row.la_code, [
      {
        to: referral.referrer.email,
        subject: `Referral ${reference} received`,
        body: `Thank you. The children missing education team has received referral ${reference}${version > 1 ? ` (version ${String(version)})` : ''}.\n\nYou can see its progress at ${link}\n\nIf the child may be at risk of harm, follow your safeguarding procedure now: do not wait for this referral.`,
      },
      ...(await cmeTeamAddresses(trx, row.la_code)).map(to => ({
        to,
        subject: `New CME referral ${reference}${version > 1 ? ' (resubmitted)' : ''}`,
        body: `Referral ${reference} is waiting for triage on the Single List.\n\n${config.serviceUrl}/cases/${caseId}`,
      })),
    ])
    // Last, because writing the audit trail locks its head until commit: the shorter, the better.
    await audit(trx, clock, caller.actor, caller.request, 'referral.submit', audited)
    return { reference, caseId }
  }

  function afterCommitDeliver(): void {
    void mail.deliverPending().catch(() => undefined)
  }

  return {
    /** The caller's organisation's referrals (the CME team: those it entered on callers' behalf). */
    async listMine(caller: Caller): Promise<ReferralSummary[]> {
      if (!can(caller.actor, 'referral:create')) throw new ForbiddenError('referral:create')
      return db.transaction().execute(async trx => {
        const rows = await trx
          .selectFrom('referrals')
          .selectAll()
          .where('la_code', '=', caller.actor.laCode)
          .where('referrer_org_id', '=', caller.actor.organisationId)
          .orderBy('updated_at', 'desc')
          .limit(200)
          .execute()
        await audit(
          trx,
          clock,
          caller.actor,
          caller.request,
          'referral.list',
          rows.map(r => ({ caseId: r.case_id, detail: { referralId: r.id } })),
        )
        return rows.map(r => {
          const child = parseDraft(r.draft).sections.child
          return {
            id: r.id,
            reference: r.reference,
            status: r.status,
            childName: child ? `${child.firstName} ${child.lastName}` : null,
            updatedAt: r.updated_at,
            submittedAt: r.submitted_at,
            returnReasons: r.return_reasons,
            caseId: r.case_id,
          }
        })
      })
    },

    /** A new draft with the referrer's details filled in from the signed-in person. */
    async start(caller: Caller, options: { onBehalf?: boolean } = {}): Promise<string> {
      if (!can(caller.actor, 'referral:create')) throw new ForbiddenError('referral:create')
      const onBehalf = options.onBehalf === true && hasAnyRole(caller.actor.roles, CASEWORK_ROLES)
      const id = newId()
      const now = clock.now().toISOString()
      const user = await db
        .selectFrom('users')
        .select(['email', 'phone', 'name'])
        .where('id', '=', caller.actor.id)
        .executeTakeFirst()
      const draft = emptyDraft()
      if (!onBehalf)
        draft.typed.referrer = {
          'referrer.kind': caller.actor.organisationKind === 'school' ? 'school' : 'partner',
          'referrer.name': user?.name ?? caller.actor.name,
          'referrer.organisation': caller.actor.organisationName,
          'referrer.email': user?.email ?? '',
          'referrer.phone': user?.phone ?? '',
          'referrer.received.how': 'online',
        }
      await db.transaction().execute(async trx => {
        await trx
          .insertInto('referrals')
          .values({
            id,
            la_code: caller.actor.laCode,
            reference: null,
            status: 'draft',
            referrer_org_id: caller.actor.organisationId,
            created_by: caller.actor.id,
            channel: onBehalf ? 'on-behalf' : 'online',
            draft: JSON.stringify(draft),
            case_id: null,
            return_reasons: null,
            idempotency_key: null,
            created_at: now,
            updated_at: now,
            submitted_at: null,
          })
          .execute()
        await audit(trx, clock, caller.actor, caller.request, 'referral.start', [{ detail: { referralId: id } }])
      })
      return id
    },

    /** A referral as its referrer (or the CME team) sees it while writing or reading it. */
    async get(caller: Caller, id: string) {
      return db.transaction().execute(async trx => {
        const row = await requireRow(trx, caller, id)
        const draft = parseDraft(row.draft)
        await audit(trx, clock, caller.actor, caller.request, 'referral.view', [
          { caseId: row.case_id, detail: { referralId: id } },
        ])
        const states = Object.fromEntries(
          REFERRAL_SECTIONS.map(s => [
            s.key,
            draft.invalid.includes(s.key)
              ? 'in-progress'
              : draft.sections[s.key]
                ? 'completed'
                : draft.typed[s.key]
                  ? 'in-progress'
                  : 'not-started',
          ]),
        ) as Record<SectionKey, SectionState>
        const versions = await trx
          .selectFrom('referral_versions')
          .select(['version', 'submitted_at'])
          .where('referral_id', '=', id)
          .orderBy('version')
          .execute()
        return {
          row,
          draft,
          states,
          prompts: safeguardingPrompts(draft.sections),
          editable: (EDITABLE_STATUSES as readonly string[]).includes(row.status),
          versions,
        }
      })
    },

    /**
     * Saves one page. What was typed is always kept (so a timeout or a mistake loses nothing); the
     * section counts as completed only when it passes its schema and rules.
     */
    async saveSection(
      caller: Caller,
      id: string,
      key: string,
      typed: Record<string, unknown>,
      input: unknown,
    ): Promise<{ ok: true } | { ok: false; problems: Problem[] }> {
      if (!isSectionKey(key)) throw new NotFoundError('Section')
      return db.transaction().execute(async trx => {
        const row = await requireRow(trx, caller, id)
        if (!(EDITABLE_STATUSES as readonly string[]).includes(row.status)) throw new ConflictError('The referral')
        const draft = parseDraft(row.draft)
        const result = validateSection(key, input, { today: today(), draft: draft.sections })
        draft.typed[key] = typed
        if (result.success) {
          draft.sections = { ...draft.sections, [key]: result.data }
          draft.invalid = draft.invalid.filter(k => k !== key)
        } else {
          const { [key]: _dropped, ...rest } = draft.sections
          draft.sections = rest
          if (!draft.invalid.includes(key)) draft.invalid.push(key)
        }
        await trx
          .updateTable('referrals')
          .set({
            draft: JSON.stringify(draft),
            updated_at: clock.now().toISOString(),
            lock_version: row.lock_version + 1,
          })
          .where('id', '=', id)
          .execute()
        await audit(trx, clock, caller.actor, caller.request, 'referral.save', [
          { caseId: row.case_id, detail: { referralId: id, section: key } },
        ])
        return result.success ? { ok: true } : { ok: false, problems: result.problems }
      })
    },

    /** Check your answers: the whole referral validated as on submit. */
    async check(caller: Caller, id: string): Promise<{ problems: Problem[] }> {
      const row = await db.transaction().execute(trx => requireRow(trx, caller, id))
      const draft = parseDraft(row.draft)
      const missing: Problem[] = REFERRAL_SECTIONS.filter(s => !draft.sections[s.key]).map(s => ({
        field: s.key,
        message: `Complete the '${s.title}' section`,
      }))
      if (missing.length > 0) return { problems: missing }
      const result = validateReferral(draft.sections, { today: today() })
      return { problems: result.success ? [] : result.problems }
    },

    /** Submits the draft if complete. A repeated submit (double click) finds it already submitted. */
    async submit(
      caller: Caller,
      id: string,
      declaration: boolean,
    ): Promise<{ ok: true; reference: string } | { ok: false; problems: Problem[] }> {
      if (!declaration)
        return {
          ok: false,
          problems: [
            { field: 'declaration', message: 'Confirm that the information is correct to the best of your knowledge' },
          ],
        }
      const { problems } = await this.check(caller, id)
      if (problems.length > 0) return { ok: false, problems }
      try {
        const result = await db.transaction().execute(async trx => {
          const row = await requireRow(trx, caller, id)
          const draft = parseDraft(row.draft)
          const valid = validateReferral(draft.sections, { today: today() })
          if (!valid.success) throw new ValidationError(valid.problems)
          return submitInTransaction(trx, caller, row, valid.data, row.lock_version)
        })
        afterCommitDeliver()
        return { ok: true, reference: result.reference }
      } catch (err) {
        if (err instanceof ConflictError) {
          const row = await db
            .selectFrom('referrals')
            .select(['reference', 'status'])
            .where('id', '=', id)
            .executeTakeFirst()
          if (row?.reference && row.status !== 'draft' && row.status !== 'returned')
            return { ok: true, reference: row.reference }
        }
        throw err
      }
    },

    /**
     * A referral from another system: the whole referral at once. The same Idempotency-Key from the
     * same organisation returns the first result instead of making a duplicate.
     */
    async submitFromApi(caller: Caller, body: unknown, idempotencyKey: string | undefined) {
      if (!can(caller.actor, 'referral:create')) throw new ForbiddenError('referral:create')
      const existing = async () =>
        idempotencyKey
          ? db
              .selectFrom('referrals')
              .select(['reference', 'status'])
              .where('referrer_org_id', '=', caller.actor.organisationId)
              .where('idempotency_key', '=', idempotencyKey)
              .executeTakeFirst()
          : undefined
      const first = await existing()
      if (first?.reference) return { reference: first.reference, status: first.status, replayed: true }
      const valid = validateReferral(body, { today: today() })
      if (!valid.success)
        throw new ValidationError(
          valid.problems.map(p => ({ field: `/${p.field.replace(/\./g, '/')}`, message: p.message })),
        )
      const taken = await takeReferences(valid.data)
      try {
        const result = await db.transaction().execute(async trx => {
          const id = newId()
          const now = clock.now().toISOString()
          // Built here rather than read back after the insert: one query fewer on the API's hot path.
          const row: NonNullable<ReferralRow> = {
            id,
            la_code: caller.actor.laCode,
            reference: null,
            status: 'draft',
            referrer_org_id: caller.actor.organisationId,
            created_by: caller.actor.id,
            channel: 'api',
            draft: JSON.stringify({ sections: valid.data, typed: {}, invalid: [] } satisfies DraftDocument),
            current_version: 0,
            case_id: null,
            return_reasons: null,
            idempotency_key: idempotencyKey ?? null,
            created_at: now,
            updated_at: now,
            submitted_at: null,
            lock_version: 1,
          }
          await trx.insertInto('referrals').values(row).execute()
          return submitInTransaction(trx, caller, row, valid.data, row.lock_version, taken)
        })
        afterCommitDeliver()
        return { reference: result.reference, status: 'submitted', replayed: false }
      } catch (err) {
        // Two retries racing with one key: the unique index lets one through; the other returns its result.
        const winner = await existing()
        if (winner?.reference) return { reference: winner.reference, status: winner.status, replayed: true }
        throw err
      }
    },

    /** The referral's progress for the organisation that made it; anyone else gets "not found". */
    async statusByReference(caller: Caller, reference: string) {
      return db.transaction().execute(async trx => {
        const row = await trx
          .selectFrom('referrals')
          .leftJoin('cases', 'cases.id', 'referrals.case_id')
          .select([
            'referrals.id',
            'referrals.reference',
            'referrals.status',
            'referrals.submitted_at',
            'referrals.return_reasons',
            'referrals.current_version',
            'referrals.case_id',
            'cases.status as case_status',
            'cases.closed_on',
          ])
          .where('referrals.reference', '=', reference)
          .where('referrals.referrer_org_id', '=', caller.actor.organisationId)
          .where('referrals.la_code', '=', caller.actor.laCode)
          .executeTakeFirst()
        if (!row?.reference) throw new NotFoundError('Referral')
        await audit(trx, clock, caller.actor, caller.request, 'referral.status', [
          { caseId: row.case_id, detail: { referralId: row.id } },
        ])
        return row
      })
    },

    /** The CME team sends an incomplete referral back with its reasons; the referrer amends and resubmits. */
    async returnIncomplete(caller: Caller, caseId: string, reasons: string): Promise<void> {
      if (!can(caller.actor, 'case:work')) throw new ForbiddenError('case:work')
      if (reasons.trim() === '')
        throw new ValidationError([
          { field: 'reasons', message: 'Explain what is missing or wrong, so the referrer can put it right' },
        ])
      await db.transaction().execute(async trx => {
        const c = await trx
          .selectFrom('cases')
          .select(['id', 'status', 'la_code', 'referral_id', 'child_id', 'reference'])
          .where('id', '=', caseId)
          .executeTakeFirst()
        if (!c || c.la_code !== caller.actor.laCode || !c.referral_id) throw new NotFoundError('Case')
        if (c.status !== 'received')
          throw new ValidationError([
            { field: 'reasons', message: 'Only a referral waiting for triage can be returned' },
          ])
        const now = clock.now().toISOString()
        await trx
          .updateTable('cases')
          .set({ status: 'returned', updated_at: now, next_action: 'Waiting for the referrer to resubmit' })
          .where('id', '=', caseId)
          .execute()
        const referral = await trx
          .selectFrom('referrals')
          .selectAll()
          .where('id', '=', c.referral_id)
          .executeTakeFirstOrThrow()
        const draft = parseDraft(referral.draft)
        await trx
          .updateTable('referrals')
          .set({
            status: 'returned',
            return_reasons: reasons.trim(),
            updated_at: now,
            lock_version: referral.lock_version + 1,
          })
          .where('id', '=', referral.id)
          .execute()
        await recordCaseEvent(
          trx,
          clock,
          caller.actor,
          caseId,
          'referral.returned',
          'Referral returned to the referrer as incomplete',
          { reasons: reasons.trim() },
        )
        await audit(trx, clock, caller.actor, caller.request, 'referral.return', [
          { caseId, childId: c.child_id, detail: { referralId: referral.id } },
        ])
        if (draft.sections.referrer)
          await mail.queue(trx, c.la_code, [
            {
              to: draft.sections.referrer.email,
              subject: `Referral ${c.reference} needs more information`,
              body: `The children missing education team has returned referral ${c.reference} because it is incomplete. Their reasons and your answers are at ${config.serviceUrl}/referrals/${referral.id}. Please amend and resubmit it.`,
            },
          ])
      })
      afterCommitDeliver()
    },
  }
}
export type ReferralService = ReturnType<typeof createReferralService>
