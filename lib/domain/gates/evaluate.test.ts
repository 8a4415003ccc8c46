import { describe, expect, test } from "vitest";
import { evaluateGate } from "./evaluate";
import { gateSpecSchema, type GateSpecInput } from "./spec";
import type { MetricObservation } from "./types";

const gate = (input: GateSpecInput) => gateSpecSchema.parse(input);

function arms(control: [n: number, estimate: number | null], treatment: [n: number, estimate: number | null], extra: Partial<MetricObservation> = {}): MetricObservation {
  return { control: { n: control[0], estimate: control[1] }, treatment: { n: treatment[0], estimate: treatment[1] }, ...extra };
}

const successNotWorse = gate({ name: "success rate", kind: "comparison", metric: "success_rate", critical: true });

describe("comparison gates: not_worse", () => {
  test.each([
    // [case, observation, verdict]
    ["significantly worse → fail", arms([2000, 0.989], [2000, 0.918], { difference: { estimate: -0.071, low: -0.083, high: -0.059 }, pValue: 1e-12 }), "fail"],
    ["interval crosses zero → pass", arms([2000, 0.989], [2000, 0.985], { difference: { estimate: -0.004, low: -0.011, high: 0.003 }, pValue: 0.27 }), "pass"],
    ["better → pass", arms([2000, 0.95], [2000, 0.99], { difference: { estimate: 0.04, low: 0.03, high: 0.05 }, pValue: 1e-9 }), "pass"],
    ["one arm below minSamples → inconclusive", arms([2000, 0.989], [99, 0.5], { difference: { estimate: -0.489, low: -0.6, high: -0.4 }, pValue: 1e-9 }), "inconclusive"],
    ["exactly minSamples in both arms → decides", arms([100, 0.99], [100, 0.8], { difference: { estimate: -0.19, low: -0.27, high: -0.11 }, pValue: 1e-6 }), "fail"],
    ["no estimate → inconclusive", arms([500, null], [500, 0.9]), "inconclusive"],
    ["interval worse but p above alpha → pass (both must agree)", arms([500, 0.99], [500, 0.97], { difference: { estimate: -0.02, low: -0.035, high: -0.001 }, pValue: 0.06 }), "pass"],
    ["no interval, p < alpha and worse → fail", arms([500, 0.99], [500, 0.95], { pValue: 0.001 }), "fail"],
    ["no interval, p < alpha but better → pass", arms([500, 0.95], [500, 0.99], { pValue: 0.001 }), "pass"],
    ["no interval, no p → pass (nothing says worse)", arms([500, 0.99], [500, 0.98]), "pass"],
  ] as const)("%s", (_name, obs, verdict) => {
    expect(evaluateGate(successNotWorse, obs).verdict).toBe(verdict);
  });

  test("the sentence carries the numbers people need", () => {
    const r = evaluateGate(successNotWorse, arms([2000, 0.989], [2000, 0.918], { difference: { estimate: -0.071, low: -0.083, high: -0.059 }, pValue: 0.0000004 }));
    expect(r.sentence).toBe("treatment success rate 91.8% vs 98.9%, p < 0.001: significantly worse");
    expect(r).toMatchObject({ value: 0.918, controlValue: 0.989, ciLow: -0.083, ciHigh: -0.059, pValue: 0.0000004, critical: true, samples: { control: 2000, treatment: 2000 } });
  });

  test("insufficient samples say how many are missing", () => {
    const r = evaluateGate(successNotWorse, arms([130, 0.99], [42, 0.9]));
    expect(r.inconclusiveReason).toBe("insufficient_samples");
    expect(r.sentence).toBe("success rate: not enough data yet (42 of 100 samples in treatment, 130 in control)");
  });

  test("a margin tolerates a small worsening (lower-is-better metric)", () => {
    const latencyMeanMargin = gate({ name: "p50", kind: "comparison", metric: "latency_p50", margin: 0.1 });
    // control 1000 ms, tolerance 100 ms; interval of the difference [50, 90] is worse but within tolerance.
    const within = arms([500, 1000], [500, 1070], { difference: { estimate: 70, low: 50, high: 90 }, pValue: 0.001 });
    expect(evaluateGate(latencyMeanMargin, within).verdict).toBe("pass");
    const beyond = arms([500, 1000], [500, 1150], { difference: { estimate: 150, low: 110, high: 190 }, pValue: 0.0001 });
    const r = evaluateGate(latencyMeanMargin, beyond);
    expect(r.verdict).toBe("fail");
    expect(r.limit).toBeCloseTo(1100);
    expect(r.sentence).toContain("significantly worse by more than 10%");
  });
});

