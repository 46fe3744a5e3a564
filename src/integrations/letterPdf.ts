import PDFDocument from 'pdfkit'
import type { RenderedLetter } from '../domain/letters.js'

export interface PdfOptions {
  /** The moment the letter is made: its creation date, fixed so a test can compare output. */
  createdAt: Date
}

/**
 * A letter as an accessible PDF: tagged (a structure tree of headings and paragraphs in reading
 * order, with MarkInfo), its language set to British English, its title shown in the reader's
 * title bar, and the standard Helvetica fonts, which every reader has.
 */
export function letterPdf(letter: RenderedLetter, options: PdfOptions): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 64,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    compress: true,
    info: {
      Title: letter.title,
      Author: 'onroll',
      Subject: letter.title,
      CreationDate: options.createdAt,
      ModDate: options.createdAt,
    },
  })
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => {
      chunks.push(c)
    })
    doc.on('end', () => {
      resolve(Buffer.concat(chunks))
    })
    doc.on('error', reject)
  })

  const root = doc.struct('Document')
  doc.addStructure(root)
  doc.font('Helvetica-Bold').fontSize(16)
  doc.text(letter.title, { structParent: root, structType: 'H1' })
  doc.moveDown(1)
  for (const block of letter.blocks) {
    if (block.kind === 'heading') {
      doc.moveDown(0.5).font('Helvetica-Bold').fontSize(13)
      doc.text(block.text, { structParent: root, structType: 'H2' })
    } else {
      doc.font('Helvetica').fontSize(11)
      doc.text(block.text, { structParent: root, structType: 'P', lineGap: 2 })
    }
    doc.moveDown(0.6)
  }
  root.end()
  doc.end()
  return done
}
