/**
 * @rollgate/sdk against a running Rollgate (real HTTP server, real database): the snapshot
 * endpoint, the OpenFeature provider through the official server SDK, change propagation over
 * the stream, exposures and outcome events reaching the same aggregates as the server's own,
 * the shadow helper, and serving the last snapshot while Rollgate is down.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { OpenFeature, ProviderEvents, type Client, type EventHandler } from "@openfeature/server-sdk";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/server/db";
import type { SnapshotStore } from "@/lib/server/evaluation/snapshot-store";
import { loadWindowExposures } from "@/lib/server/services/metrics/rollup-queries";
import { createApiKey, createEnvironment, createFlag, createRunningRollout, setKillSwitch } from "../evaluation/fixtures";
import { bearer, postJson, testStore, waitFor } from "../evaluation/server";
import { loadSdk, RollgateServer, type Sdk } from "./harness";

const DOMAIN = "rollgate-in-process";
let sdk: Sdk;
let store: SnapshotStore;
let rollgate: RollgateServer;
let envId: string;
let envKey: string;
let apiKey: string;
let provider: InstanceType<Sdk["RollgateProvider"]>;
let client: Client;
let canary: { id: string };
let shadow: { id: string };
const errors: string[] = [];

const ENTERPRISE_RULE = [{ conditions: [{ attribute: "tier", operator: "eq" as const, value: "enterprise" }], serve: { variant: "claude" } }];

beforeAll(async () => {
  sdk = await loadSdk();
  const env = await createEnvironment("sdk");
  envId = env.id;
  envKey = env.key;
  await createFlag(envId, { key: "support-bot.model", rules: ENTERPRISE_RULE });
  await createFlag(envId, { key: "summary.prompt" });
  await createFlag(envId, { key: "kill.me" });
  await createFlag(envId, { key: "shadow.model" });
  canary = await createRunningRollout(envId, "support-bot.model", { trafficBasisPoints: 3000 });
  shadow = await createRunningRollout(envId, "shadow.model", { strategy: "shadow", shadowSampleBasisPoints: 10_000 });
  apiKey = (await createApiKey(envId, { scopes: ["evaluate", "ingest"] })).key;
  store = testStore();
  await store.start();
  rollgate = new RollgateServer(store);
  await rollgate.start();
  provider = new sdk.RollgateProvider({
    baseUrl: rollgate.url,
    apiKey,
    environment: envKey,
    reconnectDelayMs: 50,
    maxReconnectDelayMs: 200,
    pollIntervalMs: 300,
    flushIntervalMs: 0,
    onError: (e) => errors.push(e.message),
  });
  await OpenFeature.setProviderAndWait(DOMAIN, provider);
  client = OpenFeature.getClient(DOMAIN);
});

afterAll(async () => {
  await OpenFeature.close();
  await rollgate?.stop();
  await store?.stop();
});

const evaluateHttp = async (context: Record<string, unknown>, flags?: string[]) => {
  const res = await postJson(`${rollgate.url}/api/v1/evaluate`, flags ? { context, flags } : { context }, bearer(apiKey));
  expect(res.status).toBe(200);
  return res.json as { version: string; flags: Record<string, Record<string, unknown>> };
};

describe("the package", () => {
  test("plain Node resolves `@rollgate/sdk` from the repository root; the bundle imports nothing of Next or Prisma", async () => {
    const root = path.resolve(import.meta.dirname, "../../..");
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", "const m = await import('@rollgate/sdk'); console.log(typeof m.RollgateProvider)"], { cwd: root, encoding: "utf8" });
    expect(out.trim()).toBe("function");
    const bundle = readFileSync(path.join(root, "packages/sdk/dist/index.js"), "utf8");
    const imports = [...bundle.matchAll(/^import\b[^;]*?from\s*"([^"]+)"/gm)].map((m) => m[1]);
    expect(new Set(imports)).toEqual(new Set(["@openfeature/server-sdk"]));
    expect(bundle).not.toMatch(/@prisma|from "next|lib\/server/);
  });
});

describe("GET /api/v1/snapshot", () => {
  test("flags with their active rollout, the version, an ETag answered with 304, and nothing secret", async () => {
    const res = await fetch(`${rollgate.url}/api/v1/snapshot?environment=${envKey}`, { headers: bearer(apiKey) });
    expect(res.status).toBe(200);
    const etag = res.headers.get("etag");
    const text = await res.text();
    const doc = JSON.parse(text);
    expect(doc.environment).toBe(envKey);
    expect(etag).toBe(`"v${doc.version}"`);
    const flag = doc.flags.find((f: { key: string }) => f.key === "support-bot.model");
    expect(flag.rules).toEqual(ENTERPRISE_RULE);
    expect(flag.rollout).toMatchObject({ id: canary.id, strategy: "canary", stageIndex: 0, trafficBasisPoints: 3000, controlVariant: "gpt-4o", treatmentVariant: "claude" });
    const [keyRow] = await db.$queryRawUnsafe<{ key_hash: string }[]>(`SELECT key_hash FROM api_keys WHERE environment_id = $1 LIMIT 1`, envId);
    expect(text).not.toContain(keyRow.key_hash);
    expect(text).not.toContain(apiKey);
    expect(text).not.toMatch(/keyHash|streamToken|rgs_/);

    const again = await fetch(`${rollgate.url}/api/v1/snapshot`, { headers: { ...bearer(apiKey), "if-none-match": etag as string } });
    expect(again.status).toBe(304);
  });

  test("refusals: no key 401, a key without `evaluate` 403, another environment 403 naming the field", async () => {
    expect((await fetch(`${rollgate.url}/api/v1/snapshot`)).status).toBe(401);
    const ingestOnly = (await createApiKey(envId, { scopes: ["ingest"] })).key;
    await store.checkVersions();
    expect((await fetch(`${rollgate.url}/api/v1/snapshot`, { headers: bearer(ingestOnly) })).status).toBe(403);
    const other = await fetch(`${rollgate.url}/api/v1/snapshot?environment=production-elsewhere`, { headers: bearer(apiKey) });
    expect(other.status).toBe(403);
    expect((await other.json()).detail).toMatch(/^environment:/);
    const post = await fetch(`${rollgate.url}/api/v1/snapshot`, { method: "POST", headers: bearer(apiKey) });
    expect(post.status).toBe(405);
  });
});

describe("RollgateProvider through the OpenFeature server SDK", () => {
  test("answers like POST /api/v1/evaluate: variant, value, reason, rollout id/stage/arm in flagMetadata", async () => {
    for (let i = 0; i < 40; i++) {
      const context = { targetingKey: `user-${i}`, tier: i % 5 === 0 ? "enterprise" : "free" };
      const http = await evaluateHttp(context, ["support-bot.model"]);
      const expected = http.flags["support-bot.model"] as { variant: string; value: unknown; reason: string; rollout?: { id: string; stage: number; arm: string } };
      const details = await client.getObjectDetails("support-bot.model", {}, context);
      expect(details.variant).toBe(expected.variant);
      expect(details.value).toEqual(expected.value);
      expect(details.reason).toBe(expected.reason);
      expect(details.flagMetadata.configVersion).toBe(http.version);
      if (expected.rollout) {
        expect(details.flagMetadata).toMatchObject({ rolloutId: expected.rollout.id, rolloutStage: expected.rollout.stage, rolloutArm: expected.rollout.arm });
      } else expect(details.flagMetadata.rolloutId).toBeUndefined();
    }
    expect(await client.getStringValue("summary.prompt", "x", { targetingKey: "u" })).toBe("gpt-4o");
    const bool = await client.getBooleanDetails("summary.prompt", false, { targetingKey: "u" });
    expect(bool.errorCode).toBe("TYPE_MISMATCH");
    const missing = await client.getObjectDetails("no.such.flag", { fallback: true }, { targetingKey: "u" });
    expect(missing).toMatchObject({ errorCode: "FLAG_NOT_FOUND", value: { fallback: true } });
  });

  test("a kill switch reaches the provider's answers within 1 s over the stream, with a ConfigurationChanged event", async () => {
    const changed: string[][] = [];
    const handler: EventHandler = (e) => void changed.push((e as { flagsChanged?: string[] } | undefined)?.flagsChanged ?? []);
    client.addHandler(ProviderEvents.ConfigurationChanged, handler);
    expect((await client.getObjectDetails("kill.me", {}, { targetingKey: "u-1" })).reason).toBe("DEFAULT");
    expect(provider.stats().streaming).toBe(true);

    const started = Date.now();
    await setKillSwitch(envId, "kill.me", true);
    await waitFor(() => provider.evaluate("kill.me", { targetingKey: "u-1" })?.reason === "KILL_SWITCH", 1000);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(1000);
    const details = await client.getObjectDetails("kill.me", {}, { targetingKey: "u-1" });
    expect(details).toMatchObject({ variant: "safe", reason: "KILL_SWITCH", value: { model: "gpt-4o-mini" } });
    await waitFor(() => changed.some((keys) => keys.includes("kill.me")), 1000);
    expect(changed.find((keys) => keys.includes("kill.me"))).toEqual(["kill.me"]);
    client.removeHandler(ProviderEvents.ConfigurationChanged, handler);
    console.log(`[sdk] kill switch reached the provider in ${elapsed} ms`);
  });
});

describe("exposures and outcomes", () => {
  test("exposures counted in-process reach the same exposure aggregate as the server's own evaluations", async () => {
    const from = new Date(Date.now() - 120_000);
    await provider.flush(); // what earlier tests evaluated
    await rollgate.flushExposures();
    const before = await loadWindowExposures(canary.id, 0, from, new Date(Date.now() + 120_000));
    const served = { control: 0, treatment: 0 };
    for (let i = 0; i < 500; i++) {
      const r = provider.evaluate("support-bot.model", { targetingKey: `exp-${i}` });
      if (r?.rollout) served[r.rollout.arm] += 1;
    }
    for (let i = 0; i < 20; i++) {
      const http = await evaluateHttp({ targetingKey: `http-${i}` }, ["support-bot.model"]);
      const arm = (http.flags["support-bot.model"] as { rollout: { arm: "control" | "treatment" } }).rollout.arm;
      served[arm] += 1;
    }
    expect(served.control + served.treatment).toBe(520);
    await provider.flush();
    expect(provider.stats().sentExposures).toBeGreaterThanOrEqual(500);
    await rollgate.flushExposures();
    const after = await loadWindowExposures(canary.id, 0, from, new Date(Date.now() + 120_000));
    expect(after.control - before.control).toBe(served.control);
    expect(after.treatment - before.treatment).toBe(served.treatment);
  });

  test("POST /api/v1/exposures: field errors are 400, unknown rollouts rejected per cell, an Idempotency-Key replay counts once", async () => {
    const url = `${rollgate.url}/api/v1/exposures`;
    const bad = await postJson(url, { exposures: "many" }, bearer(apiKey));
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toContain("exposures");
    const minute = Date.now() - (Date.now() % 60_000);
    await rollgate.flushExposures();
    const cells = [
      { rolloutId: canary.id, stage: 0, arm: "treatment", minute, count: 7 },
      { rolloutId: "no-such-rollout", stage: 0, arm: "control", minute, count: 1 },
      { rolloutId: canary.id, stage: 3, arm: "control", minute, count: 1 },
      { rolloutId: canary.id, stage: 0, arm: "sideways", minute, count: 1 },
    ];
    const first = await postJson(url, { exposures: cells }, { ...bearer(apiKey), "idempotency-key": "batch-1" });
    expect(first.status).toBe(200);
    expect(first.json.accepted).toBe(7);
    expect(first.json.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 3]);
    expect(first.json.rejected[0].errors[0]).toMatch(/^rolloutId:/);
    expect(first.json.rejected[1].errors[0]).toMatch(/^stage:/);
    const replay = await postJson(url, { exposures: cells }, { ...bearer(apiKey), "idempotency-key": "batch-1" });
    expect(replay.json).toEqual(first.json);
    const pending = rollgate.exposures.pendingCells().filter((c) => c.rolloutId === canary.id && c.arm === "treatment");
    expect(pending.reduce((n, c) => n + c.count, 0)).toBe(7);
  });

  test("reportOutcome() and track() batch outcome events with rolloutId, stage and arm from the assignment", async () => {
    const context = { targetingKey: "outcome-user" };
    const details = await client.getObjectDetails("support-bot.model", {}, context);
    const reported = provider.reportOutcome(details, { latencyMs: 812, inputTokens: 120, outputTokens: 40, model: "gpt-4o" });
    client.track("llm_call", context, { flagKey: "support-bot.model", latencyMs: 640, success: false, errorType: "timeout" });
    await provider.flush();
    const rows = await db.$queryRawUnsafe<{ id: string; rollout_id: string; arm: string; variant: string; success: boolean; latency_ms: number; error_type: string | null }[]>(
      `SELECT id, rollout_id, arm::text AS arm, variant, success, latency_ms, error_type FROM metric_events WHERE environment_id = $1 AND subject_key IS NOT DISTINCT FROM $2 OR id = $3 ORDER BY latency_ms DESC`,
      envId,
      "outcome-user",
      reported.id,
    );
    expect(rows).toHaveLength(2);
    const arm = details.flagMetadata.rolloutArm as string;
    expect(rows[0]).toMatchObject({ id: reported.id, rollout_id: canary.id, arm, variant: details.variant, success: true, latency_ms: 812 });
    expect(rows[1]).toMatchObject({ rollout_id: canary.id, arm, variant: details.variant, success: false, error_type: "timeout", latency_ms: 640 });
    expect(reported).toMatchObject({ rolloutId: canary.id, stage: 0, arm });
    // A replayed event id changes nothing (the idempotency key of outcome events is their id).
    provider.reportOutcome(details, { id: reported.id, latencyMs: 812 });
    await provider.flush();
    expect(provider.stats().rejectedEvents).toBe(0);
    const count = await db.metricEvent.count({ where: { environmentId: envId, id: reported.id } });
    expect(count).toBe(1);
  });

  test("shadow(): both variants called, the control's answer returned, both outcomes reported with one pairId", async () => {
    const calls: string[] = [];
    const answer = await provider.shadow(
      "shadow.model",
      { targetingKey: "shadow-user" },
      async ({ variant, value }) => {
        calls.push(variant);
        if (variant === "claude") throw new Error("treatment broke");
        return `answer from ${(value as { model: string }).model}`;
      },
      { measure: () => ({ inputTokens: 10, outputTokens: 5 }) },
    );
    expect(answer).toBe("answer from gpt-4o");
    expect(calls.sort()).toEqual(["claude", "gpt-4o"]);
    await provider.flush();
    const rows = await db.$queryRawUnsafe<{ arm: string; variant: string; pair_id: string; success: boolean; input_tokens: number | null }[]>(
      `SELECT arm::text AS arm, variant, pair_id, success, input_tokens FROM metric_events WHERE rollout_id = $1 ORDER BY arm`,
      shadow.id,
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ arm: "control", variant: "gpt-4o", success: true, input_tokens: 10 });
    expect(rows[1]).toMatchObject({ arm: "treatment", variant: "claude", success: false, input_tokens: null });
    expect(rows[0].pair_id).toBe(rows[1].pair_id);
  });
});

describe("Rollgate unreachable", () => {
  test("the provider keeps serving the last snapshot, reports its staleness, and catches up when Rollgate is back", async () => {
    const context = { targetingKey: "offline-user", tier: "enterprise" };
    const online = provider.evaluate("support-bot.model", context);
    await rollgate.stop();
    await waitFor(() => !provider.stats().streaming, 2000);
    await new Promise((r) => setTimeout(r, 700));
    const offline = await client.getObjectDetails("support-bot.model", {}, context);
    expect(offline).toMatchObject({ variant: online?.variant, reason: online?.reason });
    expect(offline.errorCode).toBeUndefined();
    const stats = provider.stats();
    expect(stats.stalenessMs).toBeGreaterThanOrEqual(600);
    expect(stats.failures).toBeGreaterThan(0);
    expect(stats.version).toBe(online?.version);

    // A change made while Rollgate's serving instance is away arrives after it comes back.
    await setKillSwitch(envId, "summary.prompt", true);
    await rollgate.start();
    await waitFor(() => provider.evaluate("summary.prompt", { targetingKey: "u" })?.reason === "KILL_SWITCH", 5000);
    await waitFor(() => provider.stats().streaming, 5000);
    expect(provider.stats().stalenessMs).toBe(0);
  });
});
