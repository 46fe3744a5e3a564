import { expect, test } from '@playwright/test'
import { expectAccessible } from './support/axe.js'
import { SignInPage } from './pages/signInPage.js'

test('the sign-in page is a council service page, not GOV.UK, and accessible', async ({ page }) => {
  await SignInPage.visit(page)
  await expect(page.locator('.govuk-generic-header')).toContainText('London Borough of Redbridge')
  await expect(page.locator('.govuk-service-navigation')).toContainText('Children missing education')
  await expect(page.locator('.govuk-footer__crown')).toHaveCount(0)
  await expect(page.locator('body')).toHaveClass(/govuk-frontend-supported/)
  const font = await page.locator('h1').evaluate(el => getComputedStyle(el).fontFamily)
  expect(font.toLowerCase()).toContain('arial')
  await expectAccessible(page)
})

test('a CME officer signs in with the demo sign-in and sees the Single List', async ({ page }) => {
  const signIn = await SignInPage.visit(page)
  await signIn.asDemoUser('Alex Morgan')
  await expect(page).toHaveURL(/\/cases$/)
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Single List')
  await expect(page.locator('table.govuk-table tbody tr')).toHaveCount(25)
  await expectAccessible(page)
  // The pagination's Next link (the "Next action" column header is a link too).
  await page.getByRole('navigation', { name: 'Pagination' }).getByRole('link', { name: /^Next/ }).click()
  await expect(page).toHaveURL(/page=2/)
  await expectAccessible(page)
})

test('pages anyone can reach are accessible', async ({ page }) => {
  for (const path of ['/accessibility', '/privacy', '/no-such-page', '/signed-out']) {
    await page.goto(path)
    await expectAccessible(page)
  }
})
