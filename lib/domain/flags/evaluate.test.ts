import { describe, expect, test } from "vitest";
import { DomainError } from "../errors";
import { bucketFor } from "./bucket";
import { evaluateFlag, evaluateFlags, pickSplitVariant } from "./evaluate";
import { forbiddenRng, makeFlag, makeRollout, sequenceRng } from "./test-fixtures";
import type { TargetingRule } from "./types";

const enterpriseToClaude: TargetingRule = {
  conditions: [{ attribute: "tier", operator: "eq", value: "enterprise" }],
  serve: { variant: "claude" },
};
const everyoneToRollout: TargetingRule = { conditions: [], serve: { rollout: true } };
const opts = { rng: forbiddenRng };

/** Finds a user id whose rollout bucket satisfies `predicate` (deterministic search). */
function userWithBucket(flagKey: string, salt: string, predicate: (bucket: number) => boolean): { userId: string; bucket: number } {
  for (let i = 0; ; i++) {
    const bucket = bucketFor(flagKey, salt, `user-${i}`);
    if (predicate(bucket)) return { userId: `user-${i}`, bucket };
  }
}

describe("evaluateFlag: order of decisions", () => {
  test("a disabled flag serves the fallback variant, whatever else is configured", () => {
    const flag = makeFlag({ enabled: false, killSwitch: true, rules: [enterpriseToClaude], rollout: makeRollout() });
    expect(evaluateFlag(flag, { tier: "enterprise", userId: "u1" }, opts)).toEqual({
      flagKey: "support-bot.model",
      variant: "safe",
      payload: { provider: "openai", model: "gpt-4o-mini" },
      reason: "DISABLED",
    });
  });

  test("the kill switch serves the fallback variant before rules and rollouts", () => {
    const flag = makeFlag({ killSwitch: true, rules: [enterpriseToClaude], rollout: makeRollout() });
    expect(evaluateFlag(flag, { tier: "enterprise" }, opts)).toMatchObject({ variant: "safe", reason: "KILL_SWITCH" });
  });

  test("the first matching rule decides", () => {
    const flag = makeFlag({
      rules: [{ conditions: [{ attribute: "tier", operator: "eq", value: "free" }], serve: { variant: "safe" } }, enterpriseToClaude, { conditions: [], serve: { variant: "gpt-4o" } }],
      rollout: makeRollout(),
    });
    expect(evaluateFlag(flag, { tier: "enterprise" }, opts)).toEqual({
      flagKey: "support-bot.model",
      variant: "claude",
      payload: { provider: "anthropic", model: "claude-sonnet-4" },
      reason: "TARGETING_MATCH",
      ruleIndex: 1,
    });
  });

  test("without a matching rule or rollout the default variant is served", () => {
    const flag = makeFlag({ rules: [enterpriseToClaude] });
    expect(evaluateFlag(flag, { tier: "pro", userId: "u1" }, opts)).toEqual({
      flagKey: "support-bot.model",
      variant: "gpt-4o",
      payload: { provider: "openai", model: "gpt-4o" },
      reason: "DEFAULT",
    });
  });

  test("without a matching rule the active rollout decides, reason SPLIT", () => {
    const rollout = makeRollout({ trafficBasisPoints: 2500, stageIndex: 3 });
    const inTreatment = userWithBucket("support-bot.model", rollout.salt, (b) => b < 2500);
    const inControl = userWithBucket("support-bot.model", rollout.salt, (b) => b >= 2500);
    const flag = makeFlag({ rules: [enterpriseToClaude], rollout });

    expect(evaluateFlag(flag, { userId: inTreatment.userId }, opts)).toEqual({
      flagKey: "support-bot.model",
      variant: "claude",
      payload: { provider: "anthropic", model: "claude-sonnet-4" },
      reason: "SPLIT",
      bucket: inTreatment.bucket,
      stickiness: "attribute",
      rollout: { id: "ro_1", stage: 3, arm: "treatment" },
    });
    expect(evaluateFlag(flag, { userId: inControl.userId }, opts)).toMatchObject({
      variant: "gpt-4o",
      reason: "SPLIT",
      bucket: inControl.bucket,
      rollout: { id: "ro_1", stage: 3, arm: "control" },
    });
  });

  test.each<[number, number, "control" | "treatment"]>([
    [0, 0, "control"],
    [1, 0, "treatment"],
    [9999, 9999, "control"],
    [10000, 9999, "treatment"],
  ])("trafficBasisPoints %i, bucket %i → %s (treatment iff bucket < traffic)", (traffic, bucket, arm) => {
    const flag = makeFlag({ rollout: makeRollout({ trafficBasisPoints: traffic }) });
    const rng = () => (bucket + 0.5) / 10000; // no stickiness value: the bucket comes from the rng
    expect(evaluateFlag(flag, {}, { rng }).rollout?.arm).toBe(arm);
  });

  test.each(["running", "paused", "awaiting_approval"] as const)("a %s rollout decides", (state) => {
    const flag = makeFlag({ rollout: makeRollout({ state, strategy: "blue_green", trafficBasisPoints: 10000 }) });
    expect(evaluateFlag(flag, { userId: "anyone" }, opts)).toMatchObject({ variant: "claude", reason: "SPLIT" });
  });
});

