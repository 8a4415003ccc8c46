/**
 * Demo data for the embedded default (or ROLLGATE_DEMO=1): one account per role so every screen
 * can be tried, and the releases of lib/server/demo/scenario.ts — flags, rollouts started by the
 * demo operator, and the API keys of the in-process traffic simulator (demo/traffic.ts). Runs
 * once per database (the `demo.seeded` setting). Everything goes through the services, so it is
 * validated and audited like any user's change.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { createApiKeyBodySchema } from "../../schemas/api-keys";
import { flagDocumentSchema } from "../../schemas/flags";
import { createRolloutRequestSchema } from "../../schemas/rollout-extras";
import { recordAudit } from "../audit/record-audit";
import { SYSTEM_ACTOR, userActor, type Actor } from "../auth/actor";
import { generatePassword, hashPassword } from "../auth/password";
import { db } from "../db";
import { createApiKey } from "../services/api-keys";
import { createFlag } from "../services/flags";
import { createRollout, runRolloutCommand } from "../services/rollouts";
import { DEMO_FEATURES } from "./scenario";
import { DEMO_TRAFFIC_SETTING, type DemoTrafficKeys } from "./traffic";

const DEMO_ENVIRONMENT = "production";

const DEMO_ACCOUNTS = [
  { email: "operator@rollgate.local", name: "Olivia Operator", roles: ["operator"] },
  { email: "reviewer@rollgate.local", name: "Rafael Reviewer", roles: ["reviewer"] },
  { email: "viewer@rollgate.local", name: "Vera Viewer", roles: ["viewer"] },
] as const;

type DemoAccount = { email: string; password: string; roles: string[] };

export async function seedDemo(): Promise<{ seeded: boolean; accounts: DemoAccount[] }> {
  if (await db.setting.findUnique({ where: { key: "demo.seeded" } })) return { seeded: false, accounts: [] };
  const accounts = await seedAccounts();
  await seedReleases();
  await db.setting.create({ data: { key: "demo.seeded", value: true } });
  return { seeded: true, accounts };
}

async function seedAccounts(): Promise<DemoAccount[]> {
  const accounts: DemoAccount[] = [];
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
  return accounts;
}

async function actorOf(email: string): Promise<Actor> {
  return userActor(await db.user.findUniqueOrThrow({ where: { email } }));
}

/** Flags and running rollouts by the demo operator; simulator keys minted by the admin. */
async function seedReleases(): Promise<void> {
  const operator = await actorOf("operator@rollgate.local");
  const admin = userActor(await db.user.findFirstOrThrow({ where: { roles: { has: "admin" } }, orderBy: { createdAt: "asc" } }));
  const ctx = () => ({ requestId: `demo-seed-${randomUUID()}`, comment: "demo seed" });

  for (const feature of DEMO_FEATURES) {
    if (await db.flag.findFirst({ where: { key: feature.flag.key, environment: { key: DEMO_ENVIRONMENT } } })) continue;
    await createFlag(operator, DEMO_ENVIRONMENT, flagDocumentSchema.parse(feature.flag), ctx());
    const id = await createRollout(
      operator,
      // Stages without `gates` get their strategy's default gates.
      createRolloutRequestSchema.parse({ environment: DEMO_ENVIRONMENT, flagKey: feature.flag.key, ...feature.rollout }),
      ctx(),
    );
    await runRolloutCommand(operator, { rolloutId: id, command: "start", comment: "demo: start the release" }, ctx());
  }

  const keys: DemoTrafficKeys = {
    evaluateKey: (await createApiKey(admin, createApiKeyBodySchema.parse({ environment: DEMO_ENVIRONMENT, name: "demo simulator (evaluate)", scopes: ["evaluate"] }), ctx())).key,
    ingestKey: (await createApiKey(admin, createApiKeyBodySchema.parse({ environment: DEMO_ENVIRONMENT, name: "demo simulator (ingest)", scopes: ["ingest"] }), ctx())).key,
  };
  // The simulator is a local client of this instance and needs the raw keys; demo data only.
  await db.setting.upsert({ where: { key: DEMO_TRAFFIC_SETTING }, create: { key: DEMO_TRAFFIC_SETTING, value: { ...keys } }, update: { value: { ...keys } } });
}
