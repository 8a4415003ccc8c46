/**
 * From the rollout analysis (lib/schemas/analysis.ts, computed by the metrics service) to the
 * numbers each gate reads (MetricObservation). Comparison gates use the always-valid
 * (sequential) interval while the analysis monitors continuously, and the p-value its verdict
 * uses (Holm-adjusted across the stage's comparison gates when it is one of them).
 */
import "server-only";
import type { GateSpec, MetricObservation } from "../../domain/gates";
import type { AnalysisResponse, MetricAnalysis } from "../../schemas/analysis";

/** The analysis windows a stage's gates need: "stage" (since it started) and/or N-minute windows. */
export type AnalysisWindow = "stage" | number;

export function windowOf(gate: GateSpec): AnalysisWindow {
  return gate.windowMinutes ?? "stage";
}

/** The observation of an arm-metric or SRM gate; null when the analysis has nothing for it. */
export function observationFromAnalysis(gate: GateSpec, analysis: AnalysisResponse | null): MetricObservation | null {
  if (!analysis) return null;
  if (gate.metric === "srm") {
    const srm = analysis.srm;
    if (!srm) return null;
    return {
      control: { n: srm.observed.control, estimate: null },
      treatment: { n: srm.observed.treatment, estimate: null },
      pValue: srm.pValue,
    };
  }
  const row = analysis.metrics.find((m) => m.metric === gate.metric);
  return row ? observationFromMetric(row, analysis.verdictBasis) : null;
}

export function observationFromMetric(row: MetricAnalysis, basis: AnalysisResponse["verdictBasis"]): MetricObservation {
  const seq = basis === "sequential" ? row.sequentialInterval : null;
  const difference = row.difference ? (seq ? { estimate: row.difference.estimate, low: seq.low, high: seq.high } : row.difference) : null;
  return {
    control: { n: row.control.n, estimate: row.control.estimate, low: row.control.low, high: row.control.high },
    treatment: { n: row.treatment.n, estimate: row.treatment.estimate, low: row.treatment.low, high: row.treatment.high },
    difference,
    pValue: row.pValueAdjusted ?? row.pValueUsed ?? (basis === "sequential" ? row.pValueSequential : row.pValue) ?? null,
  };
}

/** A single value (SLO budget, PromQL result) as an observation; null value → null. */
export function singleValueObservation(value: number | null): MetricObservation | null {
  if (value == null || !Number.isFinite(value)) return null;
  return { control: { n: 0, estimate: null }, treatment: { n: 1, estimate: value } };
}
