/** Admin webhook use cases: secrets shown once, audit without secrets, delivery log, test event, settings scope. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { verifyWebhookSignature } from "@/lib/domain/webhooks";
import { db } from "@/lib/server/db";
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, sendTestEvent, updateWebhook } from "@/lib/server/services/webhooks";
import { createWebhookWorker } from "@/lib/server/webhooks/worker";
import { enqueueWebhookEvent } from "@/lib/server/webhooks/enqueue";
import { createTestUser } from "../helpers/actors";
import { createTestEnvironment, ctx } from "../rollouts/fixtures";
import { allowPrivateWebhookTargets, startReceiver } from "./receiver";

allowPrivateWebhookTargets();

let env: Awaited<ReturnType<typeof createTestEnvironment>>;
let other: Awaited<ReturnType<typeof createTestEnvironment>>;
let admin: Awaited<ReturnType<typeof createTestUser>>;
const created: string[] = [];

beforeAll(async () => {
  env = await createTestEnvironment("wh-svc");
  other = await createTestEnvironment("wh-other");
  admin = await createTestUser(["admin"]);
});
afterAll(async () => {
  await db.webhook.deleteMany({ where: { id: { in: created } } });
});

async function make(input: Partial<Parameters<typeof createWebhook>[1]> = {}) {
  const result = await createWebhook(admin, { name: "Ops Slack", url: "http://127.0.0.1:9/hook", events: ["rollout.transition"], environment: env.key, active: true, ...input }, ctx());
  created.push(result.webhook.id);
  return result;
}

describe("webhook administration", () => {
  test("a blank secret is generated and returned once; listings and audit never show it", async () => {
    const { webhook, secret } = await make();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    expect(webhook).not.toHaveProperty("secret");
    const listed = (await listWebhooks()).find((w) => w.id === webhook.id);
    expect(listed).toMatchObject({ name: "Ops Slack", environment: { key: env.key }, deliveries: { pending: 0, succeeded: 0, failed: 0 } });
    expect(JSON.stringify(listed)).not.toContain(secret);
    const audit = await db.auditRecord.findFirstOrThrow({ where: { resourceId: webhook.id, action: "webhook.create" } });
    expect(JSON.stringify([audit.before, audit.after, audit.context])).not.toContain(secret);
    expect(audit.after).toMatchObject({ secretGenerated: true, url: "http://127.0.0.1:9/***" }); // the path is masked in audit
  });

  test("a given secret is kept; rotation returns a new one, audited as such", async () => {
    const { webhook, secret } = await make({ secret: "my-own-secret-of-24-chars" });
    expect(secret).toBe("my-own-secret-of-24-chars");
    const rotated = await updateWebhook(admin, webhook.id, { rotateSecret: true }, ctx());
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(await db.auditRecord.count({ where: { resourceId: webhook.id, action: "webhook.rotate_secret" } })).toBe(1);
    const stored = await db.webhook.findUniqueOrThrow({ where: { id: webhook.id }, omit: { secret: false } });
    expect(stored.secret).toBe(rotated.secret);
  });

  test("updates and deletes are audited with before/after", async () => {
    const { webhook } = await make();
    const updated = await updateWebhook(admin, webhook.id, { active: false, events: ["flag.kill_switch"], environment: null }, ctx());
    expect(updated.webhook).toMatchObject({ active: false, events: ["flag.kill_switch"], environment: null });
    const audit = await db.auditRecord.findFirstOrThrow({ where: { resourceId: webhook.id, action: "webhook.update" } });
    expect(audit.before).toMatchObject({ active: true, environment: env.key });
    expect(audit.after).toMatchObject({ active: false, environment: null });
    await deleteWebhook(admin, webhook.id, ctx());
    expect(await db.webhook.findUnique({ where: { id: webhook.id } })).toBeNull();
    expect(await db.auditRecord.count({ where: { resourceId: webhook.id, action: "webhook.delete" } })).toBe(1);
    await expect(deleteWebhook(admin, webhook.id, ctx())).rejects.toMatchObject({ code: "not_found" });
  });

  test("enqueue respects environment, subscriptions and the active flag", async () => {
    const scoped = (await make({ events: ["flag.kill_switch"] })).webhook;
    const global = (await make({ events: ["flag.kill_switch"], environment: null })).webhook;
    const elsewhere = (await make({ events: ["flag.kill_switch"], environment: other.key })).webhook;
    const inactive = (await make({ events: ["flag.kill_switch"], active: false })).webhook;
    const unsubscribed = (await make({ events: ["rollout.transition"] })).webhook;
    await db.$transaction((tx) => enqueueWebhookEvent(tx, { environmentId: env.id, event: "flag.kill_switch", payload: { text: "kill" } }));
    const count = async (id: string) => db.webhookDelivery.count({ where: { webhookId: id } });
    expect(await count(scoped.id)).toBe(1);
    expect(await count(global.id)).toBe(1);
    expect(await count(elsewhere.id)).toBe(0);
    expect(await count(inactive.id)).toBe(0);
    expect(await count(unsubscribed.id)).toBe(0);
    // Enqueued in a transaction that rolls back: nothing stays.
    await expect(
      db.$transaction(async (tx) => {
        await enqueueWebhookEvent(tx, { environmentId: env.id, event: "flag.kill_switch", payload: { text: "x" } });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await count(scoped.id)).toBe(1);
    await db.webhook.updateMany({ where: { id: { in: [scoped.id, global.id] } }, data: { active: false } });
    await db.webhookDelivery.deleteMany({ where: { webhookId: { in: [scoped.id, global.id] } } });
  });

  test("send test event reaches the receiver signed, even for an inactive webhook; the log shows it", async () => {
    const receiver = await startReceiver();
    try {
      const { webhook, secret } = await make({ url: receiver.url, active: false });
      const { deliveryId } = await sendTestEvent(admin, webhook.id, ctx());
      const worker = createWebhookWorker();
      await worker.runOnce();
      await worker.stop();
      const got = receiver.received.find((r) => r.headers["x-rollgate-delivery"] === deliveryId);
      expect(got).toBeDefined();
      expect(got!.headers["x-rollgate-event"]).toBe("webhook.test");
      expect(verifyWebhookSignature(secret, got!.body, got!.headers["x-rollgate-signature"] as string)).toBe(true);
      expect(JSON.parse(got!.body)).toMatchObject({ event: "webhook.test", test: true, environment: { key: env.key } });
      const log = await listDeliveries(webhook.id, { limit: 10 });
      expect(log.deliveries).toMatchObject([{ id: deliveryId, event: "webhook.test", status: "succeeded", attempts: 1, lastStatusCode: 200 }]);
      expect((await listWebhooks()).find((w) => w.id === webhook.id)).toMatchObject({
        deliveries: { succeeded: 1 },
        lastDelivery: { status: "succeeded", lastStatusCode: 200 },
      });
    } finally {
      await receiver.close();
    }
  });

  test("a non-test delivery to a webhook deactivated after enqueue is failed, not sent", async () => {
    const receiver = await startReceiver();
    try {
      const { webhook } = await make({ url: receiver.url, events: ["flag.kill_switch"] });
      await db.$transaction((tx) => enqueueWebhookEvent(tx, { environmentId: env.id, event: "flag.kill_switch", payload: { text: "k" } }));
      await updateWebhook(admin, webhook.id, { active: false }, ctx());
      const worker = createWebhookWorker();
      await worker.runOnce();
      await worker.stop();
      expect(receiver.received.filter((r) => r.headers["x-rollgate-event"] === "flag.kill_switch")).toHaveLength(0);
      expect((await listDeliveries(webhook.id, { limit: 5 })).deliveries[0]).toMatchObject({
        status: "failed",
        lastError: "the webhook was deactivated before delivery",
      });
    } finally {
      await receiver.close();
    }
  });
});
