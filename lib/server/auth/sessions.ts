/**
 * Revocable sessions. The session cookie is a signed JWT naming a row of `sessions`; every
 * request (lib/server/auth/guard.ts) checks that row is neither revoked nor expired and that its
 * user is active. Sign-out revokes the one session; "sign out everywhere", a password change,
 * a role change and deactivation revoke all of a user's sessions, in the transaction of the
 * change, so a captured cookie stops working at once.
 */
import "server-only";
import { db, type Tx } from "../db";

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

export async function openSession(userId: string, now = new Date()): Promise<string> {
  // Expired rows are useless; dropping the user's own at each sign-in keeps the table small.
  await db.session.deleteMany({ where: { userId, expiresAt: { lt: now } } });
  const session = await db.session.create({
    data: { userId, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000) },
    select: { id: true },
  });
  return session.id;
}

/** The session and its user, when the session may still act. */
export async function liveSession(id: string, now = new Date()) {
  const session = await db.session.findUnique({ where: { id }, include: { user: true } });
  if (!session || session.revokedAt || session.expiresAt <= now || !session.user.active) return null;
  return session;
}

/** Revokes one session; returns its user id when it was live. */
export async function revokeSession(tx: Tx, id: string, now = new Date()): Promise<string | null> {
  const session = await tx.session.findUnique({ where: { id }, select: { userId: true, revokedAt: true } });
  if (!session || session.revokedAt) return null;
  await tx.session.update({ where: { id }, data: { revokedAt: now } });
  return session.userId;
}

/** Revokes every live session of a user (but `keep`, the caller's own, when given); returns how many. */
export async function revokeUserSessions(tx: Tx, userId: string, opts: { keep?: string; now?: Date } = {}): Promise<number> {
  const result = await tx.session.updateMany({
    where: { userId, revokedAt: null, ...(opts.keep ? { id: { not: opts.keep } } : {}) },
    data: { revokedAt: opts.now ?? new Date() },
  });
  return result.count;
}
