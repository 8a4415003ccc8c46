import { describe, expect, test } from "vitest";
import { assessStageReadiness } from "./readiness";
import { strategyTemplate } from "./templates";
import type { RolloutMachineState } from "./types";

const T0 = new Date("2025-03-01T10:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/** Canary at stage 1 (1%, bake 1 h, 100 samples per arm) since T0. */
function canary(overrides: Partial<RolloutMachineState> = {}): RolloutMachineState {
  return {
    state: "running",
    strategy: "canary",
    stages: strategyTemplate("canary"),
    currentStageIndex: 0,
    stageStartedAt: T0,
    createdBy: "carol",
    pendingApproval: null,
    requiredApprovals: 1,
    ...overrides,
  };
}

describe("assessStageReadiness", () => {
  test("names the numbers of every unmet condition", () => {
    const a = assessStageReadiness(canary(), at(180), { control: 4200, treatment: 42 });
    expect(a.readiness).toEqual({ bakeElapsed: false, samplesReached: false, gatesFailing: [] });
    expect(a.blockers).toEqual(["bake time: 3 min of 1 h elapsed", "samples: 42 of 100 per arm (control 4200, treatment 42)"]);
    expect(a).toMatchObject({ bakeElapsedSeconds: 180, bakeRemainingSeconds: 3420, samples: 42, sampleBasis: "per_arm" });
  });

  test.each([
    ["one second short of the bake", 3599, false],
    ["exactly the bake time", 3600, true],
    ["past it", 7200, true],
  ])("%s → bake elapsed %s", (_name, seconds, elapsed) => {
    expect(assessStageReadiness(canary(), at(seconds), { control: 100, treatment: 100 }).readiness.bakeElapsed).toBe(elapsed);
  });

  test.each([
    [{ control: 99, treatment: 500 }, false],
    [{ control: 100, treatment: 100 }, true],
    [{ control: 5000, treatment: 99 }, false],
  ])("samples %j → reached %s (the smaller arm counts)", (exposures, reached) => {
    expect(assessStageReadiness(canary(), at(3600), exposures).readiness.samplesReached).toBe(reached);
  });

  test("zero bake and zero samples are always ready, even with no traffic yet", () => {
    const stages = strategyTemplate("canary").map((s) => ({ ...s, minBakeSeconds: 0, minSamplesPerArm: 0 }));
    const a = assessStageReadiness(canary({ stages }), T0, { control: 0, treatment: 0 });
    expect(a.readiness).toEqual({ bakeElapsed: true, samplesReached: true, gatesFailing: [] });
    expect(a.blockers).toEqual([]);
  });

  test("a 100% stage counts the treatment's outcomes only (it serves no control)", () => {
    const full = canary({ stages: [{ ...canary().stages[0], trafficBasisPoints: 10_000, minSamplesPerArm: 200 }] });
    const a = assessStageReadiness(full, at(3600), { control: 0, treatment: 150 });
    expect(a.sampleBasis).toBe("treatment_only");
    expect(a.blockers).toEqual(["samples: 150 of 200 (treatment outcomes)"]);
    expect(assessStageReadiness(full, at(3600), { control: 0, treatment: 200 }).readiness.samplesReached).toBe(true);
  });

  test("a stage serving no treatment counts control outcomes only", () => {
    const shadow = canary({ strategy: "shadow", stages: strategyTemplate("shadow") });
    const a = assessStageReadiness(shadow, at(3600), { control: 150, treatment: 0 });
    expect(a.sampleBasis).toBe("control_only");
    expect(a.blockers).toEqual(["samples: 150 of 200 (control outcomes)"]);
    const warmUp = canary({ strategy: "blue_green", stages: strategyTemplate("blue_green") });
    expect(assessStageReadiness(warmUp, at(600), { control: 100, treatment: 0 }).readiness.samplesReached).toBe(true);
  });

  test("before start nothing has elapsed", () => {
    const a = assessStageReadiness(canary({ state: "draft", stageStartedAt: null }), at(99999), { control: 0, treatment: 0 });
    expect(a.bakeElapsedSeconds).toBe(0);
    expect(a.readiness.bakeElapsed).toBe(false);
  });

  test("failing gates are passed through and named", () => {
    const a = assessStageReadiness(canary(), at(3600), { control: 100, treatment: 100 }, ["p99 latency"]);
    expect(a.readiness.gatesFailing).toEqual(["p99 latency"]);
    expect(a.blockers).toEqual(["gates failing: p99 latency"]);
  });
});
