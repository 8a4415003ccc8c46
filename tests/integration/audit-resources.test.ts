/**
 * The audit list names the resources its records point at and finds them by key or name: a
 * flag by its key (its rollouts' records too), a deleted webhook by the name its records kept.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/server/db";
import { listAudit } from "@/lib/server/services/audit";
import { createFlag, updateFlag } from "@/lib/server/services/flags";
import { createWebhook, deleteWebhook } from "@/lib/server/services/webhooks";
import { createTestUser, ctx } from "./helpers/actors";
import { modelFlagDocument, uid } from "./flags/fixtures";
import { createTestEnvironment } from "./rollouts/fixtures";

let envKey: string;
beforeAll(async () => {
  envKey = (await createTestEnvironment("audit-names")).key;
});

describe("audit resource names", () => {
  test("a flag's key finds its records, which show the key instead of the id", async () => {
    const admin = await createTestUser(["admin"]);
    const key = `audit-named-${uid()}`;
    const { flag } = await createFlag(admin, envKey, modelFlagDocument(key), ctx());
    await updateFlag(admin, envKey, key, { expectedVersion: flag.version, description: "now with a diff" }, ctx());
    const row = await db.flag.findFirstOrThrow({ where: { key }, select: { id: true } });

    const found = await listAudit({ q: key.toUpperCase(), limit: 50 });
    expect(found.records.map((r) => r.action).sort()).toEqual(["flag.create", "flag.update"]);
    for (const r of found.records) {
      expect(r.resourceId).toBe(row.id);
      expect(r.resourceName).toBe(key);
    }
    // A part of the key finds them as well, and other records keep their own names.
    const partial = await listAudit({ q: key.slice(0, -2), limit: 50 });
    expect(partial.records.filter((r) => r.resourceId === row.id)).toHaveLength(2);
    const users = await listAudit({ resourceType: "user", limit: 5 });
    for (const r of users.records) expect(r.resourceName).toMatch(/@/);
  });

  test("a deleted webhook keeps the name its records stored, and search finds it by that name", async () => {
    const admin = await createTestUser(["admin"]);
    const name = `hook-${uid()}`;
    const { webhook } = await createWebhook(admin, { name, url: "https://hooks.example.com/services/SECRET", events: ["rollout.rolled_back"], active: true, environment: null }, ctx());
    await deleteWebhook(admin, webhook.id, ctx());
    const found = await listAudit({ q: name, limit: 50 });
    expect(found.records.map((r) => r.action).sort()).toEqual(["webhook.create", "webhook.delete"]);
    for (const r of found.records) expect(r.resourceName).toBe(name);
    // Secrets stay redacted as stored.
    expect(JSON.stringify(found.records)).not.toContain("SECRET");
  });

  test("every record of a page is named, each with its own resource", async () => {
    const admin = await createTestUser(["admin"]);
    const keys = Array.from({ length: 12 }, (_, i) => `audit-batch-${i}-${uid()}`);
    for (const key of keys) await createFlag(admin, envKey, modelFlagDocument(key), ctx());
    const page = await listAudit({ actor: admin.label, action: "flag.create", limit: 50 });
    expect(page.records.map((r) => r.resourceName).sort()).toEqual([...keys].sort());
  });
});
