/**
 * Reads what SLO math needs from `flag_metric_rollups` (per environment, flag, variant and
 * minute). Window sums are computed in SQL (one scan, a FILTER per window) and handed to the
 * pure SLO domain as a CountIndex, so a 28-day budget never ships 40,000 rows to Node.
 * Windows are (now − w, now] over minute starts, the domain's convention (lib/domain/slo/window.ts).
 */
import "server-only";
import type { CountIndex, WindowCounts } from "../../../domain/slo/window";
import { histogramPercentile, mergeHistograms, type LatencyHistogram } from "../../../domain/stats/histogram";
import type { DbOrTx } from "../../db";

export interface SloScope {
  environmentId: string;
  /** null: every flag of the environment. */
  flagKey: string | null;
  /** Only this variant (circuit-breaking looks at one variant); absent: all. */
  variant?: string;
}

const MINUTE_MS = 60_000;

/**
 * Requests and failures over each of `windowsMinutes` ending at `now`, as a CountIndex that
 * answers exactly those windows at exactly that `now` (asking anything else throws: a bug).
 */
export async function windowCountIndex(client: DbOrTx, scope: SloScope, now: Date, windowsMinutes: readonly number[]): Promise<CountIndex> {
  const windows = [...new Set(windowsMinutes.map((w) => Math.round(w)))].filter((w) => w > 0);
  const longest = Math.max(1, ...windows);
  const columns = windows
    .map((w, i) => {
      const since = `$4::timestamptz - interval '${w} minutes'`;
      return `coalesce(sum(count) FILTER (WHERE minute > ${since}), 0)::float8 AS t${i}, coalesce(sum(count - successes) FILTER (WHERE minute > ${since}), 0)::float8 AS f${i}`;
    })
    .join(", ");
  const sql = `SELECT ${columns || "0 AS none"} FROM flag_metric_rollups
    WHERE environment_id = $1 AND ($2::text IS NULL OR flag_key = $2) AND ($3::text IS NULL OR variant = $3)
      AND minute > $4::timestamptz - interval '${longest} minutes' AND minute <= $4::timestamptz`;
  const rows = await client.$queryRawUnsafe<Record<string, number>[]>(sql, scope.environmentId, scope.flagKey, scope.variant ?? null, now);
  const row = rows[0] ?? {};
  const sums = new Map<number, WindowCounts>(windows.map((w, i) => [w, { total: Number(row[`t${i}`] ?? 0), failures: Number(row[`f${i}`] ?? 0) }]));
  return {
    window(at, minutes) {
      const hit = sums.get(Math.round(minutes));
      if (!hit || at.getTime() !== now.getTime()) throw new Error(`window ${minutes} min at ${at.toISOString()} was not loaded`);
      return hit;
    },
  };
}

export interface MinutePoint {
  minute: Date;
  total: number;
  failures: number;
}

/** Per-minute totals (all variants summed) over (now − minutes, now], oldest first: chart input. */
export async function minuteSeries(client: DbOrTx, scope: SloScope, now: Date, minutes: number): Promise<MinutePoint[]> {
  const rows = await client.$queryRawUnsafe<{ minute: Date; total: number; failures: number }[]>(
    `SELECT minute, sum(count)::float8 AS total, sum(count - successes)::float8 AS failures FROM flag_metric_rollups
     WHERE environment_id = $1 AND ($2::text IS NULL OR flag_key = $2) AND ($3::text IS NULL OR variant = $3)
       AND minute > $4::timestamptz - ($5::int * interval '1 minute') AND minute <= $4::timestamptz
     GROUP BY minute ORDER BY minute`,
    scope.environmentId,
    scope.flagKey,
    scope.variant ?? null,
    now,
    Math.round(minutes),
  );
  return rows.map((r) => ({ minute: new Date(r.minute), total: Number(r.total), failures: Number(r.failures) }));
}

/** Hourly totals over (now − hours, now], keyed by the hour's start, oldest first: long-range chart input. */
export async function hourlySeries(client: DbOrTx, scope: SloScope, now: Date, hours: number): Promise<MinutePoint[]> {
  const rows = await client.$queryRawUnsafe<{ hour: Date; total: number; failures: number }[]>(
    `SELECT date_trunc('hour', minute) AS hour, sum(count)::float8 AS total, sum(count - successes)::float8 AS failures FROM flag_metric_rollups
     WHERE environment_id = $1 AND ($2::text IS NULL OR flag_key = $2) AND ($3::text IS NULL OR variant = $3)
       AND minute > $4::timestamptz - ($5::int * interval '1 hour') AND minute <= $4::timestamptz
     GROUP BY 1 ORDER BY 1`,
    scope.environmentId,
    scope.flagKey,
    scope.variant ?? null,
    now,
    Math.round(hours),
  );
  return rows.map((r) => ({ minute: new Date(r.hour), total: Number(r.total), failures: Number(r.failures) }));
}

export interface RecentPerformance {
  requests: number;
  latency: { p50: number | null; p95: number | null; p99: number | null };
  costPerRequest: number | null;
  /** Cost over the last 24 h. */
  costPerDay: number;
}

/**
 * Latency percentiles and cost per request over the last `minutes` (default 60: ceilings are
 * about how the service behaves now), and the cost of the last 24 hours.
 */
export async function recentPerformance(client: DbOrTx, scope: SloScope, now: Date, minutes = 60): Promise<RecentPerformance> {
  const rows = await client.$queryRawUnsafe<{ latency_histogram: LatencyHistogram; count: number; cost_sum: number }[]>(
    `SELECT latency_histogram, count, cost_sum FROM flag_metric_rollups
     WHERE environment_id = $1 AND ($2::text IS NULL OR flag_key = $2) AND ($3::text IS NULL OR variant = $3)
       AND minute > $4::timestamptz - ($5::int * interval '1 minute') AND minute <= $4::timestamptz`,
    scope.environmentId,
    scope.flagKey,
    scope.variant ?? null,
    now,
    Math.round(minutes),
  );
  let histogram: LatencyHistogram = {};
  let requests = 0;
  let cost = 0;
  for (const r of rows) {
    histogram = mergeHistograms(histogram, r.latency_histogram ?? {});
    requests += Number(r.count);
    cost += Number(r.cost_sum);
  }
  const day = await client.$queryRawUnsafe<{ cost: number }[]>(
    `SELECT coalesce(sum(cost_sum), 0)::float8 AS cost FROM flag_metric_rollups
     WHERE environment_id = $1 AND ($2::text IS NULL OR flag_key = $2) AND ($3::text IS NULL OR variant = $3)
       AND minute > $4::timestamptz - interval '1440 minutes' AND minute <= $4::timestamptz`,
    scope.environmentId,
    scope.flagKey,
    scope.variant ?? null,
    now,
  );
  return {
    requests,
    latency: { p50: histogramPercentile(histogram, 0.5), p95: histogramPercentile(histogram, 0.95), p99: histogramPercentile(histogram, 0.99) },
    costPerRequest: requests > 0 && cost > 0 ? cost / requests : null,
    costPerDay: Number(day[0]?.cost ?? 0),
  };
}

/** The minute bucket holding `t` (what ingestion writes rows under). */
export function minuteOf(t: Date): Date {
  return new Date(Math.floor(t.getTime() / MINUTE_MS) * MINUTE_MS);
}
