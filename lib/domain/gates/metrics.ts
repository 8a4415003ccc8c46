/**
 * What each gate metric means for people: its label, which way is better, and how its values
 * read ("98.9%", "1,240 ms", "$0.0123"). Pure and locale-independent (en-US digits).
 */
import type { Direction, GateMetric } from "./types";

interface MetricInfo {
  label: string;
  direction: Direction;
  unit: "fraction" | "ms" | "usd" | "count" | "score" | "p_value" | "budget" | "number";
}

export const METRIC_INFO: Record<GateMetric, MetricInfo> = {
  success_rate: { label: "success rate", direction: "higher_is_better", unit: "fraction" },
  error_rate: { label: "error rate", direction: "lower_is_better", unit: "fraction" },
  latency_p50: { label: "p50 latency", direction: "lower_is_better", unit: "ms" },
  latency_p95: { label: "p95 latency", direction: "lower_is_better", unit: "ms" },
  latency_p99: { label: "p99 latency", direction: "lower_is_better", unit: "ms" },
  cost_per_request: { label: "cost per request", direction: "lower_is_better", unit: "usd" },
  tokens: { label: "tokens per request", direction: "lower_is_better", unit: "count" },
  thumbs_up_rate: { label: "thumbs-up rate", direction: "higher_is_better", unit: "fraction" },
  quality_score: { label: "quality score", direction: "higher_is_better", unit: "score" },
  retry_rate: { label: "retry rate", direction: "lower_is_better", unit: "fraction" },
  // The SRM gate reads the p-value of the sample-ratio test: a small p-value is the problem.
  srm: { label: "sample ratio", direction: "higher_is_better", unit: "p_value" },
  slo_budget: { label: "error budget remaining", direction: "higher_is_better", unit: "budget" },
  promql: { label: "PromQL value", direction: "higher_is_better", unit: "number" },
};

export function metricLabel(metric: GateMetric): string {
  return METRIC_INFO[metric].label;
}

export function metricDirection(metric: GateMetric): Direction {
  return METRIC_INFO[metric].direction;
}

/**
 * A value in the metric's unit: fractions as percentages with one decimal (0.9183 → "91.8%",
 * below 1% two decimals: 0.0042 → "0.42%"), milliseconds rounded ("1,240 ms"), dollars with three
 * significant digits below $1 ("$0.0123"), counts rounded, scores with two decimals, budgets as a
 * percentage of the budget ("-12.0%" when overspent). null → "n/a".
 */
export function formatMetricValue(metric: GateMetric, value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return "n/a";
  switch (METRIC_INFO[metric].unit) {
    case "fraction":
    case "budget":
      return formatPercent(value);
    case "ms":
      return `${groupThousands(Math.round(value))} ms`;
    case "usd":
      return formatUsd(value);
    case "count":
      return groupThousands(Math.round(value));
    case "score":
      return value.toFixed(2);
    case "p_value":
      return formatPValue(value);
    case "number":
      return Number.isInteger(value) ? groupThousands(value) : String(Number(value.toPrecision(4)));
  }
}

/** 0.989 → "98.9%"; |x| < 1% → two decimals ("0.42%"); 1 → "100%"; 0 → "0%". */
export function formatPercent(fraction: number): string {
  const pct = fraction * 100;
  if (pct === 0) return "0%";
  if (Math.abs(pct) < 1) return `${pct.toFixed(2)}%`;
  const text = pct.toFixed(1);
  return `${text.endsWith(".0") && Math.abs(pct) >= 100 ? text.slice(0, -2) : text}%`;
}

/**
 * "p < 0.001" below 0.001, else "p = 0.034" (three decimals; two significant digits under
 * 0.01: "p = 0.0042"); null → "" so callers can drop it.
 */
export function formatPValue(p: number | null | undefined): string {
  if (p == null || !Number.isFinite(p)) return "";
  if (p < 0.001) return "p < 0.001";
  if (p < 0.01) return `p = ${p.toPrecision(2)}`;
  return `p = ${p.toFixed(3)}`;
}

function formatUsd(value: number): string {
  const abs = Math.abs(value);
  const sign = value < 0 ? "-" : "";
  if (abs >= 100) return `${sign}$${groupThousands(Math.round(abs))}`;
  if (abs >= 1) return `${sign}$${abs.toFixed(2)}`;
  if (abs === 0) return "$0";
  // Three significant digits, trailing zeros trimmed: 0.012345 → "$0.0123".
  return `${sign}$${Number(abs.toPrecision(3)).toString()}`;
}

/** Integer with thousands separators: 12345 → "12,345". */
export function formatCount(n: number): string {
  return groupThousands(Math.round(n));
}

function groupThousands(n: number): string {
  const sign = n < 0 ? "-" : "";
  const digits = String(Math.abs(Math.trunc(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
