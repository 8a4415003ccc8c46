/**
 * Email + password sign-in with per-account and per-IP limits on failures. Every attempt is
 * recorded; failures and refusals are audited (actor = the claimed account or the IP).
 */
import { db } from "../db";
import { getEnv } from "../../env";
import { recordAudit } from "../audit/record-audit";
import { SYSTEM_ACTOR } from "./actor";
import { burnPasswordCheck, verifyPassword } from "./password";

export const SIGN_IN_WINDOW_MINUTES = 15;

export type SignInResult =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; reason: "invalid_credentials" | "rate_limited" | "inactive" };

export async function signInWithPassword(input: {
  email: string;
  password: string;
  ip: string;
  now?: Date;
}): Promise<SignInResult> {
  const now = input.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MINUTES * 60_000);
  const max = getEnv().ROLLGATE_SIGNIN_MAX_FAILURES;

  const [byAccount, byIp] = await Promise.all([
    db.signInAttempt.count({ where: { email, success: false, attemptedAt: { gte: since } } }),
    db.signInAttempt.count({ where: { ip: input.ip, success: false, attemptedAt: { gte: since } } }),
  ]);
  if (byAccount >= max || byIp >= max * 4) {
    await failAttempt(email, input.ip, now, "rate_limited", { failuresForAccount: byAccount, failuresForIp: byIp });
    return { ok: false, reason: "rate_limited" };
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
    await tx.signInAttempt.create({ data: { email, ip: input.ip, success: true, attemptedAt: now } });
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

async function failAttempt(
  email: string,
  ip: string,
  now: Date,
  reason: string,
  numbers?: Record<string, number>,
  userId?: string,
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.signInAttempt.create({ data: { email, ip, success: false, attemptedAt: now } });
    await recordAudit(tx, {
      actor: { ...SYSTEM_ACTOR, type: "user", id: userId ?? `unknown:${email}`, label: email, roles: [] },
      action: reason === "rate_limited" ? "auth.sign_in_blocked" : "auth.sign_in_failed",
      resourceType: "user",
      resourceId: userId ?? email,
      context: { ip, reason, ...numbers },
      now,
    });
  });
}