describe("rules that serve a split or the rollout", () => {
  test.each<[number, string]>([
    [0, "gpt-4o"],
    [2499, "gpt-4o"],
    [2500, "claude"],
    [9999, "claude"],
  ])("pickSplitVariant 25/75: bucket %i → %s", (bucket, variant) => {
    expect(
      pickSplitVariant(
        [
          { variant: "gpt-4o", weight: 2500 },
          { variant: "claude", weight: 7500 },
        ],
        bucket,
      ),
    ).toBe(variant);
  });

  test("a zero-weight entry never wins; a short split leaves the rest to the last entry", () => {
    expect(
      pickSplitVariant(
        [
          { variant: "a", weight: 0 },
          { variant: "b", weight: 10000 },
        ],
        0,
      ),
    ).toBe("b");
    expect(
      pickSplitVariant(
        [
          { variant: "a", weight: 100 },
          { variant: "b", weight: 100 },
        ],
        9999,
      ),
    ).toBe("b");
  });

  test("a split rule buckets over the flag's salt and keeps reason TARGETING_MATCH", () => {
    const split: TargetingRule = {
      conditions: [],
      serve: {
        split: [
          { variant: "gpt-4o", weight: 5000 },
          { variant: "claude", weight: 5000 },
        ],
      },
    };
    const flag = makeFlag({ rules: [split], rollout: makeRollout() });
    const bucket = bucketFor(flag.key, flag.salt, "u-7");
    expect(evaluateFlag(flag, { userId: "u-7" }, opts)).toMatchObject({
      variant: bucket < 5000 ? "gpt-4o" : "claude",
      reason: "TARGETING_MATCH",
      ruleIndex: 0,
      bucket,
      stickiness: "attribute",
    });
    expect(evaluateFlag(flag, { userId: "u-7" }, opts).rollout).toBeUndefined();
  });

  test("a rollout rule hands over to the active rollout, reason TARGETING_MATCH", () => {
    const rollout = makeRollout({ trafficBasisPoints: 10000 });
    const flag = makeFlag({ rules: [enterpriseToClaude, everyoneToRollout], rollout });
    expect(evaluateFlag(flag, { userId: "u1", tier: "pro" }, opts)).toMatchObject({
      variant: "claude",
      reason: "TARGETING_MATCH",
      ruleIndex: 1,
      bucket: bucketFor(flag.key, rollout.salt, "u1"),
      rollout: { id: "ro_1", stage: 2, arm: "treatment" },
    });
  });

  test("a rollout rule serves the default variant when no rollout is active", () => {
    const flag = makeFlag({ rules: [everyoneToRollout] });
    expect(evaluateFlag(flag, { userId: "u1" }, opts)).toEqual({
      flagKey: "support-bot.model",
      variant: "gpt-4o",
      payload: { provider: "openai", model: "gpt-4o" },
      reason: "TARGETING_MATCH",
      ruleIndex: 0,
    });
  });
});

describe("shadow rollouts", () => {
  const shadowFlag = (sample: number) => makeFlag({ rollout: makeRollout({ strategy: "shadow", trafficBasisPoints: 10000, shadowSampleBasisPoints: sample }) });

  test("serve control and attach the treatment when the per-request draw falls under the sample rate", () => {
    expect(evaluateFlag(shadowFlag(1000), { userId: "u1" }, { rng: () => 0.0999 })).toEqual({
      flagKey: "support-bot.model",
      variant: "gpt-4o",
      payload: { provider: "openai", model: "gpt-4o" },
      reason: "SPLIT",
      rollout: { id: "ro_1", stage: 2, arm: "control" },
      shadow: { variant: "claude", payload: { provider: "anthropic", model: "claude-sonnet-4" } },
    });
  });

  test("a draw at the sample rate is not sampled", () => {
    const result = evaluateFlag(shadowFlag(1000), { userId: "u1" }, { rng: () => 0.1 });
    expect(result.variant).toBe("gpt-4o");
    expect(result.shadow).toBeUndefined();
  });

  test("sampling is per request, not sticky: the same user is sampled or not by each draw", () => {
    const rng = sequenceRng(0.01, 0.9, 0.01);
    const results = [1, 2, 3].map(() => evaluateFlag(shadowFlag(5000), { userId: "u1" }, { rng }));
    expect(results.map((r) => r.shadow !== undefined)).toEqual([true, false, true]);
    expect(results.every((r) => r.variant === "gpt-4o")).toBe(true);
  });

  test.each([
    [0, false],
    [10000, true],
  ])("sample rate %i needs no draw (sampled: %s)", (sample, sampled) => {
    const result = evaluateFlag(shadowFlag(sample), { userId: "u1" }, { rng: forbiddenRng });
    expect(result.shadow !== undefined).toBe(sampled);
    expect(result.bucket).toBeUndefined();
  });
});

