/**
 * OFREP wire format, checked on the
 * raw HTTP answers: success shapes, reasons, every error code, bodies of 401/403/429, bulk
 * evaluation with ETag/304 and the `eventStreams` advertisement; plus the per-key rate limit on
 * every service endpoint.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { SnapshotStore } from "@/lib/server/evaluation/snapshot-store";
import { createApiKey, createEnvironment, createFlag, createRunningRollout, setKillSwitch } from "./fixtures";
import { bearer, openSse, postJson, startTestServer, testStore, type TestServer } from "./server";

let store: SnapshotStore;
let server: TestServer;
let envId: string;
let envKey: string;
let apiKey: string;
let rolloutId: string;

beforeAll(async () => {
  const env = await createEnvironment("ofrep");
  envId = env.id;
  envKey = env.key;
  await createFlag(envId, {
    key: "bot.model",
    rules: [{ conditions: [{ attribute: "tier", operator: "eq", value: "enterprise" }], serve: { variant: "claude" } }],
  });
  await createFlag(envId, { key: "bot.plain" });
  await createFlag(envId, { key: "bot.killed", killSwitch: true });
  await createFlag(envId, { key: "bot.off", enabled: false });
  rolloutId = (await createRunningRollout(envId, "bot.model", { trafficBasisPoints: 5000 })).id;
  apiKey = (await createApiKey(envId)).key;
  store = testStore();
  await store.start();
  server = await startTestServer(store);
});

afterAll(async () => {
  await server?.close();
  await store?.stop();
});

const single = (flag: string, body: unknown, headers: Record<string, string> = bearer(apiKey)) => postJson(`${server.url}/ofrep/v1/evaluate/flags/${encodeURIComponent(flag)}`, body, headers);
const bulk = (body: unknown, headers: Record<string, string> = {}, query = "") => postJson(`${server.url}/ofrep/v1/evaluate/flags${query}`, body, { ...bearer(apiKey), ...headers });

describe("single flag", () => {
  test("success shape: key, value, reason, variant, metadata", async () => {
    const res = await single("bot.model", { context: { targetingKey: "u-1", tier: "enterprise" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.json).toEqual({
      key: "bot.model",
      value: { provider: "anthropic", model: "claude-sonnet-4", params: { temperature: 0.2 } },
      reason: "TARGETING_MATCH",
      variant: "claude",
      metadata: { configVersion: store.snapshot(envId)!.version },
    });
  });

  test.each([
    ["bot.killed", "STATIC", "safe"],
    ["bot.off", "DISABLED", "safe"],
    ["bot.plain", "DEFAULT", "gpt-4o"],
  ])("%s → reason %s, variant %s", async (flag, reason, variant) => {
    const res = await single(flag, { context: {} });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ key: flag, reason, variant });
  });

  test("a rollout decision is SPLIT with flat rollout metadata; targetingKey is the stickiness value", async () => {
    const a = await single("bot.model", { context: { targetingKey: "user-42" } });
    const b = await single("bot.model", { context: { userId: "user-42" } });
    expect(a.json.reason).toBe("SPLIT");
    expect(a.json.metadata).toEqual({
      configVersion: expect.any(String),
      rolloutId,
      rolloutStage: 0,
      rolloutArm: a.json.variant === "claude" ? "treatment" : "control",
    });
    expect(b.json.variant).toBe(a.json.variant);
  });

  test("404 FLAG_NOT_FOUND", async () => {
    const res = await single("no.such.flag", { context: { targetingKey: "u" } });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ key: "no.such.flag", errorCode: "FLAG_NOT_FOUND", errorDetails: expect.stringContaining(envKey) });
  });

  test.each<[string, string | object, string]>([
    ["unparsable JSON", "{nope", "PARSE_ERROR"],
    ["context that is not an object", { context: ["u"] }, "INVALID_CONTEXT"],
    ["targetingKey that is not a string", { context: { targetingKey: 7 } }, "INVALID_CONTEXT"],
    ["rollout decision without userId or targetingKey", { context: { tier: "pro" } }, "TARGETING_KEY_MISSING"],
  ])("400 for a %s", async (_what, body, errorCode) => {
    const res = await single("bot.model", body);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ key: "bot.model", errorCode, errorDetails: expect.any(String) });
  });

  test("no targeting key is needed when the decision does not bucket", async () => {
    expect((await single("bot.model", { context: { tier: "enterprise" } })).status).toBe(200);
    expect((await single("bot.plain", {})).status).toBe(200);
    expect((await single("bot.plain", "")).status).toBe(200);
  });

  test.each([
    ["no key", {}, 401],
    ["an unknown key", bearer("rg_unknown"), 401],
  ])("%s → 401 without a body", async (_what, headers, status) => {
    const res = await single("bot.plain", { context: {} }, headers);
    expect(res.status).toBe(status);
    expect(res.text).toBe("");
  });

  test("a key without the evaluate scope → 403 without a body", async () => {
    const manage = await createApiKey(envId, { scopes: ["manage"] });
    await store.checkVersions();
    expect(store.resolveKey(manage.key)).not.toBeNull();
    const res = await single("bot.plain", { context: {} }, bearer(manage.key));
    expect(res.status).toBe(403);
    expect(res.text).toBe("");
  });
});

describe("bulk", () => {
  test("every flag, per-flag errors, eventStreams, metadata, ETag", async () => {
    const res = await bulk({ context: { tier: "pro" } });
    expect(res.status).toBe(200);
    const byKey = Object.fromEntries(res.json.flags.map((f: { key: string }) => [f.key, f]));
    expect(Object.keys(byKey).sort()).toEqual(["bot.killed", "bot.model", "bot.off", "bot.plain"]);
    expect(byKey["bot.model"]).toEqual({ key: "bot.model", errorCode: "TARGETING_KEY_MISSING", errorDetails: expect.any(String) });
    expect(byKey["bot.killed"]).toMatchObject({ reason: "STATIC", variant: "safe", value: { model: "gpt-4o-mini" } });
    expect(byKey["bot.plain"]).toMatchObject({ reason: "DEFAULT", variant: "gpt-4o" });
    expect(res.json.eventStreams).toEqual([{ type: "sse", url: expect.stringMatching(new RegExp(`^${server.url}/ofrep/v1/events\\?token=rgs_[0-9a-f]{32}$`)), inactivityDelaySec: 120 }]);
    expect(res.json.metadata).toEqual({ configVersion: store.snapshot(envId)!.version });
    expect(res.headers.get("etag")).toMatch(/^"[0-9a-f]{32}"$/);
  });

  test("If-None-Match → 304 until the context or the configuration changes", async () => {
    const body = { context: { targetingKey: "user-5" } };
    const etag = (await bulk(body)).headers.get("etag")!;
    const hit = await bulk(body, { "if-none-match": etag });
    expect(hit.status).toBe(304);
    expect(hit.text).toBe("");
    expect((await bulk({ context: { targetingKey: "user-6" } }, { "if-none-match": etag })).status).toBe(200);

    const { configVersion } = await setKillSwitch(envId, "bot.plain", true);
    await store.refresh(envId, configVersion);
    const miss = await bulk(body, { "if-none-match": etag });
    expect(miss.status).toBe(200);
    expect(miss.json.flags.find((f: { key: string }) => f.key === "bot.plain")).toMatchObject({ reason: "STATIC", variant: "safe" });
  });

  test.each<[string, string | object, string]>([
    ["unparsable JSON", "[1,", "PARSE_ERROR"],
    ["context that is not an object", { context: 5 }, "INVALID_CONTEXT"],
  ])("400 bulk failure for a %s (no key member)", async (_what, body, errorCode) => {
    const res = await bulk(body);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ errorCode, errorDetails: expect.any(String) });
  });

  test("the advertised event stream sends refetchEvaluation when the configuration changes", async () => {
    const { json } = await bulk({ context: { targetingKey: "u" } });
    const stream = await openSse(json.eventStreams[0].url);
    expect(stream.status).toBe(200);
    const initial = await stream.next();
    expect(JSON.parse(initial.data)).toEqual({ type: "refetchEvaluation", etag: `"v${store.snapshot(envId)!.version}"` });
    const { configVersion } = await setKillSwitch(envId, "bot.plain", false);
    const event = await stream.next((e) => e.id === configVersion, 1000);
    expect(event.event).toBe("message");
    expect(JSON.parse(event.data)).toEqual({ type: "refetchEvaluation", etag: `"v${configVersion}"` });
    stream.close();
  });

  test("an SSE-triggered re-fetch (flagConfigEtag) waits for this instance to reach that version", async () => {
    // A second "instance" that hears of nothing by itself (no in-process events, no LISTEN, hourly poll).
    const lagging = testStore({ inProcessEvents: false });
    await lagging.start();
    const other = await startTestServer(lagging);
    try {
      const { configVersion } = await setKillSwitch(envId, "bot.plain", true);
      expect(lagging.snapshot(envId)!.version).not.toBe(configVersion);
      const res = await postJson(`${other.url}/ofrep/v1/evaluate/flags?flagConfigEtag=${encodeURIComponent(`"v${configVersion}"`)}`, { context: { targetingKey: "u" } }, bearer(apiKey));
      expect(res.json.metadata.configVersion).toBe(configVersion);
      expect(res.json.flags.find((f: { key: string }) => f.key === "bot.plain")).toMatchObject({ reason: "STATIC" });
    } finally {
      await other.close();
      await lagging.stop();
    }
  });
});

describe("rate limit per API key", () => {
  test("OFREP: 429 without a body and with Retry-After once the burst (2 × rate) is spent", async () => {
    const slow = await createApiKey(envId, { rateLimitPerSecond: 1 });
    await store.checkVersions();
    expect(store.resolveKey(slow.key)).not.toBeNull();
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof single>> | undefined;
    for (let i = 0; i < 3; i++) {
      const res = await single("bot.plain", { context: {} }, bearer(slow.key));
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(limited!.headers.get("retry-after")).toBe("1");
    expect(limited!.text).toBe("");
    // Bulk and the event stream share the same bucket.
    expect((await bulk({ context: {} }, bearer(slow.key))).status).toBe(429);
    expect((await fetch(`${server.url}/ofrep/v1/events`, { headers: bearer(slow.key) })).status).toBe(429);
  });

  test("native endpoints: 429 problem+json with Retry-After", async () => {
    const slow = await createApiKey(envId, { rateLimitPerSecond: 1 });
    await store.checkVersions();
    expect(store.resolveKey(slow.key)).not.toBeNull();
    const url = `${server.url}/api/v1/evaluate`;
    expect((await postJson(url, { context: {} }, bearer(slow.key))).status).toBe(200);
    expect((await postJson(url, { context: {} }, bearer(slow.key))).status).toBe(200);
    const limited = await postJson(url, { context: {} }, bearer(slow.key));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.json).toMatchObject({ code: "rate_limited", status: 429 });
    const stream = await fetch(`${server.url}/api/v1/stream`, { headers: bearer(slow.key) });
    expect(stream.status).toBe(429);
    expect(stream.headers.get("retry-after")).toBe("1");
  });
});
