/**
 * The only reader of the environment. Every setting is parsed once, with a safe default for
 * a developer's machine; a wrong or missing setting stops start-up with one line naming it.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { z } from 'zod'

export type DatabaseConfig =
  | { engine: 'sqlite'; file: string }
  /** preparedStatements: named server-side statements (data/pgPrepared.ts); on unless set false. */
  | { engine: 'postgres'; url: string; preparedStatements?: boolean }

export interface Config {
  production: boolean
  /** NODE_ENV=development: templates are re-read on every request so edits show without a restart. */
  development: boolean
  port: number
  host: string
  dataDir: string
  database: DatabaseConfig
  sessionSecret: string
  /** Seconds a session survives without a request, and at most in all. */
  sessionIdleSeconds: number
  sessionAbsoluteSeconds: number
  la: { name: string; code: string }
  serviceUrl: string
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** The "choose a demo user" sign-in; refused outright in production. */
  demoSignIn: boolean
  oidc?: { issuer: string; clientId: string; clientSecret: string; allowInsecure: boolean }
  smtpUrl?: string
  mailFrom: string
  jobsEnabled: boolean
  /** Web processes sharing the port (node:cluster); 1 serves from the main process. */
  workers: number
}

export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`)
  }
}

const bool = (name: string, value: string | undefined, fallback: boolean): boolean => {
  if (value === undefined || value === '') return fallback
  if (['1', 'true', 'yes', 'on'].includes(value.toLowerCase())) return true
  if (['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return false
  throw new ConfigError(name, `must be true or false, not "${value}"`)
}

const int = (name: string, value: string | undefined, fallback: number, min: number, max: number): number => {
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(name, `must be a whole number from ${String(min)} to ${String(max)}, not "${value}"`)
  return n
}

function parseDatabase(url: string | undefined, dataDir: string): DatabaseConfig {
  if (url === undefined || url === '') return { engine: 'sqlite', file: resolve(dataDir, 'onroll.sqlite') }
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url)
    } catch {
      throw new ConfigError('DATABASE_URL', 'is not a valid postgres:// URL')
    }
    return { engine: 'postgres', url }
  }
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '')
    if (file === '')
      throw new ConfigError('DATABASE_URL', 'sqlite: needs a file path, e.g. sqlite:./data/onroll.sqlite')
    return { engine: 'sqlite', file: file === ':memory:' ? file : resolve(file) }
  }
  throw new ConfigError('DATABASE_URL', 'must start with postgres:// or sqlite:')
}

/** A development secret is generated once and kept under ./data so sessions survive a restart. */
function developmentSecret(dataDir: string): string {
  const file = resolve(dataDir, 'session-secret')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(dirname(file), { recursive: true })
  const secret = randomBytes(32).toString('hex')
  writeFileSync(file, secret, { mode: 0o600 })
  return secret
}

const laCode = z.string().regex(/^\d{3}$/)

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production'
  const dataDir = resolve(env.ONROLL_DATA_DIR ?? './data')
  const parsedDatabase = parseDatabase(env.DATABASE_URL, dataDir)
  const database: DatabaseConfig =
    parsedDatabase.engine === 'postgres'
      ? {
          ...parsedDatabase,
          preparedStatements: bool('DATABASE_PREPARED_STATEMENTS', env.DATABASE_PREPARED_STATEMENTS, true),
        }
      : parsedDatabase

  let sessionSecret = env.SESSION_SECRET ?? ''
  if (sessionSecret === '') {
    if (production) throw new ConfigError('SESSION_SECRET', 'is required in production (at least 32 characters)')
    sessionSecret = developmentSecret(dataDir)
  } else if (sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET', 'must be at least 32 characters')
  }

  const code = env.LA_CODE ?? '317'
  if (!laCode.safeParse(code).success)
    throw new ConfigError('LA_CODE', `must be the 3-digit DfE LA code, not "${code}"`)

  const logLevel = env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info')
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
  if (!(levels as readonly string[]).includes(logLevel))
    throw new ConfigError('LOG_LEVEL', `must be one of ${levels.join(', ')}`)

  const demoSignIn = bool('DEMO_SIGN_IN', env.DEMO_SIGN_IN, false)
  if (demoSignIn && production) throw new ConfigError('DEMO_SIGN_IN', 'cannot be enabled when NODE_ENV=production')

  const port = int('PORT', env.PORT, 3000, 0, 65535)
  const serviceUrl = env.SERVICE_URL ?? `http://localhost:${String(port)}`
  try {
    new URL(serviceUrl)
  } catch {
    throw new ConfigError('SERVICE_URL', 'must be an absolute URL such as https://cme.example.gov.uk')
  }

  let oidc: Config['oidc']
  if (env.OIDC_ISSUER) {
    if (!env.OIDC_CLIENT_ID) throw new ConfigError('OIDC_CLIENT_ID', 'is required when OIDC_ISSUER is set')
    if (!env.OIDC_CLIENT_SECRET) throw new ConfigError('OIDC_CLIENT_SECRET', 'is required when OIDC_ISSUER is set')
    const allowInsecure = bool('OIDC_ALLOW_INSECURE', env.OIDC_ALLOW_INSECURE, false)
    if (allowInsecure && production) throw new ConfigError('OIDC_ALLOW_INSECURE', 'cannot be enabled in production')
    oidc = {
      issuer: env.OIDC_ISSUER,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      allowInsecure,
    }
  } else if (production) {
    throw new ConfigError('OIDC_ISSUER', 'is required in production (sign-in needs an identity provider)')
  }

  const smtpUrl = env.SMTP_URL === '' ? undefined : env.SMTP_URL
  if (smtpUrl !== undefined && !/^smtps?:\/\//.test(smtpUrl))
    throw new ConfigError('SMTP_URL', 'must start with smtp:// or smtps://')

  return {
    production,
    development: env.NODE_ENV === 'development',
    port,
    host: env.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    dataDir,
    database,
    sessionSecret,
    sessionIdleSeconds: int('SESSION_IDLE_MINUTES', env.SESSION_IDLE_MINUTES, 30, 1, 24 * 60) * 60,
    sessionAbsoluteSeconds: int('SESSION_ABSOLUTE_HOURS', env.SESSION_ABSOLUTE_HOURS, 12, 1, 72) * 3600,
    la: { name: env.LA_NAME ?? 'London Borough of Redbridge', code },
    serviceUrl: serviceUrl.replace(/\/$/, ''),
    logLevel: logLevel as Config['logLevel'],
    demoSignIn,
    ...(oidc ? { oidc } : {}),
    ...(smtpUrl ? { smtpUrl } : {}),
    mailFrom: env.MAIL_FROM ?? 'cme-team@onroll.invalid',
    jobsEnabled: bool('JOBS_ENABLED', env.JOBS_ENABLED, true),
    workers: int('WEB_CONCURRENCY', env.WEB_CONCURRENCY, 1, 1, 32),
  }
}
