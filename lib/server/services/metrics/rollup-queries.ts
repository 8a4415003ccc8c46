/**
 * Reads for the analysis, aggregated in SQL so a month of per-minute data costs a few thousand
 * rows: whole hours come from metric_rollups_hourly, the partial hours at the window's edges
 * from metric_rollups, and everything is summed per (arm, point). `arm IN (…)` lets Postgres
 * range-scan the (rollout, stage, arm, time) keys per arm instead of filtering every row of the
 * rollout. analysis-cache.ts keeps what does not change between reads.
 */
import "server-only";
import { addCounters, emptyCounters } from "../../../domain/metrics/aggregate";
import { HOUR_MS, type Arm, type RollupCounters } from "../../../domain/metrics/types";
import type { SeriesPlan } from "../../../domain/metrics/series";
import { db } from "../../db";

const SUMS = [
  ["count", "count"],
  ["successes", "successes"],
  ["errors", "errors"],
  ["feedback_up", "feedbackUp"],
  ["feedback_down", "feedbackDown"],
  ["retries", "retries"],
  ["input_tokens_count", "inputTokensCount"],
  ["input_tokens_sum", "inputTokensSum"],
  ["input_tokens_sum_sq", "inputTokensSumSq"],
  ["output_tokens_count", "outputTokensCount"],
  ["output_tokens_sum", "outputTokensSum"],
  ["output_tokens_sum_sq", "outputTokensSumSq"],
  ["tokens_count", "tokensCount"],
  ["tokens_sum_sq", "tokensSumSq"],
  ["cost_count", "costCount"],
  ["cost_sum", "costSum"],
  ["cost_sum_sq", "costSumSq"],
  ["quality_count", "qualityCount"],
  ["quality_sum", "qualitySum"],
  ["quality_sum_sq", "qualitySumSq"],
  ["latency_count", "latencyCount"],
] as const;

/**
 * The aggregates of a group of rows: sums in SQL; histograms and error-type maps concatenated as
 * JSON text and merged key by key in JS (mergeMaps), which costs a fraction of expanding every
 * key with jsonb_each and re-aggregating it in Postgres. Empty maps are left out.
 */
const AGGREGATES = `${SUMS.map(([c, k]) => `sum(${c})::float8 AS "${k}"`).join(", ")},
  string_agg(latency_histogram::text, ',') FILTER (WHERE latency_histogram <> '{}'::jsonb) AS h,
  string_agg(errors_by_type::text, ',') FILTER (WHERE errors_by_type <> '{}'::jsonb) AS e`;

/**
 * Which rows a read takes: the stages listed (exact: the stage is part of every row's key) —
 * one stage, or all of the rollout's stages, never the outcomes reported after the end or for
 * no known stage (negative stage indexes, see resolve-event.ts), which are reported on their
 * own. A list (`= ANY`) rather than a range lets Postgres range-scan (rollout, stage, arm, time)
 * per stage and arm.
 */
export type StageFilter = readonly number[];

/** $1 rollout, $2/$3 the whole hours [hourFrom, hourTo), $4 the point width in ms, $5 the stages. */
const HOUR_POINTS_SQL = `SELECT arm::text AS arm, (floor(extract(epoch FROM hour) * 1000 / $4) * $4)::float8 AS p, ${AGGREGATES}
  FROM metric_rollups_hourly
 WHERE rollout_id = $1 AND stage_index = ANY($5::int[]) AND arm IN ('control', 'treatment') AND hour >= $2 AND hour < $3
 GROUP BY 1, 2`;

/**
 * $1 rollout, $2/$3 the window's minutes [from, to), $4/$5 the whole hours read from the hourly
 * rows instead (empty when from = to), $6 the point width in ms, $7 the stages.
 */
const MINUTE_POINTS_SQL = `SELECT arm::text AS arm, (floor(extract(epoch FROM minute) * 1000 / $6) * $6)::float8 AS p, ${AGGREGATES}
  FROM metric_rollups
 WHERE rollout_id = $1 AND stage_index = ANY($7::int[]) AND arm IN ('control', 'treatment') AND minute >= $2 AND minute < $3
   AND NOT (minute >= $4 AND minute < $5)
 GROUP BY 1, 2`;

