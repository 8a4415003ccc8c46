import { describe, expect, test } from "vitest";
import { DomainError } from "../errors";
import { describeStage, stageLabel, validatePlan } from "./plan";
import { strategyTemplate } from "./templates";
import type { RolloutStrategy, StagePlan } from "./types";

const stage = (trafficBasisPoints: number, extra: Partial<StagePlan> = {}): StagePlan => ({
  trafficBasisPoints,
  shadowSampleBasisPoints: 0,
  minBakeSeconds: 60,
  minSamplesPerArm: 10,
  requiresApproval: false,
  gates: [],
  ...extra,
});

function invalidInput(run: () => unknown): DomainError {
  try {
    run();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected validatePlan to throw");
}

describe("validatePlan accepts", () => {
  test.each<[string, RolloutStrategy, StagePlan[]]>([
    ["a one-step canary", "canary", [stage(10_000)]],
    ["a canary with a flat step", "canary", [stage(500), stage(500), stage(10_000)]],
    ["a canary with a 0% warm-up", "canary", [stage(0, { shadowSampleBasisPoints: 500 }), stage(10_000)]],
    ["an uneven A/B split", "ab_test", [stage(1)]],
    ["a 99.99% A/B split", "ab_test", [stage(9999)]],
    ["a one-stage shadow", "shadow", [stage(0, { shadowSampleBasisPoints: 1 })]],
    ["20 stages", "canary", [...Array.from({ length: 19 }, (_, i) => stage(i * 100)), stage(10_000)]],
  ])("%s", (_name, strategy, stages) => {
    expect(() => validatePlan(strategy, stages)).not.toThrow();
  });
});

describe("validatePlan rejects", () => {
  test.each<[string, RolloutStrategy, StagePlan[], string, RegExp]>([
    ["no stages", "canary", [], "stages", /1 to 20 stages; got 0/],
    ["21 stages", "canary", Array.from({ length: 21 }, () => stage(10_000)), "stages", /got 21/],
    ["traffic above 100%", "canary", [stage(10_001)], "stages[0].trafficBasisPoints", /Stage 1 traffic .* 0 to 10000; got 10001/],
    ["fractional traffic", "canary", [stage(2.5), stage(10_000)], "stages[0].trafficBasisPoints", /integer/],
    ["negative shadow sample", "canary", [stage(10_000, { shadowSampleBasisPoints: -1 })], "stages[0].shadowSampleBasisPoints", /shadow sample/],
    ["negative bake", "canary", [stage(10_000, { minBakeSeconds: -5 })], "stages[0].minBakeSeconds", /bake time/],
    ["bake over 90 days", "canary", [stage(10_000, { minBakeSeconds: 91 * 86_400 })], "stages[0].minBakeSeconds", /to 7776000/],
    ["negative samples", "canary", [stage(10_000, { minSamplesPerArm: -1 })], "stages[0].minSamplesPerArm", /samples/],
    ["decreasing traffic", "canary", [stage(2500), stage(500), stage(10_000)], "stages[1].trafficBasisPoints", /Stage 2 serves 5% of traffic, less than stage 1 \(25%\)/],
    ["a canary not ending at 100%", "canary", [stage(100), stage(5000)], "stages[1].trafficBasisPoints", /last stage must serve 100%; got 50%/],
    [
      "a shadow serving users",
      "shadow",
      [stage(0, { shadowSampleBasisPoints: 1000 }), stage(100, { shadowSampleBasisPoints: 1000 })],
      "stages[1].trafficBasisPoints",
      /stage 2 traffic must be 0; got 1%/,
    ],
    ["a shadow without a sample", "shadow", [stage(0)], "stages[0].shadowSampleBasisPoints", /shadow sample above 0/],
    ["a blue-green with three stages", "blue_green", [stage(0), stage(0), stage(10_000)], "stages", /exactly two stages.*got 3/],
    ["a blue-green warming up on users", "blue_green", [stage(100), stage(10_000)], "stages[0].trafficBasisPoints", /must serve 0%/],
    ["a blue-green switching half", "blue_green", [stage(0), stage(5000)], "stages[1].trafficBasisPoints", /must serve 100%/],
    ["an A/B test with two stages", "ab_test", [stage(5000), stage(5000)], "stages", /exactly one stage.*got 2/],
    ["an A/B test with 0%", "ab_test", [stage(0)], "stages[0].trafficBasisPoints", /both arms.*got 0%/],
    ["an A/B test with 100%", "ab_test", [stage(10_000)], "stages[0].trafficBasisPoints", /both arms.*got 100%/],
  ])("%s", (_name, strategy, stages, field, message) => {
    const error = invalidInput(() => validatePlan(strategy, stages));
    expect(error.code).toBe("invalid_input");
    expect(error.details).toEqual({ field });
    expect(error.message).toMatch(message);
  });

  test("a non-boolean requiresApproval", () => {
    const bad = { ...stage(10_000), requiresApproval: "yes" } as unknown as StagePlan;
    expect(invalidInput(() => validatePlan("canary", [bad])).details).toEqual({ field: "stages[0].requiresApproval" });
  });
});

describe("labels", () => {
  test.each([
    [stage(500), "5%"],
    [stage(10_000), "100%"],
    [stage(50), "0.5%"],
    [stage(0), "0%"],
    [stage(0, { shadowSampleBasisPoints: 1000 }), "shadow 10%"],
    [stage(100, { shadowSampleBasisPoints: 1000 }), "1% + shadow 10%"],
  ])("stageLabel(%o) = %s", (s, label) => {
    expect(stageLabel(s)).toBe(label);
  });

  test("describeStage numbers stages from 1", () => {
    const stages = strategyTemplate("canary");
    expect(describeStage(stages, 2)).toBe("stage 3 (25%)");
    expect(describeStage(stages, 7)).toBe("stage 8");
  });
});
