import { describe, expect, test } from "vitest";
import type { EvaluationResult } from "../../domain/flags";
import { needsTargetingKey, OFREP_REASONS, toNativeResult, toOfrepSuccess } from "./results";

const result = (over: Partial<EvaluationResult> = {}): EvaluationResult => ({
  flagKey: "bot.model",
  variant: "new",
  payload: { model: "m2" },
  reason: "SPLIT",
  ...over,
});

describe("wire shapes", () => {
  test.each([
    ["KILL_SWITCH", "STATIC"],
    ["DISABLED", "DISABLED"],
    ["TARGETING_MATCH", "TARGETING_MATCH"],
    ["SPLIT", "SPLIT"],
    ["DEFAULT", "DEFAULT"],
  ] as const)("OFREP reason of %s is %s", (ours, theirs) => {
    expect(OFREP_REASONS[ours]).toBe(theirs);
    expect(toOfrepSuccess(result({ reason: ours }), "3").reason).toBe(theirs);
  });

  test("rollout and shadow go to native fields and to flat OFREP metadata", () => {
    const r = result({
      rollout: { id: "ro1", stage: 2, arm: "control" },
      shadow: { variant: "new", payload: { model: "m2" } },
      stickiness: "attribute",
    });
    expect(toNativeResult(r)).toEqual({
      variant: "new",
      value: { model: "m2" },
      reason: "SPLIT",
      rollout: { id: "ro1", stage: 2, arm: "control" },
      shadow: { variant: "new", value: { model: "m2" } },
    });
    expect(toOfrepSuccess(r, "9")).toEqual({
      key: "bot.model",
      value: { model: "m2" },
      reason: "SPLIT",
      variant: "new",
      metadata: { configVersion: "9", rolloutId: "ro1", rolloutStage: 2, rolloutArm: "control", shadowVariant: "new", shadowPayload: '{"model":"m2"}' },
    });
  });

  test("a random bucket is reported natively and needs a targeting key on OFREP", () => {
    expect(toNativeResult(result({ stickiness: "random" })).stickiness).toBe("random");
    expect(needsTargetingKey(result({ stickiness: "random" }))).toBe(true);
    expect(needsTargetingKey(result({ stickiness: "targetingKey" }))).toBe(false);
    expect(needsTargetingKey(result({ reason: "DEFAULT" }))).toBe(false);
  });
});
