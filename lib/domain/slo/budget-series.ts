/**
 * The error budget remaining over time, for the SLO detail chart: `points` values over the SLO's
 * window, oldest first, the last one at `now`; point i is the budget over its own rolling window
 * (at − windowDays, at], computed with errorBudget, so each point reads like the number the list
 * shows at that moment. The series may be coarser than minutes (hourly buckets keyed by their
 * start); the caller replaces the last point by the exact budget at `now`.
 */
import { DomainError } from "../errors";
import { MINUTES_PER_DAY, errorBudget } from "./error-budget";
import type { MinuteCount, SloDefinition } from "./types";
import { MINUTE_MS, indexMinuteCounts } from "./window";

export interface BudgetPoint {
  at: Date;
  remainingFraction: number;
}

export function budgetSeries(slo: Pick<SloDefinition, "successRateTarget" | "windowDays">, series: readonly MinuteCount[], now: Date, points: number): BudgetPoint[] {
  if (!Number.isInteger(points) || points < 2 || points > 1000) {
    throw new DomainError("invalid_input", `points must be an integer from 2 to 1000, got ${points}`);
  }
  const index = indexMinuteCounts(series);
  const stepMs = (slo.windowDays * MINUTES_PER_DAY * MINUTE_MS) / (points - 1);
  return Array.from({ length: points }, (_, i) => {
    const at = new Date(now.getTime() - (points - 1 - i) * stepMs);
    return { at, remainingFraction: errorBudget(slo, index, at).remainingFraction };
  });
}
