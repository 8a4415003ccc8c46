/**
 * The manual kill switch and the flag tester, checked against what the evaluation API really
 * serves (the fast routes over a snapshot store following this process's config events): on
 * needs a reason, serves the fallback with KILL_SWITCH, is audited and notifies webhooks; off
 * restores. The tester answers like /api/v1/evaluate (rules, splits, the active rollout) from
 * the in-process store and counts no exposures. The automatic kill switch shares the write.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { POST as killSwitchRoute } from "@/app/api/v1/flags/[key]/kill-switch/route";
import { POST as evaluateRoute } from "@/app/api/v1/flags/[key]/evaluate/route";
import { bucketFor } from "@/lib/domain/flags";
import type { Actor } from "@/lib/server/auth/actor";
import { engageKillSwitch } from "@/lib/server/services/flags/kill-switch";
import { db } from "@/lib/server/db";
import { sharedExposureCounter } from "@/lib/server/evaluation/shared";
import type { SnapshotStore } from "@/lib/server/evaluation/snapshot-store";
import { archiveFlag, createFlag, setKillSwitch, testEvaluateFlag, updateFlag } from "@/lib/server/services/flags";
import { runRolloutCommand } from "@/lib/server/services/rollouts";
import { createApiKey } from "../evaluation/fixtures";
import { bearer, postJson, startTestServer, testStore, waitFor, type TestServer } from "../evaluation/server";
import { createTestUser } from "../helpers/actors";
import { createQuickCanary, createTestEnvironment, ctx } from "../rollouts/fixtures";
import { callRoute, createManageKey, footprint, modelFlagDocument } from "./fixtures";

type Env = Awaited<ReturnType<typeof createTestEnvironment>>;
let env: Env;
let operator: Actor;
let viewer: Actor;
let manageKey: string;
let evaluateKey: string;
let store: SnapshotStore;
let server: TestServer;

beforeAll(async () => {
  env = await createTestEnvironment("flags-ks");
  operator = await createTestUser(["operator"]);
  viewer = await createTestUser(["viewer"]);
  manageKey = await createManageKey(env.id);
  evaluateKey = (await createApiKey(env.id)).key;
  store = testStore();
  await store.start();
  server = await startTestServer(store);
});

afterAll(async () => {
  await server?.close();
  await store?.stop();
  await db.webhook.deleteMany({ where: { environmentId: env.id } });
});

/** What POST /api/v1/evaluate serves `context` for `flagKey` right now. */
async function served(flagKey: string, context: Record<string, unknown>) {
  const res = await postJson(`${server.url}/api/v1/evaluate`, { context, flags: [flagKey] }, bearer(evaluateKey));
  expect(res.status).toBe(200);
  return res.json.flags[flagKey] as { variant: string; reason: string; value: unknown; rollout?: unknown };
}

async function tester(flagKey: string, context: Record<string, string | number | boolean>, key = manageKey) {
  return callRoute(evaluateRoute, key, `/api/v1/flags/${flagKey}/evaluate?environment=${env.key}`, { method: "POST", params: { key: flagKey }, body: { context } });
}

const killSwitch = (flagKey: string, body: unknown) =>
  callRoute(killSwitchRoute, manageKey, `/api/v1/flags/${flagKey}/kill-switch?environment=${env.key}`, { method: "POST", params: { key: flagKey }, body });

