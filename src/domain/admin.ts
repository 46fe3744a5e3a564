/** What an administrator enters about organisations and users, validated once for pages, CLI and API. */
import { z } from 'zod'
import {
  AGENCY_TYPES,
  ALL_ROLES,
  ORGANISATION_KINDS,
  ROLES_BY_ORGANISATION_KIND,
  SCHOOL_PHASES,
  SCHOOL_TYPES,
  type Role,
} from './roles.js'

const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]]

export const organisationInput = z
  .object({
    kind: z.enum(keys(ORGANISATION_KINDS), { error: 'Select the kind of organisation' }),
    name: z.string().trim().min(1, 'Enter the organisation name').max(200, 'Name must be 200 characters or fewer'),
    urn: z
      .string()
      .trim()
      .regex(/^\d{6}$/, 'URN must be 6 digits, like 100123')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    establishmentNumber: z
      .string()
      .trim()
      .regex(/^\d{4}$/, 'Establishment number must be 4 digits, like 2001')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    schoolType: z.enum(keys(SCHOOL_TYPES)).optional(),
    phase: z.enum(keys(SCHOOL_PHASES)).optional(),
    agencyType: z.enum(keys(AGENCY_TYPES)).optional(),
    email: z
      .email('Enter an email address in the correct format, like name@example.org')
      .optional()
      .or(z.literal('').transform(() => undefined)),
  })
  .superRefine((o, ctx) => {
    if (o.kind === 'school') {
      if (!o.urn) ctx.addIssue({ code: 'custom', path: ['urn'], message: 'Enter the school URN' })
      if (!o.establishmentNumber)
        ctx.addIssue({ code: 'custom', path: ['establishmentNumber'], message: 'Enter the DfE establishment number' })
      if (!o.schoolType) ctx.addIssue({ code: 'custom', path: ['schoolType'], message: 'Select the type of school' })
    }
    if (o.kind === 'partner' && !o.agencyType)
      ctx.addIssue({ code: 'custom', path: ['agencyType'], message: 'Select the kind of agency' })
  })
export type OrganisationInput = z.infer<typeof organisationInput>

export const userInput = z.object({
  name: z.string().trim().min(1, 'Enter the person’s full name').max(200, 'Name must be 200 characters or fewer'),
  email: z.email('Enter an email address in the correct format, like name@example.org').transform(e => e.toLowerCase()),
  organisationId: z.string().min(1, 'Select the organisation'),
  roles: z.array(z.enum(ALL_ROLES as [Role, ...Role[]])).min(1, 'Select at least one role'),
  phone: z.string().trim().max(40).optional(),
})
export type UserInput = z.infer<typeof userInput>

/** A role that does not belong to the organisation's kind (a police officer as a school DSL) is refused. */
export function rolesNotAllowedFor(kind: keyof typeof ORGANISATION_KINDS, roles: readonly Role[]): Role[] {
  return roles.filter(r => !ROLES_BY_ORGANISATION_KIND[kind].includes(r))
}

/** Turns zod issues into field → message, the shape every form and problem+json uses. */
export function fieldProblems(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map(i => ({ field: i.path.map(String).join('.') || 'form', message: i.message }))
}
