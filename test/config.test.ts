import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/config.js'

const base = { SESSION_SECRET: 'x'.repeat(32), ONROLL_DATA_DIR: '/tmp/onroll-config-test' }

describe('config', () => {
  it('defaults to SQLite under the data directory, port 3000 and the demo LA', () => {
    const c = loadConfig(base)
    expect(c.database).toEqual({ engine: 'sqlite', file: '/tmp/onroll-config-test/onroll.sqlite' })
    expect(c.port).toBe(3000)
    expect(c.la).toEqual({ name: 'London Borough of Redbridge', code: '317' })
    expect(c.demoSignIn).toBe(false)
    expect(c.workers).toBe(1)
    expect(loadConfig({ ...base, WEB_CONCURRENCY: '2' }).workers).toBe(2)
  })

  it('selects PostgreSQL from a postgres:// URL, with prepared statements unless turned off', () => {
    const url = 'postgres://u@127.0.0.1:5432/x'
    expect(loadConfig({ ...base, DATABASE_URL: url }).database).toEqual({
      engine: 'postgres',
      url,
      preparedStatements: true,
    })
    expect(loadConfig({ ...base, DATABASE_URL: url, DATABASE_PREPARED_STATEMENTS: 'false' }).database).toMatchObject({
      preparedStatements: false,
    })
  })

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LA_CODE: '31' }, 'LA_CODE'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DEMO_SIGN_IN: 'perhaps' }, 'DEMO_SIGN_IN'],
    [{ DATABASE_URL: 'postgres://u@h/x', DATABASE_PREPARED_STATEMENTS: 'maybe' }, 'DATABASE_PREPARED_STATEMENTS'],
    [{ OIDC_ISSUER: 'https://id.example' }, 'OIDC_CLIENT_ID'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL'],
    [{ WEB_CONCURRENCY: '0' }, 'WEB_CONCURRENCY'],
    [{ WEB_CONCURRENCY: 'two' }, 'WEB_CONCURRENCY'],
  ])('names the setting when %o is wrong', (env, setting) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError)
    try {
      loadConfig({ ...base, ...env })
    } catch (err) {
      expect((err as ConfigError).setting).toBe(setting)
      expect((err as Error).message.startsWith(`${setting}:`)).toBe(true)
    }
  })

  it('requires a session secret and an identity provider in production, and refuses demo sign-in there', () => {
    const prod = { NODE_ENV: 'production', ONROLL_DATA_DIR: '/tmp/x' }
    expect(() => loadConfig(prod)).toThrow(/SESSION_SECRET/)
    expect(() => loadConfig({ ...prod, SESSION_SECRET: 'x'.repeat(32) })).toThrow(/OIDC_ISSUER/)
    const withIdp = {
      ...prod,
      SESSION_SECRET: 'x'.repeat(32),
      OIDC_ISSUER: 'https://id.example',
      OIDC_CLIENT_ID: 'a',
      OIDC_CLIENT_SECRET: 'b',
    }
    expect(loadConfig(withIdp).production).toBe(true)
    expect(() => loadConfig({ ...withIdp, DEMO_SIGN_IN: 'true' })).toThrow(/DEMO_SIGN_IN/)
  })

  it('generates and keeps a development session secret', () => {
    const dir = `/tmp/onroll-config-${String(process.pid)}-${String(Date.now())}`
    const first = loadConfig({ ONROLL_DATA_DIR: dir }).sessionSecret
    expect(first.length).toBeGreaterThanOrEqual(32)
    expect(loadConfig({ ONROLL_DATA_DIR: dir }).sessionSecret).toBe(first)
  })
})
