import { errorBudgetRatio, formatCount, formatTarget } from "./numbers";
import type { MinuteCount, SloDefinition } from "./types";
import { indexMinuteCounts, type CountIndex } from "./window";

export const MINUTES_PER_DAY = 24 * 60;

export interface ErrorBudget {
  /** Requests in the SLO window (now − windowDays, now]. */
  windowTotal: number;
  windowFailures: number;
  /** (1 − target) × windowTotal; fractional on purpose (0.999 of 1,500 allows 1.5). */
  allowedFailures: number;
  /** allowed − failures; negative once overspent. */
  remainingFailures: number;
  /** remaining / allowed: 1 = untouched, 0 = exhausted, negative = overspent. */
  remainingFraction: number;
  exhausted: boolean;
}

/**
 * The SLO's error budget over its rolling window (now − windowDays, now].
 *
 * - exhausted iff remainingFraction ≤ 0, i.e. failures ≥ allowed: spending the budget exactly
 *   counts as exhausted.
 * - zero traffic in the window: nothing allowed and nothing spent, so the budget is untouched
 *   (remainingFraction 1, not exhausted).
 * Throws `invalid_input` for a target outside (0, 1) or an invalid series (see window.ts).
 */
export function errorBudget(slo: Pick<SloDefinition, "successRateTarget" | "windowDays">, series: readonly MinuteCount[] | CountIndex, now: Date): ErrorBudget {
  const ratio = errorBudgetRatio(slo.successRateTarget);
  const index = "window" in series ? series : indexMinuteCounts(series);
  const { total, failures } = index.window(now, slo.windowDays * MINUTES_PER_DAY);
  const allowed = ratio * total;
  const remaining = allowed - failures;
  const remainingFraction = total === 0 ? 1 : remaining / allowed;
  return {
    windowTotal: total,
    windowFailures: failures,
    allowedFailures: allowed,
    remainingFailures: remaining,
    remainingFraction,
    exhausted: remainingFraction <= 0,
  };
}

/**
 * "1,240 failures vs 1,000 allowed over 28 days (99.9% target)": the numbers behind a budget,
 * for reasons and audit records.
 */
export function describeBudget(slo: Pick<SloDefinition, "successRateTarget" | "windowDays">, budget: ErrorBudget): string {
  return `${formatCount(budget.windowFailures)} failures vs ${formatCount(budget.allowedFailures)} allowed ` + `over ${slo.windowDays} days (${formatTarget(slo.successRateTarget)} target)`;
}
