/**
 * The code lists the CME referral form offers (domain.md §4). Each is data with the label a
 * referrer reads, so the pages, the API documentation and exports share one spelling; the
 * schema in referral.ts accepts exactly these keys.
 */
import type { EducationStatus } from './scope.js'

/** The keys of a code list as the non-empty tuple z.enum needs. */
export const codesOf = <T extends Record<string, unknown>>(list: T) =>
  Object.keys(list) as [keyof T & string, ...(keyof T & string)[]]

/**
 * DfE school census main ethnicity codes (the 4-letter "main" list, not the extended LA codes).
 * REFU and NOBT are answers too: a referrer records that the family declined or that nobody
 * has asked, rather than guessing. `group` is the census heading, used to group the radios.
 */
export const ETHNICITIES = {
  WBRI: { label: 'White - British', group: 'White' },
  WIRI: { label: 'White - Irish', group: 'White' },
  WIRT: { label: 'Traveller of Irish heritage', group: 'White' },
  WOTH: { label: 'Any other White background', group: 'White' },
  WROM: { label: 'Gypsy / Roma', group: 'White' },
  MWBC: { label: 'White and Black Caribbean', group: 'Mixed / Dual background' },
  MWBA: { label: 'White and Black African', group: 'Mixed / Dual background' },
  MWAS: { label: 'White and Asian', group: 'Mixed / Dual background' },
  MOTH: { label: 'Any other mixed background', group: 'Mixed / Dual background' },
  AIND: { label: 'Indian', group: 'Asian or Asian British' },
  APKN: { label: 'Pakistani', group: 'Asian or Asian British' },
  ABAN: { label: 'Bangladeshi', group: 'Asian or Asian British' },
  AOTH: { label: 'Any other Asian background', group: 'Asian or Asian British' },
  BCRB: { label: 'Black Caribbean', group: 'Black or Black British' },
  BAFR: { label: 'Black - African', group: 'Black or Black British' },
  BOTH: { label: 'Any other Black background', group: 'Black or Black British' },
  CHNE: { label: 'Chinese', group: 'Chinese' },
  OOEG: { label: 'Any other ethnic group', group: 'Any other ethnic group' },
  REFU: { label: 'Refused', group: 'Unclassified' },
  NOBT: { label: 'Information not yet obtained', group: 'Unclassified' },
} as const
export type EthnicityCode = keyof typeof ETHNICITIES

/**
 * The census records sex as F or M only (CTF 25 `Sex`). A referrer often does not know, or knows
 * the child as neither, so the form records 'other' and 'not-known' as well instead of forcing a
 * guess into a statutory field; `censusSex` gives no census code for them, and exports leave the
 * field for the school that holds the child's record.
 */
export const GENDERS = {
  female: 'Female',
  male: 'Male',
  other: 'Other',
  'not-known': 'Not known',
} as const
export type Gender = keyof typeof GENDERS

export function censusSex(gender: Gender): 'F' | 'M' | undefined {
  if (gender === 'female') return 'F'
  if (gender === 'male') return 'M'
  return undefined
}

export const YES_NO = { yes: 'Yes', no: 'No' } as const
export type YesNo = keyof typeof YES_NO

export const YES_NO_NOT_KNOWN = { yes: 'Yes', no: 'No', 'not-known': 'Not known' } as const
export type YesNoNotKnown = keyof typeof YES_NO_NOT_KNOWN

/** Who makes the referral (domain.md §2): a school about a pupil on its roll, or any partner agency. */
export const REFERRER_KINDS = {
  school: 'School',
  partner: 'Partner agency',
} as const
export type ReferrerKind = keyof typeof REFERRER_KINDS

/**
 * The child's situation, asked so the scope check (scope.ts) can refuse a child who is not
 * missing education with the team to contact instead. Worded for any referrer.
 */
export const EDUCATION_STATUSES: Record<EducationStatus, string> = {
  'stopped-attending':
    'On a school roll but has stopped attending, and where the child is is not known or not confirmed',
  'left-destination-unknown':
    'Has left a school or been taken off its roll, and where the child has gone is not known or not confirmed',
  'not-on-roll': 'Not on the roll of any school or alternative provision, as far as you know',
  'on-roll-poor-attendance': 'On a school roll and attending, but poorly',
  'home-educated': 'Educated at home: the parents have told the school or the council',
}

/** Pre-referral action (Appendix A): the four kinds the paper form lists, and anything else tried. */
export const ACTION_KINDS = {
  phone: 'Phone call or text message',
  letter: 'Letter',
  'home-visit': 'Home visit',
  email: 'Email',
  other: 'Other enquiry, like contacting emergency contacts or searching School to School',
} as const
export type ActionKind = keyof typeof ACTION_KINDS

