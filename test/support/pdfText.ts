/**
 * Reads a PDF made by pdfkit back into text, for tests, without a PDF library: each content stream
 * is inflated with node:zlib when it is Flate-compressed, and the text-showing operators (Tj and
 * TJ with pdfkit's hex strings, kerning numbers between them) are decoded as WinAnsi, which for the
 * characters of a letter is Latin-1 with a few typographic marks.
 */
import { inflateSync } from 'node:zlib'

const WIN_ANSI: Record<number, string> = { 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x96: '–', 0x97: '—' }

function decodeHex(hex: string): string {
  let out = ''
  for (let i = 0; i + 1 < hex.length; i += 2) {
    const code = parseInt(hex.slice(i, i + 2), 16)
    out += WIN_ANSI[code] ?? String.fromCharCode(code)
  }
  return out
}

/** The raw bytes of every stream in the file, inflated where the dictionary says FlateDecode. */
export function pdfStreams(pdf: Buffer): string[] {
  const text = pdf.toString('latin1')
  const streams: string[] = []
  const re = /<<([^]*?)>>\s*stream\r?\n/g
  let m: RegExpExecArray | null
  while ((m = re.exec(text)) !== null) {
    const start = m.index + m[0].length
    const end = text.indexOf('endstream', start)
    if (end < 0) break
    const raw = pdf.subarray(start, end)
    const dict = m[1] ?? ''
    if (/\/FlateDecode/.test(dict)) {
      try {
        streams.push(inflateSync(raw).toString('latin1'))
      } catch {
        streams.push('')
      }
    } else streams.push(raw.toString('latin1'))
    re.lastIndex = end
  }
  return streams
}

/** The text the PDF shows, one shown string per line, in content-stream order. */
export function pdfText(pdf: Buffer): string {
  const lines: string[] = []
  for (const s of pdfStreams(pdf)) {
    for (const op of s.matchAll(/\[((?:<[0-9a-fA-F]*>|\s|-?\d+(?:\.\d+)?)*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      if (op[1] !== undefined)
        lines.push([...op[1].matchAll(/<([0-9a-fA-F]*)>/g)].map(h => decodeHex(h[1] ?? '')).join(''))
      else lines.push(decodeHex(op[2] ?? ''))
    }
  }
  return lines.join('\n')
}

/** The same text with every run of white space made one space, for `toContain` on wrapped lines. */
export const pdfPlainText = (pdf: Buffer): string => pdfText(pdf).replace(/\s+/g, ' ')

/** The structure tags the content is marked with (P, H1, H2…), in order. */
export function pdfMarkedTags(pdf: Buffer): string[] {
  return pdfStreams(pdf).flatMap(s => [...s.matchAll(/\/(\w+)\s*<<\s*\/MCID/g)].map(m => m[1] ?? ''))
}
