/**
 * Time series for the comparison charts: how wide one point is (so a window has at most 300
 * points), which rollup table feeds it, and each arm's values per point.
 */
import { histogramPercentile } from "../stats";
import type { ArmPoint } from "../../schemas/analysis";
import { HOUR_MS, MINUTE_MS, type RollupCounters } from "./types";

export const MAX_SERIES_POINTS = 300;
/** Up to this window, points come from the per-minute rollups; beyond it from the hourly ones. */
export const MINUTE_SOURCE_MAX_MS = 24 * HOUR_MS;

const MINUTE_STEPS = [1, 2, 5, 10, 15, 30, 60].map((m) => m * MINUTE_MS);
const HOUR_STEPS = [1, 2, 3, 6, 12, 24, 48, 72, 168, 336, 720].map((h) => h * HOUR_MS);

export interface SeriesPlan {
  stepMs: number;
  source: "minute" | "hour";
}

/**
 * The smallest step giving ≤ 300 points: 1, 2, 5, 10, 15, 30 or 60 minutes for windows up to 24
 * hours (minute rollups), else 1, 2, 3, 6, 12 hours, 1, 2, 3, 7, 14 or 30 days (hourly rollups).
 * 30 days → 3-hour points (240).
 */
export function seriesPlan(fromMs: number, toMs: number): SeriesPlan {
  const span = Math.max(toMs - fromMs, MINUTE_MS);
  const fits = (step: number) => Math.ceil(span / step) <= MAX_SERIES_POINTS;
  if (span <= MINUTE_SOURCE_MAX_MS) return { stepMs: MINUTE_STEPS.find(fits) ?? HOUR_MS, source: "minute" };
  return { stepMs: HOUR_STEPS.find(fits) ?? HOUR_STEPS[HOUR_STEPS.length - 1], source: "hour" };
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** One arm's values at one point; nulls where the point has no such data. */
export function armPoint(c: RollupCounters | undefined): ArmPoint {
  if (!c || c.count === 0) {
    return {
      count: 0,
      successRate: null,
      latencyP50: null,
      latencyP95: null,
      latencyP99: null,
      costPerRequest: null,
      inputTokens: null,
      outputTokens: null,
      thumbsUpRate: null,
      qualityScore: null,
    };
  }
  const h = c.latencyHistogram;
  const hasLatency = c.latencyCount > 0;
  return {
    count: c.count,
    successRate: ratio(c.successes, c.count),
    latencyP50: hasLatency ? histogramPercentile(h, 0.5) : null,
    latencyP95: hasLatency ? histogramPercentile(h, 0.95) : null,
    latencyP99: hasLatency ? histogramPercentile(h, 0.99) : null,
    costPerRequest: ratio(c.costSum, c.costCount),
    inputTokens: ratio(c.inputTokensSum, c.inputTokensCount),
    outputTokens: ratio(c.outputTokensSum, c.outputTokensCount),
    thumbsUpRate: ratio(c.feedbackUp, c.feedbackUp + c.feedbackDown),
    qualityScore: ratio(c.qualitySum, c.qualityCount),
  };
}

/** Every point start in [from, to) aligned to the step (UTC), so empty stretches show as gaps. */
export function pointStarts(fromMs: number, toMs: number, stepMs: number): number[] {
  const starts: number[] = [];
  for (let t = Math.floor(fromMs / stepMs) * stepMs; t < toMs && starts.length <= MAX_SERIES_POINTS; t += stepMs) starts.push(t);
  return starts;
}
