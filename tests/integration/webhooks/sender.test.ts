/**
 * The webhook sender against a local receiver: signed bodies and headers, retry with backoff on
 * 500, give-up after the last attempt, timeouts, durability across a restart (a new worker
 * instance), and no double delivery with two workers at once (SKIP LOCKED).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { MAX_DELIVERY_ATTEMPTS, verifyWebhookSignature } from "@/lib/domain/webhooks";
import { db } from "@/lib/server/db";
import { claimDueDeliveries, createWebhookWorker, LEASE_SECONDS } from "@/lib/server/webhooks/worker";
import { enqueueWebhookEvent } from "@/lib/server/webhooks/enqueue";
import { renderMetrics } from "@/lib/server/observability";
import { createTestEnvironment } from "../rollouts/fixtures";
import { allowPrivateWebhookTargets, startReceiver, type Receiver } from "./receiver";

allowPrivateWebhookTargets();

const SECRET = "test-secret-0123456789";
let env: Awaited<ReturnType<typeof createTestEnvironment>>;
let receiver: Receiver;

beforeAll(async () => {
  env = await createTestEnvironment("wh-send");
});
beforeEach(async () => {
  // Files run one at a time, but earlier files may leave deliveries pending to receivers long
  // closed; this file's forward clocks would make them due and count them. Park them.
  await db.webhookDelivery.updateMany({
    where: { status: "pending", webhook: { environmentId: { not: env.id } } },
    data: { status: "failed", lastError: "parked by the webhook sender test" },
  });
});
afterEach(async () => {
  await receiver?.close();
  // Nothing of this file may stay due for another file's worker.
  await db.webhook.deleteMany({ where: { environmentId: env.id } });
});
afterAll(async () => {
  await db.webhook.deleteMany({ where: { environmentId: env.id } });
});

async function webhookTo(url: string, events = ["rollout.transition"]) {
  return db.webhook.create({ data: { environmentId: env.id, name: "test", url, secret: SECRET, events } });
}

async function enqueue(text = "hello") {
  return db.$transaction((tx) => enqueueWebhookEvent(tx, { environmentId: env.id, event: "rollout.transition", payload: { text } }));
}

/** A clock `offsetSeconds` ahead of real time. */
const clockAt = (offsetSeconds: () => number) => () => new Date(Date.now() + offsetSeconds() * 1000);

/** rollgate_webhook_deliveries_total of rollout.transition with `status`, from /metrics' exposition. */
async function deliveriesCounted(status: string): Promise<number> {
  const line = (await renderMetrics()).body.split("\n").find((l) => l.startsWith(`rollgate_webhook_deliveries_total{event="rollout.transition",status="${status}"} `));
  return line ? Number(line.split(" ")[1]) : 0;
}

async function deliveriesOf(webhookId: string) {
  return db.webhookDelivery.findMany({ where: { webhookId }, orderBy: { createdAt: "asc" } });
}

