import { expect, test, type Page } from '@playwright/test'
import { expectAccessible } from './support/axe.js'
import { SignInPage } from './pages/signInPage.js'

const rows = (page: Page) => page.locator('table.govuk-table tbody tr')
const childLinks = (page: Page) => rows(page).locator('td:first-child a')

test('a CME officer filters, sorts and searches the Single List, then opens a case', async ({ page }) => {
  test.setTimeout(120_000)
  const signIn = await SignInPage.visit(page)
  await signIn.asDemoUser('Alex Morgan')
  await expect(page).toHaveURL(/\/cases$/)
  await expect(page.getByRole('link', { name: 'All open cases' })).toHaveAttribute('aria-current', 'page')
  await expectAccessible(page)

  // Filter: urgent cases only.
  await page.getByRole('group', { name: 'Priority' }).getByLabel('Urgent').check({ force: true })
  await page.getByRole('button', { name: 'Apply filters' }).click()
  // The form sends its empty selects too ("worker=&school="); the list's own links leave them out.
  await expect(page).toHaveURL(/\/cases\?priority=urgent&/)
  const count = await rows(page).count()
  expect(count).toBeGreaterThan(0)
  await expect(rows(page).locator('td:nth-child(5)')).toHaveText(Array(count).fill('Urgent'))
  await expect(page.getByRole('link', { name: 'Clear filters' })).toBeVisible()
  await expectAccessible(page)

  // Sort by the child's name, then the other way.
  await page.getByRole('columnheader', { name: 'Child' }).getByRole('link').click()
  await expect(page).toHaveURL(/\/cases\?priority=urgent&sort=name$/)
  await expect(page.getByRole('columnheader', { name: 'Child' })).toHaveAttribute('aria-sort', 'ascending')
  const names = await childLinks(page).allTextContents()
  const key = (name: string) => name.split(' ').reverse().join(' ').toLowerCase()
  expect(names.map(key)).toEqual([...names.map(key)].sort())
  await expectAccessible(page)
  await page.getByRole('columnheader', { name: 'Child' }).getByRole('link').click()
  await expect(page.getByRole('columnheader', { name: 'Child' })).toHaveAttribute('aria-sort', 'descending')

  // Search by a name: a POST, so the name is in no address.
  const name = (await childLinks(page).first().textContent())?.trim() ?? ''
  await page.getByRole('link', { name: 'Clear filters' }).click()
  // The search box is on both pages: wait for the new one, or the name goes into the page being left.
  await expect(page).toHaveURL(/\/cases$/)
  await page.getByLabel('Search by name, case reference or UPN').fill(name)
  await page.getByRole('button', { name: 'Search', exact: true }).click()
  await expect(page).toHaveURL(/\/cases\/search$/)
  await expect(page.getByText('match your search')).toBeVisible()
  await expect(childLinks(page).filter({ hasText: name }).first()).toBeVisible()
  expect(page.url().toLowerCase()).not.toContain(name.split(' ')[1]?.toLowerCase() ?? name)
  await expectAccessible(page)

  // Open the case.
  await childLinks(page).filter({ hasText: name }).first().click()
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name)
  await expectAccessible(page)
})

test('a CME officer sees their own cases and the unassigned ones', async ({ page }) => {
  const signIn = await SignInPage.visit(page)
  await signIn.asDemoUser('Alex Morgan')
  await page.getByRole('link', { name: 'My cases' }).click()
  await expect(page).toHaveURL(/\/cases\?view=mine$/)
  await expect(page.getByRole('link', { name: 'My cases' })).toHaveAttribute('aria-current', 'page')
  await expect(rows(page).locator('td:nth-child(9)').first()).toHaveText('Alex Morgan')
  await expectAccessible(page)
  await page.getByRole('link', { name: 'Unassigned' }).click()
  await expect(rows(page).locator('td:nth-child(9)').first()).toHaveText('Unassigned')
  await expectAccessible(page)
})
