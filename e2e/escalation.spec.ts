import { expect, test } from '@playwright/test'
import { EscalationPages } from './pages/escalationPages.js'
import { SignInPage } from './pages/signInPage.js'
import { expectAccessible } from './support/axe.js'

test('a worker escalates a case, the VCO answers it, and the answer is on the case', async ({ page }) => {
  test.setTimeout(120_000)
  const escalations = new EscalationPages(page)
  await (await SignInPage.visit(page)).asDemoUser('Alex Morgan')
  const reference = await escalations.openUnescalatedCase('stage-two')
  await expectAccessible(page)
  await escalations.escalate(
    'The family will not engage and the school is pressing to remove the child',
    "Vulnerable Children's Officer",
  )
  await expect(page.locator('.app-timeline')).toContainText("Escalated to the Vulnerable Children's Officer")
  await expectAccessible(page)

  await page.context().clearCookies()
  await (await SignInPage.visit(page)).asDemoUser('Priya Shah')
  await escalations.answerFromQueue(reference, 'Arrange a joint visit with social care this week')
  const card = page.locator('.govuk-summary-card', { hasText: 'Arrange a joint visit with social care this week' })
  await expect(card).toContainText('Instruction given')
  await expect(card).toContainText('Answered')
  await expect(page.locator('.app-timeline')).toContainText('Escalation answered by the Vulnerable Children')
  await expectAccessible(page)
})

test('the oversight page counts the escalations waiting and links to the queue and the half-term notes', async ({
  page,
}) => {
  await (await SignInPage.visit(page)).asDemoUser('Sam Taylor')
  await page.getByRole('link', { name: 'Oversight', exact: true }).click()
  const waiting = page.getByRole('link', { name: /escalations waiting/ })
  const count = Number((await waiting.innerText()).replace(/\D.*$/s, ''))
  expect(count).toBeGreaterThan(0)
  await expect(page.locator('#escalations + table tbody tr, #escalations ~ table tbody tr').first()).toBeVisible()
  expect(await page.locator('h2#escalations + table tbody tr').count()).toBe(count)
  await waiting.click()
  await expect(page.getByRole('heading', { level: 1, name: 'Escalated to me' })).toBeVisible()
  await expectAccessible(page)

  await page.goto('/oversight')
  await page.getByRole('link', { name: 'Every half-term note' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Half-term notes of closed cases' })).toBeVisible()
  await expectAccessible(page)
  await page.locator('table a[href^="/oversight/notes/"]').first().click()
  await expect(page.getByRole('table')).toContainText('Total closed')
  await expectAccessible(page)
})

test('a CME officer records the review of a case closed as not found', async ({ page }) => {
  await (await SignInPage.visit(page)).asDemoUser('Alex Morgan')
  await page.getByRole('link', { name: 'Reviews', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Reviews of cases closed as not found' })).toBeVisible()
  await expectAccessible(page)
  await page.locator('table a[href*="/reviews/"]').first().click()
  await expect(page.getByRole('heading', { level: 1, name: 'Review of a case closed as not found' })).toBeVisible()
  await expectAccessible(page)
  await page.getByRole('button', { name: 'Record the review' }).click()
  await expect(page.locator('.govuk-error-summary')).toContainText('Select the checks you made again')
  await expectAccessible(page)
  await page.getByLabel('Health').check()
  await page.getByLabel('Police').check()
  await page.getByLabel('What did the checks find?').fill('No trace on either source')
  await page.getByLabel('Still not found: confirm the closure').check()
  await page.getByRole('button', { name: 'Record the review' }).click()
  await expect(page.locator('.app-timeline')).toContainText('closure confirmed')
  await expectAccessible(page)
})
