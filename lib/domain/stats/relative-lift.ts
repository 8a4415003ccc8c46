import { requireFinite, requireNonNegative } from "./validate";

/**
 * Relative lift (treatment / control − 1) with an interval by the delta method, the way
 * GrowthBook reports "% change": for independent arm estimates μc, μt with standard errors
 * SEc, SEt,
 *
 *   Var(μt/μc − 1) ≈ SEt²/μc² + μt²·SEc²/μc⁴
 *
 * and the interval is lift ± m·SE, where m is the half-width multiplier of the basis the row
 * uses: z (1.96) for a fixed-horizon 95% interval, or (always-valid half-width) / SE(diff) for
 * the sequential one, so the lift interval has the same basis as the difference interval.
 * null when the control estimate is 0 (no relative change is defined).
 */
export interface RelativeLiftInput {
  controlMean: number;
  controlStandardError: number;
  treatmentMean: number;
  treatmentStandardError: number;
  /** Half-width in standard errors (z for fixed horizon, wider for always-valid). */
  multiplier: number;
}

export interface RelativeLift {
  estimate: number;
  low: number;
  high: number;
}

export function relativeLiftInterval(input: RelativeLiftInput): RelativeLift | null {
  const { controlMean: c, treatmentMean: t, controlStandardError: sc, treatmentStandardError: st, multiplier } = input;
  requireFinite("controlMean", c);
  requireFinite("treatmentMean", t);
  requireNonNegative("controlStandardError", sc);
  requireNonNegative("treatmentStandardError", st);
  requireNonNegative("multiplier", multiplier);
  if (c === 0) return null;
  const estimate = t / c - 1;
  const se = Math.sqrt((st * st) / (c * c) + (t * t * sc * sc) / (c * c * c * c));
  const half = multiplier * se;
  return { estimate, low: estimate - half, high: estimate + half };
}
