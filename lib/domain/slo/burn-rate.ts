/**
 * Burn rates and the multi-window multi-burn-rate alerts of the Google SRE workbook
 * ("Alerting on SLOs"). A burn rate of 1 spends exactly the budget over the SLO window; 14.4
 * spends 2% of a 30-day budget in one hour.
 */
import { DomainError } from "../errors";
import { errorBudgetRatio, roundSignificant } from "./numbers";
import type { MinuteCount } from "./types";
import { indexMinuteCounts, MINUTE_MS, type CountIndex } from "./window";

export type AlertSeverity = "page" | "ticket";

export interface BurnRateAlertRule {
  severity: AlertSeverity;
  longWindowMinutes: number;
  shortWindowMinutes: number;
  /** Burn-rate factor both windows must reach. */
  threshold: number;
}

/**
 * The alert table, the single source of these thresholds. An alert fires only when the burn rate
 * over BOTH its long and its short window is ≥ the threshold (inclusive: exactly 14.4× fires).
 * The long window proves the burn is significant, the short one that it is still going on (so
 * the alert resets soon after the problem stops). Windows are (now − w, now].
 * - page:   14.4× over 1 h and 5 min (2% of a 30-day budget in an hour)
 * - page:   6× over 6 h and 30 min (5% in six hours)
 * - ticket: 3× over 1 d and 2 h (10% in a day)
 * - ticket: 1× over 3 d and 6 h (10% in three days)
 */
export const BURN_RATE_ALERT_RULES: readonly BurnRateAlertRule[] = [
  { severity: "page", longWindowMinutes: 60, shortWindowMinutes: 5, threshold: 14.4 },
  { severity: "page", longWindowMinutes: 6 * 60, shortWindowMinutes: 30, threshold: 6 },
  { severity: "ticket", longWindowMinutes: 24 * 60, shortWindowMinutes: 2 * 60, threshold: 3 },
  { severity: "ticket", longWindowMinutes: 3 * 24 * 60, shortWindowMinutes: 6 * 60, threshold: 1 },
];

export interface BurnRateAlert extends BurnRateAlertRule {
  longBurn: number;
  shortBurn: number;
  firing: boolean;
}

/** Most points burnRateSeries draws (a chart needs a few hundred at most). */
export const MAX_BURN_RATE_POINTS = 2000;

type Series = readonly MinuteCount[] | CountIndex;

const asIndex = (series: Series): CountIndex => ("window" in series ? series : indexMinuteCounts(series));

/**
 * Error rate over (now − windowMinutes, now] divided by the error budget ratio (1 − target).
 * 0 with no traffic in the window. Rounded to 10 significant digits (see roundSignificant).
 */
export function burnRate(series: Series, now: Date, windowMinutes: number, target: number): number {
  const ratio = errorBudgetRatio(target);
  const { total, failures } = asIndex(series).window(now, windowMinutes);
  if (total === 0) return 0;
  return roundSignificant(failures / total / ratio);
}

/** Every rule of BURN_RATE_ALERT_RULES evaluated at `now`, in the table's order. */
export function burnRateAlerts(series: Series, now: Date, target: number): BurnRateAlert[] {
  const index = asIndex(series);
  return BURN_RATE_ALERT_RULES.map((rule) => {
    const longBurn = burnRate(index, now, rule.longWindowMinutes, target);
    const shortBurn = burnRate(index, now, rule.shortWindowMinutes, target);
    return { ...rule, longBurn, shortBurn, firing: longBurn >= rule.threshold && shortBurn >= rule.threshold };
  });
}

export interface BurnRatePoint {
  at: Date;
  total: number;
  failures: number;
  burnRate: number;
}

/**
 * `points` burn rates over a sliding window, oldest first, the last one at `now`:
 * point i is measured at now − (points − 1 − i) × stepMinutes over (at − windowMinutes, at].
 * Throws `invalid_input` unless points is an integer in 1..MAX_BURN_RATE_POINTS and
 * stepMinutes > 0.
 */
export function burnRateSeries(series: Series, now: Date, windowMinutes: number, stepMinutes: number, points: number, target: number): BurnRatePoint[] {
  if (!Number.isInteger(points) || points < 1 || points > MAX_BURN_RATE_POINTS) {
    throw new DomainError("invalid_input", `points must be an integer from 1 to ${MAX_BURN_RATE_POINTS}, got ${points}`);
  }
  if (!Number.isFinite(stepMinutes) || stepMinutes <= 0) {
    throw new DomainError("invalid_input", `step must be a positive number of minutes, got ${stepMinutes}`);
  }
  const ratio = errorBudgetRatio(target);
  const index = asIndex(series);
  return Array.from({ length: points }, (_, i) => {
    const at = new Date(now.getTime() - (points - 1 - i) * stepMinutes * MINUTE_MS);
    const { total, failures } = index.window(at, windowMinutes);
    return { at, total, failures, burnRate: total === 0 ? 0 : roundSignificant(failures / total / ratio) };
  });
}
