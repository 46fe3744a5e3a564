import {
  countSessionsOfUser,
  deleteExpiredSessions,
  deleteSession,
  deleteSessionsOfUser,
  readSession,
  writeSession,
} from '../data/repositories/sessionRepository.js'
import type { Deps } from './deps.js'

/** Sessions live in the database so that every app instance shares them and they can be ended from outside. */
export function createSessionService({ db, clock, config }: Deps) {
  const expiresAt = () => new Date(clock.now().getTime() + config.sessionIdleSeconds * 1000).toISOString()
  return {
    /** Sign-in time comes from the injected clock, like every other time, so the limits can be tested. */
    now: () => clock.now(),
    read: (sessionId: string) => readSession(db, sessionId, clock.now().toISOString()),
    write: (sessionId: string, userId: string | null, data: string) =>
      writeSession(db, { id: sessionId, userId, data, now: clock.now().toISOString(), expiresAt: expiresAt() }),
    destroy: (sessionId: string) => deleteSession(db, sessionId),
    /** "Sign out everywhere", and an administrator ending a user's sessions. */
    endAllFor: (userId: string) => deleteSessionsOfUser(db, userId),
    countFor: (userId: string) => countSessionsOfUser(db, userId, clock.now().toISOString()),
    purgeExpired: () => deleteExpiredSessions(db, clock.now().toISOString()),
    /** True when a signed-in session has outlived the idle or absolute limit. */
    isStale(session: { signedInAt?: string | undefined; lastSeenAt?: string | undefined }): boolean {
      const now = clock.now().getTime()
      if (session.signedInAt && now - Date.parse(session.signedInAt) > config.sessionAbsoluteSeconds * 1000) return true
      if (session.lastSeenAt && now - Date.parse(session.lastSeenAt) > config.sessionIdleSeconds * 1000) return true
      return false
    },
  }
}
