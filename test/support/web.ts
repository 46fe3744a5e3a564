import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { demoId } from '../../src/demo/demoData.js'
import { buildApp } from '../../src/web/app.js'
import type { TestRuntime } from './db.js'

export async function buildTestApp(runtime: TestRuntime): Promise<FastifyInstance> {
  const app = await buildApp({
    config: runtime.config,
    services: runtime.services,
    clock: runtime.clock,
    logger: false,
  })
  await app.ready()
  return app
}

/** A cookie jar for inject(): keeps what the server set, as a browser would. */
export class Browser {
  private cookies = new Map<string, string>()
  constructor(private readonly app: FastifyInstance) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  private keep(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
    return res
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader } }))
  }

  /** Posts a form the way a browser does, with the CSRF token from the page it came from. */
  async post(url: string, form: Record<string, string | string[]>, fromPage?: string): Promise<LightMyRequestResponse> {
    const token = fromPage ? csrfFrom((await this.get(fromPage)).body) : undefined
    const body = new URLSearchParams()
    const fields: Record<string, string | string[]> = { ...form, ...(token ? { _csrf: token } : {}) }
    for (const [k, v] of Object.entries(fields))
      for (const item of typeof v === 'string' ? [v] : v) body.append(k, item)
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
        payload: body.toString(),
      }),
    )
  }

  /** Signs in through the demo sign-in page as the demo user with this email. */
  async signInAs(email: string): Promise<void> {
    await this.signInAsId(demoId(`user:${email}`))
  }

  async signInAsId(userId: string): Promise<void> {
    const res = await this.post('/sign-in/demo', { userId }, '/sign-in')
    if (res.statusCode !== 302) throw new Error(`demo sign-in failed: ${String(res.statusCode)}`)
  }

  /** A CSRF token for forms, taken from a page that always has one. */
  async csrf(): Promise<string> {
    const page = await this.get('/accessibility')
    return /name="_csrf"/.test(page.body) ? csrfFrom(page.body) : csrfFrom((await this.get('/sign-in')).body)
  }
}

export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html)
  if (!m?.[1]) throw new Error('no CSRF token on the page')
  return m[1]
}
