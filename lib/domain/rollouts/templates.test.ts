import { describe, expect, test } from "vitest";
import { DomainError } from "../errors";
import { defaultGatesForStage } from "../gates/defaults";
import { validatePlan } from "./plan";
import { DEFAULT_AB_TEST_SAMPLES_PER_ARM, strategyTemplate } from "./templates";
import { ROLLOUT_STRATEGIES, type RolloutStrategy } from "./types";

const HOUR = 3600;

/** Columns: traffic bp, shadow sample bp, bake s, samples per arm, requires approval. */
const EXPECTED: Record<RolloutStrategy, [number, number, number, number, boolean][]> = {
  canary: [
    [100, 0, HOUR, 100, false],
    [500, 0, 24 * HOUR, 500, false],
    [2500, 0, 4 * HOUR, 1000, true],
    [5000, 0, 4 * HOUR, 1000, false],
    [10_000, 0, HOUR, 0, false],
  ],
  shadow: [
    [0, 1000, HOUR, 200, false],
    [0, 5000, 4 * HOUR, 1000, false],
    [0, 10_000, 24 * HOUR, 2000, false],
  ],
  ab_test: [[5000, 0, 7 * 24 * HOUR, 1000, false]],
  blue_green: [
    [0, 1000, 600, 100, false],
    [10_000, 0, HOUR, 0, false],
  ],
};

describe("strategyTemplate", () => {
  test.each(ROLLOUT_STRATEGIES)("%s has the documented stages, each with its default gates", (strategy) => {
    const rows = strategyTemplate(strategy).map((s) => [s.trafficBasisPoints, s.shadowSampleBasisPoints, s.minBakeSeconds, s.minSamplesPerArm, s.requiresApproval]);
    expect(rows).toEqual(EXPECTED[strategy]);
    for (const s of strategyTemplate(strategy)) {
      expect(s.gates).toEqual(defaultGatesForStage(strategy, s));
      expect(s.gates.length).toBeGreaterThan(0);
    }
  });

  test.each(ROLLOUT_STRATEGIES)("%s passes its own plan validation", (strategy) => {
    expect(() => validatePlan(strategy, strategyTemplate(strategy))).not.toThrow();
  });

  test.each(ROLLOUT_STRATEGIES)("%s ramps monotonically", (strategy) => {
    const traffic = strategyTemplate(strategy).map((s) => s.trafficBasisPoints);
    const sorted = [...traffic].sort((a, b) => a - b);
    expect(traffic).toEqual(sorted);
  });

  test("each call returns fresh objects", () => {
    const first = strategyTemplate("canary");
    first[0]!.trafficBasisPoints = 42;
    first[0]!.gates.length = 0;
    const second = strategyTemplate("canary");
    expect(second[0]!.trafficBasisPoints).toBe(100);
    expect(second[0]!.gates.map((g) => g.name)).toEqual(["success rate", "error rate", "p95 latency", "sample ratio"]);
  });

  test.each([
    { opts: undefined, samples: DEFAULT_AB_TEST_SAMPLES_PER_ARM },
    { opts: { samplesPerArm: 12_345 }, samples: 12_345 },
    { opts: { samplesPerArm: 0 }, samples: 0 },
  ])("ab_test samples per arm with $opts", ({ opts, samples }) => {
    expect(strategyTemplate("ab_test", opts)[0]!.minSamplesPerArm).toBe(samples);
  });

  test.each([-1, 1.5, Number.NaN])("ab_test rejects samplesPerArm %s", (samplesPerArm) => {
    expect(() => strategyTemplate("ab_test", { samplesPerArm })).toThrow(DomainError);
  });

  test("samplesPerArm does not affect other strategies", () => {
    expect(strategyTemplate("canary", { samplesPerArm: 9 })).toEqual(strategyTemplate("canary"));
  });
});
