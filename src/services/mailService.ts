import type { Transaction } from 'kysely'
import { newId } from '../data/ids.js'
import type { Database } from '../data/schema.js'
import { smtpTransport, type MailMessage, type MailTransport } from '../integrations/mail.js'
import { can } from '../domain/access.js'
import type { Caller, Deps } from './deps.js'
import { ForbiddenError } from './errors.js'

export function createMailService({ db, clock, config }: Deps, transport?: MailTransport) {
  const smtp = transport ?? (config.smtpUrl ? smtpTransport(config.smtpUrl) : undefined)
  return {
    /** Queues messages inside the caller's transaction, so they exist only if the work committed. */
    async queue(trx: Transaction<Database>, laCode: string, messages: readonly MailMessage[]): Promise<void> {
      if (messages.length === 0) return
      const now = clock.now().toISOString()
      await trx
        .insertInto('outbox')
        .values(
          messages.map(m => ({
            id: newId(),
            la_code: laCode,
            to_address: m.to,
            subject: m.subject,
            body: m.body,
            created_at: now,
          })),
        )
        .execute()
    },

    /** Sends what is waiting. Without SMTP, messages stay in the outbox for administrators to read. */
    async deliverPending(limit = 50): Promise<{ sent: number; failed: number }> {
      if (!smtp) return { sent: 0, failed: 0 }
      const pending = await db
        .selectFrom('outbox')
        .selectAll()
        .where('sent_at', 'is', null)
        .where('attempts', '<', 5)
        .orderBy('created_at')
        .limit(limit)
        .execute()
      let sent = 0
      let failed = 0
      for (const m of pending) {
        try {
          await smtp.send({ from: config.mailFrom, to: m.to_address, subject: m.subject, body: m.body })
          await db
            .updateTable('outbox')
            .set({ sent_at: clock.now().toISOString(), attempts: m.attempts + 1 })
            .where('id', '=', m.id)
            .execute()
          sent++
        } catch (err) {
          await db
            .updateTable('outbox')
            .set({
              attempts: m.attempts + 1,
              last_error: err instanceof Error ? err.message.slice(0, 500) : 'send failed',
            })
            .where('id', '=', m.id)
            .execute()
          failed++
        }
      }
      return { sent, failed }
    },

    async outbox(caller: Caller) {
      if (!can(caller.actor, 'admin:users')) throw new ForbiddenError('admin:users')
      return db
        .selectFrom('outbox')
        .selectAll()
        .where('la_code', '=', caller.actor.laCode)
        .orderBy('created_at', 'desc')
        .limit(200)
        .execute()
    },

    smtpConfigured: smtp !== undefined,
  }
}
export type MailService = ReturnType<typeof createMailService>
