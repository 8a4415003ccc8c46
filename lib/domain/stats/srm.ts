import { chiSquareSurvival } from "./distributions";
import { invalid, requireNonNegative } from "./validate";

/**
 * Sample-ratio mismatch: chi-square goodness of fit of observed exposures per arm against the
 * planned split (R: `chisq.test(observed, p = weights / sum(weights))`), with
 * expected_i = total × weight_i / Σ weights and dof = (arms with weight > 0) − 1.
 *
 * Edge values: no exposures or a single planned arm → statistic 0, pValue 1. An arm planned
 * at weight 0 that still received exposures is a certain mismatch → statistic Infinity,
 * pValue 0 (R would refuse). Arms with weight 0 and no exposures are ignored.
 *
 * @throws DomainError("invalid_input") when the arrays differ in length, a count or weight
 * is negative/non-finite, or all weights are 0.
 */
export function srmTest(observed: number[], weights: number[]): { statistic: number; pValue: number } {
  if (observed.length !== weights.length) {
    invalid("observed and weights must have one entry per arm", {
      observed: observed.length,
      weights: weights.length,
    });
  }
  observed.forEach((x, i) => requireNonNegative(`observed[${i}]`, x));
  weights.forEach((w, i) => requireNonNegative(`weights[${i}]`, w));
  const weightSum = weights.reduce((sum, w) => sum + w, 0);
  if (observed.length > 0 && weightSum === 0) invalid("at least one weight must be positive");

  const total = observed.reduce((sum, x) => sum + x, 0);
  const plannedArms = weights.filter((w) => w > 0).length;
  if (total === 0 || plannedArms < 2) return { statistic: 0, pValue: 1 };
  if (observed.some((x, i) => x > 0 && weights[i] === 0)) return { statistic: Infinity, pValue: 0 };

  let statistic = 0;
  observed.forEach((x, i) => {
    if (weights[i] === 0) return;
    const expected = (total * weights[i]) / weightSum;
    statistic += ((x - expected) * (x - expected)) / expected;
  });
  return { statistic, pValue: chiSquareSurvival(statistic, plannedArms - 1) };
}
