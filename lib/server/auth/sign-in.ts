/**
 * Email + password sign-in, throttled by growing delays per (account, client address), per
 * account and per address (lib/domain/auth/sign-in-throttle.ts): never a lock that keeps the
 * owner out from a clean address. Every evaluated attempt is recorded; failures and refusals are
 * audited (actor = the claimed account).
 */
import "server-only";
import { db } from "../db";
import { getEnv } from "../../env";
import { recordAudit } from "../audit/record-audit";
import { SYSTEM_ACTOR } from "./actor";
import { burnPasswordCheck, verifyPassword } from "./password";
import { decideSignIn, SIGN_IN_WINDOW_MS, type FailureCount } from "../../domain/auth/sign-in-throttle";

export type SignInResult =
  { ok: true; user: { id: string; email: string; name: string } } | { ok: false; reason: "invalid_credentials" | "inactive" } | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

export async function signInWithPassword(input: { email: string; password: string; ip: string; now?: Date }): Promise<SignInResult> {
  const now = input.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  // Recorded as a failure before anything is checked, so concurrent attempts count each other and
  // a burst cannot slip many guesses past the counts. It becomes a success, or is dropped when
  // refused (refusals are not failures).
  const attempt = await db.signInAttempt.create({ data: { email, ip: input.ip, success: false, attemptedAt: now }, select: { id: true } });
  const earlier = { id: { not: attempt.id }, success: false, attemptedAt: { gte: since } };
  const failures = (where: { email?: string; ip?: string }): Promise<FailureCount> =>
    db.signInAttempt.aggregate({ where: { ...where, ...earlier }, _count: { _all: true }, _max: { attemptedAt: true } }).then((r) => ({ count: r._count._all, last: r._max.attemptedAt }));

  const [pair, account, address] = await Promise.all([failures({ email, ip: input.ip }), db.signInAttempt.count({ where: { email, ...earlier } }), failures({ ip: input.ip })]);
  const decision = decideSignIn({ pair, account, address, freeFailures: getEnv().ROLLGATE_SIGNIN_MAX_FAILURES, now });
  if (!decision.allowed) {
    await db.signInAttempt.delete({ where: { id: attempt.id } });
    await auditRefusal(
      email,
      input.ip,
      now,
      {
        retryAfterSeconds: decision.retryAfterSeconds,
        failuresForAccountAndIp: pair.count,
        failuresForAccount: account,
        failuresForIp: address.count,
      },
      decision.reason,
    );
    return { ok: false, reason: "rate_limited", retryAfterSeconds: decision.retryAfterSeconds };
  }

  const user = await db.user.findUnique({ where: { email }, omit: { passwordHash: false } });
  if (!user?.passwordHash) {
    await burnPasswordCheck(input.password);
    await failAttempt(email, input.ip, now, "invalid_credentials");
    return { ok: false, reason: "invalid_credentials" };
  }
  if (!(await verifyPassword(input.password, user.passwordHash))) {
    await failAttempt(email, input.ip, now, "invalid_credentials", undefined, user.id);
    return { ok: false, reason: "invalid_credentials" };
  }
  if (!user.active) {
    await failAttempt(email, input.ip, now, "inactive", undefined, user.id);
    return { ok: false, reason: "inactive" };
  }

  await db.$transaction(async (tx) => {
    await tx.signInAttempt.update({ where: { id: attempt.id }, data: { success: true } });
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: now } });
    await recordAudit(tx, {
      actor: { ...SYSTEM_ACTOR, type: "user", id: user.id, label: user.email, roles: user.roles },
      action: "auth.sign_in",
      resourceType: "user",
      resourceId: user.id,
      context: { ip: input.ip },
      now,
    });
  });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}

/** A refused attempt is audited but not recorded as a failure, so hammering does not extend the delay. */
async function auditRefusal(email: string, ip: string, now: Date, numbers: Record<string, number>, scope: string): Promise<void> {
  const user = await db.user.findUnique({ where: { email }, select: { id: true } });
  await db.$transaction(async (tx) => {
    await recordAudit(tx, {
      actor: { ...SYSTEM_ACTOR, type: "user", id: user?.id ?? `unknown:${email}`, label: email, roles: [] },
      action: "auth.sign_in_blocked",
      resourceType: "user",
      resourceId: user?.id ?? email,
      context: { ip, reason: "rate_limited", scope, ...numbers },
      now,
    });
  });
}

/** The attempt's row already counts as a failure; this audits it. */
async function failAttempt(email: string, ip: string, now: Date, reason: string, numbers?: Record<string, number>, userId?: string): Promise<void> {
  await db.$transaction(async (tx) => {
    await recordAudit(tx, {
      actor: { ...SYSTEM_ACTOR, type: "user", id: userId ?? `unknown:${email}`, label: email, roles: [] },
      action: "auth.sign_in_failed",
      resourceType: "user",
      resourceId: userId ?? email,
      context: { ip, reason, ...numbers },
      now,
    });
  });
}
