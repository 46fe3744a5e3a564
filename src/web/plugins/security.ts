import type { FastifyInstance } from 'fastify'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import helmet from 'helmet'
import type { Config } from '../../config.js'

/**
 * The CSP source for the GOV.UK template's one inline script (it marks the page as having
 * JavaScript): its SHA-256, read from the template itself, so an upgrade that changes the script
 * changes the hash with it. A hash rather than a per-request nonce: the same protection, without a
 * call to the system's random source on every response.
 */
export function govukInlineScriptHash(): string {
  const template = readFileSync(
    createRequire(import.meta.url).resolve('govuk-frontend/dist/govuk/template.njk'),
    'utf8',
  )
  const script = /<script[^>]*>(document\.body\.className[^<]*)<\/script>/.exec(template)?.[1]
  if (!script) throw new Error('the GOV.UK template no longer has its inline script: update the CSP')
  return `'sha256-${createHash('sha256').update(script).digest('base64')}'`
}

/** Security headers on every response. The CSP allows no inline script or style but the GOV.UK template's one. */
export async function setUpSecurity(app: FastifyInstance, config: Config): Promise<void> {
  // Helmet itself, built once: the Fastify plugin builds a new helmet for every request.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", govukInlineScriptHash()],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'", ...(config.oidc ? [new URL(config.oidc.issuer).origin] : [])],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        ...(config.production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: config.production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  })
  app.addHook('onRequest', (request, reply, next) => {
    // Helmet 8 throws rather than passing errors on, so its callback only ever says "done".
    securityHeaders(request.raw, reply.raw, () => {
      next()
    })
  })
  // Child data must not sit in a browser or proxy cache: every dynamic response says so; only /assets may be cached.
  app.addHook('onSend', async (request, reply) => {
    if (!request.url.startsWith('/assets/')) {
      reply.header('Cache-Control', 'no-store')
      reply.header('Pragma', 'no-cache')
    }
    reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()')
  })
}
