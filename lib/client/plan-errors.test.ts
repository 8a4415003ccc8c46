import { describe, expect, test } from "vitest";
import type { StagePlan } from "../domain/rollouts";
import { planFieldErrors } from "./plan-errors";

const stage = (trafficBasisPoints: number, extra: Partial<StagePlan> = {}): StagePlan => ({
  trafficBasisPoints,
  shadowSampleBasisPoints: 0,
  minBakeSeconds: 0,
  minSamplesPerArm: 0,
  requiresApproval: false,
  gates: [],
  ...extra,
});

describe("planFieldErrors", () => {
  test("a well-formed canary has none", () => {
    expect(planFieldErrors("canary", [stage(500), stage(10_000)])).toEqual({});
  });

  test("−5% and 150% are both named at their stages, at once", () => {
    expect(planFieldErrors("canary", [stage(-500), stage(15_000), stage(10_000, { shadowSampleBasisPoints: -100 })])).toEqual({
      "stages.0.trafficBasisPoints": "Traffic must be between 0% and 100% (stage 1).",
      "stages.1.trafficBasisPoints": "Traffic must be between 0% and 100% (stage 2).",
      "stages.2.shadowSampleBasisPoints": "Shadow share must be between 0% and 100% (stage 3).",
    });
  });

  test("once the stages are well formed, the plan's rules speak at the stage they concern", () => {
    const errors = planFieldErrors("canary", [stage(2500), stage(1000), stage(10_000)]);
    expect(Object.keys(errors)).toEqual(["stages.1.trafficBasisPoints"]);
    expect(errors["stages.1.trafficBasisPoints"]).toMatch(/^Stage 2 serves 10% of traffic, less than stage 1 \(25%\)/);
  });
});