export interface ArmBucket {
  arm: Arm;
  /** Point start, epoch ms. */
  t: number;
  counters: RollupCounters;
}

/**
 * Rows are per minute, so a time window counts the minute in which it starts whole. Reads are
 * also filtered by stage, so at a stage's start this takes only that stage's own rows: the
 * previous stage's traffic in the same minute sits in rows of its own.
 */
export function minuteRowsFrom(from: Date): Date {
  return new Date(Math.floor(from.getTime() / 60_000) * 60_000);
}

type AggregateRow = Record<string, number> & { arm: Arm; h: string | null; e: string | null };
type PointRow = AggregateRow & { p: number };

/** The whole hours of a window read from the hourly rollups: [hourFrom, hourTo), empty for minute plans. */
export function wholeHoursOf(from: Date, to: Date, plan: SeriesPlan): { hourFrom: Date; hourTo: Date } {
  if (plan.source !== "hour") return { hourFrom: to, hourTo: to };
  const hourFrom = new Date(Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS);
  return { hourFrom, hourTo: new Date(Math.max(hourFrom.getTime(), Math.floor(to.getTime() / HOUR_MS) * HOUR_MS)) };
}

/** Per-arm counters per point of `stepMs` from the hourly rows of the whole hours [hourFrom, hourTo). */
export async function loadHourPoints(rolloutId: string, hourFrom: Date, hourTo: Date, stepMs: number, stages: StageFilter): Promise<ArmBucket[]> {
  if (hourFrom >= hourTo) return [];
  const rows = await db.$queryRawUnsafe<PointRow[]>(HOUR_POINTS_SQL, rolloutId, hourFrom, hourTo, stepMs, [...stages]);
  return rows.map((r) => ({ arm: r.arm, t: Number(r.p), counters: countersOf(r) }));
}

/** Per-arm counters per point of `stepMs` from the minute rows of [from, to) outside the whole hours [hourFrom, hourTo). */
export async function loadEdgeMinutePoints(rolloutId: string, from: Date, to: Date, hours: { hourFrom: Date; hourTo: Date }, stepMs: number, stages: StageFilter): Promise<ArmBucket[]> {
  const rows = await db.$queryRawUnsafe<PointRow[]>(MINUTE_POINTS_SQL, rolloutId, minuteRowsFrom(from), to, hours.hourFrom, hours.hourTo, stepMs, [...stages]);
  return rows.map((r) => ({ arm: r.arm, t: Number(r.p), counters: countersOf(r) }));
}

/** Points of several reads of disjoint rows added up per (point, arm), in new counters, ordered by point then arm. */
export function mergePoints(...parts: readonly (readonly ArmBucket[])[]): ArmBucket[] {
  const byKey = new Map<string, ArmBucket>();
  for (const part of parts) {
    for (const b of part) {
      const key = `${b.t}|${b.arm}`;
      const into = byKey.get(key) ?? { arm: b.arm, t: b.t, counters: emptyCounters() };
      addCounters(into.counters, b.counters);
      byKey.set(key, into);
    }
  }
  return [...byKey.values()].sort((a, b) => a.t - b.t || (a.arm < b.arm ? -1 : a.arm > b.arm ? 1 : 0));
}

/**
 * `kept` (read-only, e.g. from the cache) with `fresh` added: points only in `kept` are passed
 * through as they are, those in both are added into new counters. Ordered by point then arm.
 */
export function withFreshPoints(kept: readonly ArmBucket[], fresh: readonly ArmBucket[]): ArmBucket[] {
  if (fresh.length === 0) return [...kept];
  const freshByKey = new Map(mergePoints(fresh).map((b) => [`${b.t}|${b.arm}`, b]));
  const out: ArmBucket[] = [];
  for (const b of kept) {
    const key = `${b.t}|${b.arm}`;
    const add = freshByKey.get(key);
    if (!add) out.push(b);
    else {
      out.push({ arm: b.arm, t: b.t, counters: addCounters(addCounters(emptyCounters(), b.counters), add.counters) });
      freshByKey.delete(key);
    }
  }
  out.push(...freshByKey.values());
  return out.sort((a, b) => a.t - b.t || (a.arm < b.arm ? -1 : a.arm > b.arm ? 1 : 0));
}

