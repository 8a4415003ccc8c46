/**
 * Parity: 100,000 random contexts, each evaluated for every flag of an environment that uses all
 * targeting operators, rule splits, fixed variants, disabled and killed flags, and active canary,
 * A/B and shadow rollouts — once by the in-process provider (@rollgate/sdk) and once by
 * POST /api/v1/evaluate over HTTP, at the same configuration version. Every answer (variant,
 * value, reason, stickiness, rollout id/stage/arm, shadow) must be identical.
 * Contexts always carry a stickiness value (targetingKey or userId): without one the engine
 * draws a random bucket on each side, which is random by design.
 */
import { Agent, request } from "node:http";
import type { EvaluationContext } from "@openfeature/server-sdk";
import { afterAll, beforeAll, expect, test } from "vitest";
import { CONDITION_OPERATORS, type TargetingRule } from "@/lib/domain/flags";
import type { SnapshotStore } from "@/lib/server/evaluation/snapshot-store";
import { createApiKey, createEnvironment, createFlag, createRunningRollout } from "../evaluation/fixtures";
import { testStore } from "../evaluation/server";
import { loadSdk, RollgateServer, type Sdk } from "./harness";

const CONTEXTS = 100_000;
const CONCURRENCY = 16;

const VARIANTS = [
  { key: "gpt-4o", payload: { provider: "openai", model: "gpt-4o", params: { temperature: 0.2 } } },
  { key: "claude", payload: { provider: "anthropic", model: "claude-sonnet-4", params: { temperature: 0.2 } } },
  { key: "safe", payload: { provider: "openai", model: "gpt-4o-mini", params: { temperature: 0 } } },
];
const split = (a: number, b: number, c: number) => ({
  split: [
    { variant: "gpt-4o", weight: a },
    { variant: "claude", weight: b },
    { variant: "safe", weight: c },
  ],
});

/** One rule per operator (and a few combinations), serving variants, splits and the rollout. */
const OPERATOR_RULES: TargetingRule[] = [
  {
    conditions: [
      { attribute: "tier", operator: "eq", value: "enterprise" },
      { attribute: "beta", operator: "eq", value: true },
    ],
    serve: { variant: "claude" },
  },
  {
    conditions: [
      { attribute: "country", operator: "in", value: ["FR", "DE", "NL"] },
      { attribute: "age", operator: "gte", value: 40 },
    ],
    serve: split(2000, 5000, 3000),
  },
  { conditions: [{ attribute: "email", operator: "ends_with", value: "@acme.io" }], serve: { variant: "safe" } },
  {
    conditions: [
      { attribute: "email", operator: "starts_with", value: "qa" },
      { attribute: "plan", operator: "neq", value: "free" },
    ],
    serve: { rollout: true },
  },
  { conditions: [{ attribute: "tags", operator: "contains", value: "vip" }], serve: split(5000, 5000, 0) },
  {
    conditions: [
      { attribute: "appVersion", operator: "semver_gt", value: "2.3.0" },
      { attribute: "score", operator: "lt", value: 0.25 },
    ],
    serve: { variant: "claude" },
  },
  { conditions: [{ attribute: "appVersion", operator: "semver_lt", value: "1.0.0" }], serve: { variant: "safe" } },
  {
    conditions: [
      { attribute: "age", operator: "lte", value: 18 },
      { attribute: "country", operator: "not_in", value: ["US"] },
    ],
    serve: { variant: "safe" },
  },
  { conditions: [{ attribute: "score", operator: "gt", value: 0.9 }], serve: split(3333, 3333, 3334) },
  {
    conditions: [
      { attribute: "referrer", operator: "exists" },
      { attribute: "tier", operator: "in", value: ["pro", 3] },
    ],
    serve: { rollout: true },
  },
  { conditions: [{ attribute: "email", operator: "contains", value: "test" }], serve: { variant: "gpt-4o" } },
  {
    conditions: [
      { attribute: "referrer", operator: "exists", value: false },
      { attribute: "age", operator: "eq", value: "33" },
    ],
    serve: { variant: "claude" },
  },
];

let sdk: Sdk;
let store: SnapshotStore;
let rollgate: RollgateServer;
let apiKey: string;
let provider: InstanceType<Sdk["RollgateProvider"]>;

beforeAll(async () => {
  expect(new Set(OPERATOR_RULES.flatMap((r) => r.conditions.map((c) => c.operator)))).toEqual(new Set(CONDITION_OPERATORS));
  sdk = await loadSdk();
  const envId = (await createEnvironment("parity")).id;
  const flags: Parameters<typeof createFlag>[1][] = [
    { key: "ops.canary", rules: OPERATOR_RULES },
    { key: "ops.ab", rules: OPERATOR_RULES, stickiness: "userId" },
    { key: "ops.norollout", rules: OPERATOR_RULES },
    { key: "split.only", rules: [{ conditions: [], serve: split(1000, 6000, 3000) }], stickiness: "userId" },
    { key: "shadow.model", rules: OPERATOR_RULES.slice(0, 4) },
    { key: "plain.default" },
    { key: "off", enabled: false, rules: OPERATOR_RULES },
    { key: "killed", killSwitch: true, rules: OPERATOR_RULES },
  ];
  for (const f of flags) await createFlag(envId, { variants: VARIANTS, ...f });
  await createRunningRollout(envId, "ops.canary", { strategy: "canary", trafficBasisPoints: 1500 });
  await createRunningRollout(envId, "ops.ab", { strategy: "ab_test", trafficBasisPoints: 5000 });
  await createRunningRollout(envId, "shadow.model", { strategy: "shadow", shadowSampleBasisPoints: 10_000 });
  apiKey = (await createApiKey(envId, { scopes: ["evaluate", "ingest"], rateLimitPerSecond: 1_000_000 })).key;
  store = testStore();
  await store.start();
  rollgate = new RollgateServer(store);
  await rollgate.start();
  provider = new sdk.RollgateProvider({ baseUrl: rollgate.url, apiKey, flushIntervalMs: 0, stream: false, pollIntervalMs: 3_600_000 });
  await provider.initialize();
});

