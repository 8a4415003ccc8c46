/** Small formatters for rollout messages and labels (pure, locale-independent). */

/**
 * Basis points as a percentage without float noise: 100 → "1%", 2500 → "25%", 50 → "0.5%",
 * 1 → "0.01%", 0 → "0%".
 */
export function formatBasisPoints(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  const hundredths = Math.abs(basisPoints % 100);
  if (hundredths === 0) return `${whole}%`;
  const fraction = String(hundredths).padStart(2, "0").replace(/0$/, "");
  return `${whole}.${fraction}%`;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration in at most two units: 45 → "45 s", 600 → "10 min", 5400 → "1 h 30 min",
 * 86400 → "24 h" (hours up to 48 h read better for bake times), 604800 → "7 d".
 * Fractions of a second are rounded up so "0 s" only means zero.
 */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.ceil(totalSeconds));
  if (seconds < MINUTE) return `${seconds} s`;
  if (seconds < HOUR) return twoUnits(seconds, MINUTE, "min", 1, "s");
  if (seconds < 2 * DAY) return twoUnits(seconds, HOUR, "h", MINUTE, "min");
  return twoUnits(seconds, DAY, "d", HOUR, "h");
}

function twoUnits(seconds: number, big: number, bigName: string, small: number, smallName: string): string {
  const bigCount = Math.floor(seconds / big);
  const smallCount = Math.floor((seconds % big) / small);
  return smallCount === 0 ? `${bigCount} ${bigName}` : `${bigCount} ${bigName} ${smallCount} ${smallName}`;
}
