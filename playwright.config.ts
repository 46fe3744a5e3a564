import { defineConfig } from '@playwright/test'
import { existsSync } from 'node:fs'

// E2E_PORT lets several checkouts run their browser tests at once; the identity provider uses the next port.
const PORT = Number(process.env.E2E_PORT ?? '3900')
const chromium = '/usr/bin/chromium'

if (!existsSync(chromium)) {
  if (process.env.REQUIRE_BROWSER === '1')
    throw new Error(`REQUIRE_BROWSER=1 but ${chromium} is missing: install Debian's chromium`)
  console.log(`Browser tests skipped: ${chromium} is not installed (set REQUIRE_BROWSER=1 to make this a failure).`)
}

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${String(PORT)}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'npx tsx e2e/support/server.ts',
    url: `http://127.0.0.1:${String(PORT)}/health/ready`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: { E2E_PORT: String(PORT) },
  },
})
