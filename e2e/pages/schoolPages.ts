import type { Page } from '@playwright/test'

/** The school's pages: radios and date boxes found by their form names, which stay stable while labels change. */
export class SchoolForms {
  constructor(private readonly page: Page) {}

  async choose(name: string, value: string): Promise<void> {
    await this.page.locator(`input[type="radio"][name="${name}"][value="${value}"]`).check({ force: true })
  }

  async fill(name: string, value: string): Promise<void> {
    await this.page.locator(`[name="${name}"]`).fill(value)
  }

  /** A date `daysAgo` days before today in the three GOV.UK date boxes. */
  async dateAgo(name: string, daysAgo: number): Promise<void> {
    const d = new Date(Date.now() - daysAgo * 86_400_000)
    await this.fill(`${name}-day`, String(d.getDate()))
    await this.fill(`${name}-month`, String(d.getMonth() + 1))
    await this.fill(`${name}-year`, String(d.getFullYear()))
  }
}