/** Every point's counters added up per arm, in new counters. */
export function sumByArm(points: readonly ArmBucket[]): Record<Arm, RollupCounters> {
  const out: Record<Arm, RollupCounters> = { control: emptyCounters(), treatment: emptyCounters() };
  for (const p of points) addCounters(out[p.arm], p.counters);
  return out;
}

/**
 * Per-arm counters per point of `plan.stepMs` over [from, to), of the stage(s) `stages` names:
 * whole hours from the hourly rollups, the minutes at the edges (or the whole window, for a
 * minute plan) from the per-minute rollups.
 */
export async function loadRollupPoints(rolloutId: string, from: Date, to: Date, plan: SeriesPlan, stages: StageFilter): Promise<ArmBucket[]> {
  const hours = wholeHoursOf(from, to, plan);
  const [hourPoints, minutePoints] = await Promise.all([
    loadHourPoints(rolloutId, hours.hourFrom, hours.hourTo, plan.stepMs, stages),
    loadEdgeMinutePoints(rolloutId, from, to, hours, plan.stepMs, stages),
  ]);
  return mergePoints(hourPoints, minutePoints);
}

function countersOf(r: AggregateRow): RollupCounters {
  const counters = emptyCounters();
  for (const [, k] of SUMS) counters[k] = Number(r[k] ?? 0);
  counters.latencyHistogram = mergeMaps(r.h);
  counters.errorsByType = mergeMaps(r.e);
  return counters;
}

/** Sums comma-joined JSON objects of counts ("{…},{…}") key by key. */
function mergeMaps(joined: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  if (!joined) return out;
  for (const map of JSON.parse(`[${joined}]`) as Record<string, number | string>[]) {
    for (const k in map) out[k] = (out[k] ?? 0) + Number(map[k]);
  }
  return out;
}

/**
 * Every outcome counter per arm of the stages listed in the minutes outside [from, to): what a
 * whole-stage (or whole-rollout) figure adds to the window's points, since an outcome counts for
 * the stage that served it whatever its timestamp (an echoed stage reported late or early).
 * Usually no rows; a range scan of the (rollout, stage, arm, minute) keys either side.
 */
const OUTSIDE_SQL = `SELECT arm::text AS arm, ${AGGREGATES} FROM metric_rollups
 WHERE rollout_id = $1 AND stage_index = ANY($4::int[]) AND arm IN ('control', 'treatment') AND (minute < $2 OR minute >= $3)
 GROUP BY 1`;

export async function loadOutsideWindow(rolloutId: string, from: Date, to: Date, stages: StageFilter): Promise<Record<Arm, RollupCounters>> {
  const rows = await db.$queryRawUnsafe<AggregateRow[]>(OUTSIDE_SQL, rolloutId, minuteRowsFrom(from), to, [...stages]);
  const out: Record<Arm, RollupCounters> = { control: emptyCounters(), treatment: emptyCounters() };
  for (const r of rows) out[r.arm] = countersOf(r);
  return out;
}

/**
 * Outcomes per (stage, arm) over the rollout's whole life, every stage including the negative
 * (unattributed) ones: the same rows and sums as the outcome half of loadStageCounts
 * (stage-counts.ts), so readiness and the analysis show one number.
 *
 * `version` is how many of those outcomes sit in hours before `settledBefore`. Ingestion adds
 * every new event to exactly one hourly row, in the same transaction as its minute row, and
 * rollups are never lowered or deleted, so the number grows with every batch that adds to
 * those hours: the key under which analysis-cache.ts keeps what it read of them. One narrow
 * column of the hourly rows.
 */
export async function loadStageOutcomes(rolloutId: string, settledBefore: Date): Promise<{ byStage: Map<number, Record<Arm, number>>; version: number }> {
  const rows = await db.$queryRawUnsafe<{ s: number; arm: Arm; n: number; settled: number | null }[]>(
    `SELECT stage_index AS s, arm::text AS arm, sum(count)::float8 AS n, sum(count) FILTER (WHERE hour < $2)::float8 AS settled
       FROM metric_rollups_hourly WHERE rollout_id = $1 GROUP BY 1, 2`,
    rolloutId,
    settledBefore,
  );
  const byStage = new Map<number, Record<Arm, number>>();
  let version = 0;
  for (const r of rows) {
    const entry = byStage.get(r.s) ?? { control: 0, treatment: 0 };
    entry[r.arm] = Number(r.n);
    byStage.set(r.s, entry);
    version += Number(r.settled ?? 0);
  }
  return { byStage, version };
}

