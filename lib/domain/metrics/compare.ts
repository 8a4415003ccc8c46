/**
 * Per-metric comparison of two arms from their summed rollup counters (unpaired): estimates with
 * intervals, the difference with its fixed-horizon and always-valid intervals, and p-values.
 * Every number comes from lib/domain/stats; this file only picks the test per metric kind:
 *   proportions → two-proportion z-test, Wilson intervals, sequentialTwoProportion;
 *   means       → Welch's t-test, t intervals, sequentialMeans;
 *   percentiles → order-statistic intervals per arm (percentileWithInterval), the difference
 *                 tested against the standard error implied by those intervals, plus
 *                 Mann–Whitney U over the two histograms as the distribution-shift test.
 */
import {
  mannWhitneyUHistograms,
  normalQuantile,
  normalTwoSidedP,
  percentileWithInterval,
  sequentialMeans,
  sequentialTest,
  sequentialTwoProportion,
  studentTQuantile,
  summaryFromSums,
  twoProportionTest,
  welchTTest,
  wilsonInterval,
} from "../stats";
import type { ArmEstimate, StatisticalTest } from "./analysis-result";
import type { MetricDefinition } from "./catalog";
import type { RollupCounters } from "./types";

export interface ComparisonOptions {
  /** Two-sided confidence of every interval; 0.95. */
  confidence: number;
  /** N* of the always-valid test: the expected total sample size (both arms). */
  tuning: number;
}

/** Statistics of one metric, before verdicts and multiple-testing correction. */
export interface MetricComparison {
  control: ArmEstimate;
  treatment: ArmEstimate;
  difference: { estimate: number; low: number; high: number } | null;
  sequentialInterval: { low: number; high: number } | null;
  relativeLift: number | null;
  test: StatisticalTest;
  pValue: number | null;
  pValueSequential: number | null;
  rankTest: { name: "mann_whitney_u"; z: number; pValue: number } | null;
}

/** JSON has no Infinity: an unbounded interval is reported as none. */
export function finiteInterval(low: number, high: number): { low: number; high: number } | null {
  return Number.isFinite(low) && Number.isFinite(high) ? { low, high } : null;
}

function lift(diff: number, base: number | null): number | null {
  return base == null || base === 0 ? null : diff / base;
}

/** successes and trials of a proportion metric. */
export function proportionCounts(metric: string, c: RollupCounters): { successes: number; trials: number } {
  switch (metric) {
    case "success_rate":
      return { successes: c.successes, trials: c.count };
    case "error_rate":
      return { successes: c.errors, trials: c.count };
    case "retry_rate":
      return { successes: c.retries, trials: c.count };
    case "thumbs_up_rate":
      return { successes: c.feedbackUp, trials: c.feedbackUp + c.feedbackDown };
    default:
      throw new Error(`${metric} is not a proportion metric`);
  }
}

/** n, Σx, Σx² of a mean metric. */
export function meanSums(metric: string, c: RollupCounters): { n: number; sum: number; sumOfSquares: number } {
  switch (metric) {
    case "cost_per_request":
      return { n: c.costCount, sum: c.costSum, sumOfSquares: c.costSumSq };
    case "tokens":
      return { n: c.tokensCount, sum: c.inputTokensSum + c.outputTokensSum, sumOfSquares: c.tokensSumSq };
    case "input_tokens":
      return { n: c.inputTokensCount, sum: c.inputTokensSum, sumOfSquares: c.inputTokensSumSq };
    case "output_tokens":
      return { n: c.outputTokensCount, sum: c.outputTokensSum, sumOfSquares: c.outputTokensSumSq };
    case "quality_score":
      return { n: c.qualityCount, sum: c.qualitySum, sumOfSquares: c.qualitySumSq };
    default:
      throw new Error(`${metric} is not a mean metric`);
  }
}

function compareProportion(def: MetricDefinition, control: RollupCounters, treatment: RollupCounters, o: ComparisonOptions): MetricComparison {
  const a = proportionCounts(def.metric, control);
  const b = proportionCounts(def.metric, treatment);
  const arm = (x: { successes: number; trials: number }): ArmEstimate => {
    if (x.trials === 0) return { n: 0, estimate: null, low: null, high: null };
    const w = wilsonInterval(x.successes, x.trials, o.confidence);
    return { n: x.trials, estimate: x.successes / x.trials, low: w.low, high: w.high };
  };
  const result: MetricComparison = {
    control: arm(a),
    treatment: arm(b),
    difference: null,
    sequentialInterval: null,
    relativeLift: null,
    test: "two_proportion_z",
    pValue: null,
    pValueSequential: null,
    rankTest: null,
  };
  if (a.trials === 0 || b.trials === 0) return result;
  const input = { successesA: a.successes, totalA: a.trials, successesB: b.successes, totalB: b.trials };
  const fixed = twoProportionTest({ ...input, confidence: o.confidence });
  const seq = sequentialTwoProportion({ ...input, confidence: o.confidence, tuning: o.tuning });
  result.difference = { estimate: fixed.diff, low: fixed.ciLow, high: fixed.ciHigh };
  result.sequentialInterval = { low: seq.ciLow, high: seq.ciHigh };
  result.relativeLift = fixed.relativeLift;
  result.pValue = fixed.pValue;
  result.pValueSequential = seq.pValue;
  return result;
}

