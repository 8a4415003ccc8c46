import { regularizedBeta } from "./distributions";
import { invalid, requireNonNegative, requireOpenUnit } from "./validate";

/**
 * Log-bucketed latency histogram: bucket index (as a string key) → count. Sparse and plain
 * JSON, so it can live in a Postgres jsonb column and be merged by adding counts.
 *
 * Buckets grow by a factor γ = 1.04 from a floor of 0.1 ms:
 *   bucket 0      holds every value ≤ 0.1 ms (latencies that small carry no signal),
 *   bucket i ≥ 1  holds (0.1·γ^(i−1), 0.1·γ^i] ms, index = ceil(ln(ms / 0.1) / ln γ).
 * Each bucket is reported by 2·0.1·γ^i / (1 + γ), the point whose relative distance to both
 * edges is equal, so any value > 0.1 ms is reproduced within (γ − 1)/(γ + 1) ≈ 1.96 % (≤ 2 %).
 * One hour (3.6e6 ms) lands in bucket 444, so a histogram has a few hundred keys at most.
 */
export type LatencyHistogram = Record<string, number>;

/** Growth factor between consecutive bucket edges. */
export const HISTOGRAM_GAMMA = 1.04;
/** Values at or below this many milliseconds share bucket 0. */
export const HISTOGRAM_MIN_MS = 0.1;
/** Worst-case relative error of bucketRepresentativeValue for values above the floor. */
export const HISTOGRAM_RELATIVE_ERROR = (HISTOGRAM_GAMMA - 1) / (HISTOGRAM_GAMMA + 1);

const LOG_GAMMA = Math.log(HISTOGRAM_GAMMA);

/** Bucket of a latency in milliseconds. @throws DomainError("invalid_input") for negative/non-finite ms. */
export function latencyBucketIndex(ms: number): number {
  requireNonNegative("latencyMs", ms);
  if (ms <= HISTOGRAM_MIN_MS) return 0;
  return Math.max(1, Math.ceil(Math.log(ms / HISTOGRAM_MIN_MS) / LOG_GAMMA));
}

/** The value reported for a bucket (bucket 0 → the floor, 0.1 ms). */
export function bucketRepresentativeValue(index: number): number {
  if (!Number.isInteger(index) || index < 0) invalid("bucket index must be an integer ≥ 0", { index });
  if (index === 0) return HISTOGRAM_MIN_MS;
  return (2 * HISTOGRAM_MIN_MS * HISTOGRAM_GAMMA ** index) / (1 + HISTOGRAM_GAMMA);
}

/** A new histogram with `count` more observations of `ms` (the input is not modified). */
export function addToHistogram(h: LatencyHistogram, ms: number, count = 1): LatencyHistogram {
  if (!Number.isInteger(count) || count < 0) invalid("count must be an integer ≥ 0", { count });
  const key = String(latencyBucketIndex(ms));
  if (count === 0) return { ...h };
  return { ...h, [key]: (h[key] ?? 0) + count };
}

/** Bucket-wise sum of two histograms (a new object). */
export function mergeHistograms(a: LatencyHistogram, b: LatencyHistogram): LatencyHistogram {
  const merged: LatencyHistogram = {};
  for (const [index, count] of [...histogramEntries(a), ...histogramEntries(b)]) {
    merged[String(index)] = (merged[String(index)] ?? 0) + count;
  }
  return merged;
}

/** Non-empty buckets as [index, count], sorted by index. @throws DomainError on malformed keys or counts. */
export function histogramEntries(h: LatencyHistogram): Array<[number, number]> {
  const entries: Array<[number, number]> = [];
  for (const [key, count] of Object.entries(h)) {
    const index = Number(key);
    if (key.trim() === "" || !Number.isInteger(index) || index < 0) {
      invalid("histogram keys must be bucket indexes (integers ≥ 0)", { key });
    }
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0) {
      invalid("histogram counts must be integers ≥ 0", { key, count });
    }
    if (count > 0) entries.push([index, count]);
  }
  return entries.sort((x, y) => x[0] - y[0]);
}

/** Total number of observations. */
export function histogramCount(h: LatencyHistogram): number {
  return histogramEntries(h).reduce((sum, [, count]) => sum + count, 0);
}

/** Nearest-rank position of quantile q among n values: max(1, ceil(q·n)), ignoring round-off. */
function nearestRank(q: number, n: number): number {
  return Math.max(1, Math.ceil(q * n * (1 - 4 * Number.EPSILON)));
}

/** Representative value of the bucket holding the `rank`-th smallest observation (1-based). */
function valueAtRank(entries: Array<[number, number]>, rank: number): number {
  let seen = 0;
  for (const [index, count] of entries) {
    seen += count;
    if (seen >= rank) return bucketRepresentativeValue(index);
  }
  return bucketRepresentativeValue(entries[entries.length - 1][0]);
}