describe("kill switch", () => {
  test("on needs a reason; on serves the fallback (KILL_SWITCH) everywhere; off restores; each audited and notified", async () => {
    const webhook = await db.webhook.create({
      data: { environmentId: env.id, name: "kill switch", url: "http://127.0.0.1:9/", secret: "s".repeat(20), events: ["flag.kill_switch"] },
    });
    const { flag } = await createFlag(operator, env.key, modelFlagDocument(), ctx());
    const enterprise = { userId: "u-1", tier: "enterprise" };
    await waitFor(async () => (await served(flag.key, enterprise)).variant === "gpt-4.1");

    const before = await footprint(env.id);
    for (const body of [{ enabled: true }, { enabled: true, reason: "   " }, { enabled: true, reason: "x".repeat(501) }, { enabled: "yes", reason: "x" }]) {
      const res = await killSwitch(flag.key, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.details.errors.map((e: { path: string }) => e.path)).toEqual([body.enabled === "yes" ? "enabled" : "reason"]);
    }
    expect(await footprint(env.id)).toEqual(before);

    const on = await killSwitch(flag.key, { enabled: true, reason: "gpt-4.1 times out" });
    expect(on.status).toBe(200);
    expect(on.json.flag).toMatchObject({ key: flag.key, killSwitch: true, killSwitchReason: "gpt-4.1 times out", version: 2 });
    const afterOn = await footprint(env.id);
    expect(afterOn.audits).toBe(before.audits + 1);
    expect(afterOn.configVersion).toBe(before.configVersion + 1n);
    const onAudit = await db.auditRecord.findFirstOrThrow({ where: { resourceId: flag.id, action: "flag.kill_switch" } });
    expect(onAudit).toMatchObject({
      actorType: "api_key",
      before: { killSwitch: false, killSwitchReason: null, version: 1 },
      after: { killSwitch: true, killSwitchReason: "gpt-4.1 times out", version: 2 },
      context: { flagKey: flag.key, reason: "gpt-4.1 times out", requestId: expect.any(String) },
    });

    // The tester and the evaluation API both serve the fallback now.
    const tested = await tester(flag.key, enterprise);
    expect(tested.status).toBe(200);
    expect(tested.json).toEqual({
      result: { variant: "safe", value: { provider: "openai", model: "gpt-4o-mini" }, reason: "KILL_SWITCH" },
      configVersion: afterOn.configVersion.toString(),
    });
    await waitFor(async () => (await served(flag.key, enterprise)).reason === "KILL_SWITCH");
    expect(await served(flag.key, enterprise)).toMatchObject({ variant: "safe", reason: "KILL_SWITCH" });

    // Turning it on again changes nothing.
    expect((await setKillSwitch(operator, env.key, flag.key, { enabled: true, reason: "again" }, ctx())).flag.version).toBe(2);
    expect(await footprint(env.id)).toEqual(afterOn);

    const off = await killSwitch(flag.key, { enabled: false });
    expect(off.status).toBe(200);
    expect(off.json.flag).toMatchObject({ killSwitch: false, killSwitchReason: null, version: 3 });
    expect(await db.auditRecord.findFirstOrThrow({ where: { resourceId: flag.id, action: "flag.kill_switch_off" } })).toMatchObject({
      before: { killSwitch: true, killSwitchReason: "gpt-4.1 times out", version: 2 },
      after: { killSwitch: false, killSwitchReason: null, version: 3 },
    });
    expect((await tester(flag.key, enterprise)).json.result).toMatchObject({ variant: "gpt-4.1", reason: "TARGETING_MATCH", ruleIndex: 0 });
    await waitFor(async () => (await served(flag.key, enterprise)).reason === "TARGETING_MATCH");

    const deliveries = await db.webhookDelivery.findMany({ where: { webhookId: webhook.id }, orderBy: { createdAt: "asc" } });
    expect(deliveries.map((d) => d.event)).toEqual(["flag.kill_switch", "flag.kill_switch"]);
    const [onPayload, offPayload] = deliveries.map((d) => d.payload as { text: string; flag: { killSwitch: boolean; fallbackVariant: string; reason: string | null } });
    expect(onPayload!.flag).toMatchObject({ key: flag.key, killSwitch: true, fallbackVariant: "safe", reason: "gpt-4.1 times out" });
    expect(onPayload!.text).toContain("Kill switch ON");
    expect(offPayload!.flag).toMatchObject({ killSwitch: false, reason: null });
    expect(offPayload!.text).toContain("Kill switch OFF");
  });

  test("the automatic kill switch writes through the same path, once", async () => {
    const { flag } = await createFlag(operator, env.key, modelFlagDocument(), ctx());
    const input = { environmentId: env.id, flagKey: flag.key, reason: "SLO burn", numbers: { sloId: "slo-1" }, now: new Date() };
    expect(await engageKillSwitch(db, input)).toBe(true);
    expect(await engageKillSwitch(db, input)).toBe(false);
    const audits = await db.auditRecord.findMany({ where: { resourceId: flag.id, action: "flag.kill_switch" } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorType: "system", context: { automatic: true, sloId: "slo-1", flagKey: flag.key, reason: "SLO burn" } });
    expect((await testEvaluateFlag(viewer, env.key, flag.key, { userId: "u" })).result.reason).toBe("KILL_SWITCH");
  });
});

