/**
 * Number helpers for SLO math and its messages: the error-budget ratio without float noise, and
 * locale-independent formatting (en-US digits) for reasons people read in the UI and audit log.
 */
import { DomainError } from "../errors";

/**
 * Rounds to `digits` significant digits. Budget ratios and burn rates go through it (10 digits)
 * so that decimal inputs land exactly: 1 − 0.999 is 0.0010000000000000009 in floating point and
 * 0.0144 / 0.001 is 14.399999999999999, which would make "exactly 14.4×" miss a 14.4× threshold.
 */
export function roundSignificant(value: number, digits = 10): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(digits));
}

/** Throws `invalid_input` unless 0 < target < 1. */
export function assertSuccessRateTarget(target: number): void {
  if (!Number.isFinite(target) || target <= 0 || target >= 1) {
    throw new DomainError("invalid_input", `success-rate target must be a fraction strictly between 0 and 1 (e.g. 0.999), got ${target}`);
  }
}

/** The share of requests allowed to fail: 1 − target, e.g. 0.001 for a 0.999 target. */
export function errorBudgetRatio(target: number): number {
  assertSuccessRateTarget(target);
  return roundSignificant(1 - target);
}

const counts = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 1240 → "1,240"; fractional counts keep one decimal: 999.5 → "999.5". */
export function formatCount(value: number): string {
  return counts.format(value);
}

/** 0.999 → "99.9%", 0.9995 → "99.95%", 0.99 → "99%". */
export function formatTarget(target: number): string {
  return `${roundSignificant(target * 100, 8)}%`;
}

/** 14.4 → "14.4×", 6 → "6×", 15.2345 → "15.2×" (one decimal at most). */
export function formatMultiplier(value: number): string {
  return `${Number(value.toFixed(1))}×`;
}

/** A window length in its largest whole unit: 5 → "5 min", 60 → "1 h", 4320 → "3 d", 90 → "90 min". */
export function formatWindow(minutes: number): string {
  if (minutes >= 1440 && minutes % 1440 === 0) return `${minutes / 1440} d`;
  if (minutes >= 60 && minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

/** 1850 → "1,850 ms". */
export function formatMs(value: number): string {
  return `${counts.format(Math.round(value))} ms`;
}

/**
 * Dollars: from $1 two decimals ("$1,234.50"); below $1 three significant digits, at least two
 * decimals ("$0.0123", "$0.10").
 */
export function formatUsd(value: number): string {
  const sign = value < 0 ? "-" : "";
  const abs = Math.abs(value);
  if (abs >= 1 || abs === 0) return `${sign}$${twoDecimals.format(abs)}`;
  const decimals = Math.min(20, 2 - Math.floor(Math.log10(abs)));
  // Trailing zeros beyond cents go: 0.1 → "0.10", 0.01 → "0.01", 0.0123 → "0.0123".
  const digits = abs.toFixed(decimals).replace(/0+$/, "").padEnd(4, "0");
  return `${sign}$${digits}`;
}
