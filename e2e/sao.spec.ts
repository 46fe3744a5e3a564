import { readFileSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import { pdfPlainText } from '../test/support/pdfText.js'
import { SignInPage } from './pages/signInPage.js'
import { expectAccessible } from './support/axe.js'

/** A date `days` from today, as ISO and as the long form the pages show. */
function day(days: number) {
  const d = new Date()
  d.setUTCHours(12, 0, 0, 0)
  d.setUTCDate(d.getUTCDate() + days)
  return {
    d: String(d.getUTCDate()),
    m: String(d.getUTCMonth() + 1),
    y: String(d.getUTCFullYear()),
    long: d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  }
}

async function typeDate(page: Page, name: string, offset: number) {
  const t = day(offset)
  await page.locator(`#${name}-day`).fill(t.d)
  await page.locator(`#${name}-month`).fill(t.m)
  await page.locator(`#${name}-year`).fill(t.y)
}

async function outcome(page: Page, label: string, offset: number) {
  await page.getByLabel(label).check()
  await typeDate(page, 'outcomeOn', offset)
  await page.getByRole('button', { name: 'Record the outcome' }).click()
  await expect(page.getByText('Step recorded')).toBeVisible()
}

async function startStage(page: Page, offset: number, school?: string) {
  await typeDate(page, 'startedOn', offset)
  if (school) await page.getByLabel('School the notice or order names').selectOption({ label: school })
  await page.getByRole('button', { name: 'Start this stage' }).click()
  await expect(page.getByText('Step recorded')).toBeVisible()
}

test('a CME officer runs a school attendance order from the first notice to the order', async ({ page }) => {
  test.setTimeout(180_000)
  await (await SignInPage.visit(page)).asDemoUser('Alex Morgan')
  await page.getByRole('link', { name: 'School attendance orders', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'School attendance orders' })).toBeVisible()
  await expectAccessible(page)

  // A case whose earlier process ended: a new one can start there.
  await page.getByRole('link', { name: 'Ended', exact: true }).click()
  await page.locator('table a.govuk-link').first().click()
  await expectAccessible(page)
  await page.getByRole('link', { name: 'Back to the case' }).click()
  await expect(page.getByRole('heading', { level: 2, name: 'School attendance order' })).toBeVisible()
  await expectAccessible(page)
  await page.getByRole('button', { name: 'Start a school attendance order process' }).click()

  // The start page refuses what is missing, with an error summary.
  await expect(page.getByRole('heading', { level: 1, name: 'Start a school attendance order process' })).toBeVisible()
  await expectAccessible(page)
  await page.getByRole('button', { name: 'Start the process' }).click()
  await expect(page.locator('.govuk-error-summary')).toContainText('Enter the date the stage began')
  await expectAccessible(page)

  // Day 0 is 40 days ago: the s437 notice gives 15 days beginning with that day.
  await page.getByLabel('The parent fails to engage with the local authority').check()
  await page.getByLabel('Notice requiring the parent to satisfy the LA').check()
  await typeDate(page, 'startedOn', -40)
  await page.getByRole('button', { name: 'Start the process' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Record the outcome')
  await expect(page.locator('main')).toContainText(`Its period ends on ${day(-26).long}`)
  await expectAccessible(page)

  await outcome(page, 'The period ended without a response', -25)
  await expectAccessible(page)
  await startStage(page, -25)
  await outcome(page, 'Not satisfied, and it is expedient that the child attend school', -25)

  // The notice of intention names a school and gives 15 days to choose another.
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Notice of intention')
  await expectAccessible(page)
  await startStage(page, -24, 'Larkspur Primary School (demo)')
  await expect(page.locator('main')).toContainText(`Its period ends on ${day(-10).long}`)
  await outcome(page, 'No choice made: the LA names its school', -9)

  // The order cannot be served inside the 15 days.
  await typeDate(page, 'startedOn', -10)
  await page.getByRole('button', { name: 'Start this stage' }).click()
  await expect(page.locator('.govuk-error-summary')).toContainText(`the earliest date is ${day(-9).long}`)
  await expectAccessible(page)
  await startStage(page, -9)
  await outcome(page, 'Order served naming the school', -9)
  await startStage(page, -9)
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Monitor registration and attendance')

  // The notices are on the process: the order downloads as a PDF naming the school.
  const history = page.locator('table', { hasText: 'Serve the school attendance order' })
  await expect(history.getByRole('link', { name: /s437-notice-\d+\.pdf/ })).toBeVisible()
  await expect(history.getByRole('link', { name: /notice-of-intention-\d+\.pdf/ })).toBeVisible()
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    history.getByRole('link', { name: /school-attendance-order-\d+\.pdf/ }).click(),
  ])
  expect(download.suggestedFilename()).toMatch(/^CME-[A-Z0-9-]+-school-attendance-order-1\.pdf$/)
  const pdf = readFileSync(await download.path())
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
  const text = pdfPlainText(pdf)
  expect(text).toContain('to become a registered pupil at Larkspur Primary School (demo)')
  expect(text).toContain(`Date of service: ${day(-9).long}`)

  // The end page, then back to the case, where the letters are listed.
  await page.getByRole('link', { name: 'End this process early' }).click()
  await expectAccessible(page)
  await page.getByRole('button', { name: 'End the process' }).click()
  await expect(page.locator('.govuk-error-summary')).toContainText('Enter why the process is ending')
  await expectAccessible(page)
  await page.getByRole('link', { name: 'Back to the process' }).click()
  await page.getByRole('link', { name: 'Back to the case' }).click()
  await expect(page.locator('#letters ~ table').first()).toContainText('School attendance order (s437(3))')
  await page.getByRole('link', { name: 'Make a letter' }).click()
  await expectAccessible(page)
  await page.getByLabel('Letter to an education department abroad').check()
  await page.getByRole('button', { name: 'Make the letter' }).click()
  await expect(page.locator('.govuk-error-summary')).toContainText('Enter the education department’s name and address')
  await expectAccessible(page)
})

test('an EWS Operational Manager edits a letter template', async ({ page }) => {
  await (await SignInPage.visit(page)).asDemoUser('Sam Taylor')
  await page.goto('/settings')
  await page.getByRole('link', { name: 'Letter templates' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Letter templates' })).toBeVisible()
  await expectAccessible(page)
  await page.getByRole('link', { name: 'Letter to the family' }).click()
  await expectAccessible(page)
  await page.getByLabel('Title').fill('About {{child.nmae}}')
  await page.getByRole('button', { name: /Save as version/ }).click()
  await expect(page.locator('.govuk-error-summary')).toContainText('{{child.nmae}} is not a placeholder')
  await expectAccessible(page)
  await page.getByLabel('Title').fill('About {{child.name}}')
  await page.getByRole('button', { name: /Save as version/ }).click()
  await expect(page.getByText('Template saved as a new version')).toBeVisible()
  await expectAccessible(page)
})
