import { normalQuantile } from "./distributions";
import { invalid, requireNonNegative, requireOpenUnit } from "./validate";

export interface SampleSizeInput {
  /** Baseline success rate p1, between 0 and 1. */
  baseline: number;
  /** Minimum detectable effect as an absolute difference: p2 = baseline + mde (may be negative). */
  mde: number;
  /** Two-sided significance level, e.g. 0.05. */
  alpha: number;
  /** Probability of detecting an effect of size mde, e.g. 0.8. */
  power: number;
}

/**
 * Observations needed per arm to detect p1 → p2 = p1 + mde with a two-sided two-proportion test:
 *   n = ( z_{1−α/2}·√(2·p̄(1 − p̄)) + z_{power}·√(p1(1 − p1) + p2(1 − p2)) )² / mde², p̄ = (p1 + p2)/2,
 * rounded up. This is the closed form of R's `power.prop.test(p1 = , p2 = , sig.level = , power = )`
 * (which solves the same equation numerically).
 *
 * @throws DomainError("invalid_input") when baseline or baseline + mde leave [0, 1], mde is 0, or
 * alpha/power are outside (0, 1).
 */
export function sampleSizeTwoProportions(input: SampleSizeInput): number {
  const { baseline, mde, alpha, power } = input;
  const p1 = baseline;
  const p2 = baseline + mde;
  if (typeof p1 !== "number" || !(p1 >= 0 && p1 <= 1)) invalid("baseline must be between 0 and 1", { baseline });
  if (typeof mde !== "number" || !Number.isFinite(mde) || mde === 0) invalid("mde must be a non-zero number", { mde });
  if (!(p2 >= 0 && p2 <= 1)) invalid("baseline + mde must stay between 0 and 1", { baseline, mde });
  requireOpenUnit("alpha", alpha);
  requireOpenUnit("power", power);
  const pBar = (p1 + p2) / 2;
  const root = normalQuantile(1 - alpha / 2) * Math.sqrt(2 * pBar * (1 - pBar)) + normalQuantile(power) * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  // Guard the ceiling against round-off just above an integer (e.g. 392.00000000000006).
  return Math.ceil((root * root) / (mde * mde) - 1e-9);
}

/**
 * Whole days until each arm reaches `needed` observations at `perArmPerDay`, given `alreadyHave`
 * per arm: ceil((needed − alreadyHave) / perArmPerDay). Already there → 0. No traffic while more
 * is needed → null ("never at current traffic").
 *
 * @throws DomainError("invalid_input") for negative or non-finite inputs.
 */
export function daysToReachSample(input: { needed: number; perArmPerDay: number; alreadyHave: number }): number | null {
  const { needed, perArmPerDay, alreadyHave } = input;
  requireNonNegative("needed", needed);
  requireNonNegative("perArmPerDay", perArmPerDay);
  requireNonNegative("alreadyHave", alreadyHave);
  const remaining = needed - alreadyHave;
  if (remaining <= 0) return 0;
  if (perArmPerDay === 0) return null;
  return Math.ceil(remaining / perArmPerDay);
}
