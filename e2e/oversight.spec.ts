import { expect, test } from '@playwright/test'
import { SignInPage } from './pages/signInPage.js'
import { expectAccessible } from './support/axe.js'

test('the EWS Operational Manager reviews the month and records oversight', async ({ page }) => {
  await (await SignInPage.visit(page)).asDemoUser('Sam Taylor')
  await page.getByRole('link', { name: 'Oversight', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Monthly oversight' })).toBeVisible()
  await expectAccessible(page)

  await page.getByRole('link', { name: /cases without a worker/ }).click()
  await expect(page).toHaveURL(/\/cases\?view=unassigned/)
  await expectAccessible(page)
  await page.goBack()

  const today = new Date()
  await page.locator('#recordedOn-day').fill(String(today.getDate()))
  await page.locator('#recordedOn-month').fill(String(today.getMonth() + 1))
  await page.locator('#recordedOn-year').fill(String(today.getFullYear()))
  await page.getByLabel('Notes (optional)').fill('Reviewed the overdue tasks and the unassigned cases.')
  await page.getByRole('button', { name: 'Record oversight' }).click()
  await expect(page.getByText('Oversight recorded')).toBeVisible()
  await expect(page.getByText('Recorded this month')).toBeVisible()
  await expectAccessible(page)
})
