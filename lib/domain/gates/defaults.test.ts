import { describe, expect, test } from "vitest";
import { strategyTemplate } from "../rollouts/templates";
import { defaultGatesForStage, withDefaultGates } from "./defaults";
import { gateListSchema } from "./spec";

const names = (strategy: Parameters<typeof strategyTemplate>[0]) =>
  withDefaultGates(strategy, strategyTemplate(strategy)).map((s) => s.gates.map((g) => (g as { name: string }).name));

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
