import { expect, test } from '@playwright/test'
import { expectAccessible } from './support/axe.js'
import { SignInPage } from './pages/signInPage.js'

test('a CME officer signs in through the organisation identity provider (OIDC) and signs out', async ({ page }) => {
  const signIn = await SignInPage.visit(page)
  await signIn.withWorkAccount('cme.officer@demo.onroll.invalid')
  await expect(page).toHaveURL(/\/cases$/)
  await expect(page.locator('.app-signed-in')).toContainText('Alex Morgan')
  await page.getByRole('button', { name: 'Sign out', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You have signed out')
  await page.goto('/cases')
  await expect(page).toHaveURL(/\/sign-in$/)
})

test('an unknown work account is refused with a clear page', async ({ page }) => {
  const signIn = await SignInPage.visit(page)
  await signIn.withWorkAccount('stranger@example.test')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You cannot sign in')
  await expect(page.locator('main')).toContainText('has not been given access')
  await expectAccessible(page)
})

test('a school user sees only what a school may see', async ({ page }) => {
  const signIn = await SignInPage.visit(page)
  await signIn.asDemoUser('Dana Hughes')
  await expect(page).toHaveURL(/\/start$/)
  await expectAccessible(page)
  await page.goto('/cases')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You do not have access to this page')
  await expectAccessible(page)
  await page.goto('/admin/users')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You do not have access to this page')
})

test('an administrator manages users but cannot open the Single List', async ({ page }) => {
  const signIn = await SignInPage.visit(page)
  await signIn.asDemoUser('Jamie Fox')
  await expect(page).toHaveURL(/\/admin$/)
  await expectAccessible(page)
  await page.getByRole('link', { name: 'Users' }).first().click()
  await expect(page.locator('table')).toContainText('Alex Morgan')
  await expectAccessible(page)
  await page.getByRole('button', { name: 'Add a user' }).click()
  await page.getByRole('button', { name: 'Add user' }).click()
  await expect(page.locator('.govuk-error-summary')).toBeFocused()
  await expect(page.locator('.govuk-error-summary')).toContainText('Enter the person’s full name')
  await expectAccessible(page)
  await page.getByLabel('Full name').fill('Test Officer')
  await page.getByLabel('Work email address').fill('test.officer@demo.onroll.invalid')
  await page.getByLabel('Organisation').selectOption({ label: 'Children missing education team (demo)' })
  await page.getByLabel('CME Information Officer').check()
  await page.getByRole('button', { name: 'Add user' }).click()
  await expect(page.locator('.govuk-notification-banner--success')).toBeVisible()
  await expect(page.getByLabel('Full name')).toHaveValue('Test Officer')
  for (const path of ['/admin/organisations', '/admin/organisations/new', '/admin/tokens', '/admin/tokens/new']) {
    await page.goto(path)
    await expectAccessible(page)
  }
  await page.goto('/cases')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You do not have access to this page')
})

test('a manager sees who has viewed a record and searches the audit trail', async ({ page }) => {
  const signIn = await SignInPage.visit(page)
  await signIn.asDemoUser('Sam Taylor')
  await page.locator('table.govuk-table tbody tr a').first().click()
  await expect(page.getByRole('heading', { level: 2, name: 'Who has viewed this record' })).toBeVisible()
  await expect(page.locator('main')).toContainText('Sam Taylor')
  await expectAccessible(page)
  const reference = (await page.locator('.govuk-caption-l').textContent())!.trim()
  await page.getByRole('link', { name: 'Audit' }).click()
  await page.getByLabel('Case reference').fill(reference)
  await page.getByRole('button', { name: 'Search' }).click()
  await expect(page.locator('table')).toContainText('case.view')
  await expectAccessible(page)
})
