import { normalQuantile, normalTwoSidedP } from "./distributions";
import { requireCount, requireOpenUnit } from "./validate";

export interface TwoProportionInput {
  successesA: number;
  totalA: number;
  successesB: number;
  totalB: number;
  /** Two-sided confidence level of the interval on the difference; default 0.95. */
  confidence?: number;
}

export interface TwoProportionResult {
  /** Pooled z statistic for H0: pA = pB. */
  z: number;
  /** Two-sided p-value of `z`. */
  pValue: number;
  /** pB − pA (B is the candidate, A the baseline). */
  diff: number;
  /** Unpooled Wald interval on `diff`, clipped to [−1, 1]. */
  ciLow: number;
  ciHigh: number;
  /** diff / pA; null when pA = 0 (a lift over nothing is undefined). */
  relativeLift: number | null;
}

/**
 * Two-proportion z-test (pooled variance under H0) with an unpooled Wald interval on pB − pA.
 * Same numbers as R `prop.test(c(sB, sA), c(nB, nA), correct = FALSE)` (R's p-value is the
 * chi-square of z², and its interval is on pB − pA in that argument order).
 *
 * No information: when either total is 0, returns z = 0, pValue = 1, diff = 0, the interval
 * [−1, 1] and relativeLift null. When both arms are all-successes or all-failures the pooled
 * variance is 0: z = 0, pValue = 1 and the Wald interval collapses to [diff, diff].
 *
 * @throws DomainError("invalid_input") for negative counts, successes > total, or a
 * confidence outside (0, 1).
 */
export function twoProportionTest(input: TwoProportionInput): TwoProportionResult {
  const { successesA, totalA, successesB, totalB, confidence = 0.95 } = input;
  requireCount("successesA", successesA, "totalA", totalA);
  requireCount("successesB", successesB, "totalB", totalB);
  requireOpenUnit("confidence", confidence);

  if (totalA === 0 || totalB === 0) {
    return { z: 0, pValue: 1, diff: 0, ciLow: -1, ciHigh: 1, relativeLift: null };
  }
  const pA = successesA / totalA;
  const pB = successesB / totalB;
  const diff = pB - pA;
  const pooled = (successesA + successesB) / (totalA + totalB);
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / totalA + 1 / totalB));
  const z = pooledSe > 0 ? diff / pooledSe : 0;
  const se = Math.sqrt((pA * (1 - pA)) / totalA + (pB * (1 - pB)) / totalB);
  const halfWidth = normalQuantile((1 + confidence) / 2) * se;
  return {
    z,
    pValue: normalTwoSidedP(z),
    diff,
    ciLow: Math.max(-1, diff - halfWidth),
    ciHigh: Math.min(1, diff + halfWidth),
    relativeLift: pA > 0 ? diff / pA : null,
  };
}

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval for one proportion, without continuity correction
 * (R: `prop.test(successes, n, correct = FALSE)$conf.int`).
 * n = 0 → [0, 1] (no information).
 *
 * @throws DomainError("invalid_input") for negative counts, successes > n, or a confidence
 * outside (0, 1).
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): Interval {
  requireCount("successes", successes, "n", n);
  requireOpenUnit("confidence", confidence);
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z = normalQuantile((1 + confidence) / 2);
  const z2n = (z * z) / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2n / (2 * n));
  const denominator = 1 + 2 * z2n;
  return {
    low: Math.max(0, (p + z2n - spread) / denominator),
    high: Math.min(1, (p + z2n + spread) / denominator),
  };
}
