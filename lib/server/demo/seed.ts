/**
 * Demo data for the embedded default (or ROLLGATE_DEMO=1): one account per role so every screen
 * can be tried. Runs once per database (the `demo.seeded` setting). Later capabilities add their
 * demo objects here.
 */
import { recordAudit } from "../audit/record-audit";
import { SYSTEM_ACTOR } from "../auth/actor";
import { generatePassword, hashPassword } from "../auth/password";
import { db } from "../db";

const DEMO_ACCOUNTS = [
  { email: "operator@rollgate.local", name: "Olivia Operator", roles: ["operator"] },
  { email: "reviewer@rollgate.local", name: "Rafael Reviewer", roles: ["reviewer"] },
  { email: "viewer@rollgate.local", name: "Vera Viewer", roles: ["viewer"] },
] as const;

export async function seedDemo(): Promise<{ seeded: boolean; accounts: { email: string; password: string; roles: string[] }[] }> {
  if (await db.setting.findUnique({ where: { key: "demo.seeded" } })) return { seeded: false, accounts: [] };
  const accounts: { email: string; password: string; roles: string[] }[] = [];
  for (const a of DEMO_ACCOUNTS) {
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    await db.$transaction(async (tx) => {
      if (await tx.user.findUnique({ where: { email: a.email } })) return;
      const user = await tx.user.create({ data: { email: a.email, name: a.name, roles: [...a.roles], passwordHash } });
      await recordAudit(tx, {
        actor: SYSTEM_ACTOR,
        action: "user.create",
        resourceType: "user",
        resourceId: user.id,
        after: { email: a.email, roles: a.roles },
        context: { reason: "demo seed" },
      });
      accounts.push({ email: a.email, password, roles: [...a.roles] });
    });
  }
  await db.setting.create({ data: { key: "demo.seeded", value: true } });
  return { seeded: true, accounts };
}
