/**
 * Distribution functions used by the tests in this folder: chi-square and Student t here, the
 * normal distribution (normal.ts) and the special functions (special-functions.ts) re-exported.
 *
 * These are low-level maths: invalid arguments (a negative degree of freedom, a probability
 * outside [0, 1]) give NaN, as in R, instead of throwing. The test functions validate their
 * own inputs before calling in here.
 *
 * Accuracy (checked against R 4.2.2 in the *.test.ts files): normal CDF and quantile to about
 * 1e-15 relative, gamma/beta based CDFs to about 1e-13.
 */

import { normalCdf, normalPdf, normalQuantile, normalTwoSidedP } from "./normal";
import { logBeta, regularizedBeta, regularizedGammaP, regularizedGammaQ } from "./special-functions";

export { erfc, normalCdf, normalPdf, normalQuantile, normalSurvival, normalTwoSidedP } from "./normal";
export { logBeta, logGamma, regularizedBeta, regularizedGammaP, regularizedGammaQ } from "./special-functions";

/**
 * Above this many degrees of freedom the Student t distribution is replaced by the normal:
 * the difference is O(1/df) < 1e-7, and the continued fraction would need ~sqrt(df) steps.
 */
export const T_NORMAL_SWITCH_DF = 1e7;

// ---------------------------------------------------------------------------------------
// Chi-square
// ---------------------------------------------------------------------------------------

/** Chi-square CDF P(X ≤ x) with `dof` degrees of freedom (R: pchisq(x, dof)). */
export function chiSquareCdf(x: number, dof: number): number {
  if (x <= 0) return dof > 0 ? 0 : NaN;
  return regularizedGammaP(dof / 2, x / 2);
}

/** Chi-square upper tail P(X > x) (R: pchisq(x, dof, lower.tail = FALSE)). */
export function chiSquareSurvival(x: number, dof: number): number {
  if (x <= 0) return dof > 0 ? 1 : NaN;
  return regularizedGammaQ(dof / 2, x / 2);
}

// ---------------------------------------------------------------------------------------
// Student t
// ---------------------------------------------------------------------------------------

/** P(T > |t|) for t ≠ 0, as I_{df/(df+t²)}(df/2, 1/2) / 2. */
function studentTTail(t: number, df: number): number {
  const t2 = t * t;
  const x = df / (df + t2);
  const y = t2 / (df + t2);
  return 0.5 * regularizedBeta(x, df / 2, 0.5, y);
}

/**
 * Student t CDF P(T ≤ t) with `df` > 0 degrees of freedom (R: pt(t, df)).
 * df > T_NORMAL_SWITCH_DF (including Infinity) uses the normal distribution.
 */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || Number.isNaN(df) || df <= 0) return NaN;
  if (df > T_NORMAL_SWITCH_DF) return normalCdf(t);
  if (t === 0) return 0.5;
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const tail = studentTTail(t, df);
  return t < 0 ? tail : 1 - tail;
}

/** Two-sided p-value P(|T| ≥ |t|) (R: 2 * pt(-abs(t), df)). */
export function studentTTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || Number.isNaN(df) || df <= 0) return NaN;
  if (df > T_NORMAL_SWITCH_DF) return normalTwoSidedP(t);
  if (t === 0) return 1;
  if (!Number.isFinite(t)) return 0;
  return Math.min(1, 2 * studentTTail(t, df));
}

/** Student t density. */
export function studentTPdf(t: number, df: number): number {
  if (df > T_NORMAL_SWITCH_DF) return normalPdf(t);
  return Math.exp(-0.5 * Math.log(df) - logBeta(df / 2, 0.5) - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * Student t quantile (R: qt(p, df)): the root of studentTCdf(t) = p, found by Newton's method
 * safeguarded with bisection inside a bracket, to about 1e-12 relative.
 * p = 0 → −Infinity, p = 1 → +Infinity, invalid → NaN.
 */
export function studentTQuantile(p: number, df: number): number {
  if (Number.isNaN(p) || Number.isNaN(df) || p < 0 || p > 1 || df <= 0) return NaN;
  if (df > T_NORMAL_SWITCH_DF) return normalQuantile(p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p > 0.5) return -studentTQuantile(1 - p, df);
  // Now p < 0.5 and the root is negative. Bracket it: cdf(low) < p ≤ cdf(high).
  let high = 0;
  let low = Math.min(-1, normalQuantile(p));
  while (studentTCdf(low, df) > p) {
    high = low;
    low *= 2;
    if (!Number.isFinite(low)) return -Infinity;
  }
  let t = Math.max(low, Math.min(high, normalQuantile(p)));
  for (let i = 0; i < 500; i++) {
    const f = studentTCdf(t, df) - p;
    if (f === 0) return t;
    if (f > 0) high = t;
    else low = t;
    const density = studentTPdf(t, df);
    let next = t - f / density;
    // Fall back to bisection when Newton leaves the bracket or stalls.
    if (!(next > low && next < high)) next = (low + high) / 2;
    if (Math.abs(next - t) <= 1e-14 * Math.abs(next) || high - low <= 1e-14 * Math.abs(low)) {
      return next;
    }
    t = next;
  }
  return t;
}
