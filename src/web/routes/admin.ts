import type { FastifyInstance } from 'fastify'
import {
  AGENCY_TYPES,
  ORGANISATION_KINDS,
  ROLES,
  ROLES_BY_ORGANISATION_KIND,
  SCHOOL_PHASES,
  SCHOOL_TYPES,
} from '../../domain/roles.js'
import { callerOf } from '../plugins/auth.js'
import { asList, formBody, pathId, tryForm } from '../forms.js'
import type { RouteOptions } from './index.js'

/** Users, organisations and API tokens: for system administrators, who cannot see child records. */
export async function adminRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  const options = {
    roles: Object.entries(ROLES).map(([value, text]) => ({ value, text })),
    kinds: ORGANISATION_KINDS,
    schoolTypes: SCHOOL_TYPES,
    phases: SCHOOL_PHASES,
    agencyTypes: AGENCY_TYPES,
    rolesByKind: ROLES_BY_ORGANISATION_KIND,
  }
  const users = { config: { access: 'admin:users' as const } }
  const orgs = { config: { access: 'admin:organisations' as const } }

  app.get('/admin', users, async (_request, reply) => reply.view('pages/admin/index.njk', {}))

  // Users
  app.get('/admin/users', users, async (request, reply) => {
    const list = await services.admin.listUsers(callerOf(request))
    return reply.view('pages/admin/users.njk', { users: list })
  })

  app.get('/admin/users/new', users, async (request, reply) => {
    const organisations = await services.admin.listOrganisations(callerOf(request))
    return reply.view('pages/admin/user-form.njk', { ...options, organisations, values: { roles: [] } })
  })

  const userValues = (body: Record<string, unknown>) => ({
    name: body.name,
    email: body.email,
    phone: body.phone,
    organisationId: body.organisationId,
    roles: asList(body.roles),
  })

  app.post('/admin/users', users, async (request, reply) => {
    const caller = callerOf(request)
    const values = userValues(formBody(request.body))
    const result = await tryForm(() => services.admin.saveUser(caller, values))
    if (result.ok) return reply.redirect(`/admin/users/${result.value}?saved=1`)
    const organisations = await services.admin.listOrganisations(caller)
    return reply.code(400).view('pages/admin/user-form.njk', { ...options, ...result.form, organisations, values })
  })

  app.get('/admin/users/:id', users, async (request, reply) => {
    const caller = callerOf(request)
    const id = pathId(request.params)
    const user = await services.admin.getUser(caller, id)
    const organisations = await services.admin.listOrganisations(caller)
    const sessions = await services.sessions.countFor(id)
    return reply.view('pages/admin/user-form.njk', {
      ...options,
      organisations,
      user,
      sessions,
      saved: (request.query as Record<string, unknown>).saved === '1',
      values: {
        name: user.name,
        email: user.email,
        phone: user.phone,
        organisationId: user.organisationId,
        roles: user.roles,
      },
    })
  })

  app.post('/admin/users/:id', users, async (request, reply) => {
    const caller = callerOf(request)
    const id = pathId(request.params)
    const values = userValues(formBody(request.body))
    const result = await tryForm(() => services.admin.saveUser(caller, values, id))
    if (result.ok) return reply.redirect(`/admin/users/${id}?saved=1`)
    const user = await services.admin.getUser(caller, id)
    const organisations = await services.admin.listOrganisations(caller)
    return reply
      .code(400)
      .view('pages/admin/user-form.njk', { ...options, ...result.form, organisations, user, values })
  })

  app.post('/admin/users/:id/deactivate', users, async (request, reply) => {
    const id = pathId(request.params)
    await services.admin.setUserActive(callerOf(request), id, false)
    return reply.redirect(`/admin/users/${id}?saved=1`)
  })

  app.post('/admin/users/:id/reactivate', users, async (request, reply) => {
    const id = pathId(request.params)
    await services.admin.setUserActive(callerOf(request), id, true)
    return reply.redirect(`/admin/users/${id}?saved=1`)
  })

  app.post('/admin/users/:id/end-sessions', users, async (request, reply) => {
    const id = pathId(request.params)
    await services.admin.endSessions(callerOf(request), id)
    return reply.redirect(`/admin/users/${id}?saved=1`)
  })

  // Organisations
  app.get('/admin/organisations', orgs, async (request, reply) => {
    const organisations = await services.admin.listOrganisations(callerOf(request))
    return reply.view('pages/admin/organisations.njk', { ...options, organisations })
  })

  app.get('/admin/organisations/new', orgs, async (_request, reply) =>
    reply.view('pages/admin/organisation-form.njk', { ...options, values: {} }),
  )

  app.post('/admin/organisations', orgs, async (request, reply) => {
    const body = formBody(request.body)
    const values = {
      kind: body.kind,
      name: body.name,
      urn: body.urn,
      establishmentNumber: body.establishmentNumber,
      schoolType: body.kind === 'school' ? body.schoolType || undefined : undefined,
      phase: body.kind === 'school' ? body.phase || undefined : undefined,
      agencyType: body.kind === 'partner' ? body.agencyType || undefined : undefined,
      email: body.email,
    }
    const result = await tryForm(() => services.admin.createOrganisation(callerOf(request), values))
    if (result.ok) return reply.redirect('/admin/organisations?saved=1')
    return reply.code(400).view('pages/admin/organisation-form.njk', { ...options, ...result.form, values })
  })

  const organisationValues = (body: Record<string, unknown>, kind: unknown) => ({
    kind,
    name: body.name,
    urn: body.urn,
    establishmentNumber: body.establishmentNumber,
    schoolType: kind === 'school' ? body.schoolType || undefined : undefined,
    phase: kind === 'school' ? body.phase || undefined : undefined,
    agencyType: kind === 'partner' ? body.agencyType || undefined : undefined,
    email: body.email,
  })

  app.get('/admin/organisations/:id', orgs, async (request, reply) => {
    const org = await services.admin.getOrganisation(callerOf(request), pathId(request.params))
    return reply.view('pages/admin/organisation-form.njk', {
      ...options,
      organisation: org,
      values: {
        kind: org.kind,
        name: org.name,
        urn: org.urn,
        establishmentNumber: org.establishment_number,
        schoolType: org.school_type,
        phase: org.phase,
        agencyType: org.agency_type,
        email: org.email,
      },
    })
  })

  app.post('/admin/organisations/:id', orgs, async (request, reply) => {
    const caller = callerOf(request)
    const id = pathId(request.params)
    const org = await services.admin.getOrganisation(caller, id)
    const values = organisationValues(formBody(request.body), org.kind)
    const result = await tryForm(() => services.admin.updateOrganisation(caller, id, values))
    if (result.ok) return reply.redirect('/admin/organisations?saved=1')
    return reply
      .code(400)
      .view('pages/admin/organisation-form.njk', { ...options, ...result.form, organisation: org, values })
  })

  app.post('/admin/organisations/:id/deactivate', orgs, async (request, reply) => {
    const id = pathId(request.params)
    await services.admin.setOrganisationActive(callerOf(request), id, false)
    return reply.redirect('/admin/organisations?saved=1')
  })

  app.post('/admin/organisations/:id/reactivate', orgs, async (request, reply) => {
    const id = pathId(request.params)
    await services.admin.setOrganisationActive(callerOf(request), id, true)
    return reply.redirect('/admin/organisations?saved=1')
  })

  // Email waiting or sent: with no SMTP server configured, this is where messages can be read.
  app.get('/admin/outbox', users, async (request, reply) => {
    const messages = await services.mail.outbox(callerOf(request))
    return reply.view('pages/admin/outbox.njk', { messages, smtp: services.mail.smtpConfigured })
  })

  // API tokens
  app.get('/admin/tokens', users, async (request, reply) => {
    const tokens = await services.admin.listTokens(callerOf(request))
    return reply.view('pages/admin/tokens.njk', { tokens })
  })

  app.get('/admin/tokens/new', users, async (request, reply) => {
    const organisations = await services.admin.listOrganisations(callerOf(request))
    return reply.view('pages/admin/token-form.njk', { ...options, organisations, values: { roles: [] } })
  })

  app.post('/admin/tokens', users, async (request, reply) => {
    const caller = callerOf(request)
    const body = formBody(request.body)
    const values = {
      name: typeof body.name === 'string' ? body.name : '',
      organisationId: typeof body.organisationId === 'string' ? body.organisationId : '',
      roles: asList(body.roles),
    }
    const result = await tryForm(() => services.admin.createToken(caller, values))
    if (result.ok) return reply.view('pages/admin/token-created.njk', { token: result.value, name: values.name })
    const organisations = await services.admin.listOrganisations(caller)
    return reply.code(400).view('pages/admin/token-form.njk', { ...options, ...result.form, organisations, values })
  })

  app.post('/admin/tokens/:id/revoke', users, async (request, reply) => {
    const id = pathId(request.params)
    await services.admin.revokeToken(callerOf(request), id)
    return reply.redirect('/admin/tokens?saved=1')
  })
}
