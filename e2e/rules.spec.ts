import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import { expectAccessible } from './support/axe.js'
import { SignInPage } from './pages/signInPage.js'

/*
 * The rules helpers and settings against the demo data. The server runs on the real clock, so the
 * deletion check builds its absence from today with the public rules API rather than fixed dates.
 */

/** Fills a GOV.UK date input (three boxes named <name>-day, -month, -year) from YYYY-MM-DD. */
async function fillDate(page: Page, name: string, iso: string): Promise<void> {
  const [year, month, day] = iso.split('-')
  await page.locator(`#${name}-day`).fill(String(Number(day)))
  await page.locator(`#${name}-month`).fill(String(Number(month)))
  await page.locator(`#${name}-year`).fill(year!)
}

const londonToday = (): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date())

const addDays = (iso: string, n: number): string =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)

/**
 * 20 school days of absence in the LA's calendar that are over by today: the last day attended and
 * each absent school day, oldest first.
 */
async function absenceEndingBeforeToday(
  request: APIRequestContext,
): Promise<{ lastAttendedOn: string; days: string[] }> {
  const today = londonToday()
  for (let back = 35; back <= 120; back += 7) {
    const lastAttendedOn = addDays(today, -back)
    const days: string[] = []
    for (let n = 1; n <= 20; n += 1) {
      const res = await request.get(`/api/v1/rules/school-days/add?from=${lastAttendedOn}&days=${String(n)}`)
      if (!res.ok()) throw new Error(`the demo calendar cannot count from ${lastAttendedOn}: ${await res.text()}`)
      days.push(((await res.json()) as { date: string }).date)
    }
    if (days[19]! < today) return { lastAttendedOn, days }
  }
  throw new Error('no run of 20 school days before today in the demo calendar')
}

test('the school days helper counts in a school’s own term dates and explains bad input', async ({ page }) => {
  const signIn = await SignInPage.visit(page)
  await signIn.asDemoUser('Dana Hughes')
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'School days' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('School days')
  await expectAccessible(page)

  await fillDate(page, 'countFrom', '2026-11-02')
  await fillDate(page, 'countTo', '2026-11-30')
  await page.locator('#countSchool').selectOption({ label: 'Kingfisher Academy (demo) (URN 990002)' })
  await page.getByRole('button', { name: 'Count school days' }).click()
  await expect(page.locator('#result')).toContainText('20 school days')
  await expect(page.locator('#result')).toContainText('Kingfisher Academy (demo) term dates')
  await expect(page.locator('#countFrom-day')).toHaveValue('2')
  await expectAccessible(page)

  await fillDate(page, 'addFrom', '2026-11-02')
  await page.getByLabel('Number of school days').fill('20')
  await page.getByRole('button', { name: 'Find the date' }).click()
  await expect(page.locator('#result')).toContainText('30 November 2026')

  await page.locator('#addFrom-day').fill('31')
  await page.locator('#addFrom-month').fill('2')
  await page.getByLabel('Number of school days').fill('none')
  await page.getByRole('button', { name: 'Find the date' }).click()
  await expect(page.locator('.govuk-error-summary')).toBeFocused()
  await expect(page.locator('.govuk-error-summary')).toContainText('Start date must be a real date')
  await expect(page.locator('.govuk-error-summary')).toContainText('Number of school days must be a whole number')
  await expect(page.getByLabel('Number of school days')).toHaveValue('none')
  await expectAccessible(page)
  await page.locator('.govuk-error-summary a', { hasText: 'Start date' }).click()
  await expect(page.locator('#addFrom-day')).toBeFocused()
})

