/**
 * One basis per verdict row: the interval, the p-value and the relative lift a row shows all
 * come from the same inference, so they cannot contradict each other.
 *
 * - `sequential` (always-valid confidence sequence) while a rollout is monitored: anyone, the
 *   dashboard and the gate evaluator included, may look at any time without inflating errors.
 * - `fixed_horizon` once an A/B test has reached its planned sample per arm: the classic
 *   interval and p-value are valid at that single, planned look, and are tighter.
 *
 * Unadjusted, p < α exactly when the row's interval excludes 0 (sequential: by construction;
 * fixed horizon: up to the pooled vs unpooled standard error of the z-test). Gate metrics are
 * then Holm-adjusted as a family; the row shows that adjusted p-value as such, beside the
 * interval's own.
 */
import { normalQuantile } from "../stats";
import { relativeLiftInterval } from "../stats/relative-lift";
import type { MetricComparison } from "./compare";

export type Basis = "sequential" | "fixed_horizon";

/** Always-valid until an A/B test reaches its planned sample per arm (both arms), then fixed-horizon. */
export function chooseBasis(input: { strategy: "shadow" | "canary" | "ab_test" | "blue_green"; samples: { control: number; treatment: number }; plannedPerArm: number }): Basis {
  const reached = Math.min(input.samples.control, input.samples.treatment) >= input.plannedPerArm;
  return input.strategy === "ab_test" && input.plannedPerArm > 0 && reached ? "fixed_horizon" : "sequential";
}

export interface BasisView {
  basis: Basis;
  /** Treatment − control interval on this basis. */
  interval: { low: number; high: number } | null;
  /** Unadjusted p-value on this basis. */
  pValue: number | null;
  /** (treatment − control) / control with its interval on this basis (delta method). */
  relativeLift: { estimate: number; low: number; high: number } | null;
}

/**
 * The row's numbers on `basis`. The lift interval takes each arm's standard error from its 95%
 * interval and the difference's from the fixed-horizon interval (SE = width / 2z), and widens it
 * by the same factor as the basis widens the difference interval. Paired (shadow) rows take the
 * pairs' standard error of the difference and treat the control mean as known.
 */
export function basisView(c: MetricComparison, basis: Basis, confidence: number, paired = false): BasisView {
  const interval = basis === "sequential" ? c.sequentialInterval : c.difference ? { low: c.difference.low, high: c.difference.high } : null;
  const pValue = basis === "sequential" ? c.pValueSequential : c.pValue;
  return { basis, interval, pValue, relativeLift: liftOnBasis(c, interval, confidence, paired) };
}

function liftOnBasis(c: MetricComparison, interval: { low: number; high: number } | null, confidence: number, paired: boolean): BasisView["relativeLift"] {
  const mc = c.control.estimate;
  const mt = c.treatment.estimate;
  if (mc == null || mt == null || mc === 0 || !c.difference || !interval) return null;
  const z = normalQuantile((1 + confidence) / 2);
  const seDiff = (c.difference.high - c.difference.low) / (2 * z);
  const d = c.difference.estimate;
  const half = Math.max(d - interval.low, interval.high - d);
  if (!Number.isFinite(seDiff) || !Number.isFinite(half)) return null;
  if (seDiff === 0) return { estimate: mt / mc - 1, low: mt / mc - 1, high: mt / mc - 1 };
  const multiplier = half / seDiff;
  if (paired) {
    const estimate = mt / mc - 1;
    const w = (multiplier * seDiff) / Math.abs(mc);
    return { estimate, low: estimate - w, high: estimate + w };
  }
  if (c.control.low == null || c.control.high == null) return null;
  const seControl = Math.max(0, (c.control.high - c.control.low) / (2 * z));
  const seTreatment = Math.sqrt(Math.max(0, seDiff * seDiff - seControl * seControl));
  return relativeLiftInterval({
    controlMean: mc,
    controlStandardError: seControl,
    treatmentMean: mt,
    treatmentStandardError: seTreatment,
    multiplier,
  });
}
