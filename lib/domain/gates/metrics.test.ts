import { expect, test } from "vitest";
import { formatMetricValue, formatPValue, formatPercent } from "./metrics";

test.each([
  [0.9183, "91.8%"],
  [0.989, "98.9%"],
  [1, "100%"],
  [0, "0%"],
  [0.0042, "0.42%"],
  [-0.12, "-12.0%"],
])("formatPercent(%d) = %s", (x, text) => {
  expect(formatPercent(x)).toBe(text);
});

test.each([
  [0.0004, "p < 0.001"],
  [0.001, "p = 0.0010"],
  [0.0042, "p = 0.0042"],
  [0.034, "p = 0.034"],
  [0.41, "p = 0.410"],
  [null, ""],
])("formatPValue(%s) = %s", (p, text) => {
  expect(formatPValue(p)).toBe(text);
});

test.each([
  ["latency_p99", 2410.4, "2,410 ms"],
  ["cost_per_request", 0.012345, "$0.0123"],
  ["cost_per_request", 1.5, "$1.50"],
  ["cost_per_request", 0, "$0"],
  ["tokens", 1234.6, "1,235"],
  ["quality_score", 0.8234, "0.82"],
  ["success_rate", null, "n/a"],
  ["slo_budget", 0.25, "25.0%"],
  ["promql", 0.123456, "0.1235"],
] as const)("formatMetricValue(%s, %s) = %s", (metric, value, text) => {
  expect(formatMetricValue(metric, value)).toBe(text);
});