describe("comparison gates: non_inferior", () => {
  const quality = gate({ name: "quality", kind: "comparison", metric: "quality_score", test: "non_inferior", margin: 0.05 });
  test.each([
    ["interval within the margin → pass", { estimate: 0, low: -0.02, high: 0.02 }, 0.9, "pass"],
    ["interval reaches past the margin → inconclusive", { estimate: -0.01, low: -0.06, high: 0.04 }, 0.5, "inconclusive"],
    ["whole interval worse than the margin → fail", { estimate: -0.1, low: -0.14, high: -0.06 }, 0.0001, "fail"],
    ["lower end exactly at −margin → inconclusive (strict)", { estimate: 0, low: -0.04, high: 0.04 }, 0.9, "inconclusive"],
  ] as const)("%s", (_name, difference, pValue, verdict) => {
    // control 0.8 → tolerance 0.04
    const r = evaluateGate(quality, arms([800, 0.8], [800, 0.8 + difference.estimate], { difference, pValue }));
    expect(r.verdict).toBe(verdict);
    if (verdict === "inconclusive") expect(r.inconclusiveReason).toBe("not_significant_yet");
  });
});

describe("comparison gates: ratio", () => {
  const p99 = gate({ name: "p99 latency", kind: "comparison", metric: "latency_p99", test: "ratio", margin: 0.2 });
  test.each([
    [1900, 2280, "pass"], // exactly 1.2 × control
    [1900, 2281, "fail"],
    [1900, 1000, "pass"],
  ] as const)("control %d ms, treatment %d ms → %s", (c, t, verdict) => {
    expect(evaluateGate(p99, arms([500, c], [500, t])).verdict).toBe(verdict);
  });

  test("fail sentence names the limit", () => {
    const r = evaluateGate(p99, arms([500, 1900], [500, 2410]));
    expect(r.sentence).toBe("treatment p99 latency 2,410 ms vs 1,900 ms, beyond at most 1.2 × control (2,280 ms)");
    expect(r.limit).toBeCloseTo(2280);
  });

  test("with the treatment's interval known, only an interval wholly beyond the limit fails", () => {
    const within = (low: number, high: number, estimate: number): MetricObservation => ({
      control: { n: 300, estimate: 1900, low: 1700, high: 2100 },
      treatment: { n: 220, estimate, low, high },
    });
    const noisy = evaluateGate(p99, within(2000, 2900, 2432));
    expect(noisy.verdict).toBe("inconclusive");
    expect(noisy.inconclusiveReason).toBe("not_significant_yet");
    expect(noisy.sentence).toBe(
      "treatment p99 latency 2,432 ms vs 1,900 ms, beyond at most 1.2 × control (2,280 ms) but within the noise of its interval (2,000 ms to 2,900 ms); not clearly beyond yet",
    );
    expect(evaluateGate(p99, within(2281, 2900, 2500)).verdict).toBe("fail");
    expect(evaluateGate(p99, within(1500, 2500, 2000)).verdict).toBe("pass");
  });

  test("higher-is-better ratio uses (1 − margin) × control", () => {
    const thumbs = gate({ name: "thumbs", kind: "comparison", metric: "thumbs_up_rate", test: "ratio", margin: 0.1 });
    expect(evaluateGate(thumbs, arms([300, 0.8], [300, 0.72])).verdict).toBe("pass");
    expect(evaluateGate(thumbs, arms([300, 0.8], [300, 0.7199])).verdict).toBe("fail");
  });
});

