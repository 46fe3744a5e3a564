import type { Actor, RequestContext } from '../domain/actor.js'

declare module 'fastify' {
  interface Session {
    userId?: string
    signedInAt?: string
    lastSeenAt?: string
    /** OIDC state for one sign-in attempt (PKCE verifier, state, nonce). */
    oidc?: { verifier: string; state: string; nonce: string; returnTo: string }
    returnTo?: string
    flash?: string
  }
  interface FastifyRequest {
    actor: Actor | null
    context: RequestContext
  }
  interface FastifyReply {
    /** Values merged into every view by @fastify/view (set in plugins/views.ts). */
    locals: Record<string, unknown>
  }
}

export {}