afterAll(async () => {
  await provider?.close();
  await rollgate?.stop();
  await store?.stop();
});

/** mulberry32: a seeded PRNG, so a failure can be replayed. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomContext(rnd: () => number, i: number): EvaluationContext {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const maybe = (p: number) => rnd() < p;
  const c: EvaluationContext = {};
  // Always a stickiness value: targetingKey, userId, or both (different).
  const mode = rnd();
  if (mode < 0.45 || mode >= 0.8) c.targetingKey = `tk-${i}-${Math.floor(rnd() * 1e9)}`;
  if (mode >= 0.45) c.userId = maybe(0.1) ? Math.floor(rnd() * 1e6) : `user-${Math.floor(rnd() * 1e9)}`;
  if (maybe(0.9)) c.tier = pick(["free", "pro", "enterprise", 3, "3", true]);
  if (maybe(0.7)) c.beta = pick([true, false, "true"]);
  if (maybe(0.8)) c.country = pick(["FR", "DE", "NL", "US", "GB", "JP", "fr"]);
  if (maybe(0.8)) c.age = pick([Math.floor(rnd() * 90), String(Math.floor(rnd() * 90)), "33", 33, 18, 40, "n/a"]);
  if (maybe(0.8)) c.email = `${pick(["qa", "dev", "test", "ops", ""])}${Math.floor(rnd() * 1000)}@${pick(["acme.io", "example.com", "test.org"])}`;
  if (maybe(0.6)) c.plan = pick(["free", "team", "business"]);
  if (maybe(0.5)) c.tags = pick([["vip"], ["beta", "vip"], ["std"], [], "vip-list", ["VIP"]]);
  if (maybe(0.8)) c.appVersion = pick(["0.9.1", "1.0.0", "2.3.0", "2.3.1", "2.10.0", "3.0.0-rc.1", "v2.4", "garbage"]);
  if (maybe(0.8)) c.score = pick([rnd(), rnd(), "0.1", 0.95]);
  if (maybe(0.3)) c.referrer = pick(["google", "", null]);
  return c;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function evaluateHttp(body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const url = new URL("/api/v1/evaluate", rollgate.url);
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}`, "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString("utf8")) : reject(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks)}`))));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The provider's answer in the native wire shape, members in the wire's order. */
function nativeOf(r: NonNullable<ReturnType<typeof provider.evaluate>>): Record<string, unknown> {
  const out: Record<string, unknown> = { variant: r.variant, value: r.value, reason: r.reason };
  if (r.stickiness) out.stickiness = r.stickiness;
  if (r.rollout) out.rollout = { id: r.rollout.id, stage: r.rollout.stage, arm: r.rollout.arm };
  if (r.shadow) out.shadow = { variant: r.shadow.variant, value: r.shadow.value };
  return out;
}

test(`${CONTEXTS.toLocaleString("en")} random contexts: the provider and POST /api/v1/evaluate agree on every answer`, { timeout: 300_000 }, async () => {
  const rnd = prng(20261203);
  const flagKeys = [...(provider as unknown as { sync: { snapshot: { flags: Map<string, unknown> } } }).sync.snapshot.flags.keys()].sort();
  expect(flagKeys).toHaveLength(8);
  const version = provider.stats().version;
  let compared = 0;
  let agreed = 0;
  const mismatches: string[] = [];
  const reasons = new Map<string, number>();
  let next = 0;
  let versionChanged = 0;
  const started = Date.now();

  async function worker() {
    while (next < CONTEXTS) {
      const i = next++;
      const context = randomContext(rnd, i);
      const answer = JSON.parse(await evaluateHttp(JSON.stringify({ context }))) as { version: string; flags: Record<string, unknown> };
      if (answer.version !== version) versionChanged++;
      for (const key of flagKeys) {
        const local = provider.evaluate(key, context);
        const remote = JSON.stringify(answer.flags[key]);
        const mine = local ? JSON.stringify(nativeOf(local)) : "null";
        compared++;
        if (mine === remote) agreed++;
        else if (mismatches.length < 5) mismatches.push(`${key} ${JSON.stringify(context)}\n  http:     ${remote}\n  provider: ${mine}`);
        const reason = `${local?.reason}${local?.rollout ? `/${local.rollout.arm}` : ""}`;
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `[parity] ${CONTEXTS} contexts × ${flagKeys.length} flags: ${agreed}/${compared} answers identical in ${seconds.toFixed(1)} s; ` +
      `by reason/arm: ${JSON.stringify(Object.fromEntries([...reasons].sort()))}`,
  );
  expect(versionChanged).toBe(0);
  expect(mismatches).toEqual([]);
  expect(agreed).toBe(CONTEXTS * flagKeys.length);
  // Every decision path was exercised.
  for (const r of ["DISABLED", "KILL_SWITCH", "DEFAULT", "TARGETING_MATCH", "SPLIT/control", "SPLIT/treatment", "TARGETING_MATCH/treatment", "TARGETING_MATCH/control"]) {
    expect(reasons.get(r) ?? 0, r).toBeGreaterThan(0);
  }
  expect(provider.stats().version).toBe(version);
});