describe("threshold gates", () => {
  const successFloor = gate({ name: "success floor", kind: "threshold", metric: "success_rate", bound: 0.95, windowMinutes: 10, critical: true });
  const errorCeiling = gate({ name: "error rate", kind: "threshold", metric: "error_rate", bound: 0.05 });

  test.each([
    ["success ≥ 95%", successFloor, 0.95, "pass"], // bound itself passes (≥)
    ["success ≥ 95%", successFloor, 0.9499, "fail"],
    ["errors ≤ 5%", errorCeiling, 0.05, "pass"], // bound itself passes (≤)
    ["errors ≤ 5%", errorCeiling, 0.0501, "fail"],
  ] as const)("%s: value %d → %s", (_label, g, value, verdict) => {
    expect(evaluateGate(g, arms([0, null], [1000, value])).verdict).toBe(verdict);
  });

  test("threshold needs minSamples in the treatment only", () => {
    expect(evaluateGate(errorCeiling, arms([0, null], [99, 0.01])).verdict).toBe("inconclusive");
    expect(evaluateGate(errorCeiling, arms([0, null], [100, 0.01])).verdict).toBe("pass");
  });

  test("explicit operator overrides the metric's direction", () => {
    const strict = gate({ name: "strict", kind: "threshold", metric: "error_rate", bound: 0.05, operator: "<" });
    expect(evaluateGate(strict, arms([0, null], [1000, 0.05])).verdict).toBe("fail");
  });

  test("sentence states the rule and window", () => {
    const r = evaluateGate(successFloor, arms([1000, 0.989], [1000, 0.918]));
    expect(r.sentence).toBe("treatment success rate 91.8% vs 98.9% (must be ≥ 95.0%, last 10 min)");
  });

  describe("srm", () => {
    const srm = gate({ name: "sample ratio", kind: "threshold", metric: "srm", bound: 0.001 });
    test.each([
      [0.0009, "fail"],
      [0.001, "pass"],
      [0.5, "pass"],
    ] as const)("p = %d → %s", (p, verdict) => {
      expect(evaluateGate(srm, arms([5000, null], [4300, null], { pValue: p })).verdict).toBe(verdict);
    });
    test("too few exposures → inconclusive", () => {
      expect(evaluateGate(srm, arms([50, null], [5000, null], { pValue: 0 })).verdict).toBe("inconclusive");
    });
    test("fail sentence names the counts", () => {
      expect(evaluateGate(srm, arms([5120, null], [4310, null], { pValue: 1e-9 })).sentence).toBe("sample ratio mismatch: 4,310 treatment vs 5,120 control exposures, p < 0.001");
    });
  });

  describe("slo_budget", () => {
    const budget = gate({ name: "budget", kind: "threshold", metric: "slo_budget", bound: 0 });
    test.each([
      [0.25, "pass"],
      [0, "fail"], // exhausted exactly: default operator is ">"
      [-0.12, "fail"],
    ] as const)("remaining %d → %s", (remaining, verdict) => {
      expect(evaluateGate(budget, arms([0, null], [1, remaining])).verdict).toBe(verdict);
    });
    test("no SLO value → inconclusive, whatever minSamples says", () => {
      expect(evaluateGate(budget, arms([0, null], [0, null])).inconclusiveReason).toBe("source_unavailable");
    });
  });

  test("promql gates read one value and skip the sample check", () => {
    const promql = gate({ name: "upstream 5xx", kind: "threshold", metric: "promql", query: "sum(rate(x[5m]))", operator: "<", bound: 1 });
    expect(evaluateGate(promql, arms([0, null], [1, 0.4])).verdict).toBe("pass");
    expect(evaluateGate(promql, arms([0, null], [1, 3])).verdict).toBe("fail");
  });
});

test("no observation at all → inconclusive (never pass)", () => {
  const r = evaluateGate(successNotWorse, null);
  expect(r.verdict).toBe("inconclusive");
  expect(r.inconclusiveReason).toBe("source_unavailable");
});
