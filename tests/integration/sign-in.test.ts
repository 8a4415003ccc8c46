/** Sign-in against real accounts: right and wrong passwords, limits per account and per IP, audit. */
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

  test("after 5 failures the account is locked even with the right password, from any IP", async () => {
    const email = await account();
    for (let i = 0; i < 5; i++) {
      expect(await signInWithPassword({ email, password: `wrong-${i}-password`, ip: `10.1.0.${i}` })).toMatchObject({ ok: false, reason: "invalid_credentials" });
    }
    expect(await signInWithPassword({ email, password: "the-right-password", ip: "10.1.0.99" })).toEqual({ ok: false, reason: "rate_limited" });
    expect(await db.auditRecord.count({ where: { actorLabel: email, action: "auth.sign_in_blocked" } })).toBe(1);
  });

  test("one IP guessing across many accounts is limited too", async () => {
    const ip = `10.2.${Math.floor(Math.random() * 250)}.1`;
    for (let i = 0; i < 20; i++) await signInWithPassword({ email: `nobody-${i}@rollgate.test`, password: "guess-guess-guess", ip });
    const email = await account();
    expect(await signInWithPassword({ email, password: "the-right-password", ip })).toEqual({ ok: false, reason: "rate_limited" });
  });

  test("inactive accounts cannot sign in", async () => {
    const email = await account(false);
    expect(await signInWithPassword({ email, password: "the-right-password", ip: "10.3.0.1" })).toEqual({ ok: false, reason: "inactive" });
  });
});
