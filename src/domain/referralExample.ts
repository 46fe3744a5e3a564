/**
 * A complete, valid referral for tests, demo data and benchmarks. Every value is already in its
 * normalised form, so `referralShape.parse(exampleReferral(today))` returns it unchanged. Names,
 * phone numbers (Ofcom drama ranges), the UPN and addresses are fictitious.
 */
import { addDays, anniversary, type IsoDate } from './dates.js'
import type { Referral } from './referral.js'

/**
 * Dates hang off `today` so the example stays valid on any day: the child is 10 (always of
 * compulsory school age), the sibling about 7, and every past event falls between them and today.
 * `overrides` replaces whole sections.
 */
export function exampleReferral(today: IsoDate, overrides: Partial<Referral> = {}): Referral {
  const days = (n: number): IsoDate => addDays(today, n)
  const office = { line1: 'Example Primary School', line2: '1 School Lane', town: 'Ilford', postcode: 'IG1 1NN' }
  const base: Referral = {
    child: {
      firstName: 'Amara',
      lastName: 'Testington',
      otherNames: ['Amy Testington'],
      dateOfBirth: anniversary(today, -10),
      gender: 'female',
      ethnicity: 'BAFR',
      upn: 'B801200005001',
      ehcp: 'no',
      freeSchoolMeals: 'yes',
      socialCare: { answer: 'no' },
    },
    safeguarding: {
      riskOfHarm: { answer: 'no' },
      forcedMarriage: { answer: 'no' },
      missingFromHomeOrCare: 'no',
    },
    school: {
      educationStatus: 'stopped-attending',
      lastSchool: {
        answer: 'known',
        name: 'Example Primary School',
        urn: '100123',
        lastAttendance: { answer: 'date', date: days(-21) },
      },
    },
    siblings: {
      answer: 'yes',
      list: [
        {
          firstName: 'Kofi',
          lastName: 'Testington',
          otherNames: [],
          dateOfBirth: addDays(anniversary(today, -7), -40),
          gender: 'male',
          ethnicity: 'BAFR',
          ehcp: 'not-known',
          freeSchoolMeals: 'yes',
          socialCare: { answer: 'no' },
          alsoReferred: 'yes',
        },
      ],
    },
    address: {
      current: {
        answer: 'known',
        line1: '12 Example Road',
        town: 'Ilford',
        postcode: 'IG1 2AB',
        dateLeft: { answer: 'date', date: days(-18) },
      },
      responsibleAdults: {
        answer: 'known',
        list: [
          {
            name: 'Grace Testington',
            relationship: 'Mother',
            phones: ['07700900982', '02079460000'],
            email: 'grace.testington@example.com',
          },
        ],
      },
    },
    destination: {
      address: { answer: 'not-known', reason: 'The family did not give a forwarding address.' },
      school: { answer: 'not-known', reason: 'No school has asked for records.' },
    },
    abroad: {
      answer: 'yes',
      departureDate: days(-14),
      accompanyingAdult: 'Grace Testington (mother)',
      departurePlace: { port: 'LHR' },
      destinationCountry: 'Ghana',
      destinationCity: 'Accra',
    },
    actions: {
      answer: 'yes',
      list: [
        {
          kind: 'phone',
          date: days(-20),
          by: 'Attendance officer',
          outcome: 'No answer on either number; message left.',
        },
        {
          kind: 'letter',
          date: days(-19),
          by: 'Attendance officer',
          outcome: 'Letter sent to the home address; no reply.',
        },
        {
          kind: 'home-visit',
          date: days(-16),
          by: 'Education welfare officer',
          outcome: 'House empty; a neighbour said the family had gone to Ghana.',
        },
      ],
    },
    professionals: { answer: 'none-known' },
    additional: { answer: 'nothing-to-add' },
    referrer: {
      kind: 'school',
      name: 'Sam Example',
      organisation: 'Example Primary School',
      role: 'Attendance officer',
      email: 'attendance@example-primary.sch.uk',
      phone: '02079460001',
      address: office,
      received: { how: 'online' },
    },
  }
  return { ...base, ...overrides }
}
