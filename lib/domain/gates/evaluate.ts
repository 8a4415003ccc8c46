/**
 * Evaluates one gate against the numbers of its window. Rules (see spec.ts for the fields):
 * - Missing data or fewer than `minSamples` in either arm → inconclusive, never pass.
 *   (`slo_budget` and `promql` gates read one value and skip the sample check.)
 * - threshold: the treatment's point estimate against `bound` with the operator (default ≥ for
 *   higher-is-better metrics, ≤ for lower-is-better; `slo_budget` defaults to > so an exhausted
 *   budget, 0, fails). For an arm metric with a known interval, a point beyond the bound fails
 *   only if the interval's near end is beyond it too; otherwise inconclusive (as for ratios).
 * - comparison/ratio: the treatment's point estimate against (1 ± margin) × control. When the
 *   treatment's interval is known (percentiles from a few hundred requests are noisy), a point
 *   beyond the limit fails only if the whole interval is beyond it; otherwise the gate is
 *   inconclusive ("not clearly beyond yet"), which holds the stage instead of pausing it.
 * - comparison/not_worse and non_inferior: with tolerance = margin × |control|, the treatment is
 *   *significantly worse* when the whole interval of (treatment − control), turned so positive
 *   means worse, lies above the tolerance, and the p-value (when given) is below alpha; with no
 *   interval, when p < alpha and the point difference is worse beyond the tolerance.
 *   not_worse: worse → fail, else pass. non_inferior: worse → fail; the whole interval below the
 *   tolerance → pass; else inconclusive.
 */
import type { ComparisonGate, GateOperator, GateSpec, ThresholdGate } from "./spec";
import { formatCount, formatMetricValue, formatPValue, metricDirection, metricLabel } from "./metrics";
import type { GateEvaluation, GateVerdict, MetricObservation } from "./types";

/**
 * `observation` null means the source had nothing (no analysis, Prometheus down): inconclusive,
 * with `inconclusiveReason` "source_unavailable".
 */
export function evaluateGate(gate: GateSpec, observation: MetricObservation | null): GateEvaluation {
  const base = baseResult(gate, observation);
  if (!observation) {
    return { ...base, verdict: "inconclusive", inconclusiveReason: "source_unavailable", sentence: `${gateSubject(gate)}: no data source answered` };
  }
  return gate.kind === "comparison" ? evaluateComparison(gate, observation, base) : evaluateThreshold(gate, observation, base);
}

type Base = Omit<GateEvaluation, "verdict" | "sentence">;

function baseResult(gate: GateSpec, obs: MetricObservation | null): Base {
  return {
    gateName: gate.name,
    metric: gate.metric,
    kind: gate.kind,
    critical: gate.critical,
    value: null,
    controlValue: null,
    ciLow: null,
    ciHigh: null,
    pValue: obs?.pValue ?? null,
    limit: null,
    samples: { control: obs?.control.n ?? 0, treatment: obs?.treatment.n ?? 0 },
  };
}

function evaluateThreshold(gate: ThresholdGate, obs: MetricObservation, base: Base): GateEvaluation {
  const operator = gate.operator ?? defaultOperator(gate);
  const single = gate.metric === "slo_budget" || gate.metric === "promql";
  const value = gate.metric === "srm" ? (obs.pValue ?? null) : (obs.treatment.estimate ?? null);
  const withValue: Base = {
    ...base,
    value,
    controlValue: gate.metric === "srm" || single ? null : (obs.control.estimate ?? null),
    ciLow: gate.metric === "srm" ? null : (obs.treatment.low ?? null),
    ciHigh: gate.metric === "srm" ? null : (obs.treatment.high ?? null),
    limit: gate.bound,
  };
  if (!single) {
    const short = shortfall(gate, obs, gate.metric === "srm" ? "both" : "treatment");
    if (short) return { ...withValue, verdict: "inconclusive", inconclusiveReason: "insufficient_samples", sentence: short };
  }
  if (value == null || !Number.isFinite(value)) {
    return { ...withValue, verdict: "inconclusive", inconclusiveReason: single ? "source_unavailable" : "no_data", sentence: `${gateSubject(gate)}: no data yet` };
  }
  const verdict: GateVerdict = compare(value, operator, gate.bound) ? "pass" : "fail";
  // An arm metric's point estimate beyond the bound fails only when the near end of its interval
  // is beyond too: gates are re-checked continuously, and 6 errors in the first 100 calls of a
  // service that fails 2% of the time must not roll back a healthy release.
  if (verdict === "fail" && !single && gate.metric !== "srm") {
    const near = operator === "<" || operator === "<=" ? obs.treatment.low : obs.treatment.high;
    if (near != null && Number.isFinite(near) && compare(near, operator, gate.bound)) {
      return {
        ...withValue,
        verdict: "inconclusive",
        inconclusiveReason: "not_significant_yet",
        sentence: `${thresholdSentence(gate, obs, value, operator, "fail")}, but within the noise of its interval (${fmt(gate, obs.treatment.low ?? value)} to ${fmt(gate, obs.treatment.high ?? value)}); not clearly beyond yet`,
      };
    }
  }
  return { ...withValue, verdict, sentence: thresholdSentence(gate, obs, value, operator, verdict) };
}

