import { invalid, requireCount, requireFinite, requireNonNegative, requireOpenUnit } from "./validate";

/**
 * Always-valid inference for continuous monitoring: asymptotic confidence sequences
 * (Waudby-Smith, Arbour, Sinha, Kennedy & Ramdas, "Time-uniform central limit theory and
 * asymptotic confidence sequences", 2023), the method GrowthBook ships as "sequential testing".
 *
 * For an estimate `diff` with standard error SE from n observations in total (both arms), write
 * σ² = SE²·n for the per-observation variance. The two-sided (1 − α) confidence sequence is
 *
 *   diff ± σ · √( 2(nρ² + 1) / (n²ρ²) · ln( √(nρ² + 1) / α ) )
 *
 * with the mixing parameter ρ = √( (−2 ln α + ln(−2 ln α + 1)) / N* ), which makes the sequence
 * tightest around n = N*. N* (`tuning`) is the expected total sample size; default 5000, as in
 * GrowthBook. The interval covers the true difference simultaneously at every n with probability
 * about 1 − α, so the dashboard and the auto-gate may look as often as they like. It is always
 * wider than the fixed-horizon interval (its half-width is at least √(−2 ln α)·SE > z_{1−α/2}·SE).
 *
 * The always-valid p-value is the smallest α whose sequence excludes 0:
 *   p = inf{ α : half-width(α) ≤ |diff| },
 * found by bisection on ln α (the half-width shrinks as α grows). It is 1 when even α → 1 keeps
 * 0 inside, i.e. when |diff| ≤ SE·√(1 + N* / (2n)). So p ≤ α exactly when the interval excludes 0.
 */
/** N*, the default expected total sample size (GrowthBook's default). */
export const DEFAULT_SEQUENTIAL_TUNING = 5000;

export interface SequentialOptions {
  /** N*: expected total sample size (both arms) where the sequence is tightest; default 5000. */
  tuning?: number;
  /** Two-sided confidence level of the sequence; default 0.95 (α = 0.05). */
  confidence?: number;
}

export interface SequentialResult {
  ciLow: number;
  ciHigh: number;
  /** Always-valid p-value. */
  pValue: number;
}

/** Smallest −ln α the p-value search goes to (α = e^−745 is the smallest positive double). */
const MAX_LOG_ALPHA = 745;

/** Half-width as a function of L = −ln α. */
function halfWidth(standardError: number, n: number, tuning: number, negLogAlpha: number): number {
  const rho2 = (2 * negLogAlpha + Math.log1p(2 * negLogAlpha)) / tuning;
  const u = n * rho2;
  return standardError * Math.sqrt(2 * (1 + 1 / u) * (0.5 * Math.log1p(u) + negLogAlpha));
}

function alwaysValidPValue(absDiff: number, standardError: number, n: number, tuning: number): number {
  // The half-width grows with L = −ln α; find the largest L whose sequence still excludes 0.
  // Its smallest value, in the limit α → 1 (L → 0), is SE·√(1 + N* / (2n)).
  if (absDiff <= standardError * Math.sqrt(1 + tuning / (2 * n))) return 1;
  let low = 0;
  let high = MAX_LOG_ALPHA;
  if (halfWidth(standardError, n, tuning, high) <= absDiff) return 0;
  for (let i = 0; i < 200 && high - low > 1e-13 * high; i++) {
    const mid = (low + high) / 2;
    if (halfWidth(standardError, n, tuning, mid) <= absDiff) low = mid;
    else high = mid;
  }
  return Math.exp(-low);
}

function requireOptions(tuning: number, confidence: number): void {
  if (typeof tuning !== "number" || !Number.isFinite(tuning) || tuning <= 0) {
    invalid("tuning (expected sample size N*) must be a positive number", { tuning });
  }
  requireOpenUnit("confidence", confidence);
}

