/**
 * The search key for a child's name: lower case, accents and punctuation removed, "last first".
 * Searching the Single List by any part of a name compares against this key.
 */
export function nameKey(firstName: string, lastName: string): string {
  return normaliseName(`${lastName} ${firstName}`)
}

export function normaliseName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}
