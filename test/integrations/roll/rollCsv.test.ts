import { describe, expect, it } from 'vitest'
import { readPupil, PUPIL_FIELDS } from '../../../src/domain/pupil.js'
import { parseRollCsv } from '../../../src/integrations/roll/rollCsv.js'
import { upnCheckLetter } from '../../../src/domain/upn.js'

const TODAY = '2026-11-25'
const upn = (serial: number) => {
  const body = `317200126${String(serial).padStart(3, '0')}`
  return `${upnCheckLetter(body)}${body}`
}
const HEADER =
  'upn,legal_first_name,legal_last_name,date_of_birth,gender,admission_date,postcode,contact_1_name,contact_1_phone,looked_after,sen_provision'
const good = (serial: number, first = 'Ada') =>
  `${upn(serial)},${first},Alderbrook,2018-10-04,F,05/09/2022,IG1 1NN,Bea Alderbrook,07700 900123,N,E`

describe('reading a roll exported as CSV', () => {
  it('reads every pupil of a good file', () => {
    const result = parseRollCsv([HEADER, good(1), good(2, 'Bilal')].join('\n'), TODAY)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.pupils).toHaveLength(2)
    expect(result.pupils[0]).toMatchObject({
      upn: upn(1),
      firstName: 'Ada',
      dateOfBirth: '2018-10-04',
      admissionDate: '2022-09-05',
      ehcp: true,
      contacts: [{ name: 'Bea Alderbrook', phone: '07700900123' }],
    })
  })

  it('reports every bad row by line and field, and gives no pupils', () => {
    const wrongLetter = `A${upn(3).slice(1)}`.replace(/^A/, upn(3)[0] === 'A' ? 'B' : 'A')
    const lines = [
      HEADER,
      good(1),
      `${wrongLetter},Cora,Coldstream,2018-02-30,Q,2022-09-05,,,,,`,
      good(4),
      `${upn(5)},,Dovecote,2030-01-01,M,2022-09-05,NOT A CODE,,12345,maybe,Z`,
      good(1, 'Esme'),
      `${upn(6)},Femi,Foxglove,2018-01-01,M`,
    ]
    const result = parseRollCsv(lines.join('\r\n'), TODAY)
    expect(result.ok).toBe(false)
    if (result.ok) return
    const byLine = (n: number) => result.problems.filter(p => p.line === n).map(p => p.field ?? 'row')
    expect(byLine(2)).toEqual([])
    expect(byLine(3)).toEqual(['upn', 'date_of_birth', 'gender'])
    expect(result.problems.find(p => p.line === 3 && p.field === 'upn')?.message).toMatch(/check letter/i)
    expect(byLine(5)).toEqual([
      'legal_first_name',
      'date_of_birth',
      'admission_date',
      'postcode',
      'contact_1_name',
      'contact_1_phone',
      'sen_provision',
      'looked_after',
    ])
    expect(byLine(6)).toEqual(['upn'])
    expect(result.problems.find(p => p.line === 6)?.message).toBe('UPN: the same UPN is on line 2')
    expect(byLine(7)).toEqual(expect.arrayContaining(['row', 'admission_date']))
  })

  it.each([
    ['', 'The file is empty'],
    ['upn,first\nA1,B', 'Unknown columns: first'],
    [HEADER, 'The file has no pupils after the first line'],
    [`${HEADER},upn\n`, 'Repeated columns: upn'],
    ['legal_first_name\nAda', 'Missing columns: upn, legal_last_name, date_of_birth, gender, admission_date'],
    [`${HEADER}\n"unclosed,quote`, 'The file is not valid CSV'],
  ])('refuses a file whose shape is wrong: %j', (text, message) => {
    const result = parseRollCsv(text, TODAY)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.problems[0]?.message).toContain(message)
  })

  it('accepts columns in any order and any case', () => {
    const text =
      'Legal_Last_Name,UPN,legal first name,date_of_birth,gender,admission_date\nAlderbrook,' +
      upn(1) +
      ',Ada,2018-10-04,f,2022-09-05'
    const result = parseRollCsv(text, TODAY)
    expect(result.ok).toBe(true)
  })
})

describe('a pupil typed by hand', () => {
  it('may have no UPN, but not a wrong one', () => {
    const fields = {
      legal_first_name: 'Ada',
      legal_last_name: 'A',
      date_of_birth: '2018-10-04',
      gender: 'F',
      admission_date: '2022-09-05',
    }
    expect(readPupil(fields, TODAY, { upnRequired: false }).ok).toBe(true)
    expect(readPupil(fields, TODAY, { upnRequired: true }).ok).toBe(false)
    expect(readPupil({ ...fields, upn: 'X123' }, TODAY, { upnRequired: false }).ok).toBe(false)
  })
  it('names every field in the documented header', () => {
    expect(PUPIL_FIELDS).toContain('social_worker')
    expect(PUPIL_FIELDS).toContain('contact_2_phone')
  })
})