function evaluateComparison(gate: ComparisonGate, obs: MetricObservation, base: Base): GateEvaluation {
  const c = obs.control.estimate ?? null;
  const t = obs.treatment.estimate ?? null;
  const withValue: Base = {
    ...base,
    value: t,
    controlValue: c,
    ciLow: obs.difference?.low ?? null,
    ciHigh: obs.difference?.high ?? null,
  };
  const short = shortfall(gate, obs, "both");
  if (short) return { ...withValue, verdict: "inconclusive", inconclusiveReason: "insufficient_samples", sentence: short };
  if (c == null || t == null || !Number.isFinite(c) || !Number.isFinite(t)) {
    return { ...withValue, verdict: "inconclusive", inconclusiveReason: "no_data", sentence: `${gateSubject(gate)}: no data yet` };
  }
  const numbers = `treatment ${metricLabel(gate.metric)} ${fmt(gate, t)} vs ${fmt(gate, c)}`;
  const p = formatPValue(obs.pValue);
  const withP = p ? `${numbers}, ${p}` : numbers;

  if (gate.test === "ratio") {
    const lower = metricDirection(gate.metric) === "lower_is_better";
    const limit = lower ? (1 + gate.margin) * c : (1 - gate.margin) * c;
    const ok = lower ? !exceeds(t, limit) : !exceeds(limit, t);
    const factor = lower ? 1 + gate.margin : 1 - gate.margin;
    const rule = `${lower ? "at most" : "at least"} ${trimFactor(factor)} × control (${fmt(gate, limit)})`;
    // The near end of the treatment's interval: only when it too is beyond the limit is the
    // treatment clearly beyond.
    const near = lower ? obs.treatment.low : obs.treatment.high;
    const clearlyBeyond = near == null || !Number.isFinite(near) || (lower ? exceeds(near, limit) : exceeds(limit, near));
    if (!ok && !clearlyBeyond) {
      return {
        ...withValue,
        limit,
        verdict: "inconclusive",
        inconclusiveReason: "not_significant_yet",
        sentence: `${numbers}, beyond ${rule} but within the noise of its interval (${fmt(gate, obs.treatment.low ?? t)} to ${fmt(gate, obs.treatment.high ?? t)}); not clearly beyond yet`,
      };
    }
    return {
      ...withValue,
      limit,
      verdict: ok ? "pass" : "fail",
      sentence: ok ? `${numbers}, within ${rule}` : `${numbers}, beyond ${rule}`,
    };
  }

  const worse = worsening(gate, obs, c, t);
  const tolerance = gate.margin * Math.abs(c);
  const limit = metricDirection(gate.metric) === "lower_is_better" ? c + tolerance : c - tolerance;
  const marginText = gate.margin > 0 ? ` by more than ${trimPercent(gate.margin)}` : "";
  if (worse.significant) {
    return { ...withValue, limit, verdict: "fail", sentence: `${withP}: significantly worse${marginText}` };
  }
  if (gate.test === "not_worse") {
    return { ...withValue, limit, verdict: "pass", sentence: `${withP}: not significantly worse${marginText}` };
  }
  if (worse.ruledOut) {
    return { ...withValue, limit, verdict: "pass", sentence: `${withP}: shown not worse${marginText}` };
  }
  return {
    ...withValue,
    limit,
    verdict: "inconclusive",
    inconclusiveReason: "not_significant_yet",
    sentence: `${withP}: not yet shown to be no worse${marginText}`,
  };
}

