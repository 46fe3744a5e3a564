/**
 * Multi-page forms whose fields are named by their path in the schema ("child.firstName",
 * "siblings.list.1.dateOfBirth-day"). What the person typed is kept as a flat map, so a page can
 * always be re-rendered exactly as it was; `toInput` turns it into the nested object the schema reads.
 */

export type Typed = Record<string, string>

/** Form bodies: strings (or repeated strings) keyed by field name; the CSRF token and buttons are not answers. */
export function typedFrom(body: unknown): Typed {
  const typed: Typed = {}
  if (typeof body !== 'object' || body === null) return typed
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k.startsWith('_')) continue
    if (typeof v === 'string') typed[k] = v
    else if (Array.isArray(v)) typed[k] = v.filter((x): x is string => typeof x === 'string').join('\n')
  }
  return typed
}

const DATE_PART = /^(.*)-(day|month|year)$/

/** A GOV.UK date input's three boxes as one ISO date; anything unreadable stays unreadable so the schema says so. */
export function joinDate(day: string, month: string, year: string): string {
  if (day.trim() === '' && month.trim() === '' && year.trim() === '') return ''
  const [d, m, y] = [day.trim(), month.trim(), year.trim()]
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) return 'not-a-date'
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`
}

/** Fields that are lists of short strings, typed one per line in a textarea. */
const LINE_LISTS = /(^|\.)(otherNames|phones)$/

type Tree = { [key: string]: Tree | string | Tree[] | string[] | undefined }

function setPath(root: Tree, path: string[], value: string | string[]): void {
  let node: Tree = root
  path.forEach((segment, i) => {
    if (i === path.length - 1) {
      node[segment] = value
      return
    }
    node[segment] ??= {}
    node = node[segment] as Tree
  })
}

/** Objects whose keys are 0..n become arrays (in index order, gaps closed); empty answers are dropped. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value
  if (typeof value === 'string') return value.trim() === '' ? undefined : value
  if (typeof value !== 'object' || value === null) return value
  const entries = Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => [k, normalise(v)] as const)
    .filter(([, v]) => v !== undefined)
  if (entries.length === 0) return undefined
  if (entries.every(([k]) => /^\d+$/.test(k)))
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v)
  return Object.fromEntries(entries)
}

/**
 * The nested input for one section. Empty answers become missing, which the schema reports with the
 * same "Enter …" / "Select …" message; an optional group left blank disappears altogether.
 */
export function toInput(typed: Typed, section: string): unknown {
  const root: Tree = {}
  const dates = new Map<string, { day: string; month: string; year: string }>()
  for (const [name, value] of Object.entries(typed)) {
    if (!name.startsWith(`${section}.`) && name !== section) continue
    const datePart = DATE_PART.exec(name)
    if (datePart?.[1] && datePart[2]) {
      const d = dates.get(datePart[1]) ?? { day: '', month: '', year: '' }
      d[datePart[2] as 'day' | 'month' | 'year'] = value
      dates.set(datePart[1], d)
      continue
    }
    const path = name.split('.')
    setPath(
      root,
      path,
      LINE_LISTS.test(name)
        ? value
            .split(/\r?\n|,/)
            .map(s => s.trim())
            .filter(Boolean)
        : value,
    )
  }
  for (const [name, d] of dates) setPath(root, name.split('.'), joinDate(d.day, d.month, d.year))
  return (normalise(root) as Record<string, unknown> | undefined)?.[section]
}

/** The typed fields for an ISO date, as a GOV.UK date input shows them. */
export function typedDate(name: string, iso: string | undefined): Typed {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null
  return m
    ? { [`${name}-day`]: String(Number(m[3])), [`${name}-month`]: String(Number(m[2])), [`${name}-year`]: m[1] ?? '' }
    : {}
}

/** How many items a repeated group has (siblings, adults, actions): one more than the highest index typed. */
export function itemCount(typed: Typed, listPath: string): number {
  let max = -1
  const prefix = `${listPath}.`
  for (const name of Object.keys(typed)) {
    if (!name.startsWith(prefix)) continue
    const index = Number(name.slice(prefix.length).split('.')[0]?.split('-')[0])
    if (Number.isInteger(index)) max = Math.max(max, index)
  }
  return max + 1
}

/** "Remove this sibling": drops item `index` and closes the gap, so the page re-renders in order. */
export function removeItem(typed: Typed, listPath: string, index: number): Typed {
  const prefix = `${listPath}.`
  const out: Typed = {}
  for (const [name, value] of Object.entries(typed)) {
    if (!name.startsWith(prefix)) {
      out[name] = value
      continue
    }
    const rest = name.slice(prefix.length)
    const m = /^(\d+)(.*)$/.exec(rest)
    if (!m?.[1]) continue
    const i = Number(m[1])
    if (i === index) continue
    out[`${prefix}${String(i > index ? i - 1 : i)}${m[2] ?? ''}`] = value
  }
  return out
}

/** Flattens a stored answer back into typed fields (dates split into day, month, year), for pages never typed on. */
export function flatten(value: unknown, prefix: string, dateFields: RegExp): Typed {
  const out: Typed = {}
  const walk = (v: unknown, path: string): void => {
    if (v === undefined || v === null) return
    if (Array.isArray(v)) {
      if (LINE_LISTS.test(path)) out[path] = v.map(String).join('\n')
      else
        v.forEach((item, i) => {
          walk(item, `${path}.${String(i)}`)
        })
      return
    }
    if (typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, `${path}.${k}`)
      return
    }
    const text = typeof v === 'string' ? v : JSON.stringify(v)
    if (dateFields.test(path) && /^\d{4}-\d{2}-\d{2}$/.test(text)) Object.assign(out, typedDate(path, text))
    else out[path] = text
  }
  walk(value, prefix)
  return out
}
