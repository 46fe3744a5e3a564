import { addDays, isIsoDate, type IsoDate } from '../domain/dates.js'
import {
  checkDeletion,
  DELETION_GROUNDS,
  deletionReturnFields,
  type DeletionCheck,
  type GroundCheck,
  type GroundLetter,
  type PupilFacts,
  type ReturnField,
} from '../domain/deletion.js'
import { computeDeadline, type Deadline, type PolicyRuleKey } from '../domain/policy.js'
import { compulsorySchoolAge, isOfCompulsorySchoolAge } from '../domain/schoolAge.js'
import type { Answer, SchoolDays } from '../domain/schoolDays.js'
import { checkUpn, type UpnCheck } from '../domain/upn.js'
import { listOrganisations } from '../data/repositories/organisationRepository.js'
import { createCalendarService, type SchoolRef } from './calendarService.js'
import type { Deps } from './deps.js'
import { createPolicyService } from './policyService.js'

export interface CompulsorySchoolAgeAnswer {
  dateOfBirth: IsoDate
  startsOn: IsoDate
  endsOn: IsoDate
  on?: IsoDate
  isOfCompulsorySchoolAge?: boolean
}

/** The facts a school gives; the last day attended may instead be given as the first day of absence. */
export type DeletionFacts = Omit<PupilFacts, 'lastAttendedOn'> & {
  lastAttendedOn?: IsoDate | undefined
  firstDayOfAbsence?: IsoDate | undefined
}

export interface GroundResult extends GroundCheck {
  title: string
  regulation: string
  confidence: string
}

export interface DeletionCheckResult {
  today: IsoDate
  /** The calendar the school days were counted in. */
  calendar: string
  /** The policy version whose numbers (Ground I and H days, code N) were used. */
  policyVersion: number
  lastAttendedOn: IsoDate
  check: DeletionCheck
  grounds: GroundResult[]
  /** The deletion return's fields for each ground that applies today or is only waiting for time. */
  returns: { ground: GroundLetter; title: string; fields: ReturnField[] }[]
}

/**
 * The last school day before the first day of absence, which is what the deletion rules count
 * from. If the calendar cannot say, the day before is used: the Ground I count then reports the
 * calendar's problem itself, so nothing is guessed.
 */
export function lastSchoolDayBefore(date: IsoDate, days: SchoolDays): IsoDate {
  for (let back = 1; back <= 366; back += 1) {
    const day = addDays(date, -back)
    const is = days.isSchoolDay(day)
    if (!is.ok) break
    if (is.value) return day
  }
  return addDays(date, -1)
}

/** The rules engine for people and other systems: nothing here stores or reads personal data. */
export function createRulesService(deps: Deps) {
  const { db, clock } = deps
  const calendars = createCalendarService(deps)
  const policy = createPolicyService(deps)

  return {
    /** Today in England: deletion is never retrospective, so the check is always as at today. */
    today(): IsoDate {
      return clock.today()
    },

    compulsorySchoolAge(dateOfBirth: IsoDate, on?: IsoDate): CompulsorySchoolAgeAnswer {
      const { startsOn, endsOn } = compulsorySchoolAge(dateOfBirth)
      return {
        dateOfBirth,
        startsOn,
        endsOn,
        ...(on === undefined ? {} : { on, isOfCompulsorySchoolAge: isOfCompulsorySchoolAge(dateOfBirth, on) }),
      }
    },

    checkUpn(upn: string): UpnCheck {
      return checkUpn(upn)
    },

    /** Schools of the LA that have a URN, for choosing whose calendar to count in. */
    async schools(laCode: string): Promise<{ urn: string; name: string; id: string }[]> {
      const orgs = await listOrganisations(db, { laCode, kind: 'school' })
      return orgs.flatMap(o => (o.urn && o.active === 1 ? [{ urn: o.urn, name: o.name, id: o.id }] : []))
    },

    /** School days from `from` to `to`, both included. Throws NotFoundError for a school not in the LA. */
    async countSchoolDays(
      laCode: string,
      from: IsoDate,
      to: IsoDate,
      school?: SchoolRef,
    ): Promise<{ calendar: string; answer: Answer<number> }> {
      const days = await calendars.schoolDaysForSchool(laCode, school)
      return { calendar: days.name, answer: days.count(from, to) }
    },

    /** The Nth school day after `from` (`from` itself never counts). */
    async addSchoolDays(
      laCode: string,
      from: IsoDate,
      n: number,
      school?: SchoolRef,
    ): Promise<{ calendar: string; answer: Answer<IsoDate> }> {
      const days = await calendars.schoolDaysForSchool(laCode, school)
      return { calendar: days.name, answer: days.add(from, n) }
    },

    /**
     * A deadline under the policy in force on the day its clock starts, so the version it records
     * is the one that applied when the event happened, whatever is changed later.
     */
    async deadline(laCode: string, rule: PolicyRuleKey, from: IsoDate, school?: SchoolRef): Promise<Answer<Deadline>> {
      const days = await calendars.schoolDaysForSchool(laCode, school)
      return computeDeadline(rule, from, await policy.inForce(laCode, from), days)
    },

    /** May the school delete the name today, under which ground, and if not why not and from when. */
    async deletionCheck(laCode: string, facts: DeletionFacts, school?: SchoolRef): Promise<DeletionCheckResult> {
      const today = clock.today()
      const days = await calendars.schoolDaysForSchool(laCode, school)
      const inForce = await policy.inForce(laCode, today)
      const { firstDayOfAbsence, lastAttendedOn: given, ...rest } = facts
      const lastAttendedOn =
        given ??
        (firstDayOfAbsence && isIsoDate(firstDayOfAbsence) ? lastSchoolDayBefore(firstDayOfAbsence, days) : today)
      const check = checkDeletion(
        { ...rest, lastAttendedOn },
        {
          today,
          schoolDays: days,
          groundIDays: inForce.values.groundIAbsenceDays,
          groundHDays: inForce.values.groundHLeaveDays,
          codeNDays: inForce.values.codeNReplacedDays,
        },
      )
      const grounds = check.grounds.map(g => ({
        ...g,
        title: DELETION_GROUNDS[g.ground].title,
        regulation: DELETION_GROUNDS[g.ground].regulation,
        confidence: DELETION_GROUNDS[g.ground].confidence,
      }))
      return {
        today,
        calendar: days.name,
        policyVersion: inForce.version,
        lastAttendedOn,
        check,
        grounds,
        returns: grounds
          .filter(g => g.status === 'applies' || g.status === 'waiting')
          .map(g => ({ ground: g.ground, title: g.title, fields: deletionReturnFields(g.ground) })),
      }
    },
  }
}

export type RulesService = ReturnType<typeof createRulesService>
