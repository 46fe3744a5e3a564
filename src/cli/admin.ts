/** `onroll users|orgs|tokens|audit …`: bootstrap and look after a deployment from a shell. */
import { parseArgs } from 'node:util'
import type { Config } from '../config.js'
import { systemActor } from '../domain/actor.js'
import { verifyAuditChain } from '../data/repositories/auditRepository.js'
import { openRuntime, type Runtime } from '../runtime.js'
import type { Caller } from '../services/deps.js'
import { NotFoundError, ValidationError } from '../services/errors.js'

type Out = { log: (s: string) => void; error: (s: string) => void }

export async function runAdminCommand(
  config: Config,
  group: string,
  args: string[],
  out: Out = console,
): Promise<number> {
  const runtime = await openRuntime(config)
  try {
    return await dispatch(runtime, group, args, out)
  } catch (err) {
    if (err instanceof ValidationError) {
      for (const p of err.problems) out.error(`onroll: ${p.field}: ${p.message}`)
      return 1
    }
    if (
      err instanceof NotFoundError ||
      (err instanceof Error && err.name === 'TypeError' && err.message.includes('parseArgs'))
    ) {
      out.error(`onroll: ${err.message}`)
      return 1
    }
    if (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      out.error(`onroll: ${err.message}`)
      return 1
    }
    throw err
  } finally {
    await runtime.close()
  }
}

async function dispatch(runtime: Runtime, group: string, args: string[], out: Out): Promise<number> {
  const { services, config } = runtime
  const caller: Caller = {
    actor: { ...systemActor(config.la.code, 'system'), name: 'onroll command line' },
    request: { requestId: `cli-${String(process.pid)}`, clientIp: null },
  }
  const [action, ...rest] = args
  const resolveOrg = async (ref: string | undefined): Promise<string> => {
    if (!ref) throw new ValidationError([{ field: 'org', message: 'Give --org (an organisation id or a school URN)' }])
    const orgs = await services.admin.listOrganisations(caller)
    const org = orgs.find(o => o.id === ref || o.urn === ref)
    if (!org) throw new NotFoundError(`Organisation ${ref}`)
    return org.id
  }

  switch (`${group} ${action ?? ''}`) {
    case 'orgs list': {
      for (const o of await services.admin.listOrganisations(caller))
        out.log([o.id, o.kind, o.urn ?? '-', o.active === 1 ? 'active' : 'inactive', o.name].join('\t'))
      return 0
    }
    case 'orgs add': {
      const { values } = parseArgs({
        args: rest,
        options: {
          kind: { type: 'string' },
          name: { type: 'string' },
          urn: { type: 'string' },
          estab: { type: 'string' },
          'school-type': { type: 'string' },
          phase: { type: 'string' },
          'agency-type': { type: 'string' },
          email: { type: 'string' },
        },
      })
      const id = await services.admin.createOrganisation(caller, {
        kind: values.kind,
        name: values.name,
        urn: values.urn,
        establishmentNumber: values.estab,
        schoolType: values['school-type'],
        phase: values.phase,
        agencyType: values['agency-type'],
        email: values.email,
      })
      out.log(id)
      return 0
    }
    case 'users list': {
      for (const u of await services.admin.listUsers(caller))
        out.log([u.id, u.email, u.active ? 'active' : 'inactive', u.roles.join(','), u.organisationName].join('\t'))
      return 0
    }
    case 'users add': {
      const { values } = parseArgs({
        args: rest,
        options: {
          org: { type: 'string' },
          email: { type: 'string' },
          name: { type: 'string' },
          role: { type: 'string', multiple: true },
          phone: { type: 'string' },
        },
      })
      const id = await services.admin.saveUser(caller, {
        organisationId: await resolveOrg(values.org),
        email: values.email,
        name: values.name,
        roles: values.role ?? [],
        phone: values.phone,
      })
      out.log(id)
      return 0
    }
    case 'users deactivate': {
      const ref = rest[0]
      const users = await services.admin.listUsers(caller)
      const user = users.find(u => u.id === ref || u.email === ref?.toLowerCase())
      if (!user) throw new NotFoundError(`User ${ref ?? ''}`)
      await services.admin.setUserActive(caller, user.id, false)
      out.log(`Deactivated ${user.email}; their sessions have been ended.`)
      return 0
    }
    case 'tokens create': {
      const { values } = parseArgs({
        args: rest,
        options: { org: { type: 'string' }, role: { type: 'string', multiple: true }, name: { type: 'string' } },
      })
      const token = await services.admin.createToken(caller, {
        organisationId: await resolveOrg(values.org),
        roles: values.role ?? [],
        name: values.name ?? '',
      })
      out.log(token)
      out.error('Store this token now: it is shown only once.')
      return 0
    }
    case 'tokens list': {
      for (const t of await services.admin.listTokens(caller))
        out.log(
          [
            t.id,
            t.name,
            t.roles,
            t.organisation_name,
            t.revoked_at ? 'revoked' : 'active',
            t.last_used_at ?? 'never used',
          ].join('\t'),
        )
      return 0
    }
    case 'tokens revoke': {
      await services.admin.revokeToken(caller, rest[0] ?? '')
      out.log('Revoked.')
      return 0
    }
    case 'audit verify': {
      const result = await verifyAuditChain(runtime.db)
      if (result.ok) {
        out.log(`The audit trail is intact: ${String(result.events)} events verified.`)
        return 0
      }
      out.error(`onroll: the audit trail has been tampered with: ${result.problem}`)
      return 3
    }
    default:
      out.error(`onroll: unknown command "${group} ${action ?? ''}"`)
      return 1
  }
}
