import { describe, expect, it } from 'vitest'
import {
  DEFAULT_TEMPLATES,
  LETTER_KIND_KEYS,
  LETTER_KINDS,
  PLACEHOLDER_HELP,
  PREVIEW_VALUES,
  fillPlaceholders,
  placeholdersIn,
  renderLetter,
  validateTemplate,
} from '../../src/domain/letters.js'
import { letterPdf } from '../../src/integrations/letterPdf.js'
import { pdfMarkedTags, pdfPlainText, pdfText } from '../support/pdfText.js'

describe('letter templates', () => {
  it.each(LETTER_KIND_KEYS)('the default %s template is valid and uses only its placeholders', kind => {
    expect(validateTemplate(kind, DEFAULT_TEMPLATES[kind])).toEqual([])
  })

  it.each(LETTER_KIND_KEYS)('explains and previews every placeholder %s can use', kind => {
    for (const p of LETTER_KINDS[kind].placeholders) {
      expect(PLACEHOLDER_HELP[p], p).toBeTruthy()
      expect(PREVIEW_VALUES[p], p).toBeTruthy()
    }
  })

  it('finds placeholders, allowing spaces inside the braces', () => {
    expect(placeholdersIn('Dear {{ parent.name }}, about {{child.name}} and {{child.name}}')).toEqual([
      'parent.name',
      'child.name',
    ])
  })

  it.each([
    [{ title: '', body: '' }, ['Enter the letter’s title', 'Enter the letter’s text']],
    [
      { title: 'For {{child.nmae}}', body: 'x' },
      [
        `{{child.nmae}} is not a placeholder this letter can use. Use ${LETTER_KINDS['family-letter'].placeholders.map(p => `{{${p}}}`).join(', ')}`,
      ],
    ],
    [
      { title: 'T', body: 'By {{deadline}} and {{school.name}}' },
      [expect.stringMatching(/^\{\{deadline\}\}, \{\{school\.name\}\} are not placeholders/)],
    ],
    [
      { title: 'T', body: 'Dear {{parent.name}, hello' },
      ['A placeholder is not closed: write it as {{child.name}}, with two braces each side'],
    ],
    [{ title: 'x'.repeat(201), body: 'b' }, ['Title must be 200 characters or fewer']],
  ])('refuses %j with a clear message', (t, messages) => {
    expect(validateTemplate('family-letter', t).map(p => p.message)).toEqual(messages)
  })

  it('lets the s437 notice use its deadline but not a school', () => {
    expect(validateTemplate('s437-notice', { title: 'T', body: 'By {{deadline}}' })).toEqual([])
    expect(validateTemplate('s437-notice', { title: 'T', body: 'At {{school.name}}' })).toHaveLength(1)
  })

  it('fills placeholders and leaves one with no value blank rather than printing braces', () => {
    expect(
      fillPlaceholders('Dear {{parent.name}}, {{ child.name }}{{deadline}}.', {
        'parent.name': 'Ms Ash',
        'child.name': 'Ben',
      }),
    ).toBe('Dear Ms Ash, Ben.')
  })

  it('splits the text into headings and paragraphs, keeping line breaks inside a block', () => {
    const r = renderLetter(
      { title: 'About {{child.name}}', body: '{{address}}\n\n# Heading one\nFirst line\r\n\r\nLast para' },
      { 'child.name': 'Ben Ash', address: '1 High St\nIlford' },
    )
    expect(r).toEqual({
      title: 'About Ben Ash',
      blocks: [
        { kind: 'paragraph', text: '1 High St\nIlford' },
        { kind: 'heading', text: 'Heading one' },
        { kind: 'paragraph', text: 'First line' },
        { kind: 'paragraph', text: 'Last para' },
      ],
    })
  })
})

describe('PDF letters', () => {
  const letter = renderLetter(DEFAULT_TEMPLATES['notice-of-intention'], {
    'child.name': 'Zara Quillby',
    'parent.name': 'Mr Quillby',
    address: '4 Elm Road\nIlford\nIG2 2BB',
    servedOn: '5 November 2026',
    days: '15',
    deadline: '19 November 2026',
    'school.name': 'Larkspur Primary School',
    'la.name': 'London Borough of Redbridge',
  })
  const createdAt = new Date('2026-11-05T09:00:00Z')

  it('is a tagged PDF in British English that shows its title', async () => {
    const pdf = await letterPdf(letter, { createdAt })
    const raw = pdf.toString('latin1')
    expect(raw.startsWith('%PDF-1.7')).toBe(true)
    expect(raw).toMatch(/\/StructTreeRoot \d+ 0 R/)
    expect(raw).toMatch(/\/MarkInfo \d+ 0 R/)
    expect(raw).toMatch(/\/Marked true/)
    expect(raw).toContain('/Lang (en-GB)')
    expect(raw).toMatch(/\/DisplayDocTitle true/)
    const titleRef = /\/Title (\d+) 0 R/.exec(raw)?.[1]
    expect(raw).toContain(`\n${titleRef ?? 'none'} 0 obj\n(Notice of intention to serve a school attendance order)`)
  })

  it('reads back, compressed as in production, with the dates and the named school', async () => {
    const pdf = await letterPdf(letter, { createdAt })
    expect(pdf.toString('latin1')).toContain('/FlateDecode')
    const text = pdfPlainText(pdf)
    expect(text).toContain('Notice of intention to serve a school attendance order')
    expect(text).toContain('Child: Zara Quillby')
    expect(text).toContain('register your child at Larkspur Primary School')
    expect(text).toContain(
      'within 15 days beginning with the day on which this notice is served, that is by 19 November 2026',
    )
    // The address keeps its lines.
    expect(pdfText(pdf)).toMatch(/4 Elm Road\nIlford\nIG2 2BB/)
  })

  it('marks its content as a heading hierarchy and paragraphs', async () => {
    const tags = pdfMarkedTags(await letterPdf(letter, { createdAt }))
    expect(tags[0]).toBe('H1')
    expect(tags.filter(t => t === 'H2')).toHaveLength(2)
    expect(tags.filter(t => t === 'P').length).toBeGreaterThan(5)
    expect(new Set(tags)).toEqual(new Set(['H1', 'H2', 'P']))
  })

  it('runs onto more pages when an edited template is long, keeping every paragraph', async () => {
    const body = Array.from({ length: 40 }, (_, i) => `Paragraph ${String(i)} `.repeat(30).trim()).join('\n\n')
    const pdf = await letterPdf(renderLetter({ title: 'Long', body }, {}), { createdAt })
    expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length).toBeGreaterThan(1)
    expect(pdfPlainText(pdf)).toContain('Paragraph 39 Paragraph 39')
    // One P element per paragraph; a paragraph split by a page break is marked on both pages.
    expect(pdf.toString('latin1').match(/\/S \/P\b/g)).toHaveLength(40)
    expect(pdfMarkedTags(pdf).filter(t => t === 'P').length).toBeGreaterThanOrEqual(40)
  })

  it('is the same bytes for the same letter and moment', async () => {
    expect((await letterPdf(letter, { createdAt })).equals(await letterPdf(letter, { createdAt }))).toBe(true)
  })
})
