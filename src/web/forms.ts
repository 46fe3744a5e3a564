import { NotFoundError, ValidationError } from '../services/errors.js'

/** What a GOV.UK form page needs to show problems: the error summary list and a message per field. */
export interface FormErrors {
  errorList: { text: string; href: string }[]
  errors: Record<string, { text: string }>
}

/** Field paths like "siblings.1.lastName" become element ids like "siblings-1-lastName". */
export const fieldId = (field: string): string => field.replace(/\./g, '-')

export function formErrors(problems: readonly { field: string; message: string }[]): FormErrors {
  const errors: Record<string, { text: string }> = {}
  const errorList: FormErrors['errorList'] = []
  for (const p of problems) {
    if (errors[p.field]) continue
    errors[p.field] = { text: p.message }
    errorList.push({ text: p.message, href: `#${fieldId(p.field)}` })
  }
  return { errorList, errors }
}

/**
 * Runs a form action; a ValidationError becomes the errors to re-render the page with (keeping what
 * was typed), anything else propagates.
 */
export async function tryForm<T>(
  action: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; form: FormErrors }> {
  try {
    return { ok: true, value: await action() }
  } catch (err) {
    if (err instanceof ValidationError) return { ok: false, form: formErrors(err.problems) }
    throw err
  }
}

/** Form bodies arrive as strings or string arrays; a checkbox group with one tick is a single string. */
export function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
  return typeof value === 'string' && value !== '' ? [value] : []
}

export function formBody(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A record id from the path; anything that is not a well-formed id is simply not found. */
export function pathId(params: unknown, name = 'id'): string {
  const value = typeof params === 'object' && params !== null ? (params as Record<string, unknown>)[name] : undefined
  if (typeof value !== 'string' || !UUID.test(value)) throw new NotFoundError('Record')
  return value
}