/**
 * Served evaluations per arm of one stage in the minutes of [from, to) (a time window inside
 * the stage, such as a gate's last N minutes). The whole stage's counts come from
 * loadStageCounts (stage-counts.ts) instead.
 */
export async function loadWindowExposures(rolloutId: string, stageIndex: number, from: Date, to: Date): Promise<Record<Arm, number>> {
  const rows = await db.$queryRawUnsafe<{ arm: Arm; n: number }[]>(
    `SELECT arm::text AS arm, sum(count)::float8 AS n FROM exposures
      WHERE rollout_id = $1 AND stage_index = $4 AND arm IN ('control', 'treatment') AND minute >= $2 AND minute < $3 GROUP BY 1`,
    rolloutId,
    minuteRowsFrom(from),
    to,
    stageIndex,
  );
  const out: Record<Arm, number> = { control: 0, treatment: 0 };
  for (const r of rows) out[r.arm] = Number(r.n);
  return out;
}

/** Outcomes per arm of the stage(s) `stages` names in the minutes of [from, to) (the A/B rate window). */
export async function loadRecentCounts(rolloutId: string, from: Date, to: Date, stages: StageFilter): Promise<Record<Arm, number>> {
  const rows = await db.$queryRawUnsafe<{ arm: Arm; n: number }[]>(
    `SELECT arm::text AS arm, sum(count)::float8 AS n FROM metric_rollups
      WHERE rollout_id = $1 AND stage_index = ANY($4::int[]) AND arm IN ('control', 'treatment') AND minute >= $2 AND minute < $3 GROUP BY 1`,
    rolloutId,
    minuteRowsFrom(from),
    to,
    [...stages],
  );
  const out: Record<Arm, number> = { control: 0, treatment: 0 };
  for (const r of rows) out[r.arm] = Number(r.n);
  return out;
}

/** The flag's requests per day (all variants) averaged over the 7 days before `to`. */
export async function loadFlagDailyVolume(environmentId: string, flagKey: string, to: Date): Promise<number> {
  const from = new Date(to.getTime() - 7 * 86_400_000);
  const rows = await db.$queryRawUnsafe<{ n: number | null; first: Date | null }[]>(
    `SELECT sum(count)::float8 AS n, min(minute) AS first FROM flag_metric_rollups
      WHERE environment_id = $1 AND flag_key = $2 AND minute >= $3 AND minute < $4`,
    environmentId,
    flagKey,
    from,
    to,
  );
  const n = Number(rows[0]?.n ?? 0);
  const first = rows[0]?.first;
  if (!n || !first) return 0;
  // A flag younger than 7 days is averaged over the days it has existed (at least one hour).
  const days = Math.max((to.getTime() - new Date(first).getTime()) / 86_400_000, 1 / 24);
  return n / Math.min(7, days);
}

/**
 * Served evaluations per (stage, arm) of the stages listed, in the minutes before `before`
 * (`since` null) or from `since` on (`before` null): the same rows and sums as the exposure half
 * of loadStageCounts (stage-counts.ts), split in time so the old part can be kept.
 */
export async function loadStageExposures(rolloutId: string, stages: StageFilter, range: { before: Date } | { since: Date }): Promise<Map<number, Record<Arm, number>>> {
  const [op, bound] = "before" in range ? ["<", range.before] : [">=", range.since];
  const rows = await db.$queryRawUnsafe<{ s: number; arm: Arm; n: number }[]>(
    `SELECT stage_index AS s, arm::text AS arm, sum(count)::float8 AS n FROM exposures
      WHERE rollout_id = $1 AND stage_index = ANY($2::int[]) AND arm IN ('control', 'treatment') AND minute ${op} $3 GROUP BY 1, 2`,
    rolloutId,
    [...stages],
    bound,
  );
  const out = new Map<number, Record<Arm, number>>();
  for (const r of rows) {
    const entry = out.get(r.s) ?? { control: 0, treatment: 0 };
    entry[r.arm] = Number(r.n);
    out.set(r.s, entry);
  }
  return out;
}