/** Estimate and t interval of one arm's mean. */
function meanEstimate(s: { n: number; sum: number; sumOfSquares: number }, confidence: number): ArmEstimate {
  if (s.n === 0) return { n: 0, estimate: null, low: null, high: null };
  const { mean, variance } = summaryFromSums(s);
  if (s.n < 2) return { n: s.n, estimate: mean, low: null, high: null };
  const half = studentTQuantile((1 + confidence) / 2, s.n - 1) * Math.sqrt(variance / s.n);
  return { n: s.n, estimate: mean, low: mean - half, high: mean + half };
}

function compareMean(def: MetricDefinition, control: RollupCounters, treatment: RollupCounters, o: ComparisonOptions): MetricComparison {
  const a = meanSums(def.metric, control);
  const b = meanSums(def.metric, treatment);
  const result: MetricComparison = {
    control: meanEstimate(a, o.confidence),
    treatment: meanEstimate(b, o.confidence),
    difference: null,
    sequentialInterval: null,
    relativeLift: null,
    test: "welch_t",
    pValue: null,
    pValueSequential: null,
    rankTest: null,
  };
  if (a.n === 0 || b.n === 0) return result;
  const sa = summaryFromSums(a);
  const sb = summaryFromSums(b);
  const input = { meanA: sa.mean, varianceA: sa.variance, nA: sa.n, meanB: sb.mean, varianceB: sb.variance, nB: sb.n };
  const fixed = welchTTest({ ...input, confidence: o.confidence });
  const seq = sequentialMeans({ ...input, confidence: o.confidence, tuning: o.tuning });
  result.relativeLift = lift(fixed.diff, sa.mean);
  if (a.n < 2 || b.n < 2) return result;
  result.difference = { estimate: fixed.diff, low: fixed.ciLow, high: fixed.ciHigh };
  result.sequentialInterval = finiteInterval(seq.ciLow, seq.ciHigh);
  if (Number.isFinite(fixed.ciLow) && Number.isFinite(fixed.ciHigh)) result.pValue = fixed.pValue;
  else {
    // No variance in either arm (e.g. identical costs): identical means say nothing; different ones are exact.
    result.difference = { estimate: fixed.diff, low: fixed.diff, high: fixed.diff };
    result.sequentialInterval = { low: fixed.diff, high: fixed.diff };
    result.pValue = fixed.diff === 0 ? 1 : 0;
  }
  result.pValueSequential = Number.isFinite(seq.ciLow) ? seq.pValue : result.pValue;
  return result;
}

/**
 * Percentiles: each arm's order-statistic interval gives a standard error
 * SE ≈ (high − low) / (2·z), the difference's SE is √(SE_c² + SE_t²), and the difference is
 * tested against it (normal approximation, and the always-valid sequential test). An unbounded
 * interval (too few values for that quantile) leaves the comparison without p-values.
 */
function comparePercentile(control: RollupCounters, treatment: RollupCounters, q: number, o: ComparisonOptions): MetricComparison {
  const pc = percentileWithInterval(control.latencyHistogram, q, o.confidence);
  const pt = percentileWithInterval(treatment.latencyHistogram, q, o.confidence);
  const est = (p: typeof pc): ArmEstimate => ({ n: p.n, estimate: p.estimate, low: p.n > 0 ? p.low : null, high: p.high });
  const result: MetricComparison = {
    control: est(pc),
    treatment: est(pt),
    difference: null,
    sequentialInterval: null,
    relativeLift: null,
    test: "percentile_interval",
    pValue: null,
    pValueSequential: null,
    rankTest: null,
  };
  if (pc.n === 0 || pt.n === 0 || pc.estimate == null || pt.estimate == null) return result;
  const mw = mannWhitneyUHistograms(control.latencyHistogram, treatment.latencyHistogram);
  result.rankTest = { name: "mann_whitney_u", z: mw.z, pValue: mw.pValue };
  const diff = pt.estimate - pc.estimate;
  result.relativeLift = lift(diff, pc.estimate);
  if (pc.high == null || pt.high == null || pc.low == null || pt.low == null) {
    result.difference = null;
    return result;
  }
  const z = normalQuantile((1 + o.confidence) / 2);
  const se = Math.sqrt(((pc.high - pc.low) / (2 * z)) ** 2 + ((pt.high - pt.low) / (2 * z)) ** 2);
  if (se === 0) {
    result.difference = { estimate: diff, low: diff, high: diff };
    result.sequentialInterval = { low: diff, high: diff };
    result.pValue = result.pValueSequential = diff === 0 ? 1 : 0;
    return result;
  }
  result.difference = { estimate: diff, low: diff - z * se, high: diff + z * se };
  const seq = sequentialTest({ diff, standardError: se, n: pc.n + pt.n, tuning: o.tuning, confidence: o.confidence });
  result.sequentialInterval = finiteInterval(seq.ciLow, seq.ciHigh);
  result.pValue = normalTwoSidedP(diff / se);
  result.pValueSequential = seq.pValue;
  return result;
}

export function compareMetric(def: MetricDefinition, control: RollupCounters, treatment: RollupCounters, o: ComparisonOptions): MetricComparison {
  switch (def.kind) {
    case "proportion":
      return compareProportion(def, control, treatment, o);
    case "mean":
      return compareMean(def, control, treatment, o);
    case "percentile":
      return comparePercentile(control, treatment, def.quantile ?? 0.5, o);
  }
}
