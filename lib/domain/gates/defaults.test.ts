import { describe, expect, test } from "vitest";
import { strategyTemplate } from "../rollouts/templates";
import { defaultGatesForStage, withDefaultGates } from "./defaults";
import { effectiveMinSamples } from "./min-samples";
import { gateListSchema, type GateSpec } from "./spec";

const names = (strategy: Parameters<typeof strategyTemplate>[0]) => withDefaultGates(strategy, strategyTemplate(strategy)).map((s) => s.gates.map((g) => (g as { name: string }).name));

describe("default gates per template", () => {
  test("canary: comparisons while both arms serve, only the absolute error gate at 100%", () => {
    const stages = names("canary");
    for (const s of stages.slice(0, 4)) expect(s).toEqual(["success rate", "error rate", "p95 latency", "sample ratio"]);
    expect(stages[4]).toEqual(["error rate"]);
  });

  test("shadow compares cost too and has no SRM gate (pairs, not a split)", () => {
    for (const s of names("shadow")) expect(s).toEqual(["success rate", "error rate", "p95 latency", "cost per request"]);
  });

  test("blue-green: comparison during warm-up, absolute gate once switched", () => {
    expect(names("blue_green")).toEqual([["success rate", "error rate", "p95 latency"], ["error rate"]]);
  });

  test("ab_test guards success, errors, latency and the split", () => {
    expect(names("ab_test")).toEqual([["success rate", "error rate", "p95 latency", "sample ratio"]]);
  });

  test("critical gates are success rate and error rate", () => {
    const gates = defaultGatesForStage("canary", { trafficBasisPoints: 500, shadowSampleBasisPoints: 0, minBakeSeconds: 86_400 });
    expect(gates.filter((g) => g.critical).map((g) => g.name)).toEqual(["success rate", "error rate"]);
  });

  test.each([
    [0, 60],
    [600, 60], // 3 × 10 min = 30 min → at least 60
    [86_400, 4320], // 3 × 24 h
  ])("deadline for a bake of %d s is %d min", (bake, minutes) => {
    const gates = defaultGatesForStage("canary", { trafficBasisPoints: 500, shadowSampleBasisPoints: 0, minBakeSeconds: bake });
    expect(gates.find((g) => g.name === "success rate")!.deadlineMinutes).toBe(minutes);
  });

  test("every default list is valid for the schema, and explicit gates are kept", () => {
    for (const strategy of ["canary", "shadow", "ab_test", "blue_green"] as const) {
      for (const stage of withDefaultGates(strategy, strategyTemplate(strategy))) expect(gateListSchema.safeParse(stage.gates).success).toBe(true);
    }
    const custom = [{ name: "mine" }];
    const [first] = withDefaultGates("canary", [{ ...strategyTemplate("canary")[0]!, gates: custom }]);
    expect(first!.gates).toBe(custom);
  });
});

describe("minimum samples of the default gates", () => {
  const shape = { trafficBasisPoints: 500, shadowSampleBasisPoints: 0, minBakeSeconds: 600 };

  test("a stage minimum of 20 is the default gates' minimum, not the gate default of 100", () => {
    const gates = defaultGatesForStage("canary", { ...shape, minSamplesPerArm: 20 });
    expect(gates.map((g) => g.minSamples)).toEqual([20, 20, 20, 20]);
    expect(effectiveMinSamples({ minSamplesPerArm: 20, gates }).perArm).toBe(20);
  });

  test("a stage without a minimum keeps the gate default", () => {
    expect(defaultGatesForStage("canary", { ...shape, minSamplesPerArm: 0 }).every((g) => g.minSamples === 100)).toBe(true);
    expect(defaultGatesForStage("canary", shape).every((g) => g.minSamples === 100)).toBe(true);
  });
});

describe("effective minimum samples per arm", () => {
  const gate = (name: string, minSamples: number, metric: GateSpec["metric"] = "error_rate") => ({ name, metric, minSamples });

  test("stage and gates agree: no explanation", () => {
    expect(effectiveMinSamples({ minSamplesPerArm: 100, gates: [gate("a", 100)] })).toMatchObject({ perArm: 100, explanation: null, raisedBy: [] });
  });

  test("a gate above the stage raises it and is named", () => {
    const e = effectiveMinSamples({ minSamplesPerArm: 20, gates: [gate("a", 20), gate("errors", 300)] });
    expect(e).toMatchObject({ perArm: 300, stage: 20, gates: 300, raisedBy: ["errors"] });
    expect(e.explanation).toContain("the stage asks for 20, but 'errors' needs 300");
  });

  test("gates below the stage may decide earlier; promql and SLO-budget gates count no samples", () => {
    const e = effectiveMinSamples({ minSamplesPerArm: 500, gates: [gate("quick", 50), gate("prom", 10_000, "promql"), gate("budget", 10_000, "slo_budget")] });
    expect(e.perArm).toBe(500);
    expect(e.explanation).toContain("'quick' may give a verdict earlier");
  });
});
