import type { OrganisationKind, Role } from './roles.js'

/** Who is asking: a signed-in person, another system with an API token, or the system itself (jobs). */
export interface Actor {
  kind: 'user' | 'token' | 'system'
  id: string
  name: string
  organisationId: string
  organisationKind: OrganisationKind
  organisationName: string
  laCode: string
  roles: readonly Role[]
}

/** Where a request came from, carried into every audit event. */
export interface RequestContext {
  requestId: string
  clientIp: string | null
}

export const systemActor = (laCode: string, organisationId: string): Actor => ({
  kind: 'system',
  id: 'system',
  name: 'onroll',
  organisationId,
  organisationKind: 'la',
  organisationName: 'onroll',
  laCode,
  roles: [],
})
