/**
 * POST /api/v1/evaluate against a real database through the snapshot store: variants and
 * reasons of every decision path, ETag/304, authentication, scopes and request validation.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bucketFor } from "@/lib/domain/flags";
import type { SnapshotStore } from "@/lib/server/evaluation/snapshot-store";
import { createApiKey, createEnvironment, createFlag, createRunningRollout, revokeApiKey, setKillSwitch } from "./fixtures";
import { bearer, postJson, startTestServer, testStore, waitFor, type TestServer } from "./server";

let store: SnapshotStore;
let server: TestServer;
let envId: string;
let apiKey: string;
let rolloutId: string;
let rolloutSalt: string;
let url: string;

beforeAll(async () => {
  const env = await createEnvironment("evaluate");
  envId = env.id;
  await createFlag(envId, {
    key: "bot.model",
    rules: [{ conditions: [{ attribute: "tier", operator: "eq", value: "enterprise" }], serve: { variant: "claude" } }],
  });
  await createFlag(envId, { key: "bot.plain" });
  await createFlag(envId, { key: "bot.killed", killSwitch: true });
  await createFlag(envId, { key: "bot.off", enabled: false });
  await createFlag(envId, {
    key: "bot.split",
    stickiness: "sessionId",
    rules: [
      {
        conditions: [],
        serve: {
          split: [
            { variant: "gpt-4o", weight: 5000 },
            { variant: "claude", weight: 5000 },
          ],
        },
      },
    ],
  });
  const rollout = await createRunningRollout(envId, "bot.model", { trafficBasisPoints: 2500 });
  rolloutId = rollout.id;
  rolloutSalt = rollout.salt;
  apiKey = (await createApiKey(envId)).key;

  store = testStore();
  await store.start();
  server = await startTestServer(store);
  url = `${server.url}/api/v1/evaluate`;
});

afterAll(async () => {
  await server?.close();
  await store?.stop();
});

const evaluate = (body: unknown, headers: Record<string, string> = {}) => postJson(url, body, { ...bearer(apiKey), ...headers });

describe("variants and reasons", () => {
  test("every decision path, for all flags of the key's environment", async () => {
    const res = await evaluate({ context: { userId: "u-1", tier: "enterprise", sessionId: "s-1" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.json.version).toBe(store.snapshot(envId)!.version);
    expect(Object.keys(res.json.flags).sort()).toEqual(["bot.killed", "bot.model", "bot.off", "bot.plain", "bot.split"]);
    expect(res.json.flags["bot.model"]).toEqual({
      variant: "claude",
      value: { provider: "anthropic", model: "claude-sonnet-4", params: { temperature: 0.2 } },
      reason: "TARGETING_MATCH",
    });
    expect(res.json.flags["bot.plain"]).toMatchObject({ variant: "gpt-4o", reason: "DEFAULT" });
    expect(res.json.flags["bot.killed"]).toMatchObject({ variant: "safe", reason: "KILL_SWITCH", value: { model: "gpt-4o-mini" } });
    expect(res.json.flags["bot.off"]).toMatchObject({ variant: "safe", reason: "DISABLED" });
    expect(res.json.flags["bot.split"].reason).toBe("TARGETING_MATCH");
    expect(["gpt-4o", "claude"]).toContain(res.json.flags["bot.split"].variant);
  });

  test("the rollout decides by the documented bucket, names itself, and is sticky", async () => {
    const users = Array.from({ length: 40 }, (_, i) => `user-${i}`);
    const arms = new Set<string>();
    for (const userId of users) {
      const expectedArm = bucketFor("bot.model", rolloutSalt, userId) < 2500 ? "treatment" : "control";
      const first = await evaluate({ context: { userId }, flags: ["bot.model"] });
      const again = await evaluate({ context: { userId, unrelated: 1 }, flags: ["bot.model"] });
      expect(first.json.flags["bot.model"]).toMatchObject({
        variant: expectedArm === "treatment" ? "claude" : "gpt-4o",
        reason: "SPLIT",
        rollout: { id: rolloutId, stage: 0, arm: expectedArm },
      });
      expect(again.json.flags["bot.model"].variant).toBe(first.json.flags["bot.model"].variant);
      arms.add(expectedArm);
    }
    expect(arms).toEqual(new Set(["control", "treatment"]));
  });

  test("targetingKey stands in for a missing stickiness attribute; neither → random bucket, said so", async () => {
    const viaKey = await evaluate({ context: { targetingKey: "user-7" }, flags: ["bot.model"] });
    const viaAttribute = await evaluate({ context: { userId: "user-7" }, flags: ["bot.model"] });
    expect(viaKey.json.flags["bot.model"].variant).toBe(viaAttribute.json.flags["bot.model"].variant);
    expect(viaKey.json.flags["bot.model"].stickiness).toBeUndefined();

    const anonymous = await evaluate({ context: {}, flags: ["bot.model", "bot.plain"] });
    expect(anonymous.json.flags["bot.model"]).toMatchObject({ reason: "SPLIT", stickiness: "random" });
    expect(anonymous.json.flags["bot.plain"]).toEqual(expect.not.objectContaining({ stickiness: expect.anything() }));
  });

  test("only the requested flags are returned; unknown keys are reported per flag", async () => {
    const res = await evaluate({ context: { userId: "u" }, flags: ["bot.plain", "no.such.flag"] });
    expect(res.status).toBe(200);
    expect(res.json.flags).toEqual({
      "bot.plain": expect.objectContaining({ variant: "gpt-4o" }),
      "no.such.flag": { error: "FLAG_NOT_FOUND" },
    });
  });
});

describe("ETag", () => {
  test("same request → 304; another context or a new version → 200 with a new tag", async () => {
    const body = { context: { userId: "u-9", tier: "pro" }, flags: ["bot.plain", "bot.killed"] };
    const first = await evaluate(body);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);

    // Same request with members in another order and the flag list shuffled: still a hit.
    const same = await evaluate({ flags: ["bot.killed", "bot.plain"], context: { tier: "pro", userId: "u-9" } }, { "if-none-match": etag });
    expect(same.status).toBe(304);
    expect(same.text).toBe("");
    expect(same.headers.get("etag")).toBe(etag);

    const otherContext = await evaluate({ ...body, context: { userId: "u-10", tier: "pro" } }, { "if-none-match": etag });
    expect(otherContext.status).toBe(200);
    expect(otherContext.headers.get("etag")).not.toBe(etag);

    const { configVersion } = await setKillSwitch(envId, "bot.killed", false);
    await store.refresh(envId, configVersion);
    const changed = await evaluate(body, { "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(changed.json.version).toBe(configVersion);
    expect(changed.json.flags["bot.killed"]).toMatchObject({ variant: "gpt-4o", reason: "DEFAULT" });
    expect(changed.headers.get("etag")).not.toBe(etag);
  });
});

describe("authentication and scopes", () => {
  test.each([
    ["no key", {}, 401, "unauthenticated"],
    ["an unknown key", { authorization: "Bearer rg_not-a-key" }, 401, "unauthenticated"],
  ])("%s → 401 problem+json", async (_what, headers, status, code) => {
    const res = await postJson(url, { context: {} }, headers);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.json).toMatchObject({ status, code, detail: expect.any(String), requestId: expect.any(String) });
  });

  test("X-API-Key works like Bearer", async () => {
    const res = await postJson(url, { context: {} }, { "x-api-key": apiKey });
    expect(res.status).toBe(200);
  });

  test("a key without the evaluate scope → 403", async () => {
    const ingest = await createApiKey(envId, { scopes: ["ingest"] });
    await store.checkVersions();
    expect(store.resolveKey(ingest.key)).not.toBeNull();
    const res = await postJson(url, { context: {} }, bearer(ingest.key));
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ code: "forbidden", detail: expect.stringContaining("evaluate") });
  });

  test("a revoked key → 401 as soon as the revocation is committed", async () => {
    const doomed = await createApiKey(envId);
    await store.checkVersions();
    expect(store.resolveKey(doomed.key)).not.toBeNull();
    expect((await postJson(url, { context: {} }, bearer(doomed.key))).status).toBe(200);
    await revokeApiKey(envId, doomed.id);
    await waitFor(() => store.resolveKey(doomed.key) === null);
    const res = await postJson(url, { context: {} }, bearer(doomed.key));
    expect(res.status).toBe(401);
  });
});

describe("request validation", () => {
  test.each<[string, string | object, number, string]>([
    ["invalid JSON", '{"context": {', 400, "not valid JSON"],
    ["no context", { flags: ["bot.plain"] }, 400, "context"],
    ["context not an object", { context: "u1" }, 400, "context"],
    ["flags not a list", { context: {}, flags: "bot.plain" }, 400, "flags"],
    ["unknown member", { context: {}, flag: ["bot.plain"] }, 400, "flag"],
  ])("%s → 400 problem naming what is wrong", async (_what, body, status, mentions) => {
    const res = await evaluate(body);
    expect(res.status).toBe(status);
    expect(res.json.code).toBe("invalid_input");
    expect(JSON.stringify(res.json)).toContain(mentions);
  });

  test("a body over 1 MiB → 413", async () => {
    const res = await evaluate({ context: { blob: "x".repeat(1024 * 1024) } });
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ code: "payload_too_large", details: { maxBytes: 1024 * 1024 } });
  });

  test("GET → 405 with Allow", async () => {
    const res = await fetch(url, { headers: bearer(apiKey) });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });
});
