import { describe, expect, test } from "vitest";
import { costBreaches, latencyBreaches } from "./ceilings";

describe("latencyBreaches", () => {
  const slo = { latencyP50MsMax: 800, latencyP95MsMax: 1500, latencyP99MsMax: null };

  test.each([
    { name: "all under", observed: { p50: 700, p95: 1400, p99: 9000 }, metrics: [] },
    { name: "at the ceiling is fine", observed: { p50: 800, p95: 1500 }, metrics: [] },
    { name: "just above", observed: { p50: 800.5, p95: 1500 }, metrics: ["latency_p50"] },
    { name: "both above", observed: { p50: 900, p95: 1850 }, metrics: ["latency_p50", "latency_p95"] },
    { name: "no ceiling on p99", observed: { p99: 1_000_000 }, metrics: [] },
    { name: "missing observations", observed: {}, metrics: [] },
    { name: "null and NaN observations", observed: { p50: null, p95: Number.NaN }, metrics: [] },
  ])("$name", ({ observed, metrics }) => {
    expect(latencyBreaches(slo, observed).map((b) => b.metric)).toEqual(metrics);
  });

  test("carries the numbers and a message", () => {
    expect(latencyBreaches(slo, { p95: 1850 })).toEqual([
      {
        metric: "latency_p95",
        observed: 1850,
        ceiling: 1500,
        ratio: 1850 / 1500,
        message: "p95 latency 1,850 ms above the 1,500 ms ceiling",
      },
    ]);
  });
});

describe("costBreaches", () => {
  const slo = { costPerRequestUsdMax: 0.01, costPerDayUsdMax: 1000 };

  test.each([
    { name: "both under", observed: { costPerRequest: 0.009, costPerDay: 999.99 }, metrics: [] },
    { name: "both at the ceiling", observed: { costPerRequest: 0.01, costPerDay: 1000 }, metrics: [] },
    { name: "per request above", observed: { costPerRequest: 0.0123 }, metrics: ["cost_per_request"] },
    { name: "both above", observed: { costPerRequest: 0.02, costPerDay: 1234.5 }, metrics: ["cost_per_request", "cost_per_day"] },
  ])("$name", ({ observed, metrics }) => {
    expect(costBreaches(slo, observed).map((b) => b.metric)).toEqual(metrics);
  });

  test.each([
    { observed: { costPerRequest: 0.0123 }, message: "Cost per request $0.0123 above the $0.01 ceiling" },
    { observed: { costPerDay: 1234.5 }, message: "Cost per day $1,234.50 above the $1,000.00 ceiling" },
  ])("message: $message", ({ observed, message }) => {
    expect(costBreaches(slo, observed)[0].message).toBe(message);
  });

  test("no ceilings, no breaches", () => {
    expect(costBreaches({}, { costPerRequest: 5, costPerDay: 5000 })).toEqual([]);
  });
});
