/**
 * Shadow rollouts compare the two models on the SAME requests (pairs of events sharing a
 * pairId), which removes between-request noise. Per metric:
 *   success / error rate, retry rate → McNemar's test on the discordant pairs;
 *   latency, cost, tokens, quality   → Wilcoxon signed-rank on the paired values.
 * The always-valid p-value comes from the sequential test on the mean paired difference
 * (a one-sample problem: d̄ with standard error sd(d)/√n, n = pairs).
 */
import { mcnemarTest, sequentialTest, studentTQuantile, summaryFromSums, wilcoxonSignedRank } from "../stats";
import type { MetricDefinition } from "./catalog";
import { finiteInterval, type MetricComparison } from "./compare";

/** Paired quantities with a continuous value on both sides. */
export const PAIRED_VALUES = ["latency", "cost", "tokens", "input_tokens", "output_tokens", "quality"] as const;
export type PairedValue = (typeof PAIRED_VALUES)[number];

/** Sums of the paired differences d = treatment − control over pairs with both values. */
export interface DifferenceSums {
  n: number;
  sum: number;
  sumOfSquares: number;
}

export interface PairedSummary {
  /** Pairs with both a control and a treatment event. */
  pairs: number;
  onlyControlFailed: number;
  onlyTreatmentFailed: number;
  onlyControlRetried: number;
  onlyTreatmentRetried: number;
  differences: Record<PairedValue, DifferenceSums>;
  /** The most recent pairs' values (capped) for the signed-rank tests: a = control, b = treatment. */
  samples: Record<PairedValue, { a: number[]; b: number[] }>;
}

/** The paired value behind a metric, or null when the metric is not paired (thumbs-up). */
export function pairedValueOf(metric: string): PairedValue | "success" | "error" | "retry" | null {
  switch (metric) {
    case "success_rate":
      return "success";
    case "error_rate":
      return "error";
    case "retry_rate":
      return "retry";
    case "latency_p50":
    case "latency_p95":
    case "latency_p99":
      return "latency";
    case "cost_per_request":
      return "cost";
    case "tokens":
    case "input_tokens":
    case "output_tokens":
      return metric;
    case "quality_score":
      return "quality";
    default:
      return null;
  }
}

function sequentialOnDifferences(d: DifferenceSums, tuning: number, confidence: number) {
  if (d.n < 2) return null;
  const { mean, variance } = summaryFromSums(d);
  const se = Math.sqrt(variance / d.n);
  if (se === 0) return { mean, se, pValue: mean === 0 ? 1 : 0, interval: { low: mean, high: mean } };
  const seq = sequentialTest({ diff: mean, standardError: se, n: d.n, tuning, confidence });
  return { mean, se, pValue: seq.pValue, interval: finiteInterval(seq.ciLow, seq.ciHigh) };
}

export interface PairedComparison extends MetricComparison {
  /** The mean paired difference the tests are about (treatment − control). */
  testedDiff: number | null;
}

/**
 * Replaces the unpaired tests of `base` with the paired ones. Proportions and means also take
 * their difference and interval from the pairs (d̄ ± t·sd/√n); latency rows keep the percentile
 * difference between the arms and get their p-values from the pairs.
 */
export function pairedComparison(def: MetricDefinition, base: MetricComparison, paired: PairedSummary, o: { tuning: number; confidence: number }): PairedComparison | null {
  const value = pairedValueOf(def.metric);
  if (value == null) return null;
  let sums: DifferenceSums;
  let fixedP: number | null;
  let test: MetricComparison["test"];
  if (value === "success" || value === "error" || value === "retry") {
    const [onlyA, onlyB] = value === "retry" ? [paired.onlyControlRetried, paired.onlyTreatmentRetried] : [paired.onlyControlFailed, paired.onlyTreatmentFailed];
    // Per pair, d ∈ {−1, 0, 1}: success gains when only control failed; errors/retries gain when only treatment did.
    const sign = value === "success" ? 1 : -1;
    sums = { n: paired.pairs, sum: sign * (onlyA - onlyB), sumOfSquares: onlyA + onlyB };
    fixedP = paired.pairs > 0 ? mcnemarTest({ onlyAFailed: onlyA, onlyBFailed: onlyB }).pValue : null;
    test = "mcnemar";
  } else {
    sums = paired.differences[value];
    const s = paired.samples[value];
    fixedP = s.a.length > 0 ? wilcoxonSignedRank(s.a, s.b).pValue : null;
    test = "wilcoxon_signed_rank";
  }
  const seq = sequentialOnDifferences(sums, o.tuning, o.confidence);
  const result: PairedComparison = {
    ...base,
    test,
    pValue: fixedP,
    pValueSequential: seq?.pValue ?? null,
    testedDiff: seq?.mean ?? null,
  };
  if (def.kind === "percentile") return { ...result, sequentialInterval: null };
  if (seq && sums.n >= 2) {
    const half = studentTQuantile((1 + o.confidence) / 2, sums.n - 1) * seq.se;
    result.difference = { estimate: seq.mean, low: seq.mean - half, high: seq.mean + half };
    result.sequentialInterval = seq.interval;
  } else {
    result.difference = null;
    result.sequentialInterval = null;
  }
  return result;
}
