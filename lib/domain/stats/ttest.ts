import { studentTQuantile, studentTTwoSidedP } from "./distributions";
import { requireFinite, requireNonNegative, requireOpenUnit } from "./validate";

export interface WelchInput {
  meanA: number;
  /** Sample variance of A (denominator n − 1). */
  varianceA: number;
  nA: number;
  meanB: number;
  varianceB: number;
  nB: number;
  /** Two-sided confidence level of the interval on the difference; default 0.95. */
  confidence?: number;
}

export interface WelchResult {
  t: number;
  /** Welch–Satterthwaite degrees of freedom (0 when there is no information). */
  df: number;
  pValue: number;
  /** meanB − meanA. */
  diff: number;
  ciLow: number;
  ciHigh: number;
}

/**
 * Welch's unequal-variance t-test on summary statistics, with a Student t interval on
 * meanB − meanA (R: `t.test(b, a)`, whose default is Welch).
 * se² = varA/nA + varB/nB, df = se⁴ / ((varA/nA)²/(nA−1) + (varB/nB)²/(nB−1)).
 *
 * No information — either arm has n < 2 (its variance cannot be estimated) or both variances
 * are 0 (R refuses: "data are essentially constant") — gives t = 0, df = 0, pValue = 1 and the
 * interval (−Infinity, +Infinity); diff is meanB − meanA when both arms have data, else 0.
 * (JSON.stringify turns the infinite bounds into null.)
 *
 * @throws DomainError("invalid_input") for non-finite means, negative variances or sizes, or a
 * confidence outside (0, 1).
 */
export function welchTTest(input: WelchInput): WelchResult {
  const { meanA, varianceA, nA, meanB, varianceB, nB, confidence = 0.95 } = input;
  requireFinite("meanA", meanA);
  requireFinite("meanB", meanB);
  requireNonNegative("varianceA", varianceA);
  requireNonNegative("varianceB", varianceB);
  requireNonNegative("nA", nA);
  requireNonNegative("nB", nB);
  requireOpenUnit("confidence", confidence);

  const diff = nA > 0 && nB > 0 ? meanB - meanA : 0;
  const vA = varianceA / nA;
  const vB = varianceB / nB;
  const se2 = vA + vB;
  if (nA < 2 || nB < 2 || !(se2 > 0)) {
    return { t: 0, df: 0, pValue: 1, diff, ciLow: -Infinity, ciHigh: Infinity };
  }
  const se = Math.sqrt(se2);
  const t = diff / se;
  const df = (se2 * se2) / ((vA * vA) / (nA - 1) + (vB * vB) / (nB - 1));
  const halfWidth = studentTQuantile((1 + confidence) / 2, df) * se;
  return { t, df, pValue: studentTTwoSidedP(t, df), diff, ciLow: diff - halfWidth, ciHigh: diff + halfWidth };
}

export interface SampleSummary {
  n: number;
  mean: number;
  /** Sample variance (denominator n − 1); 0 when n < 2. */
  variance: number;
}

/**
 * Mean and sample variance from the running sums the rollups store (count, Σx, Σx²).
 * Round-off can make Σx² − (Σx)²/n slightly negative for near-constant data; it is clamped to 0.
 * n = 0 → mean 0, variance 0.
 *
 * @throws DomainError("invalid_input") for a negative count or non-finite sums.
 */
export function summaryFromSums(input: { n: number; sum: number; sumOfSquares: number }): SampleSummary {
  const { n, sum, sumOfSquares } = input;
  requireNonNegative("n", n);
  requireFinite("sum", sum);
  requireNonNegative("sumOfSquares", sumOfSquares);
  if (n === 0) return { n, mean: 0, variance: 0 };
  const mean = sum / n;
  const variance = n < 2 ? 0 : Math.max(0, (sumOfSquares - sum * mean) / (n - 1));
  return { n, mean, variance };
}
