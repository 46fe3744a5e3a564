/**
 * The server the browser tests drive: the real onroll build on a temporary SQLite database
 * with the demo data, demo sign-in, and (for the OIDC tests) a local OpenID provider.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../../src/cli.js'
import { startTestIdentityProvider, IDP_PORT } from './identityProvider.js'

const port = process.env.E2E_PORT ?? '3900'
const dir = mkdtempSync(join(tmpdir(), 'onroll-e2e-'))

await startTestIdentityProvider(`http://127.0.0.1:${port}/sign-in/callback`)

Object.assign(process.env, {
  NODE_ENV: 'test',
  PORT: port,
  HOST: '127.0.0.1',
  ONROLL_DATA_DIR: dir,
  DATABASE_URL: `sqlite:${join(dir, 'e2e.sqlite')}`,
  SERVICE_URL: `http://127.0.0.1:${port}`,
  LOG_LEVEL: 'warn',
  OIDC_ISSUER: `http://127.0.0.1:${String(IDP_PORT)}`,
  OIDC_CLIENT_ID: 'onroll-e2e',
  OIDC_CLIENT_SECRET: 'onroll-e2e-secret',
  OIDC_ALLOW_INSECURE: 'true',
  JOBS_ENABLED: 'false',
})

await main(['start'])
