/** Series builders for the SLO tests. */
import type { MinuteCount } from "./types";
import { MINUTE_MS } from "./window";

export const NOW = new Date("2026-03-01T12:00:00.000Z");

export const minutesAgo = (minutes: number, now: Date = NOW): Date => new Date(now.getTime() - minutes * MINUTE_MS);

/**
 * One bucket per minute for the `minutes` latest minutes up to `end` (inclusive): buckets start at
 * end − (minutes − 1) min … end, so they fill the window (end − minutes, end] exactly.
 */
export function steady(minutes: number, perMinute: { total: number; failures: number }, end: Date = NOW): MinuteCount[] {
  return Array.from({ length: minutes }, (_, i) => ({ minute: minutesAgo(minutes - 1 - i, end), ...perMinute }));
}
