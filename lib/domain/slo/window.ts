/**
 * Sums of per-minute counts over rolling windows. A window of w minutes ending at `now` is
 * (now − w, now]: a point counts when now − w < point.minute ≤ now (compared to the millisecond).
 * With `now` on a minute boundary that is exactly the w latest minute buckets, the bucket
 * starting at `now` included and the one starting at now − w excluded. With `now` inside a minute
 * (12:05:30) the current, still-filling bucket (12:05) counts and 12:00 does not.
 */
import { DomainError } from "../errors";
import type { MinuteCount } from "./types";

export const MINUTE_MS = 60_000;

export interface WindowCounts {
  total: number;
  failures: number;
}

/** A sorted, summed view of a series, for answering many window queries in O(log n) each. */
export interface CountIndex {
  window(now: Date, windowMinutes: number): WindowCounts;
}

/**
 * Indexes a series without touching it (it is copied, then sorted). Several points on the same
 * minute are simply added. Throws `invalid_input` for an invalid date, negative or non-finite
 * counts, or more failures than requests.
 */
export function indexMinuteCounts(series: readonly MinuteCount[]): CountIndex {
  const points = series.map((point, index) => validPoint(point, index));
  points.sort((a, b) => a.time - b.time);

  const times = points.map((p) => p.time);
  // prefix[i] = sums over points[0..i), so a range [lo, hi) is prefix[hi] − prefix[lo].
  const totals = [0];
  const failures = [0];
  for (const p of points) {
    totals.push(totals[totals.length - 1] + p.total);
    failures.push(failures[failures.length - 1] + p.failures);
  }

  return {
    window(now, windowMinutes) {
      const end = validTime(now, "now");
      if (!Number.isFinite(windowMinutes) || windowMinutes <= 0) {
        throw new DomainError("invalid_input", `window must be a positive number of minutes, got ${windowMinutes}`);
      }
      const lo = firstAfter(times, end - windowMinutes * MINUTE_MS);
      const hi = firstAfter(times, end);
      return { total: totals[hi] - totals[lo], failures: failures[hi] - failures[lo] };
    },
  };
}

/** Requests and failures in (now − windowMinutes, now]. */
export function sumWindow(series: readonly MinuteCount[], now: Date, windowMinutes: number): WindowCounts {
  return indexMinuteCounts(series).window(now, windowMinutes);
}

/** Index of the first time strictly greater than `t` (times sorted ascending). */
function firstAfter(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function validTime(date: Date, name: string): number {
  const time = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isFinite(time)) throw new DomainError("invalid_input", `${name} must be a valid date`);
  return time;
}

function validPoint(point: MinuteCount, index: number): { time: number; total: number; failures: number } {
  const time = validTime(point.minute, `series[${index}].minute`);
  const { total, failures } = point;
  if (!Number.isFinite(total) || total < 0 || !Number.isFinite(failures) || failures < 0) {
    throw new DomainError("invalid_input", `series[${index}]: counts must be finite and ≥ 0`, { index, total, failures });
  }
  if (failures > total) {
    throw new DomainError("invalid_input", `series[${index}]: ${failures} failures exceed ${total} requests`, {
      index,
      total,
      failures,
    });
  }
  return { time, total, failures };
}