/**
 * Whether the treatment is significantly worse beyond the tolerance, and whether the interval
 * rules out any worsening beyond it. Differences are turned so that positive means worse.
 */
function worsening(gate: ComparisonGate, obs: MetricObservation, c: number, t: number): { significant: boolean; ruledOut: boolean } {
  const sign = metricDirection(gate.metric) === "lower_is_better" ? 1 : -1;
  const tolerance = gate.margin * Math.abs(c);
  const p = obs.pValue ?? null;
  const pSaysSignificant = p == null ? true : p < gate.alpha;
  const d = obs.difference;
  if (d && Number.isFinite(d.low) && Number.isFinite(d.high)) {
    const [wLow, wHigh] = [sign * d.low, sign * d.high].sort((a, b) => a - b) as [number, number];
    return { significant: exceeds(wLow, tolerance) && pSaysSignificant, ruledOut: exceeds(tolerance, wHigh) };
  }
  if (p == null) return { significant: false, ruledOut: false };
  return { significant: p < gate.alpha && exceeds(sign * (t - c), tolerance), ruledOut: false };
}

/** "not enough data yet: 120 of 500 samples in treatment, 130 in control", or null when enough. */
function shortfall(gate: GateSpec, obs: MetricObservation, arms: "both" | "treatment"): string | null {
  const t = obs.treatment.n;
  const c = obs.control.n;
  const need = gate.minSamples;
  const short = arms === "both" ? Math.min(t, c) < need : t < need;
  if (!short) return null;
  const unit = gate.metric === "srm" ? "exposures" : "samples";
  const control = arms === "both" ? `, ${count(c)} in control` : "";
  return `${gateSubject(gate)}: not enough data yet (${count(t)} of ${count(need)} ${unit} in treatment${control})`;
}

function thresholdSentence(gate: ThresholdGate, obs: MetricObservation, value: number, operator: GateOperator, verdict: GateVerdict): string {
  const window = gate.windowMinutes ? `, last ${gate.windowMinutes} min` : "";
  const rule = `must be ${OPERATOR_WORDS[operator]} ${fmt(gate, gate.bound)}${window}`;
  if (gate.metric === "srm") {
    const counts = `${count(obs.treatment.n)} treatment vs ${count(obs.control.n)} control exposures`;
    const p = formatPValue(value);
    return verdict === "pass" ? `sample ratio as planned (${counts}, ${p})` : `sample ratio mismatch: ${counts}, ${p}`;
  }
  if (gate.metric === "slo_budget" || gate.metric === "promql") {
    const subject = gate.metric === "promql" ? `PromQL value` : metricLabel(gate.metric);
    return `${subject} ${fmt(gate, value)} (${rule})`;
  }
  const control = obs.control.estimate;
  const vs = control != null && Number.isFinite(control) ? ` vs ${fmt(gate, control)}` : "";
  return `treatment ${metricLabel(gate.metric)} ${fmt(gate, value)}${vs} (${rule})`;
}

const OPERATOR_WORDS: Record<GateOperator, string> = { "<": "<", "<=": "≤", ">": ">", ">=": "≥" };

export function defaultOperator(gate: Pick<ThresholdGate, "metric">): GateOperator {
  if (gate.metric === "slo_budget") return ">";
  return metricDirection(gate.metric) === "higher_is_better" ? ">=" : "<=";
}

/** The operator applied with `exceeds`, so a value equal to the bound up to float noise counts as equal. */
function compare(value: number, operator: GateOperator, bound: number): boolean {
  switch (operator) {
    case "<":
      return exceeds(bound, value);
    case "<=":
      return !exceeds(value, bound);
    case ">":
      return exceeds(value, bound);
    case ">=":
      return !exceeds(bound, value);
  }
}

/**
 * a > b beyond floating-point noise (relative 1e-9): limits such as 1.2 × 1900 or 5% of 0.8 are
 * computed, and a value exactly at its limit must not flip on the last bit.
 */
function exceeds(a: number, b: number): boolean {
  return a - b > 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function gateSubject(gate: GateSpec): string {
  return gate.metric === "promql" ? `gate '${gate.name}'` : metricLabel(gate.metric);
}

function fmt(gate: GateSpec, value: number): string {
  return formatMetricValue(gate.metric, value);
}

function count(n: number): string {
  return formatCount(n);
}

function trimFactor(x: number): string {
  return String(Number(x.toFixed(3)));
}

function trimPercent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}
