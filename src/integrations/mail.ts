/**
 * Email through SMTP (nodemailer). Messages are first written to the outbox table in the same
 * transaction as the work they report, then delivered after commit; with no SMTP_URL they stay in
 * the outbox, where administrators can read them in the app. Emails never name a child: they carry
 * a reference and a link.
 */
import nodemailer from 'nodemailer'

export interface MailMessage {
  to: string
  subject: string
  body: string
}

export interface MailTransport {
  send(message: MailMessage & { from: string }): Promise<void>
}

export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url)
  return {
    async send(m) {
      await transporter.sendMail({ from: m.from, to: m.to, subject: m.subject, text: m.body })
    },
  }
}