describe("webhook sender", () => {
  test("POSTs the JSON body signed with HMAC-SHA256, with event and delivery headers", async () => {
    receiver = await startReceiver();
    const hook = await webhookTo(receiver.url);
    expect(await enqueue("Promoted from stage 1 (1%) to stage 2 (5%)")).toBe(1);
    const worker = createWebhookWorker();
    await worker.runOnce();
    await worker.stop();

    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    const [delivery] = await deliveriesOf(hook.id);
    expect(got!.headers["content-type"]).toBe("application/json");
    expect(got!.headers["x-rollgate-event"]).toBe("rollout.transition");
    expect(got!.headers["x-rollgate-delivery"]).toBe(delivery!.id);
    expect(verifyWebhookSignature(SECRET, got!.body, got!.headers["x-rollgate-signature"] as string)).toBe(true);
    expect(verifyWebhookSignature("wrong-secret-0123456", got!.body, got!.headers["x-rollgate-signature"] as string)).toBe(false);
    const body = JSON.parse(got!.body);
    expect(body).toMatchObject({ event: "rollout.transition", environment: { id: env.id, key: env.key }, text: "Promoted from stage 1 (1%) to stage 2 (5%)" });
    expect(new Date(body.occurredAt).toISOString()).toBe(body.occurredAt);
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 1, lastStatusCode: 200, lastError: null });
    expect(delivery!.deliveredAt).not.toBeNull();
  });

  test("a 500 is retried after 10 s, then 20 s; a later 200 succeeds", async () => {
    receiver = await startReceiver([500, 500]);
    const hook = await webhookTo(receiver.url);
    await enqueue();
    let offset = 0;
    const worker = createWebhookWorker({ now: clockAt(() => offset) });
    const counted = { retrying: await deliveriesCounted("retrying"), succeeded: await deliveriesCounted("succeeded") };

    const t1 = Date.now();
    expect(await worker.runOnce()).toBe(1);
    let [d] = await deliveriesOf(hook.id);
    expect(d).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 500, lastError: "HTTP 500" });
    const wait1 = (d!.nextAttemptAt.getTime() - t1) / 1000;
    expect(wait1).toBeGreaterThanOrEqual(9.5);
    expect(wait1).toBeLessThan(12);

    offset = 5; // not yet due
    expect(await worker.runOnce()).toBe(0);
    offset = 11;
    expect(await worker.runOnce()).toBe(1);
    [d] = await deliveriesOf(hook.id);
    expect(d).toMatchObject({ status: "pending", attempts: 2, lastStatusCode: 500 });
    const wait2 = (d!.nextAttemptAt.getTime() - Date.now()) / 1000 - offset;
    expect(wait2).toBeGreaterThan(18);
    expect(wait2).toBeLessThan(21);

    offset = 11 + 21;
    expect(await worker.runOnce()).toBe(1);
    [d] = await deliveriesOf(hook.id);
    expect(d).toMatchObject({ status: "succeeded", attempts: 3, lastStatusCode: 200 });
    expect(receiver.received).toHaveLength(3);
    // Each attempt is the same delivery: same id, same signed body.
    expect(new Set(receiver.received.map((r) => r.headers["x-rollgate-delivery"])).size).toBe(1);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    // Each attempt is counted on /metrics.
    expect(await deliveriesCounted("retrying")).toBe(counted.retrying + 2);
    expect(await deliveriesCounted("succeeded")).toBe(counted.succeeded + 1);
    await worker.stop();
  });

  test(`after ${MAX_DELIVERY_ATTEMPTS} failed attempts the delivery is failed and no longer tried`, async () => {
    receiver = await startReceiver(Array(MAX_DELIVERY_ATTEMPTS + 2).fill(503));
    const hook = await webhookTo(receiver.url);
    await enqueue();
    let offset = 0;
    const worker = createWebhookWorker({ now: clockAt(() => offset) });
    for (let i = 0; i < MAX_DELIVERY_ATTEMPTS; i++) {
      expect(await worker.runOnce()).toBe(1);
      offset += 2000; // past any backoff
    }
    expect(await worker.runOnce()).toBe(0);
    const [d] = await deliveriesOf(hook.id);
    expect(d).toMatchObject({ status: "failed", attempts: MAX_DELIVERY_ATTEMPTS, lastStatusCode: 503 });
    expect(receiver.received).toHaveLength(MAX_DELIVERY_ATTEMPTS);
    await worker.stop();
  });

  test("a receiver that never answers times out and is retried", async () => {
    receiver = await startReceiver(["hang"]);
    const hook = await webhookTo(receiver.url);
    await enqueue();
    const worker = createWebhookWorker({ timeoutMs: 300 });
    await worker.runOnce();
    const [d] = await deliveriesOf(hook.id);
    expect(d).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: null, lastError: "no answer within 0.3 s" });
    await worker.stop();
  });

  test("a refused connection is recorded and retried", async () => {
    receiver = await startReceiver();
    const url = receiver.url;
    await receiver.close();
    const hook = await webhookTo(url);
    await enqueue();
    const worker = createWebhookWorker();
    await worker.runOnce();
    const [d] = await deliveriesOf(hook.id);
    expect(d).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: null });
    expect(d!.lastError).toMatch(/fetch failed|ECONNREFUSED/);
    await worker.stop();
  });

  test("durable across a restart: rows wait in Postgres and a new worker delivers them", async () => {
    receiver = await startReceiver([500]);
    const hook = await webhookTo(receiver.url);
    await enqueue("one");
    await enqueue("two");
    let offset = 0;
    const first = createWebhookWorker({ now: clockAt(() => offset), batchSize: 1 });
    await first.runOnce(); // "one" fails with 500
    await first.stop(); // the process goes away with "one" scheduled for retry and "two" never tried

    offset = 15;
    const second = createWebhookWorker({ now: clockAt(() => offset) });
    expect(await second.runOnce()).toBe(2);
    const rows = await deliveriesOf(hook.id);
    expect(rows.map((r) => r.status)).toEqual(["succeeded", "succeeded"]);
    expect(rows.map((r) => r.attempts).sort()).toEqual([1, 2]);
    await second.stop();
  });

  test("a worker that dies mid-send: the lease expires and another worker delivers", async () => {
    receiver = await startReceiver();
    const hook = await webhookTo(receiver.url);
    await enqueue();
    const claimed = await claimDueDeliveries(db, new Date(), 100);
    expect(claimed.map((c) => c.url)).toContain(receiver.url); // claimed, then the process "crashes"

    const early = createWebhookWorker();
    expect(await early.runOnce()).toBe(0); // leased: nobody else takes it
    const late = createWebhookWorker({ now: () => new Date(Date.now() + (LEASE_SECONDS + 1) * 1000) });
    await late.runOnce();
    const [d] = await deliveriesOf(hook.id);
    expect(d).toMatchObject({ status: "succeeded", attempts: 1 });
    await Promise.all([early.stop(), late.stop()]);
  });

  test("two workers at once never send the same delivery twice (SKIP LOCKED)", async () => {
    receiver = await startReceiver();
    const hook = await webhookTo(receiver.url);
    for (let i = 0; i < 30; i++) await enqueue(`n${i}`);
    const a = createWebhookWorker({ batchSize: 5 });
    const b = createWebhookWorker({ batchSize: 5 });
    const drain = async (w: ReturnType<typeof createWebhookWorker>) => {
      while ((await w.runOnce()) > 0) {
        // keep going until nothing is due
      }
    };
    await Promise.all([drain(a), drain(b)]);
    const ids = receiver.received.map((r) => r.headers["x-rollgate-delivery"]);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect((await deliveriesOf(hook.id)).every((d) => d.status === "succeeded" && d.attempts === 1)).toBe(true);
    await Promise.all([a.stop(), b.stop()]);
  });

  test("start() polls on its own and kick() sends at once", async () => {
    receiver = await startReceiver();
    await webhookTo(receiver.url);
    const worker = createWebhookWorker({ pollMs: 60_000 });
    worker.start();
    await enqueue("kicked");
    worker.kick();
    await expect.poll(() => receiver.received.length, { timeout: 3000 }).toBe(1);
    await worker.stop();
    expect(JSON.parse(receiver.received[0]!.body).text).toBe("kicked");
  });
});
