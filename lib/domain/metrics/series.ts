/**
 * Time series for the comparison charts: how wide one point is (so a window has at most 300
 * points), which rollup table feeds it, and each arm's values per point.
 */
import { histogramPercentiles, sequentialTwoProportion } from "../stats";
import type { ArmPoint } from "./analysis-result";
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
  const [p50, p95, p99] = c.latencyCount > 0 ? histogramPercentiles(c.latencyHistogram, [0.5, 0.95, 0.99]) : [null, null, null];
  return {
    count: c.count,
    successRate: ratio(c.successes, c.count),
    latencyP50: p50,
    latencyP95: p95,
    latencyP99: p99,
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

/**
 * Y-axis range of a rate chart (fractions): the data's range with a little room, never below 0
 * or above 1, so a 98–100% success rate reads as such and no axis shows 120%.
 */
export function rateAxisDomain(values: readonly (number | null | undefined)[]): [number, number] {
  const finite = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  if (finite.length === 0) return [0, 1];
  const low = Math.min(...finite);
  const high = Math.max(...finite);
  const pad = Math.max((high - low) * 0.1, 0.005);
  return [clampUnit(low - pad), clampUnit(high + pad)];
}

/** A fraction held to [0, 1]. */
export function clampUnit(v: number): number {
  return Math.min(1, Math.max(0, v));
}

/**
 * Points of a live window without the one still filling up: the point whose step reaches past
 * the window's end, when that end is "now". Its few seconds of traffic would read as a drop.
 * An ended rollout's last point is complete as far as it goes (traffic stopped), so it stays, and
 * so does a live window's only point (a rollout in its first minute still shows what it has).
 */
export function withoutPartialPoint<P extends { t: string }>(points: readonly P[], stepSeconds: number, windowToMs: number, live: boolean): P[] {
  if (!live || points.length < 2) return [...points];
  const last = points[points.length - 1];
  return Date.parse(last.t) + stepSeconds * 1000 > windowToMs ? points.slice(0, -1) : [...points];
}

export interface DifferencePoint {
  t: string;
  /** Cumulative treatment − control success rate up to the end of this point. */
  estimate: number;
  /** Always-valid 95% band of that difference (the analysis row's sequential interval at the last point). */
  low: number;
  high: number;
}

/**
 * Success rate, treatment − control, cumulative over the window, with its always-valid band at
 * every point (sequentialTwoProportion with the analysis's tuning). The band is valid at every
 * look, so a line that leaves it and comes back is not a false alarm; its last point equals the
 * verdict table's success-rate row on the sequential basis.
 */
export function successDifferenceSeries(points: readonly { t: string; control: ArmPoint; treatment: ArmPoint }[], options: { confidence: number; tuning: number }): DifferencePoint[] {
  const sums = { control: { s: 0, n: 0 }, treatment: { s: 0, n: 0 } };
  const out: DifferencePoint[] = [];
  for (const p of points) {
    for (const arm of ["control", "treatment"] as const) {
      const a = p[arm];
      if (a.count > 0 && a.successRate != null) {
        sums[arm].n += a.count;
        sums[arm].s += Math.round(a.successRate * a.count);
      }
    }
    if (sums.control.n === 0 || sums.treatment.n === 0) continue;
    const seq = sequentialTwoProportion({
      successesA: sums.control.s,
      totalA: sums.control.n,
      successesB: sums.treatment.s,
      totalB: sums.treatment.n,
      confidence: options.confidence,
      tuning: options.tuning,
    });
    out.push({ t: p.t, estimate: seq.diff, low: seq.ciLow, high: seq.ciHigh });
  }
  return out;
}

/**
 * Y-axis range of the difference chart: the band of the later four fifths of the points (the
 * first ones, from a handful of requests, span ±100 pts and would flatten the rest), with 0
 * always in view; the early band is cut at the axis rather than rescaling it.
 */
export function differenceAxisDomain(points: readonly { estimate: number; low: number; high: number }[]): [number, number] {
  const shown = points.slice(Math.floor(points.length / 5));
  if (shown.length === 0) return [-0.01, 0.01];
  const low = Math.min(0, ...shown.map((p) => p.low));
  const high = Math.max(0, ...shown.map((p) => p.high));
  const pad = Math.max((high - low) * 0.1, 0.001);
  return [Math.max(-1, low - pad), Math.min(1, high + pad)];
}