/**
 * Always-valid interval and p-value for an estimate `diff` with standard error `standardError`
 * from `n` observations in total (see the formula above).
 *
 * No information: n < 1 or standardError = 0 → (−Infinity, +Infinity), pValue 1.
 *
 * @throws DomainError("invalid_input") for a non-finite diff, negative SE or n, a non-positive
 * tuning, or a confidence outside (0, 1).
 */
export function sequentialTest(input: { diff: number; standardError: number; n: number } & SequentialOptions): SequentialResult {
  const { diff, standardError, n, tuning = DEFAULT_SEQUENTIAL_TUNING, confidence = 0.95 } = input;
  requireFinite("diff", diff);
  requireNonNegative("standardError", standardError);
  requireNonNegative("n", n);
  requireOptions(tuning, confidence);
  if (n < 1 || standardError === 0) return { ciLow: -Infinity, ciHigh: Infinity, pValue: 1 };
  const width = halfWidth(standardError, n, tuning, -Math.log(1 - confidence));
  return {
    ciLow: diff - width,
    ciHigh: diff + width,
    pValue: alwaysValidPValue(Math.abs(diff), standardError, n, tuning),
  };
}

export interface SequentialDiffResult extends SequentialResult {
  diff: number;
}

/**
 * Sequential version of twoProportionTest: diff = pB − pA with the unpooled standard error,
 * n = totalA + totalB, interval clipped to [−1, 1].
 * No information (an empty arm, or SE = 0): diff as computed (0 for an empty arm), [−1, 1], pValue 1.
 */
export function sequentialTwoProportion(input: { successesA: number; totalA: number; successesB: number; totalB: number } & SequentialOptions): SequentialDiffResult {
  const { successesA, totalA, successesB, totalB, tuning = DEFAULT_SEQUENTIAL_TUNING, confidence = 0.95 } = input;
  requireCount("successesA", successesA, "totalA", totalA);
  requireCount("successesB", successesB, "totalB", totalB);
  requireOptions(tuning, confidence);
  if (totalA === 0 || totalB === 0) return { diff: 0, ciLow: -1, ciHigh: 1, pValue: 1 };
  const pA = successesA / totalA;
  const pB = successesB / totalB;
  const diff = pB - pA;
  const standardError = Math.sqrt((pA * (1 - pA)) / totalA + (pB * (1 - pB)) / totalB);
  const result = sequentialTest({ diff, standardError, n: totalA + totalB, tuning, confidence });
  return { diff, ciLow: Math.max(-1, result.ciLow), ciHigh: Math.min(1, result.ciHigh), pValue: result.pValue };
}

/**
 * Sequential version of welchTTest: diff = meanB − meanA with SE² = varA/nA + varB/nB and
 * n = nA + nB. No information (n < 2 in an arm, or both variances 0): (−Infinity, +Infinity), pValue 1.
 */
export function sequentialMeans(
  input: {
    meanA: number;
    varianceA: number;
    nA: number;
    meanB: number;
    varianceB: number;
    nB: number;
  } & SequentialOptions,
): SequentialDiffResult {
  const { meanA, varianceA, nA, meanB, varianceB, nB, tuning = DEFAULT_SEQUENTIAL_TUNING, confidence = 0.95 } = input;
  requireFinite("meanA", meanA);
  requireFinite("meanB", meanB);
  requireNonNegative("varianceA", varianceA);
  requireNonNegative("varianceB", varianceB);
  requireNonNegative("nA", nA);
  requireNonNegative("nB", nB);
  requireOptions(tuning, confidence);
  const diff = nA > 0 && nB > 0 ? meanB - meanA : 0;
  if (nA < 2 || nB < 2) return { diff, ciLow: -Infinity, ciHigh: Infinity, pValue: 1 };
  const standardError = Math.sqrt(varianceA / nA + varianceB / nB);
  return { diff, ...sequentialTest({ diff, standardError, n: nA + nB, tuning, confidence }) };
}
