/**
 * Verdict rules and their plain-words sentences. The single source of these thresholds:
 *
 * - `better` / `worse`: both arms have at least `minSamples` observations (default 100, the gate
 *   default) and the p-value the analysis relies on is below alpha (0.05); the direction comes
 *   from the sign of the tested difference and whether higher or lower is better.
 * - `no_difference`: not significant, and both arms have at least `requiredSamples` (the larger
 *   of minSamples and the stage's minimum samples per arm). Only then does "no difference" mean
 *   something: a non-significant result on little data is not a pass.
 * - `insufficient_data`: everything else — no data in an arm, too few samples, an interval that
 *   cannot be bounded (e.g. p99 from fewer than ~300 values), or a metric the strategy does not
 *   measure (thumbs-up in a shadow rollout).
 */
import { sampleSizeTwoProportions } from "../stats";
import type { Verdict } from "./analysis-result";
import { formatCount } from "../gates/metrics";
import { formatPValue, formatValue, type MetricDefinition } from "./catalog";
import type { MetricComparison } from "./compare";

export interface VerdictInput {
  def: MetricDefinition;
  comparison: MetricComparison;
  /** The p-value the decision uses (sequential or fixed, Holm-adjusted for gate metrics). */
  pValue: number | null;
  /** Sign of the difference that p-value tests: > 0 means the treatment's value is higher. */
  testedDiff: number | null;
  alpha: number;
  minSamples: number;
  requiredSamples: number;
  /** Set when the metric is not measured for this strategy: the reason, in words. */
  notMeasured?: string;
  /** pValue is Holm-adjusted across the gate metrics: the sentence says so. */
  holmAdjusted?: boolean;
}

export function decideVerdict(v: VerdictInput): Verdict {
  if (v.notMeasured) return "insufficient_data";
  const { control, treatment } = v.comparison;
  if (control.estimate == null || treatment.estimate == null || v.pValue == null) return "insufficient_data";
  const n = Math.min(control.n, treatment.n);
  if (n < v.minSamples) return "insufficient_data";
  if (v.pValue < v.alpha && v.testedDiff != null && v.testedDiff !== 0) {
    const higher = v.testedDiff > 0;
    return higher === (v.def.direction === "higher_is_better") ? "better" : "worse";
  }
  return n >= v.requiredSamples ? "no_difference" : "insufficient_data";
}

/** Samples per arm still missing before the metric can conclude "no difference"; 0 when reached. */
export function samplesStillNeeded(v: Pick<VerdictInput, "comparison" | "requiredSamples">): number {
  return Math.max(0, v.requiredSamples - Math.min(v.comparison.control.n, v.comparison.treatment.n));
}

/**
 * Proportions only: more samples per arm needed to detect the observed difference with 80%
 * power at `alpha` (sampleSizeTwoProportions); null for other kinds, no difference, or once
 * enough are there.
 */
export function samplesToDetect(def: MetricDefinition, c: MetricComparison, alpha: number): number | null {
  if (def.kind !== "proportion" || c.control.estimate == null || c.difference == null || c.difference.estimate === 0) return null;
  try {
    const n = sampleSizeTwoProportions({ baseline: c.control.estimate, mde: c.difference.estimate, alpha, power: 0.8 });
    return Math.max(0, n - Math.min(c.control.n, c.treatment.n));
  } catch {
    return null;
  }
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const VERDICT_WORDS: Record<Verdict, string> = {
  better: "better",
  worse: "worse",
  no_difference: "no detectable difference",
  insufficient_data: "not enough data yet",
};

/**
 * "Treatment success rate 91.8% vs 98.9% control: worse (p < 0.001)";
 * "… : no detectable difference (p = 0.412)"; "… : not enough data yet (120 of 1,000 per arm)".
 */
export function verdictSentence(v: VerdictInput, verdict: Verdict): string {
  const { def, comparison } = v;
  if (v.notMeasured) return `${capitalize(def.label)} is not measured here: ${v.notMeasured}.`;
  const { control, treatment } = comparison;
  if (control.estimate == null || treatment.estimate == null) {
    return `No ${def.label} data yet (control ${formatCount(control.n)}, treatment ${formatCount(treatment.n)} samples).`;
  }
  const head = `Treatment ${def.label} ${formatValue(def.metric, treatment.estimate)} vs ${formatValue(def.metric, control.estimate)} control`;
  const p = v.holmAdjusted && v.pValue != null ? `Holm-adjusted ${formatPValue(v.pValue)}` : formatPValue(v.pValue);
  if (verdict !== "insufficient_data") return `${head}: ${VERDICT_WORDS[verdict]}${p ? ` (${p})` : ""}`;
  const n = Math.min(control.n, treatment.n);
  const target = n < v.minSamples ? v.minSamples : v.requiredSamples;
  const why = v.pValue == null ? "too few values to bound it" : `${formatCount(n)} of ${formatCount(target)} samples per arm${p ? `, ${p}` : ""}`;
  return `${head}: ${VERDICT_WORDS[verdict]} (${why})`;
}
