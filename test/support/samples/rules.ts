import { demoCalendarId } from '../../../src/demo/demoCalendars.js'
import { demoId } from '../../../src/demo/demoData.js'
import type { SampleFactory } from './index.js'

/** The rules engine's pages, calendars and policy settings. */
export const rulesSamples: SampleFactory = async () => {
  const calendar = { id: demoCalendarId('kingfisher') }
  // An INSET day: changing or removing it (as the matrix's posts may) leaves the calendar valid.
  const period = { ...calendar, periodId: demoId('calendar:kingfisher:inset:2027-02-22') }
  return {
    params: {
      '/settings/calendars/:id': calendar,
      '/settings/calendars/:id/periods': calendar,
      '/settings/calendars/:id/periods/:periodId': period,
      '/settings/calendars/:id/periods/:periodId/remove': period,
      '/api/v1/rules/upn/:upn': { upn: 'F801200100001' },
    },
    recordRules: {},
  }
}
