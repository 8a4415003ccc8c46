/**
 * Assembles the per-metric rows of a rollout analysis: the comparison of each metric (paired for
 * shadow rollouts), Holm correction across the gate metrics, and each verdict with its sentence.
 */
import { holmAdjust } from "../stats";
import type { AnalysisMetric, MetricAnalysis } from "./analysis-result";
import { basisView, type Basis } from "./basis";
import { METRIC_DEFINITIONS } from "./catalog";
import { compareMetric, type MetricComparison } from "./compare";
import { pairedComparison, type PairedSummary } from "./paired";
import type { RollupCounters } from "./types";
import { decideVerdict, samplesStillNeeded, samplesToDetect, verdictSentence, type VerdictInput } from "./verdict";

/** The Holm family when the stage has no comparison gates: the usual guardrails. */
export const DEFAULT_GATE_METRICS: readonly AnalysisMetric[] = ["success_rate", "latency_p95", "cost_per_request", "quality_score"];

export interface AnalyzeMetricsInput {
  strategy: "shadow" | "canary" | "ab_test" | "blue_green";
  control: RollupCounters;
  treatment: RollupCounters;
  /** Shadow rollouts: the pairs; null/undefined otherwise. */
  paired?: PairedSummary | null;
  /** Metrics corrected together (Holm); the stage's comparison-gate metrics. */
  gateMetrics: readonly AnalysisMetric[];
  /** Which p-value decides: "sequential" (always valid) or "fixed_horizon" (chooseBasis). */
  basis: Basis;
  alpha: number;
  confidence: number;
  tuning: number;
  /** Samples per arm before any verdict (default 100). */
  minSamples: number;
  /** Samples per arm before "no difference" (≥ minSamples; the stage's minimum). */
  requiredSamples: number;
}

interface Row {
  metric: AnalysisMetric;
  comparison: MetricComparison;
  testedDiff: number | null;
  basisP: number | null;
  paired: boolean;
  notMeasured?: string;
}

export function analyzeMetrics(input: AnalyzeMetricsInput): MetricAnalysis[] {
  const options = { confidence: input.confidence, tuning: input.tuning };
  const rows: Row[] = METRIC_DEFINITIONS.map((def) => {
    const base = compareMetric(def, input.control, input.treatment, options);
    if (input.strategy === "shadow" && def.userFacing) {
      return { metric: def.metric, comparison: base, testedDiff: null, basisP: null, paired: false, notMeasured: "users never see the treatment in a shadow rollout" };
    }
    const paired = input.strategy === "shadow" && input.paired ? pairedComparison(def, base, input.paired, options) : null;
    const comparison = paired ?? base;
    const testedDiff = paired ? paired.testedDiff : (comparison.difference?.estimate ?? null);
    const basisP = input.basis === "sequential" ? comparison.pValueSequential : comparison.pValue;
    return { metric: def.metric, comparison, testedDiff, basisP, paired: paired != null };
  });

  const family = rows.filter((r) => input.gateMetrics.includes(r.metric) && r.basisP != null && !r.notMeasured);
  const adjusted = new Map<AnalysisMetric, number>();
  if (family.length > 0) {
    holmAdjust(family.map((r) => r.basisP as number)).forEach((p, i) => adjusted.set(family[i].metric, p));
  }

  return rows.map((row, i) => {
    const def = METRIC_DEFINITIONS[i];
    const gateMetric = input.gateMetrics.includes(row.metric);
    const pValueUsed = adjusted.get(row.metric) ?? row.basisP;
    const v: VerdictInput = {
      def,
      comparison: row.comparison,
      pValue: pValueUsed,
      testedDiff: row.testedDiff,
      alpha: input.alpha,
      minSamples: input.minSamples,
      requiredSamples: Math.max(input.minSamples, input.requiredSamples),
      notMeasured: row.notMeasured,
      holmAdjusted: adjusted.has(row.metric),
    };
    const verdict = decideVerdict(v);
    const c = row.comparison;
    const view = basisView(c, input.basis, input.confidence, row.paired);
    return {
      metric: def.metric,
      label: def.label,
      kind: def.kind,
      direction: def.direction,
      unit: def.unit,
      control: c.control,
      treatment: c.treatment,
      difference: c.difference,
      sequentialInterval: c.sequentialInterval,
      relativeLift: c.relativeLift,
      test: c.test,
      pValue: c.pValue,
      pValueSequential: c.pValueSequential,
      pValueAdjusted: adjusted.get(row.metric) ?? null,
      pValueUsed,
      basis: input.basis,
      basisInterval: row.notMeasured ? null : view.interval,
      basisPValue: row.notMeasured ? null : view.pValue,
      relativeLiftInterval: row.notMeasured ? null : view.relativeLift,
      holmFamilySize: adjusted.has(row.metric) ? family.length : 0,
      rankTest: c.rankTest,
      verdict,
      sentence: verdictSentence(v, verdict),
      gateMetric,
      samplesNeeded: row.notMeasured ? 0 : samplesStillNeeded(v),
      samplesNeededToDetect: verdict === "better" || verdict === "worse" ? null : samplesToDetect(def, c, input.alpha),
    };
  });
}
