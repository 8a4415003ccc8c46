/**
 * Webhook targets without ROLLGATE_WEBHOOK_ALLOW_PRIVATE: loopback, link-local, private,
 * multicast and unspecified addresses (IPv4, IPv6, IPv4-mapped) are refused at create and update
 * with a 400 naming `url`; a stored URL whose name resolves to such an address at send time
 * (DNS rebinding) fails its delivery without connecting, and the log says why, not what answered.
 */
import { lookup } from "node:dns/promises";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addressKind } from "@/lib/domain/webhooks/target";
import { resetEnvCache } from "@/lib/env";
import { db } from "@/lib/server/db";
import { createWebhook, sendTestEvent, updateWebhook } from "@/lib/server/services/webhooks";
import { createWebhookWorker } from "@/lib/server/webhooks/worker";
import { createTestUser } from "../helpers/actors";
import { createTestEnvironment, ctx } from "../rollouts/fixtures";
import { startReceiver, type Receiver } from "./receiver";

let env: Awaited<ReturnType<typeof createTestEnvironment>>;
let admin: Awaited<ReturnType<typeof createTestUser>>;
let receiver: Receiver;

beforeAll(async () => {
  delete process.env.ROLLGATE_WEBHOOK_ALLOW_PRIVATE;
  resetEnvCache();
  env = await createTestEnvironment("wh-targets");
  admin = await createTestUser(["admin"]);
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await db.webhook.deleteMany({ where: { environmentId: env.id } });
});

const body = (url: string) => ({ name: "target", url, events: ["rollout.transition" as const], environment: env.key, active: true });

describe("at create and update", () => {
  test.each([
    "http://127.0.0.1:9/hook",
    "http://localhost:9/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.5/hook",
    "http://172.20.1.1/hook",
    "http://192.168.1.10/hook",
    "http://100.64.0.1/hook",
    "http://224.0.0.1/hook",
    "http://0.0.0.0/hook",
    "http://2130706433/hook",
    "http://[::1]/hook",
    "http://[::]/hook",
    "http://[fe80::1]/hook",
    "http://[fd00::1]/hook",
    "http://[ff02::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:a9fe:a9fe]/hook",
  ])("%s is refused with 400 naming url, and nothing is stored", async (url) => {
    const count = await db.webhook.count({ where: { environmentId: env.id } });
    const audits = await db.auditRecord.count();
    const error = await createWebhook(admin, body(url), ctx()).catch((e) => e);
    expect(error).toMatchObject({ code: "invalid_input", details: { errors: [{ path: "url", message: expect.stringMatching(/address|name/) }] } });
    expect(await db.webhook.count({ where: { environmentId: env.id } })).toBe(count);
    expect(await db.auditRecord.count()).toBe(audits);
  });

  test("a public URL is accepted; changing it to a private one is refused", async () => {
    const { webhook } = await createWebhook(admin, body("https://8.8.8.8/hook"), ctx());
    await expect(updateWebhook(admin, webhook.id, { url: "http://192.168.0.1/x" }, ctx())).rejects.toMatchObject({
      code: "invalid_input",
      details: { errors: [{ path: "url" }] },
    });
    expect((await db.webhook.findUniqueOrThrow({ where: { id: webhook.id } })).url).toBe("https://8.8.8.8/hook");
    await db.webhook.delete({ where: { id: webhook.id } });
  });

  test("ROLLGATE_WEBHOOK_ALLOW_PRIVATE=1 accepts an on-premise receiver", async () => {
    process.env.ROLLGATE_WEBHOOK_ALLOW_PRIVATE = "1";
    resetEnvCache();
    try {
      const { webhook } = await createWebhook(admin, body("http://10.0.0.5/hook"), ctx());
      expect(webhook.url).toBe("http://10.0.0.5/hook");
      await db.webhook.delete({ where: { id: webhook.id } });
    } finally {
      delete process.env.ROLLGATE_WEBHOOK_ALLOW_PRIVATE;
      resetEnvCache();
    }
  });
});

describe("at send time", () => {
  async function deliveryTo(url: string) {
    // Stored directly, as if saved while allowed or while its name resolved to a public address.
    const hook = await db.webhook.create({ data: { environmentId: env.id, name: "stored", url, secret: "s".repeat(20), events: ["rollout.transition"] } });
    await sendTestEvent(admin, hook.id, ctx());
    const worker = createWebhookWorker();
    await worker.runOnce();
    await worker.stop();
    return db.webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id } });
  }

  test("an IP literal stored before the rule is failed at once, without connecting", async () => {
    const before = receiver.received.length;
    const d = await deliveryTo(receiver.url);
    expect(d).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: null });
    expect(d.lastError).toMatch(/^refused: 127\.0\.0\.1 is a loopback address/);
    expect(receiver.received.length).toBe(before);
  });

  test("a name that now resolves to a non-public address (DNS rebinding) is failed without connecting; the log says why", async () => {
    const name = os.hostname();
    const resolved = (await lookup(name, { all: true })).map((a) => a.address);
    // Precondition of this machine: the host's own name resolves to a loopback or private address.
    expect(
      resolved.every((a) => addressKind(a) !== "public"),
      `${name} → ${resolved.join(", ")}`,
    ).toBe(true);
    const port = new URL(receiver.url).port;
    const before = receiver.received.length;
    const d = await deliveryTo(`http://${name}:${port}/hook`);
    expect(d).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: null });
    expect(d.lastError).toMatch(new RegExp(`^refused: ${name} resolved to \\S+, an? (loopback|private|link-local|unspecified) address`));
    expect(d.lastError).not.toMatch(/HTTP|ECONNREFUSED/);
    expect(receiver.received.length).toBe(before);
  });
});
