// `npm test`: type-check, lint, unit + integration (SQLite, and PostgreSQL when TEST_DATABASE_URL is set),
// then the browser suite in Chromium. Ends with one line: "N passed, N failed".
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'

const results = { passed: 0, failed: 0, skipped: 0 }
const failures = []
mkdirSync('test-results', { recursive: true })

function run(name, command, args, env = {}) {
  console.log(`\n▶ ${name}`)
  const r = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  return r.status === 0
}

function step(name, command, args) {
  if (run(name, command, args)) results.passed += 1
  else {
    results.failed += 1
    failures.push(name)
  }
}

step('type-check', 'npx', ['tsc', '--noEmit', '-p', '.'])
step('type-check (browser tests)', 'npx', ['tsc', '--noEmit', '-p', 'e2e/tsconfig.json'])
step('lint', 'npx', ['eslint', '.'])
step('format', 'npx', ['prettier', '--check', '.'])

if (!process.env.TEST_DATABASE_URL)
  console.log('\nPostgreSQL suite: TEST_DATABASE_URL is not set, so database tests run on SQLite only.')
const unitOk = run('unit and integration tests (vitest)', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile=test-results/unit.json',
])
if (existsSync('test-results/unit.json')) {
  const u = JSON.parse(readFileSync('test-results/unit.json', 'utf8'))
  results.passed += u.numPassedTests
  results.failed += u.numFailedTests
  results.skipped += u.numPendingTests + u.numTodoTests
  if (u.numFailedTests > 0 || !unitOk) failures.push('vitest')
  if (!unitOk && u.numFailedTests === 0) results.failed += 1
} else if (!unitOk) {
  results.failed += 1
  failures.push('vitest (no report)')
}

const chromium = '/usr/bin/chromium'
if (!existsSync(chromium) && process.env.REQUIRE_BROWSER !== '1') {
  console.log(
    `\nBrowser tests SKIPPED: ${chromium} is not installed. Install Debian's chromium, or set REQUIRE_BROWSER=1 to fail instead.`,
  )
} else {
  const built = run('build', 'node', ['scripts/build.mjs'])
  if (!built) {
    results.failed += 1
    failures.push('build')
  } else {
    const e2eOk = run('browser tests (Playwright, Chromium, axe)', 'npx', ['playwright', 'test'])
    if (existsSync('test-results/e2e.json')) {
      const e = JSON.parse(readFileSync('test-results/e2e.json', 'utf8'))
      results.passed += e.stats.expected
      results.failed += e.stats.unexpected + (e.stats.flaky ?? 0)
      results.skipped += e.stats.skipped
      if (!e2eOk) failures.push('playwright')
      if (!e2eOk && e.stats.unexpected === 0) results.failed += 1
    } else if (!e2eOk) {
      results.failed += 1
      failures.push('playwright (no report)')
    }
  }
}

writeFileSync('test-results/summary.json', JSON.stringify({ ...results, failures }))
if (failures.length > 0) console.log(`\nFailed: ${failures.join(', ')}`)
console.log(
  `\n${results.passed} passed, ${results.failed} failed${results.skipped ? `, ${results.skipped} skipped` : ''}`,
)
process.exit(failures.length > 0 ? 1 : 0)
