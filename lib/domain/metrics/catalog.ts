/**
 * The metrics the rollout analysis compares: what each is called, how it is measured, which way
 * is better, and how its values read. Labels and number formats follow the gate metrics
 * (lib/domain/gates/metrics.ts) so the gate table and the analysis say the same thing.
 */
import { formatMetricValue, formatPValue } from "../gates/metrics";
import type { GateMetric } from "../gates/types";
import type { AnalysisMetric } from "./analysis-result";

export type MetricKind = "proportion" | "mean" | "percentile";
export type MetricUnit = "fraction" | "ms" | "usd" | "count" | "score";
export type Direction = "higher_is_better" | "lower_is_better";

export interface MetricDefinition {
  metric: AnalysisMetric;
  label: string;
  kind: MetricKind;
  direction: Direction;
  unit: MetricUnit;
  /** The gate metric whose formatting this metric shares. */
  formatAs: GateMetric;
  /** Percentile metrics: the quantile (0.5, 0.95, 0.99). */
  quantile?: number;
  /** Not measured in shadow rollouts (users never see the treatment). */
  userFacing?: boolean;
}

export const METRIC_DEFINITIONS: readonly MetricDefinition[] = [
  { metric: "success_rate", label: "success rate", kind: "proportion", direction: "higher_is_better", unit: "fraction", formatAs: "success_rate" },
  { metric: "error_rate", label: "error rate", kind: "proportion", direction: "lower_is_better", unit: "fraction", formatAs: "error_rate" },
  { metric: "latency_p50", label: "p50 latency", kind: "percentile", direction: "lower_is_better", unit: "ms", formatAs: "latency_p50", quantile: 0.5 },
  { metric: "latency_p95", label: "p95 latency", kind: "percentile", direction: "lower_is_better", unit: "ms", formatAs: "latency_p95", quantile: 0.95 },
  { metric: "latency_p99", label: "p99 latency", kind: "percentile", direction: "lower_is_better", unit: "ms", formatAs: "latency_p99", quantile: 0.99 },
  { metric: "cost_per_request", label: "cost per request", kind: "mean", direction: "lower_is_better", unit: "usd", formatAs: "cost_per_request" },
  { metric: "tokens", label: "tokens per request", kind: "mean", direction: "lower_is_better", unit: "count", formatAs: "tokens" },
  { metric: "input_tokens", label: "input tokens", kind: "mean", direction: "lower_is_better", unit: "count", formatAs: "tokens" },
  { metric: "output_tokens", label: "output tokens", kind: "mean", direction: "lower_is_better", unit: "count", formatAs: "tokens" },
  { metric: "thumbs_up_rate", label: "thumbs-up rate", kind: "proportion", direction: "higher_is_better", unit: "fraction", formatAs: "thumbs_up_rate", userFacing: true },
  { metric: "quality_score", label: "quality score", kind: "mean", direction: "higher_is_better", unit: "score", formatAs: "quality_score" },
  { metric: "retry_rate", label: "retry rate", kind: "proportion", direction: "lower_is_better", unit: "fraction", formatAs: "retry_rate" },
];

export function metricDefinition(metric: AnalysisMetric): MetricDefinition {
  const d = METRIC_DEFINITIONS.find((m) => m.metric === metric);
  if (!d) throw new Error(`unknown analysis metric ${metric}`);
  return d;
}

/** A value in the metric's unit: "98.9%", "1,240 ms", "$0.0123", "812", "0.84"; null → "n/a". */
export function formatValue(metric: AnalysisMetric, value: number | null | undefined): string {
  return formatMetricValue(metricDefinition(metric).formatAs, value);
}

/** A difference with its sign: "+1.2 pts" for rates, "+35 ms", "-$0.0011", "+12". */
export function formatDifference(metric: AnalysisMetric, diff: number | null | undefined): string {
  if (diff == null || !Number.isFinite(diff)) return "n/a";
  const d = metricDefinition(metric);
  const sign = diff > 0 ? "+" : diff < 0 ? "-" : "±";
  if (d.unit === "fraction") return `${sign}${(Math.abs(diff) * 100).toFixed(Math.abs(diff) < 0.01 ? 2 : 1)} pts`;
  return `${sign}${formatValue(metric, Math.abs(diff))}`;
}

export { formatPValue };
