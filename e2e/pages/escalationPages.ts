import { expect, type Page } from '@playwright/test'
import { expectAccessible } from '../support/axe.js'

/** Escalation pages: the question page on a case, "Escalated to me" and the answer page. */
export class EscalationPages {
  constructor(private readonly page: Page) {}

  /** Opens the first case of a stage on the Single List that has never been escalated; returns its reference. */
  async openUnescalatedCase(stage: string): Promise<string> {
    await this.page.goto(`/cases?stage=${stage}`)
    const hrefs = await this.page
      .locator('table a[href^="/cases/"]')
      .evaluateAll(els => els.map(e => e.getAttribute('href') ?? ''))
    for (const href of hrefs.reverse()) {
      await this.page.goto(href)
      if (await this.page.getByText('This case has not been escalated.').isVisible())
        return (await this.page.locator('.govuk-caption-l').first().innerText()).trim()
    }
    throw new Error(`no unescalated ${stage} case on the Single List`)
  }

  async escalate(reason: string, to: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Escalate this case' }).click()
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText('Why does this case need escalating?')
    await expectAccessible(this.page)
    await this.page.getByRole('button', { name: `Escalate to the ${to}` }).click()
    await expect(this.page.locator('.govuk-error-summary')).toContainText('Enter why the case needs escalating')
    await expectAccessible(this.page)
    await this.page.getByLabel('Why does this case need escalating?').fill(reason)
    await this.page.getByRole('button', { name: `Escalate to the ${to}` }).click()
    await expect(this.page.locator('#escalations ~ .govuk-summary-card').first()).toContainText('Waiting for an answer')
  }

  async answerFromQueue(reference: string, instruction: string): Promise<void> {
    await this.page.getByRole('link', { name: 'Escalated to me', exact: true }).click()
    await expect(this.page.getByRole('heading', { level: 1, name: 'Escalated to me' })).toBeVisible()
    await expectAccessible(this.page)
    await this.page.getByRole('link', { name: new RegExp(`^${reference}`) }).click()
    await expect(this.page.getByRole('heading', { level: 1 })).toContainText('Escalation to the')
    await expectAccessible(this.page)
    await this.page.getByLabel('Instruction given').check()
    await this.page.getByLabel('Instruction, or the reason for your decision').fill(instruction)
    await this.page.getByRole('button', { name: 'Record the answer' }).click()
    await expect(this.page.locator('.govuk-caption-l').first()).toHaveText(reference)
  }
}
