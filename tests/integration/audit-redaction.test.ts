/**
 * No secret in the audit trail, in clear, anywhere it is read: the database row, the list behind
 * GET /api/v1/audit (every page) and both exports (JSON and CSV, the functions the export route
 * streams). Covered twice: the real webhook, user and API-key flows that handle secrets, and one
 * record per audit action the code can write (found in lib/ by name), each carrying every kind of
 * secret field, since redaction must not depend on the action.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { recordAudit } from "@/lib/server/audit/record-audit";
import { db } from "@/lib/server/db";
import { createApiKey } from "@/lib/server/services/api-keys";
import { csvHeader, csvRow, iterateAudit, listAudit } from "@/lib/server/services/audit";
import { createUser } from "@/lib/server/services/users";
import { createWebhook, deleteWebhook, sendTestEvent, updateWebhook } from "@/lib/server/services/webhooks";
import { createTestUser, ctx } from "./helpers/actors";
import { createTestEnvironment } from "./rollouts/fixtures";

const SLACK_PATH = "T0SECRET/B0SECRET/xoxbSECRETSECRETSECRET";
const SLACK_URL = `https://hooks.slack.com/services/${SLACK_PATH}`;
const secrets: string[] = [SLACK_PATH, "services/T0SECRET"];

/** Audit action names written in lib/ (literal `action: "…"` and the dotted names used in ternaries). */
function auditActionsInSource(): string[] {
  const root = path.resolve(import.meta.dirname, "../../lib");
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (name === "generated") continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".ts") && !name.endsWith(".test.ts")) {
        const text = readFileSync(p, "utf8");
        if (!text.includes("recordAudit") && !text.includes("action")) continue;
        for (const m of text.matchAll(/action:\s*"([a-z_]+\.[a-z_.]+)"/g)) found.add(m[1]);
        for (const m of text.matchAll(/"((?:auth|webhook|user|rollout|slo|flag)\.[a-z_]+)"\s*:\s*"/g)) found.add(m[1]);
        for (const m of text.matchAll(/\?\s*"([a-z_]+\.[a-z_]+)"\s*:\s*"([a-z_]+\.[a-z_]+)"/g)) {
          found.add(m[1]);
          found.add(m[2]);
        }
      }
    }
  };
  walk(root);
  return [...found].sort();
}

let env: Awaited<ReturnType<typeof createTestEnvironment>>;
beforeAll(async () => {
  process.env.ROLLGATE_WEBHOOK_ALLOW_PRIVATE = "1"; // hooks.slack.com does not resolve offline; the test is about audit
  resetEnvCache();
  env = await createTestEnvironment("redact");
});
afterAll(() => {
  delete process.env.ROLLGATE_WEBHOOK_ALLOW_PRIVATE;
  resetEnvCache();
});

async function everyOutput(): Promise<string[]> {
  const rows = await db.auditRecord.findMany({ orderBy: { id: "asc" } });
  const out = rows.map((r) => JSON.stringify([r.before, r.after, r.context]));
  let cursor: string | undefined;
  for (;;) {
    const page = await listAudit({ limit: 500, cursor });
    out.push(JSON.stringify(page.records));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  let csv = csvHeader();
  const json: unknown[] = [];
  for await (const r of iterateAudit({})) {
    csv += csvRow(r);
    json.push(r);
  }
  out.push(csv, JSON.stringify(json));
  return out;
}

function expectNoSecret(outputs: string[]) {
  for (const text of outputs) for (const s of secrets) expect(text.includes(s), `a secret (${s.slice(0, 12)}…) is in an audit output`).toBe(false);
}

describe("audit redaction", () => {
  test("webhook, user and API-key flows leave no secret in any audit output; URLs show scheme + host only", async () => {
    const admin = await createTestUser(["admin"]);
    const { webhook, secret } = await createWebhook(admin, { name: "Slack", url: SLACK_URL, events: ["rollout.transition"], environment: env.key, active: true }, ctx());
    secrets.push(secret);
    const rotated = await updateWebhook(admin, webhook.id, { url: `${SLACK_URL}2`, rotateSecret: true }, ctx());
    secrets.push(rotated.secret!);
    await sendTestEvent(admin, webhook.id, ctx());
    await deleteWebhook(admin, webhook.id, ctx());
    const password = "a-secret-password-1234";
    secrets.push(password);
    await createUser(admin, { email: `redact-${Date.now()}@rollgate.test`, name: "R", roles: ["viewer"], password }, ctx());
    const key = await createApiKey(admin, { environment: env.key, name: "redact", scopes: ["evaluate"] }, ctx());
    secrets.push((key as { key: string }).key);

    const records = await db.auditRecord.findMany({ where: { resourceId: webhook.id }, orderBy: { id: "asc" } });
    expect(records.map((r) => r.action)).toEqual(["webhook.create", "webhook.update", "webhook.test", "webhook.delete"]);
    for (const r of records) {
      for (const side of [r.before, r.after] as ({ url?: string } | null)[]) if (side?.url) expect(side.url).toBe("https://hooks.slack.com/***");
    }
    expectNoSecret(await everyOutput());
  });

  test("every audit action the code can write is redacted the same way", async () => {
    const actions = auditActionsInSource();
    expect(actions.length).toBeGreaterThanOrEqual(25);
    for (const required of ["webhook.create", "webhook.update", "webhook.rotate_secret", "webhook.delete", "user.create", "api_key.create"]) {
      expect(actions).toContain(required);
    }
    const admin = await createTestUser(["admin"]);
    const secret = "whsec_EVERYACTIONSECRET";
    secrets.push(secret, "EVERYACTIONPATH");
    for (const action of actions) {
      await db.$transaction((tx) =>
        recordAudit(tx, {
          actor: admin,
          action,
          resourceType: "redaction-test",
          resourceId: action,
          before: { url: "https://hooks.slack.com/services/EVERYACTIONPATH", secret },
          after: { webhookUrl: "http://user:pw@example.com/EVERYACTIONPATH?t=1", nested: [{ password: secret, token: secret }] },
          context: { callbackUrl: "https://example.com/EVERYACTIONPATH", apiKey: secret },
        }),
      );
    }
    expect(await db.auditRecord.count({ where: { resourceType: "redaction-test" } })).toBe(actions.length);
    expectNoSecret(await everyOutput());
  });
});