/** Professional involvement (Appendix A) with the child or family. */
export const PROFESSIONAL_KINDS = {
  'social-care': "Children's social care",
  'early-help': 'Early help or early intervention',
  yos: 'Youth offending service (YOS)',
  camhs: 'Child and adolescent mental health services (CAMHS)',
  police: 'Police',
  caf: 'Common assessment framework (CAF)',
  'ep-sen': 'Educational psychology or special educational needs (SEN) team',
  health: 'Health, like a school nurse, health visitor or GP',
  other: 'Other',
} as const
export type ProfessionalKind = keyof typeof PROFESSIONAL_KINDS

/**
 * How the CME team received a referral. 'online' is the referrer using the service; every other
 * way means a CME officer typed it in on the referrer's behalf.
 */
export const RECEIVED_HOW = {
  online: 'Online, by the referrer',
  phone: 'Phone call',
  email: 'Email',
  letter: 'Letter',
  'in-person': 'In person',
} as const
export type ReceivedHow = keyof typeof RECEIVED_HOW
export type ReceivedOnBehalfHow = Exclude<ReceivedHow, 'online'>
export const RECEIVED_ON_BEHALF_HOW = codesOf(RECEIVED_HOW).filter((h): h is ReceivedOnBehalfHow => h !== 'online') as [
  ReceivedOnBehalfHow,
  ...ReceivedOnBehalfHow[],
]

/**
 * UK places of departure with international passenger services, for "airport or port". Airports
 * use their IATA code because flight records and Border Force use it; sea and rail terminals have
 * readable keys. Anything else is 'other' with a name.
 */
export const UK_PORTS = {
  LHR: { label: 'London Heathrow Airport', kind: 'airport' },
  LGW: { label: 'London Gatwick Airport', kind: 'airport' },
  STN: { label: 'London Stansted Airport', kind: 'airport' },
  LTN: { label: 'London Luton Airport', kind: 'airport' },
  LCY: { label: 'London City Airport', kind: 'airport' },
  SEN: { label: 'London Southend Airport', kind: 'airport' },
  MAN: { label: 'Manchester Airport', kind: 'airport' },
  BHX: { label: 'Birmingham Airport', kind: 'airport' },
  BRS: { label: 'Bristol Airport', kind: 'airport' },
  EMA: { label: 'East Midlands Airport', kind: 'airport' },
  LBA: { label: 'Leeds Bradford Airport', kind: 'airport' },
  LPL: { label: 'Liverpool John Lennon Airport', kind: 'airport' },
  NCL: { label: 'Newcastle International Airport', kind: 'airport' },
  EDI: { label: 'Edinburgh Airport', kind: 'airport' },
  GLA: { label: 'Glasgow Airport', kind: 'airport' },
  ABZ: { label: 'Aberdeen Airport', kind: 'airport' },
  BFS: { label: 'Belfast International Airport', kind: 'airport' },
  BHD: { label: 'George Best Belfast City Airport', kind: 'airport' },
  CWL: { label: 'Cardiff Airport', kind: 'airport' },
  SOU: { label: 'Southampton Airport', kind: 'airport' },
  EXT: { label: 'Exeter Airport', kind: 'airport' },
  BOH: { label: 'Bournemouth Airport', kind: 'airport' },
  NWI: { label: 'Norwich Airport', kind: 'airport' },
  dover: { label: 'Port of Dover', kind: 'sea' },
  'folkestone-eurotunnel': { label: 'Eurotunnel Le Shuttle, Folkestone', kind: 'rail' },
  'st-pancras': { label: 'London St Pancras International (Eurostar)', kind: 'rail' },
  portsmouth: { label: 'Portsmouth International Port', kind: 'sea' },
  harwich: { label: 'Harwich International Port', kind: 'sea' },
  hull: { label: 'Port of Hull', kind: 'sea' },
  newhaven: { label: 'Newhaven Port', kind: 'sea' },
  plymouth: { label: 'Plymouth Ferry Port', kind: 'sea' },
  poole: { label: 'Poole Harbour', kind: 'sea' },
  'southampton-port': { label: 'Port of Southampton', kind: 'sea' },
  'newcastle-port': { label: 'Port of Tyne, North Shields', kind: 'sea' },
  liverpool: { label: 'Port of Liverpool', kind: 'sea' },
  holyhead: { label: 'Holyhead Port', kind: 'sea' },
  fishguard: { label: 'Fishguard Harbour', kind: 'sea' },
  pembroke: { label: 'Pembroke Dock', kind: 'sea' },
  cairnryan: { label: 'Cairnryan', kind: 'sea' },
} as const
export type UkPortCode = keyof typeof UK_PORTS
