/**
 * Types of the gate domain: what a gate measures, what one evaluation yields, and the numbers
 * the evaluator hands in. Proportions are fractions in [0, 1] (0.989 = 98.9%), latencies are
 * milliseconds, costs are US dollars per request, tokens are per request.
 */

/** What a gate can look at. */
export const GATE_METRICS = [
  "success_rate",
  "error_rate",
  "latency_p50",
  "latency_p95",
  "latency_p99",
  "cost_per_request",
  "tokens",
  "thumbs_up_rate",
  "quality_score",
  "retry_rate",
  "srm",
  "slo_budget",
  "promql",
] as const;
export type GateMetric = (typeof GATE_METRICS)[number];

/** Metrics measured per arm from the rollout's own outcome events. */
export const ARM_METRICS = [
  "success_rate",
  "error_rate",
  "latency_p50",
  "latency_p95",
  "latency_p99",
  "cost_per_request",
  "tokens",
  "thumbs_up_rate",
  "quality_score",
  "retry_rate",
] as const satisfies readonly GateMetric[];
export type ArmMetric = (typeof ARM_METRICS)[number];

export const GATE_VERDICTS = ["pass", "fail", "inconclusive"] as const;
export type GateVerdict = (typeof GATE_VERDICTS)[number];

/** Which way is better. */
export type Direction = "higher_is_better" | "lower_is_better";

/** One arm's estimate of a metric over the gate's window. */
export interface ArmObservation {
  /** Samples behind the estimate (requests, or rated requests for feedback/quality). */
  n: number;
  /** null when there is no data. */
  estimate: number | null;
  /** Confidence interval of the estimate, when known. */
  low?: number | null;
  high?: number | null;
}

/**
 * The numbers one gate reads, taken from the rollout's analysis (or Prometheus, or the SLO
 * evaluator) by the server. Arm metrics fill both arms and the difference; `srm` fills `pValue`
 * with the sample-ratio-mismatch test's p-value; `slo_budget` and `promql` fill `treatment`
 * with the single value (n = 1 when present).
 */
export interface MetricObservation {
  control: ArmObservation;
  treatment: ArmObservation;
  /** treatment − control with its interval (prefer the always-valid sequential one). */
  difference?: { estimate: number; low: number; high: number } | null;
  /** Two-sided p-value of the difference: the sequential one when the analysis has it. */
  pValue?: number | null;
}

/** One evaluation of one gate. */
export interface GateEvaluation {
  gateName: string;
  metric: GateMetric;
  kind: "comparison" | "threshold";
  critical: boolean;
  verdict: GateVerdict;
  /** The treatment's value (or the single value of srm/slo/promql gates). */
  value: number | null;
  controlValue: number | null;
  /** Interval around `value` for thresholds, around the difference for comparisons. */
  ciLow: number | null;
  ciHigh: number | null;
  pValue: number | null;
  /** The bound the value was held to, in the metric's unit (null when not applicable). */
  limit: number | null;
  samples: { control: number; treatment: number };
  /** Why an inconclusive gate is inconclusive, in a code a UI can switch on. */
  inconclusiveReason?: "insufficient_samples" | "no_data" | "not_significant_yet" | "source_unavailable";
  /** The numbers in words: "treatment success rate 91.8% vs 98.9%, p < 0.001". */
  sentence: string;
}
