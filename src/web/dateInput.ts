import { isIsoDate, type IsoDate } from '../domain/dates.js'
import { fieldId, type FormErrors } from './forms.js'

/**
 * GOV.UK date inputs (day, month and year boxes, named `<name>-day` and so on): what was typed,
 * kept as typed so a page can be shown again with it, and turned into YYYY-MM-DD for the services.
 */
export interface TypedDate {
  day: string
  month: string
  year: string
}

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '')

export function typedDate(body: Record<string, unknown>, name: string): TypedDate {
  return { day: text(body[`${name}-day`]), month: text(body[`${name}-month`]), year: text(body[`${name}-year`]) }
}

/** A date for the form's boxes, from a stored YYYY-MM-DD. */
export function typedFromIso(date: string | undefined): TypedDate {
  const m = date ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date) : null
  return m
    ? { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1] ?? '' }
    : { day: '', month: '', year: '' }
}

export type DateReading = { ok: true; value: IsoDate | undefined } | { ok: false; message: string }

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1)

/**
 * Reads the three boxes with the GOV.UK error messages: "Enter the start date", "Start date must
 * include a month", "Start date must be a real date". An empty optional date is no value.
 */
export function readDate(typed: TypedDate, label: string, required: boolean): DateReading {
  const parts = [
    ['day', typed.day],
    ['month', typed.month],
    ['year', typed.year],
  ] as const
  const missing = parts.filter(([, v]) => v === '').map(([k]) => k)
  if (missing.length === 3)
    return required ? { ok: false, message: `Enter the ${lowerFirst(label)}` } : { ok: true, value: undefined }
  if (missing.length > 0) return { ok: false, message: `${label} must include a ${missing.join(' and ')}` }
  const real = `${label} must be a real date`
  if (!/^\d{1,2}$/.test(typed.day) || !/^\d{1,2}$/.test(typed.month) || !/^\d{4}$/.test(typed.year))
    return { ok: false, message: real }
  const iso = `${typed.year}-${typed.month.padStart(2, '0')}-${typed.day.padStart(2, '0')}`
  return isIsoDate(iso) ? { ok: true, value: iso } : { ok: false, message: real }
}

/**
 * The error summary and the message beside each field. Every problem is listed in the summary (a
 * pasted file or a list of register lines can have many on one field, up to `max`); a date's
 * problem links to its first box (`#startsOn-day`), as GOV.UK asks. A field with several
 * problems gets one message pointing at the list.
 */
export function pageErrors(
  problems: readonly { field: string; message: string }[],
  dateFields: readonly string[] = [],
  max = 50,
): FormErrors {
  const href = (field: string) => `#${fieldId(field)}${dateFields.includes(field) ? '-day' : ''}`
  const errorList = problems.slice(0, max).map(p => ({ text: p.message, href: href(p.field) }))
  const last = problems[max]
  if (last) errorList.push({ text: `And ${problems.length - max} more problems`, href: href(last.field) })
  const errors: FormErrors['errors'] = {}
  for (const p of problems) {
    const count = problems.filter(q => q.field === p.field).length
    errors[p.field] ??= {
      text: count === 1 ? p.message : `There are ${count} problems here; each is listed at the top of the page`,
    }
  }
  return { errorList, errors }
}