describe("stickiness", () => {
  const flag = makeFlag({ rollout: makeRollout() });
  const saltOf = flag.rollout!.salt;

  test("a finite number attribute is stringified", () => {
    const result = evaluateFlag(flag, { userId: 42 }, opts);
    expect(result).toMatchObject({ bucket: bucketFor(flag.key, saltOf, "42"), stickiness: "attribute" });
  });

  test("the flag's stickiness attribute can be any context attribute", () => {
    const byOrg = makeFlag({ stickiness: "orgId", rollout: makeRollout() });
    const a = evaluateFlag(byOrg, { orgId: "acme", userId: "u1" }, opts);
    const b = evaluateFlag(byOrg, { orgId: "acme", userId: "u2" }, opts);
    expect(a.bucket).toBe(bucketFor(byOrg.key, saltOf, "acme"));
    expect(b.bucket).toBe(a.bucket);
  });

  test.each<[string, Record<string, unknown>]>([
    ["missing", {}],
    ["empty string", { userId: "" }],
    ["NaN", { userId: Number.NaN }],
    ["object", { userId: { id: 1 } }],
  ])("falls back to targetingKey when the attribute is %s", (_name, context) => {
    const result = evaluateFlag(flag, { ...context, targetingKey: "tk-9" }, opts);
    expect(result).toMatchObject({ bucket: bucketFor(flag.key, saltOf, "tk-9"), stickiness: "targetingKey", reason: "SPLIT" });
  });

  test("without any stickiness value the injected rng gives a random bucket, reason SPLIT", () => {
    const rng = sequenceRng(0.12345);
    const result = evaluateFlag(flag, { targetingKey: "" }, { rng });
    expect(result).toMatchObject({ reason: "SPLIT", stickiness: "random", bucket: 1234, rollout: { arm: "treatment" } });
    expect(rng.calls()).toBe(1);
  });

  test.each([
    [0, 0],
    [0.99999999, 9999],
    [1, 9999],
    [-0.5, 0],
    [Number.NaN, 0],
  ])("rng value %d gives bucket %i (clamped, never throws)", (draw, bucket) => {
    expect(evaluateFlag(flag, {}, { rng: () => draw }).bucket).toBe(bucket);
  });

  test("fixed-variant decisions never draw from the rng", () => {
    const withRules = makeFlag({ rules: [enterpriseToClaude] });
    expect(evaluateFlag(withRules, { tier: "enterprise" }, { rng: forbiddenRng }).variant).toBe("claude");
    expect(evaluateFlag(withRules, {}, { rng: forbiddenRng }).variant).toBe("gpt-4o");
  });
});

describe("determinism and errors", () => {
  test("the same flag and context always give the same result", () => {
    const flag = makeFlag({ rollout: makeRollout({ trafficBasisPoints: 5000 }) });
    for (let i = 0; i < 200; i++) {
      const context = { userId: `user-${i}` };
      expect(evaluateFlag(flag, context, opts)).toEqual(evaluateFlag(structuredClone(flag), { ...context }, opts));
    }
  });

  test("a snapshot naming a variant it lacks throws a DomainError", () => {
    const flag = makeFlag({ defaultVariant: "ghost" });
    expect(() => evaluateFlag(flag, {}, opts)).toThrow(DomainError);
    expect(() => evaluateFlag(flag, {}, opts)).toThrow('Flag "support-bot.model" has no variant "ghost"');
  });

  test("evaluateFlags evaluates each flag for the same context, keeping order", () => {
    const flags = [makeFlag({ key: "b", enabled: false }), makeFlag({ key: "a", rules: [enterpriseToClaude] })];
    expect(evaluateFlags(flags, { tier: "enterprise" }, opts).map((r) => [r.flagKey, r.variant, r.reason])).toEqual([
      ["b", "safe", "DISABLED"],
      ["a", "claude", "TARGETING_MATCH"],
    ]);
  });
});
