import { asList, formErrors, type FormErrors } from '../forms.js'
import { joinDate, typedFrom, type Typed } from '../formState.js'

/**
 * The school pages' forms: what was typed (kept to show again) and the service's input, where each
 * GOV.UK date input's three boxes become one YYYY-MM-DD value under the date's name.
 */
export function schoolInput(body: unknown): {
  typed: Typed
  input: Record<string, string>
  list: (name: string) => string[]
} {
  const typed = typedFrom(body)
  const input: Record<string, string> = { ...typed }
  for (const key of Object.keys(typed))
    if (key.endsWith('-day')) {
      const name = key.slice(0, -'-day'.length)
      input[name] = joinDate(typed[key] ?? '', typed[`${name}-month`] ?? '', typed[`${name}-year`] ?? '')
    }
  const raw = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
  return { typed, input, list: (name: string) => asList(raw[name]) }
}

/** The form state the field macros (partials/fields.njk) read, and the error summary. */
export function formState(
  values: Typed,
  problems: readonly { field: string; message: string }[] = [],
): { f: { values: Typed; errors: Record<string, string> }; errorList: FormErrors['errorList'] } {
  const { errorList, errors } = formErrors(problems)
  return {
    f: { values, errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v.text])) },
    errorList,
  }
}

/** A form or query value that should be a string; anything else (a repeated field, nothing) is empty. */
export const str = (v: unknown): string => (typeof v === 'string' ? v : '')
