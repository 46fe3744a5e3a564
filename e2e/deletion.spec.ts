import { expect, test, type Page } from '@playwright/test'
import { expectAccessible } from './support/axe.js'
import { SignInPage } from './pages/signInPage.js'

/** The three boxes of a GOV.UK date input. */
async function fillDate(page: Page, name: string, date: Date): Promise<void> {
  await page.locator(`[name="${name}-day"]`).fill(String(date.getDate()))
  await page.locator(`[name="${name}-month"]`).fill(String(date.getMonth() + 1))
  await page.locator(`[name="${name}-year"]`).fill(String(date.getFullYear()))
}

const daysAgo = (n: number): Date => new Date(Date.now() - n * 86_400_000)

async function openLeaving(page: Page, pupil: string): Promise<void> {
  await page.goto('/school/returns')
  await page.getByRole('link', { name: `Can I remove? ${pupil}` }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Can I remove this pupil from the roll?' })).toBeVisible()
}

test('a school cannot remove a pupil with an EHCP, and is told why', async ({ page }) => {
  await (await SignInPage.visit(page)).asDemoUser('Dana Hughes')
  await page.goto('/school/returns')
  await expectAccessible(page)
  await openLeaving(page, 'Ottilie Brackenbury')
  await expectAccessible(page)
  await fillDate(page, 'firstDayOfAbsence', daysAgo(60))
  await page.getByLabel('Every morning and afternoon session since that day is coded G, N or O in our register').check()
  await page
    .getByLabel('The school has made reasonable enquiries to find the pupil (calls, letters, a home visit)')
    .check()
  await page.getByLabel('The Education Welfare Service has discussed and agreed the removal').check()
  await page.getByRole('button', { name: 'Check' }).click()
  await expect(page.getByText('No: the pupil’s name may not be deleted today.')).toBeVisible()
  await expect(page.locator('#protocol-blocks')).toContainText('has an EHCP')
  await expect(page.getByRole('button', { name: 'Delete the name and send the return' })).toHaveCount(0)
  await expectAccessible(page)

  // The home education page and the admission page work for the same school.
  await page.goto('/school/returns')
  await page.getByRole('link', { name: 'Home education notice for Ottilie Brackenbury' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Elective home education' })).toBeVisible()
  await page.getByRole('button', { name: 'Save the notice' }).click()
  await expect(page.locator('.govuk-error-summary')).toContainText('Enter the date the written notice arrived')
  await expectAccessible(page)
  await page.goto('/school/admissions/new')
  await page.getByRole('button', { name: 'Add to the roll and send the return' }).click()
  await expect(page.locator('.govuk-error-summary')).toContainText('Enter the pupil’s first name')
  await expectAccessible(page)
})

test('a school removes a pupil under Ground I, sends the return and downloads the lost-pupil CTF', async ({ page }) => {
  test.setTimeout(120_000)
  await (await SignInPage.visit(page)).asDemoUser('Dana Hughes')
  await openLeaving(page, 'Juniper Fallowfield')
  await expect(page.getByText('Recorded by the CME team on')).toBeVisible()
  await fillDate(page, 'firstDayOfAbsence', daysAgo(56))
  await page.getByLabel('Every morning and afternoon session since that day is coded G, N or O in our register').check()
  await page
    .getByLabel('The school has made reasonable enquiries to find the pupil (calls, letters, a home visit)')
    .check()
  await page.getByLabel('The Education Welfare Service has discussed and agreed the removal').check()
  await fillDate(page, 'cmeReferralOn', daysAgo(30))
  await page.getByRole('button', { name: 'Check' }).click()
  await expect(page.getByText('Yes: the name may be deleted today')).toBeVisible()
  await expectAccessible(page)
  await page.getByLabel('Ground I: Continuously absent for 20 school days').check()
  await page.getByRole('button', { name: 'Delete the name and send the return' }).click()
  await expect(page.getByText(/The name was deleted from the admission register on .* under Ground I/)).toBeVisible()

  await page.getByRole('link', { name: 'View the deletion return sent to the local authority' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Deletion return' })).toBeVisible()
  await expect(page.locator('.govuk-summary-list')).toContainText('Emergency telephone number')
  await expectAccessible(page)

  await page.goto('/school/returns')
  await page.getByRole('link', { name: 'Juniper Fallowfield' }).first().click()
  await expect(page.getByRole('heading', { level: 1, name: 'Common Transfer File' })).toBeVisible()
  await page.getByLabel('Destination unknown (XXX/XXXX: the Lost Pupil Database)').check()
  await page.getByRole('button', { name: 'Make the CTF' }).click()
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page
      .getByRole('link', { name: /^Download/ })
      .first()
      .click(),
  ])
  expect(download.suggestedFilename()).toMatch(/^3172001_CTF_XXXXXXX_\d{3}\.xml$/)
  await expectAccessible(page)
  await page
    .getByRole('button', { name: /as uploaded to School to School/ })
    .first()
    .click()
  await expect(page.locator('.govuk-tag', { hasText: 'Uploaded' }).first()).toBeVisible()
})

test('the CME officer sees every school’s returns and confirms a possibly-located child', async ({ page }) => {
  await (await SignInPage.visit(page)).asDemoUser('Alex Morgan')
  await page.goto('/returns')
  await expect(page.getByRole('heading', { level: 1, name: 'School returns' })).toBeVisible()
  await expect(page.locator('table')).toContainText('Late')
  await expectAccessible(page)
  await page.locator('#kind').selectOption('new-pupil')
  await page.getByRole('button', { name: 'Filter' }).click()
  await expect(page.locator('table')).not.toContainText('Deletion return')
  const located = page.locator('tr', { has: page.getByText('Possibly located') }).first()
  await located.getByRole('link').click()
  await expect(page.getByRole('heading', { level: 1, name: 'New pupil return' })).toBeVisible()
  await expectAccessible(page)
  await page.locator('.govuk-notification-banner').getByRole('link').first().click()
  await expect(page.getByRole('heading', { level: 1, name: 'Joint enquiries and school admissions' })).toBeVisible()
  await expectAccessible(page)
  // While the alert is open the case carries the tag on the Single List.
  const reference = (await page.locator('.govuk-caption-l').first().innerText()).trim()
  const links = page.url()
  await page.goto('/cases')
  await page.getByLabel('Search by name, case reference or UPN').fill(reference)
  await page.getByRole('button', { name: 'Search', exact: true }).click()
  await expect(page.locator('table tbody tr', { hasText: reference }).locator('.govuk-tag')).toContainText([
    'Possibly located',
  ])
  await expectAccessible(page)
  await page.goto(links)
  await page.getByLabel('Confirmed: this is the child, now on the school’s roll').check()
  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.locator('.govuk-summary-card__title').first()).toHaveText('Confirmed')
  await page.getByRole('link', { name: 'Back to the case' }).click()
  await expect(page.locator('.app-timeline')).toContainText(
    'Located: confirmed on the roll of Kingfisher Academy (demo)',
  )
})
