import { createAdminService } from './adminService.js'
import { createAuditService } from './auditService.js'
import { createCalendarService } from './calendarService.js'
import { createCaseService } from './caseService.js'
import { createCaseWorkService } from './caseWorkService.js'
import type { Deps } from './deps.js'
import { createHealthService } from './healthService.js'
import { createJobService } from './jobService.js'
import { createMailService } from './mailService.js'
import { createOversightService } from './oversightService.js'
import { createPolicyService } from './policyService.js'
import { createReferralService } from './referralService.js'
import { createRulesService } from './rulesService.js'
import { createScheduledWorkService } from './scheduledWorkService.js'
import { createSessionService } from './sessionService.js'
import { createSingleListService } from './singleListService.js'
import { createUserService } from './userService.js'
import { createLetterService } from './letterService.js'
import { createSaoService } from './saoService.js'
import { createEscalationService } from './escalationService.js'
import { createUnfoundReviewService } from './unfoundReviewService.js'
import { createHalfTermNoteService } from './halfTermNoteService.js'
import { createAdmissionService } from './admissionService.js'
import { createCtfService } from './ctfService.js'
import { createJointEnquiryService } from './jointEnquiryService.js'
import { createLeavingService, type LeavingDependencies } from './leavingService.js'
import { createReturnsService } from './returnsService.js'
import { createSaoLookup } from './saoLookup.js'
import { createRollService } from './rollService.js'
import { createConcernService } from './concernService.js'

/** The composition root: every service, built once from the same dependencies. */
export function createServices(deps: Deps) {
  const mail = createMailService(deps)
  const calendars = createCalendarService(deps)
  const schoolDaysFor = (laCode: string, schoolId: string | null) =>
    calendars.schoolDaysForSchool(laCode, schoolId ? { id: schoolId } : undefined)
  const policy = createPolicyService(deps)
  const referrals = createReferralService(deps, mail)
  const ctf = createCtfService(deps, calendars, policy)
  const leavingDeps: LeavingDependencies = {
    calendars,
    policy,
    mail,
    saoNamesSchool: createSaoLookup(deps.db),
  }
  return {
    mail,
    admin: createAdminService(deps),
    audit: createAuditService(deps),
    calendars,
    caseWork: createCaseWorkService(deps, mail, schoolDaysFor),
    cases: createCaseService(deps, schoolDaysFor),
    health: createHealthService(deps),
    policy,
    jobs: createJobService(deps),
    oversight: createOversightService(deps),
    scheduledWork: createScheduledWorkService(deps, mail, calendars, policy),
    referrals,
    rules: createRulesService(deps),
    sessions: createSessionService(deps),
    singleList: createSingleListService(deps, calendars),
    users: createUserService(deps),
    letters: createLetterService(deps),
    sao: createSaoService(deps, policy, schoolDaysFor),
    escalations: createEscalationService(deps, mail, schoolDaysFor),
    unfoundReviews: createUnfoundReviewService(deps, schoolDaysFor),
    halfTermNotes: createHalfTermNoteService(deps),
    leaving: createLeavingService(deps, leavingDeps),
    admissions: createAdmissionService(deps, calendars, policy),
    ctf,
    returns: createReturnsService(deps, ctf),
    jointEnquiries: createJointEnquiryService(deps),
    roll: createRollService(deps),
    concerns: createConcernService(deps, calendars, policy),
  }
}

export type Services = ReturnType<typeof createServices>
