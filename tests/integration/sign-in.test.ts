/** Sign-in against real accounts: right and wrong passwords, throttling per (account, IP), per account and per IP, audit. */
import { describe, expect, test } from "vitest";
import { db } from "@/lib/server/db";
import { hashPassword } from "@/lib/server/auth/password";
import { signInWithPassword } from "@/lib/server/auth/sign-in";

async function account(active = true) {
  const email = `signin-${Math.random().toString(36).slice(2)}@rollgate.test`;
  await db.user.create({ data: { email, name: "S", roles: ["viewer"], active, passwordHash: await hashPassword("the-right-password") } });
  return email;
}

describe("signInWithPassword", () => {
  test("right password signs in and is audited; wrong password fails and is audited", async () => {
    const email = await account();
    expect(await signInWithPassword({ email, password: "the-right-password", ip: "10.0.0.1" })).toMatchObject({ ok: true });
    expect(await signInWithPassword({ email: email.toUpperCase(), password: "nope-nope-nope", ip: "10.0.0.1" })).toEqual({ ok: false, reason: "invalid_credentials" });
    const actions = (await db.auditRecord.findMany({ where: { actorLabel: email }, orderBy: { id: "asc" } })).map((r) => r.action);
    expect(actions).toEqual(["auth.sign_in", "auth.sign_in_failed"]);
  });

  test("wrong passwords from one address slow that address down with growing delays, not the owner elsewhere", async () => {
    const email = await account();
    const t0 = new Date();
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    for (let i = 0; i < 5; i++) {
      expect(await signInWithPassword({ email, password: `wrong-${i}-password`, ip: "10.1.0.66", now: at(0) })).toMatchObject({ reason: "invalid_credentials" });
    }
    // The attacker's address now waits, even with the right password…
    expect(await signInWithPassword({ email, password: "the-right-password", ip: "10.1.0.66", now: at(0.2) })).toEqual({ ok: false, reason: "rate_limited", retryAfterSeconds: 1 });
    // …and each further failure doubles its wait.
    expect(await signInWithPassword({ email, password: "wrong-again-password", ip: "10.1.0.66", now: at(1.1) })).toMatchObject({ reason: "invalid_credentials" });
    expect(await signInWithPassword({ email, password: "the-right-password", ip: "10.1.0.66", now: at(2.5) })).toEqual({ ok: false, reason: "rate_limited", retryAfterSeconds: 1 });
    // The owner from a clean address gets in at once.
    expect(await signInWithPassword({ email, password: "the-right-password", ip: "10.1.0.99", now: at(2.5) })).toMatchObject({ ok: true });
    expect(await db.auditRecord.count({ where: { actorLabel: email, action: "auth.sign_in_blocked" } })).toBe(2);
  });

  test("guessing spread over many addresses gives each new address one try; the owner's clean address still works", async () => {
    const email = await account();
    const now = new Date();
    // 24 failures already recorded from 24 addresses (as earlier sign-ins would have), one more for real.
    await db.signInAttempt.createMany({ data: Array.from({ length: 24 }, (_, i) => ({ email, ip: `10.4.0.${i}`, success: false, attemptedAt: now })) });
    expect(await signInWithPassword({ email, password: "wrong-24-password", ip: "10.4.0.24", now })).toMatchObject({ reason: "invalid_credentials" });
    // A second guess from an address that already failed waits (account under attack: 1 free failure).
    expect(await signInWithPassword({ email, password: "another-wrong-one", ip: "10.4.0.3", now })).toMatchObject({ ok: false, reason: "rate_limited" });
    expect(await signInWithPassword({ email, password: "the-right-password", ip: "10.4.1.1", now })).toMatchObject({ ok: true });
  });

  test("one IP guessing across many accounts is slowed down for every account", async () => {
    const ip = `10.2.${Math.floor(Math.random() * 250)}.1`;
    const email = await account();
    const now = new Date();
    for (let i = 0; i < 20; i++) await signInWithPassword({ email: `nobody-${i}@rollgate.test`, password: "guess-guess-guess", ip, now });
    expect(await signInWithPassword({ email, password: "the-right-password", ip, now })).toEqual({ ok: false, reason: "rate_limited", retryAfterSeconds: 1 });
    expect(await signInWithPassword({ email, password: "the-right-password", ip, now: new Date(now.getTime() + 1000) })).toMatchObject({ ok: true });
  });

  test("a burst of parallel guesses from one address cannot slip past the counts", async () => {
    const email = await account();
    const now = new Date();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => signInWithPassword({ email, password: `burst-${i}-password`, ip: "10.5.0.1", now })));
    const refused = results.filter((r) => !r.ok && r.reason === "rate_limited").length;
    expect(refused).toBeGreaterThan(0);
    // Refused attempts leave no failure behind; the evaluated ones do.
    expect(await db.signInAttempt.count({ where: { email, success: false } })).toBe(12 - refused);
  });

  test("inactive accounts cannot sign in", async () => {
    const email = await account(false);
    expect(await signInWithPassword({ email, password: "the-right-password", ip: "10.3.0.1" })).toEqual({ ok: false, reason: "inactive" });
  });
});
