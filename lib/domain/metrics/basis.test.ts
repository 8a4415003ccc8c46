import { describe, expect, test } from "vitest";
import { emptyCounters } from "./aggregate";
import { analyzeMetrics } from "./analyze-metrics";
import { basisView, chooseBasis } from "./basis";
import { METRIC_DEFINITIONS } from "./catalog";
import { compareMetric } from "./compare";
import type { RollupCounters } from "./types";

const OPTIONS = { confidence: 0.95, tuning: 5000 };

function arm(count: number, successes: number, cost?: { mean: number; sd: number }): RollupCounters {
  const c = emptyCounters();
  c.count = count;
  c.successes = successes;
  c.errors = count - successes;
  if (cost) {
    c.costCount = count;
    c.costSum = cost.mean * count;
    c.costSumSq = cost.sd ** 2 * (count - 1) + count * cost.mean ** 2;
  }
  return c;
}

const success = METRIC_DEFINITIONS.find((d) => d.metric === "success_rate")!;

describe("chooseBasis", () => {
  test("always-valid while monitored; fixed-horizon once an A/B test has its planned sample in both arms", () => {
    expect(chooseBasis({ strategy: "canary", samples: { control: 10_000, treatment: 10_000 }, plannedPerArm: 100 })).toBe("sequential");
    expect(chooseBasis({ strategy: "ab_test", samples: { control: 999, treatment: 5000 }, plannedPerArm: 1000 })).toBe("sequential");
    expect(chooseBasis({ strategy: "ab_test", samples: { control: 1000, treatment: 1000 }, plannedPerArm: 1000 })).toBe("fixed_horizon");
    expect(chooseBasis({ strategy: "shadow", samples: { control: 1e6, treatment: 1e6 }, plannedPerArm: 10 })).toBe("sequential");
  });
});

describe("basisView: interval and p-value of one basis", () => {
  // 90% vs 84%: the fixed interval excludes 0, the always-valid one does not.
  const c = compareMetric(success, arm(400, 360), arm(400, 336), OPTIONS);

  test("sequential: the always-valid interval with the always-valid p-value; they agree about 0", () => {
    const v = basisView(c, "sequential", 0.95);
    expect(v.interval).toEqual(c.sequentialInterval);
    expect(v.pValue).toBe(c.pValueSequential);
    expect(c.difference!.high).toBeLessThan(0);
    expect(v.interval!.high).toBeGreaterThan(0);
    expect(v.pValue!).toBeGreaterThan(0.05);
  });

  test("fixed horizon: the classic interval with the classic p-value; they agree about 0", () => {
    const v = basisView(c, "fixed_horizon", 0.95);
    expect(v.interval).toEqual({ low: c.difference!.low, high: c.difference!.high });
    expect(v.pValue).toBe(c.pValue);
    expect(v.interval!.high).toBeLessThan(0);
    expect(v.pValue!).toBeLessThan(0.05);
  });

  test("the lift interval has the row's basis: −6.7% with a wider always-valid than fixed interval, both around the same estimate", () => {
    const fixed = basisView(c, "fixed_horizon", 0.95).relativeLift!;
    const seq = basisView(c, "sequential", 0.95).relativeLift!;
    expect(fixed.estimate).toBeCloseTo(0.84 / 0.9 - 1, 12);
    expect(seq.estimate).toBe(fixed.estimate);
    expect(fixed.high).toBeLessThan(0);
    expect(seq.low).toBeLessThan(fixed.low);
    expect(seq.high).toBeGreaterThan(0);
    // The relative interval is about the absolute one over the control rate.
    expect(fixed.low).toBeCloseTo(c.difference!.low / 0.9, 2);
  });

  test("no lift interval when the control is 0 or there is no difference yet", () => {
    expect(basisView(compareMetric(success, arm(100, 0), arm(100, 5), OPTIONS), "sequential", 0.95).relativeLift).toBeNull();
    expect(basisView(compareMetric(success, arm(0, 0), arm(100, 5), OPTIONS), "sequential", 0.95).relativeLift).toBeNull();
  });
});

describe("analyzeMetrics rows", () => {
  const input = {
    strategy: "canary" as const,
    control: arm(400, 360, { mean: 0.002, sd: 0.0004 }),
    treatment: arm(400, 336, { mean: 0.0018, sd: 0.0004 }),
    gateMetrics: ["success_rate", "cost_per_request"] as const,
    alpha: 0.05,
    confidence: 0.95,
    tuning: 5000,
    minSamples: 100,
    requiredSamples: 1000,
  };

  test("each row names its basis, shows that basis's interval and unadjusted p, and the Holm p of its family", () => {
    const rows = analyzeMetrics({ ...input, basis: "sequential" });
    const sr = rows.find((r) => r.metric === "success_rate")!;
    expect(sr.basis).toBe("sequential");
    expect(sr.basisInterval).toEqual(sr.sequentialInterval);
    expect(sr.basisPValue).toBe(sr.pValueSequential);
    expect(sr.holmFamilySize).toBe(2);
    expect(sr.pValueAdjusted!).toBeGreaterThanOrEqual(sr.basisPValue!);
    expect(sr.pValueUsed).toBe(sr.pValueAdjusted);
    expect(sr.sentence).toContain("Holm-adjusted p");
    const latency = rows.find((r) => r.metric === "latency_p95")!;
    expect(latency.holmFamilySize).toBe(0);
    expect(latency.pValueAdjusted).toBeNull();
  });

  test("on the fixed-horizon basis the row switches interval and p-value together", () => {
    const sr = analyzeMetrics({ ...input, basis: "fixed_horizon" }).find((r) => r.metric === "success_rate")!;
    expect(sr.basis).toBe("fixed_horizon");
    expect(sr.basisInterval).toEqual({ low: sr.difference!.low, high: sr.difference!.high });
    expect(sr.basisPValue).toBe(sr.pValue);
    expect(sr.relativeLiftInterval!.high).toBeLessThan(0);
  });
});
