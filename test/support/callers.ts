import type { Caller } from '../../src/services/deps.js'
import { demoId } from '../../src/demo/demoData.js'
import type { TestRuntime } from './db.js'

let n = 0

/** A caller for a demo user, as the web layer would build it after sign-in. */
export async function callerFor(rt: TestRuntime, email: string): Promise<Caller> {
  const actor = await rt.services.users.actorFor(demoId(`user:${email}`))
  if (!actor) throw new Error(`no active demo user ${email}`)
  n += 1
  return { actor, request: { requestId: `test-${String(n)}`, clientIp: '127.0.0.1' } }
}