function requireQuantile(q: number): void {
  if (typeof q !== "number" || !(q >= 0 && q <= 1)) invalid("quantile must be between 0 and 1", { q });
}

/**
 * The q-quantile (0 ≤ q ≤ 1) by nearest rank: the ceil(q·n)-th smallest observation, reported
 * by its bucket's value (within 2 % of the exact sample quantile). Empty histogram → null.
 */
export function histogramPercentile(h: LatencyHistogram, q: number): number | null {
  requireQuantile(q);
  const entries = histogramEntries(h);
  const n = entries.reduce((sum, [, count]) => sum + count, 0);
  if (n === 0) return null;
  return valueAtRank(entries, nearestRank(q, n));
}

/** histogramPercentile for several quantiles, sorting the buckets once. */
export function histogramPercentiles(h: LatencyHistogram, qs: readonly number[]): (number | null)[] {
  qs.forEach(requireQuantile);
  const entries = histogramEntries(h);
  const n = entries.reduce((sum, [, count]) => sum + count, 0);
  return qs.map((q) => (n === 0 ? null : valueAtRank(entries, nearestRank(q, n))));
}

export interface PercentileInterval {
  /** histogramPercentile(h, q); null when the histogram is empty. */
  estimate: number | null;
  /** Lower bound; 0 when n is too small for any order statistic to bound the quantile from below. */
  low: number | null;
  /** Upper bound; null when n is too small for any order statistic to bound it from above. */
  high: number | null;
  n: number;
}

/**
 * Distribution-free confidence interval for the q-quantile from order statistics. With
 * B ~ Binomial(n, q) and F its CDF, the interval is [X(l), X(u)] with
 *   l = the largest rank with F(l − 1) ≤ α/2, u = the smallest rank with F(u − 1) ≥ 1 − α/2,
 * so P(X(l) ≤ ξ_q ≤ X(u)) ≥ 1 − α for continuous data (equal tails). Values are bucket values.
 * F(k) = I_{1−q}(n − k, k + 1) (regularized incomplete beta), so large n costs no more than small.
 * Textbook check: the 95 % interval for the median of 100 values is [X(40), X(61)].
 *
 * Edge values: empty histogram → estimate/low/high null, n 0. Too few values for a bound:
 * low = 0 (latencies are ≥ 0) or high = null (unbounded), e.g. p99 from 100 values.
 *
 * @throws DomainError("invalid_input") for q outside [0, 1] or confidence outside (0, 1).
 */
export function percentileWithInterval(h: LatencyHistogram, q: number, confidence = 0.95): PercentileInterval {
  requireQuantile(q);
  requireOpenUnit("confidence", confidence);
  const entries = histogramEntries(h);
  const n = entries.reduce((sum, [, count]) => sum + count, 0);
  if (n === 0) return { estimate: null, low: null, high: null, n: 0 };

  const { lower, upper } = quantileRankInterval(n, q, confidence);
  return {
    estimate: valueAtRank(entries, nearestRank(q, n)),
    low: lower === null ? 0 : valueAtRank(entries, lower),
    high: upper === null ? null : valueAtRank(entries, upper),
    n,
  };
}

/**
 * The order-statistic ranks (1-based) behind percentileWithInterval: with B ~ Binomial(n, q) and
 * F its CDF, lower = the largest rank l with F(l − 1) ≤ α/2 and upper = the smallest rank u with
 * F(u − 1) ≥ 1 − α/2. null when no rank qualifies (too few observations for that side).
 * F(k) = I_{1−q}(n − k, k + 1), found by binary search, so n in the millions is cheap.
 *
 * @throws DomainError("invalid_input") for a non-integer or negative n, q outside [0, 1], or a
 * confidence outside (0, 1).
 */
export function quantileRankInterval(n: number, q: number, confidence = 0.95): { lower: number | null; upper: number | null } {
  if (!Number.isInteger(n) || n < 0) invalid("n must be an integer ≥ 0", { n });
  requireQuantile(q);
  requireOpenUnit("confidence", confidence);
  const tail = (1 - confidence) / 2;
  const binomialCdf = (k: number): number => (k >= n ? 1 : regularizedBeta(1 - q, n - k, k + 1, q));
  // F is non-decreasing in k: binary searches over k ∈ [0, n − 1].
  let lo = -1; // largest k with F(k) ≤ tail (−1: none)
  let hi = n - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (binomialCdf(mid) <= tail) lo = mid;
    else hi = mid - 1;
  }
  const lower = lo + 1;
  let first = 0; // smallest k with F(k) ≥ 1 − tail (n: none below n)
  let last = n;
  while (first < last) {
    const mid = Math.floor((first + last) / 2);
    if (binomialCdf(mid) >= 1 - tail) last = mid;
    else first = mid + 1;
  }
  const upper = first + 1;
  return { lower: lower >= 1 ? lower : null, upper: upper <= n ? upper : null };
}
