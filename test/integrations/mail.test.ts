import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exampleReferral } from '../../src/domain/referralExample.js'
import { loadDemoData } from '../../src/demo/demoData.js'
import { openTestRuntime, type TestRuntime } from '../support/db.js'
import { callerFor } from '../support/callers.js'

/** A real SMTP server on loopback receives what onroll sends. */
describe('email through SMTP', () => {
  const received: { to: string[]; data: string }[] = []
  let server: SMTPServer
  let port = 0
  let rt: TestRuntime

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = ''
        stream.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')))
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map(r => r.address), data })
          callback()
        })
      },
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    port = (server.server.address() as { port: number }).port
    rt = await openTestRuntime('sqlite', { env: { SMTP_URL: `smtp://127.0.0.1:${String(port)}` } })
    await loadDemoData(rt.db, rt.clock, '317')
  })
  afterAll(async () => {
    await rt.close()
    await new Promise<void>(resolve => {
      server.close(resolve)
    })
  })

  it('acknowledges the referrer and tells the CME team, by reference and link, never by name', async () => {
    const caller = await callerFor(rt, 'police.referrer@demo.onroll.invalid')
    const result = await rt.services.referrals.submitFromApi(caller, exampleReferral(rt.clock.today()), undefined)
    const delivered = await rt.services.mail.deliverPending()
    expect(delivered).toEqual({ sent: 2, failed: 0 })
    expect(received.map(m => m.to[0])).toEqual(
      expect.arrayContaining(['attendance@example-primary.sch.uk', 'cme.officer@demo.onroll.invalid']),
    )
    for (const m of received) {
      expect(m.data).toContain(result.reference)
      expect(m.data).not.toMatch(/Amara|Testington|Kofi/)
    }
    const outbox = await rt.db.selectFrom('outbox').selectAll().execute()
    expect(outbox.every(o => o.sent_at !== null)).toBe(true)
  })
})
