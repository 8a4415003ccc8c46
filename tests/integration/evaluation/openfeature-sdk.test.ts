/**
 * A real client: the official OpenFeature server SDK with the OFREP provider, configured with
 * nothing but the base URL and an API key, against the evaluation routes. No hand-written OFREP.
 */
import { OFREPProvider } from "@openfeature/ofrep-provider";
import { ErrorCode, OpenFeature, type Client } from "@openfeature/server-sdk";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bucketFor } from "@/lib/domain/flags";
import type { SnapshotStore } from "@/lib/server/evaluation/snapshot-store";
import { createApiKey, createEnvironment, createFlag, createRunningRollout, setKillSwitch } from "./fixtures";
import { bearer, postJson, startTestServer, testStore, type TestServer } from "./server";

const DOMAIN = "rollgate-sdk-test";
let store: SnapshotStore;
let server: TestServer;
let envId: string;
let apiKey: string;
let rollout: { id: string; salt: string };
let client: Client;

const ENTERPRISE_RULE = [{ conditions: [{ attribute: "tier", operator: "eq" as const, value: "enterprise" }], serve: { variant: "claude" } }];

beforeAll(async () => {
  envId = (await createEnvironment("sdk")).id;
  await createFlag(envId, { key: "support-bot.model", rules: ENTERPRISE_RULE });
  await createFlag(envId, { key: "summary.prompt" });
  await createFlag(envId, { key: "legacy.model", enabled: false });
  rollout = await createRunningRollout(envId, "support-bot.model", { trafficBasisPoints: 3000 });
  apiKey = (await createApiKey(envId)).key;
  store = testStore();
  await store.start();
  server = await startTestServer(store);
  await OpenFeature.setProviderAndWait(DOMAIN, new OFREPProvider({ baseUrl: server.url, headers: bearer(apiKey) }));
  client = OpenFeature.getClient(DOMAIN);
});

afterAll(async () => {
  await OpenFeature.close();
  await server?.close();
  await store?.stop();
});

const FALLBACK = { provider: "none" };

describe("OpenFeature SDK + OFREP provider", () => {
  test("targeting rule, default and disabled flags: right variant, value and reason", async () => {
    const enterprise = await client.getObjectDetails("support-bot.model", FALLBACK, { targetingKey: "u-1", tier: "enterprise" });
    expect(enterprise).toMatchObject({
      flagKey: "support-bot.model",
      variant: "claude",
      reason: "TARGETING_MATCH",
      value: { provider: "anthropic", model: "claude-sonnet-4" },
    });
    expect(enterprise.errorCode).toBeUndefined();

    const prompt = await client.getObjectDetails("summary.prompt", FALLBACK, { targetingKey: "u-1" });
    expect(prompt).toMatchObject({ variant: "gpt-4o", reason: "DEFAULT" });
    const legacy = await client.getObjectDetails("legacy.model", FALLBACK, { targetingKey: "u-1" });
    expect(legacy).toMatchObject({ variant: "safe", reason: "DISABLED", value: { model: "gpt-4o-mini" } });
  });

  test("rollout assignments are sticky, follow the documented bucket, and match the native API", async () => {
    const arms = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const targetingKey = `customer-${i}`;
      const first = await client.getObjectDetails("support-bot.model", FALLBACK, { targetingKey, tier: "pro" });
      const second = await client.getObjectDetails("support-bot.model", FALLBACK, { targetingKey, tier: "pro", region: "eu" });
      const arm = bucketFor("support-bot.model", rollout.salt, targetingKey) < 3000 ? "treatment" : "control";
      expect(first).toMatchObject({ reason: "SPLIT", variant: arm === "treatment" ? "claude" : "gpt-4o" });
      expect(first.flagMetadata).toMatchObject({ rolloutId: rollout.id, rolloutStage: 0, rolloutArm: arm });
      expect(second.variant).toBe(first.variant);
      const native = await postJson(`${server.url}/api/v1/evaluate`, { context: { userId: targetingKey }, flags: ["support-bot.model"] }, bearer(apiKey));
      expect(native.json.flags["support-bot.model"].variant).toBe(first.variant);
      arms.add(arm);
    }
    expect(arms).toEqual(new Set(["control", "treatment"]));
  });

  test("the kill switch reaches the SDK with reason STATIC", async () => {
    const { configVersion } = await setKillSwitch(envId, "summary.prompt", true);
    await store.refresh(envId, configVersion);
    const killed = await client.getObjectDetails("summary.prompt", FALLBACK, { targetingKey: "u-2" });
    expect(killed).toMatchObject({ variant: "safe", reason: "STATIC" });
  });

  test.each([
    ["an unknown flag", "no.such.flag", { targetingKey: "u-1" }, ErrorCode.FLAG_NOT_FOUND],
    ["a rollout decision without a targeting key", "support-bot.model", { tier: "pro" }, ErrorCode.TARGETING_KEY_MISSING],
  ])("%s → the code default with its error code", async (_what, flagKey, context, errorCode) => {
    const details = await client.getObjectDetails(flagKey, FALLBACK, context);
    expect(details).toMatchObject({ value: FALLBACK, reason: "ERROR", errorCode });
  });

  test("asking for another type than the flag's → TYPE_MISMATCH", async () => {
    const details = await client.getStringDetails("summary.prompt", "fallback", { targetingKey: "u-1" });
    expect(details).toMatchObject({ value: "fallback", errorCode: ErrorCode.TYPE_MISMATCH });
  });

  test("a provider with a wrong key gets the code default and an error, never a variant", async () => {
    const domain = `${DOMAIN}-bad-key`;
    await OpenFeature.setProviderAndWait(domain, new OFREPProvider({ baseUrl: server.url, headers: bearer("rg_wrong") }));
    const details = await OpenFeature.getClient(domain).getObjectDetails("summary.prompt", FALLBACK, { targetingKey: "u-1" });
    expect(details.value).toEqual(FALLBACK);
    expect(details.reason).toBe("ERROR");
    expect(details.errorCode).toBe(ErrorCode.GENERAL);
  });
});