test('a school user checks pupils before deletion: an EHCP pupil is blocked, Ground I is allowed', async ({ page }) => {
  const { days } = await absenceEndingBeforeToday(page.request)
  const today = londonToday()
  const signIn = await SignInPage.visit(page)
  await signIn.asDemoUser('Dana Hughes')
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Check before deletion' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check a pupil before deleting their name')
  await expectAccessible(page)

  // Nothing entered but a date of death in pieces and register lines with no first day: every problem listed.
  await page.locator('#diedOn-day').fill('3')
  await page.getByLabel('Attendance codes for each school day since then').fill(`${days[0]!} N N\nnot-a-line`)
  await page.getByRole('button', { name: 'Check', exact: true }).click()
  await expect(page.locator('.govuk-error-summary')).toBeFocused()
  await expect(page.locator('.govuk-error-summary')).toContainText('Enter the first day of absence')
  await expect(page.locator('.govuk-error-summary')).toContainText(
    'Line 2: give the date, the morning code and the afternoon code',
  )
  await expect(page.locator('.govuk-error-summary')).toContainText('Date of death must include a month and year')
  await expectAccessible(page)

  const fillAbsence = async () => {
    await page.locator('#diedOn-day').fill('')
    await fillDate(page, 'firstDayOfAbsence', days[0]!)
    const codes = ['N', 'G', 'O']
    await page
      .getByLabel('Attendance codes for each school day since then')
      .fill(days.map((d, i) => `${d} ${codes[i % 3]!} ${codes[(i + 1) % 3]!}`).join('\n'))
    await page.getByLabel('The school has made reasonable enquiries to find the pupil').check()
    await page.getByLabel('The Education Welfare Service has discussed and agreed the removal').check()
    await fillDate(page, 'laEnquiriesOn', today)
    await fillDate(page, 'cmeReferralOn', today)
  }

  await fillAbsence()
  await page.getByLabel('Has an education, health and care plan (EHCP)').check()
  await page.getByRole('button', { name: 'Check', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Deletion check result')
  await expect(page.locator('main')).toContainText('The pupil’s name may not be deleted today.')
  await expect(page.locator('#protocol-blocks')).toContainText('The pupil has an EHCP')
  await expect(page.locator('#earliest-date')).toContainText('No date can be given')
  await expectAccessible(page)

  await page.getByRole('link', { name: 'Check another pupil' }).first().click()
  await fillAbsence()
  await page.getByRole('button', { name: 'Check', exact: true }).click()
  await expect(page.locator('.govuk-notification-banner--success')).toContainText(
    'The pupil’s name may be deleted today',
  )
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Ground I')
  await expect(page.getByRole('heading', { name: 'The deletion return for Ground I' })).toBeVisible()
  await expect(page.locator('main')).toContainText('Redbridge (demo) term dates')
  await expectAccessible(page)
})

test('the EWS Operational Manager looks after term dates and the policy', async ({ page }) => {
  const signIn = await SignInPage.visit(page)
  await signIn.asDemoUser('Sam Taylor')
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Settings' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings')
  await expectAccessible(page)

  await page.getByRole('link', { name: 'School calendars' }).click()
  await expect(page.locator('table')).toContainText('Kingfisher Academy (demo) (URN 990002)')
  await expectAccessible(page)
  await page.getByRole('link', { name: 'Kingfisher Academy (demo) term dates' }).click()
  await expect(page.locator('main')).toContainText('2 September 2026 to 18 December 2026')
  await expectAccessible(page)

  // A half term outside every term is refused with the calendar's own words.
  await page.getByLabel('Half term').check()
  await page.getByLabel('Name').fill('Summer')
  await fillDate(page, 'startsOn', '2027-08-02')
  await fillDate(page, 'endsOn', '2027-08-06')
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  await expect(page.locator('.govuk-error-summary')).toContainText('is not inside a term')
  await expect(page.getByLabel('Name')).toHaveValue('Summer')
  await expectAccessible(page)
  await page.getByLabel('INSET day').check()
  await page.getByLabel('Name').fill('')
  await fillDate(page, 'startsOn', '2027-07-20')
  await fillDate(page, 'endsOn', '2027-07-20')
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  await expect(page.locator('.govuk-notification-banner--success')).toBeVisible()
  await expect(page.locator('main')).toContainText('20 July 2027')

  await page.getByRole('link', { name: 'Import a whole file of term dates instead' }).click()
  await expectAccessible(page)
  await page.getByLabel('CSV').check()
  await page
    .getByLabel('Contents of the file')
    .fill('kind,name,starts_on,ends_on\nterm,,2027-09-02,2027-12-17\nholiday,Xmas,2027-12-20,2028-01-03')
  await page.getByRole('button', { name: 'Import term dates' }).click()
  await expect(page.locator('.govuk-error-summary')).toContainText('Line 2: A term needs a name')
  await expect(page.locator('.govuk-error-summary')).toContainText("Line 3: The kind 'holiday' is not one of")
  await expectAccessible(page)

  await page.goto('/settings/policy')
  await expect(page.locator('#in-force')).toContainText('version 1')
  await expectAccessible(page)
  await page.getByRole('button', { name: 'Create a new version' }).click()
  await expectAccessible(page)
  await page.getByLabel('Ground I: continuous absence before a name may be deleted').fill('15')
  await page.getByRole('button', { name: 'Create version' }).click()
  await expect(page.locator('.govuk-error-summary')).toBeFocused()
  await expect(page.locator('.govuk-error-summary')).toContainText('Enter the date the new values take effect')
  await expect(page.locator('.govuk-error-summary')).toContainText('between 20 and 60')
  await expectAccessible(page)
  // A date a year ahead, so the demo's deletion checks keep counting under version 1.
  await page.getByLabel('Ground I: continuous absence before a name may be deleted').fill('25')
  await fillDate(page, 'effectiveFrom', addDays(londonToday(), 366))
  await page.getByLabel('Why the change (optional)').fill('Browser test')
  await page.getByRole('button', { name: 'Create version' }).click()
  await expect(page.locator('.govuk-notification-banner--success')).toBeVisible()
  await expect(page.locator('main')).toContainText('Browser test')
  await expectAccessible(page)
})
