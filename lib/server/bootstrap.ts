/**
 * First-start and every-start duties, idempotent: the default environments, the session secret,
 * the first admin, the model price table (public list prices, once per database), and (embedded
 * default or ROLLGATE_DEMO=1 only) demo data. Each creation is
 * audited as the system. Never seeds demo data silently into a user's real database.
 */
import "server-only";
import type { Env } from "../env";
import { recordAudit } from "./audit/record-audit";
import { SYSTEM_ACTOR } from "./auth/actor";
import { generatePassword, hashPassword } from "./auth/password";
import { db } from "./db";
import { ensureStoredSecret } from "./auth/server-secret";
import { DEFAULT_ENVIRONMENTS } from "./services/environments";
import { seedDemo } from "./demo/seed";
import { seedDefaultPrices } from "./services/metrics/prices";

export interface BootstrapReport {
  createdEnvironments: string[];
  admin: { email: string; password: string | null; created: boolean };
  demo: { seeded: boolean; accounts: { email: string; password: string; roles: string[] }[] };
  authSecret: string;
}

export async function bootstrap(env: Env, opts: { embedded: boolean }): Promise<BootstrapReport> {
  // First: every audit record is keyed from this secret.
  const authSecret = env.AUTH_SECRET ?? (await ensureStoredSecret());
  const createdEnvironments = await ensureEnvironments();
  const admin = await ensureAdmin(env);
  await seedDefaultPrices();
  const demo = opts.embedded || env.ROLLGATE_DEMO ? await seedDemo() : { seeded: false, accounts: [] };
  return { createdEnvironments, admin, demo, authSecret };
}

async function ensureEnvironments(): Promise<string[]> {
  const created: string[] = [];
  for (const e of DEFAULT_ENVIRONMENTS) {
    await db.$transaction(async (tx) => {
      if (await tx.environment.findUnique({ where: { key: e.key } })) return;
      const row = await tx.environment.create({ data: { key: e.key, name: e.name } });
      await recordAudit(tx, {
        actor: SYSTEM_ACTOR,
        action: "environment.create",
        resourceType: "environment",
        resourceId: row.id,
        environmentId: row.id,
        after: { key: row.key, name: row.name },
        context: { reason: "first start" },
      });
      created.push(e.key);
    });
  }
  return created;
}

async function ensureAdmin(env: Env): Promise<BootstrapReport["admin"]> {
  const email = (env.ROLLGATE_ADMIN_EMAIL ?? "admin@rollgate.local").toLowerCase();
  if ((await db.user.count({ where: { roles: { has: "admin" } } })) > 0) {
    return { email, password: null, created: false };
  }
  const password = env.ROLLGATE_ADMIN_PASSWORD ?? generatePassword();
  const passwordHash = await hashPassword(password);
  await db.$transaction(async (tx) => {
    const user = await tx.user.upsert({
      where: { email },
      create: { email, name: "Administrator", roles: ["admin"], passwordHash },
      update: { roles: { push: "admin" }, active: true },
    });
    await recordAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: "user.create",
      resourceType: "user",
      resourceId: user.id,
      after: { email, roles: user.roles, active: true },
      context: { reason: "first start: initial admin" },
    });
  });
  return { email, password: env.ROLLGATE_ADMIN_PASSWORD ? null : password, created: true };
}
