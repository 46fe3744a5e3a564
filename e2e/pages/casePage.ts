import { expect, type Page } from '@playwright/test'
import { expectAccessible } from '../support/axe.js'

/** The case page as a CME officer works it. Dates are typed as today. */
export class CasePage {
  constructor(private readonly page: Page) {}

  static async open(page: Page, childName: string): Promise<CasePage> {
    await page.goto('/cases')
    await page.getByRole('link', { name: childName }).first().click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(childName)
    return new CasePage(page)
  }

  private async today(form: ReturnType<Page['locator']>, name = 'checkedOn'): Promise<void> {
    const d = new Date()
    await form.locator(`[name="${name}-day"]`).fill(String(d.getDate()))
    await form.locator(`[name="${name}-month"]`).fill(String(d.getMonth() + 1))
    await form.locator(`[name="${name}-year"]`).fill(String(d.getFullYear()))
  }

  /**
   * Submits a form and waits for the page it leads to (POST, redirect, GET) to be loaded. A click
   * returns once the request is sent; the next step would otherwise act on the old page as it unloads
   * (seen under load: "clicking the checkbox did not change its state").
   */
  async submit(button: ReturnType<Page['locator']>): Promise<void> {
    const loaded = this.page.waitForEvent('framenavigated', frame => frame === this.page.mainFrame())
    await button.click()
    await loaded
    await this.page.waitForLoadState('domcontentloaded')
  }

  async button(name: string | RegExp): Promise<void> {
    await this.submit(this.page.getByRole('button', { name }).first())
    await expect(this.page.locator('.govuk-error-summary')).toHaveCount(0)
  }

  async triage(): Promise<void> {
    await this.button('Accept and triage')
  }

  async checkAllStageOne(): Promise<void> {
    const form = this.page.locator('form', { has: this.page.locator('input[name="stage"][value="one"]') })
    const options = await form
      .locator('select[name="item"] option')
      .evaluateAll(els => els.map(e => (e as HTMLOptionElement).value).filter(v => v !== ''))
    for (const value of options) {
      const f = this.page.locator('form', { has: this.page.locator('input[name="stage"][value="one"]') })
      await f.locator('select[name="item"]').selectOption(value)
      await f.locator('input[name="result"][value="not-found"]').check({ force: true })
      await this.today(f)
      await this.submit(f.getByRole('button', { name: 'Record stage one check' }))
    }
  }

  async checkAllStageTwo(): Promise<void> {
    const sources = await this.page
      .locator('form', { has: this.page.locator('input[name="stage"][value="two"]') })
      .locator('select[name="item"] option')
      .evaluateAll(els => els.map(e => (e as HTMLOptionElement).value).filter(v => v !== ''))
    for (const value of sources) {
      const f = this.page.locator('form', { has: this.page.locator('input[name="stage"][value="two"]') })
      await f.locator('select[name="item"]').selectOption(value)
      await f.locator('input[name="result"][value="not-found"]').check({ force: true })
      await this.today(f)
      await this.submit(f.getByRole('button', { name: 'Record stage two check' }))
    }
  }

  async finalVisit(result: 'visited-not-found' | 'not-needed', details: string): Promise<void> {
    const f = this.page.locator('form', { has: this.page.locator('input[name="stage"][value="three"]') })
    await f.locator(`input[name="result"][value="${result}"]`).check({ force: true })
    await this.today(f)
    await f.locator('textarea[name="details"]').fill(details)
    await this.submit(f.getByRole('button', { name: 'Record final visit decision' }))
  }

  async expectTimeline(text: string | RegExp): Promise<void> {
    await expect(this.page.locator('.app-timeline')).toContainText(text)
  }

  async accessible(): Promise<void> {
    await expectAccessible(this.page)
  }
}