describe("tester", () => {
  test("TARGETING_MATCH for a matching rule, DEFAULT otherwise, as the evaluation API answers", async () => {
    const { flag } = await createFlag(operator, env.key, modelFlagDocument(), ctx());
    const match = await tester(flag.key, { userId: "u-7", tier: "enterprise" }, manageKey);
    expect(match.status).toBe(200);
    expect(match.json.result).toEqual({ variant: "gpt-4.1", value: { provider: "openai", model: "gpt-4.1" }, reason: "TARGETING_MATCH", ruleIndex: 0 });
    const viewerAnswer = await testEvaluateFlag(viewer, env.key, flag.key, { userId: "u-7", tier: "free" });
    expect(viewerAnswer.result).toEqual({ variant: "gpt-4o", value: { provider: "openai", model: "gpt-4o" }, reason: "DEFAULT" });
    expect(viewerAnswer.configVersion).toBe((await db.environment.findUniqueOrThrow({ where: { id: env.id } })).configVersion.toString());
    await waitFor(async () => (await served(flag.key, { userId: "u-7", tier: "free" })).reason === "DEFAULT");
  });

  test("a split rule gives the bucket; an active rollout gives its arm; no exposure is counted", async () => {
    const doc = modelFlagDocument();
    const { flag } = await createFlag(operator, env.key, doc, ctx());
    await updateFlag(
      operator,
      env.key,
      flag.key,
      {
        rules: [
          {
            conditions: [{ attribute: "beta", operator: "eq", value: true }],
            serve: {
              split: [
                { variant: "gpt-4o", weight: 5000 },
                { variant: "gpt-4.1", weight: 5000 },
              ],
            },
          },
        ],
      },
      ctx(),
    );
    const salt = (await db.flag.findUniqueOrThrow({ where: { id: flag.id } })).salt;
    const split = await testEvaluateFlag(viewer, env.key, flag.key, { userId: "u-42", beta: true });
    const bucket = bucketFor(flag.key, salt, "u-42");
    expect(split.result).toMatchObject({ reason: "TARGETING_MATCH", ruleIndex: 0, bucket, variant: bucket < 5000 ? "gpt-4o" : "gpt-4.1" });

    const rolloutId = await createQuickCanary(operator, env.key, flag.key);
    await runRolloutCommand(operator, { rolloutId, command: "start" }, ctx());
    const counted = () => [...sharedExposureCounter().pendingCells(), ...server.exposures.pendingCells()].filter((c) => c.rolloutId === rolloutId).length;
    const viaRollout = await tester(flag.key, { userId: "u-42" });
    for (let i = 0; i < 5; i++) await testEvaluateFlag(viewer, env.key, flag.key, { userId: `u-${i}` });
    expect(counted()).toBe(0);
    expect(viaRollout.json.result).toMatchObject({ reason: "SPLIT", bucket: expect.any(Number), rollout: { id: rolloutId, stage: 0, arm: expect.stringMatching(/^(control|treatment)$/) } });

    // Shaped exactly like the evaluation API's answer (which does count an exposure).
    await waitFor(async () => (await served(flag.key, { userId: "u-42" })).rollout !== undefined);
    const api = await served(flag.key, { userId: "u-42" });
    const { bucket: _bucket, ...shaped } = viaRollout.json.result;
    expect(shaped).toEqual(api);
    expect(counted()).toBeGreaterThan(0);
  });

  test("unknown or archived flags are 404; a bad context is a 400 naming the attribute", async () => {
    const { flag } = await createFlag(operator, env.key, modelFlagDocument(), ctx());
    const bad = await callRoute(evaluateRoute, manageKey, `/api/v1/flags/${flag.key}/evaluate?environment=${env.key}`, {
      method: "POST",
      params: { key: flag.key },
      body: { context: { userId: "u", org: { id: 1 } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.details.errors[0].path).toBe("context.org");
    expect((await tester("nope.model", { userId: "u" })).status).toBe(404);
    await archiveFlag(operator, env.key, flag.key, ctx());
    const archived = await tester(flag.key, { userId: "u" });
    expect(archived.status).toBe(404);
    expect(archived.json.detail).toContain("archived");
  });
});
