import { expect, type Page } from '@playwright/test'
import { expectAccessible } from '../support/axe.js'

/**
 * The referral form, page by page. Fields are found by their form names (the schema paths), which
 * stay stable while labels are reworded; radios are checked through their labels' inputs.
 */
export class ReferralJourney {
  constructor(private readonly page: Page) {}

  async choose(name: string, value: string): Promise<void> {
    await this.page.locator(`input[type="radio"][name="${name}"][value="${value}"]`).check({ force: true })
  }

  async fill(name: string, value: string): Promise<void> {
    await this.page.locator(`[name="${name}"]`).fill(value)
  }

  async date(name: string, day: string, month: string, year: string): Promise<void> {
    await this.fill(`${name}-day`, day)
    await this.fill(`${name}-month`, month)
    await this.fill(`${name}-year`, year)
  }

  async continue(): Promise<void> {
    await expectAccessible(this.page)
    await this.page.getByRole('button', { name: 'Save and continue' }).click()
  }

  async expectHeading(text: string): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText(text)
  }
}
