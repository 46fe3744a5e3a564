import { expect, type Page } from '@playwright/test'

export class SignInPage {
  constructor(private readonly page: Page) {}

  static async visit(page: Page): Promise<SignInPage> {
    await page.goto('/sign-in')
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible()
    return new SignInPage(page)
  }

  /** Picks a demo user by name (the radio label starts with the person's name). */
  async asDemoUser(name: string): Promise<void> {
    await this.page.locator('label.govuk-radios__label', { hasText: new RegExp(`^\\s*${name} – `) }).click()
    await this.page.getByRole('button', { name: 'Sign in as this user' }).click()
  }

  async withWorkAccount(email: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Sign in with your work account' }).click()
    await this.page.locator('input[name="login"]').fill(email)
    await this.page.locator('input[name="password"]').fill('any-password')
    await this.page.locator('button[type="submit"]').click()
    // oidc-provider's dev consent page
    const consent = this.page.locator('button[type="submit"]', { hasText: /continue/i })
    if (await consent.isVisible().catch(() => false)) await consent.click()
  }
}
