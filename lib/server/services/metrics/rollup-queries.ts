/**
 * Reads for the analysis, aggregated in SQL so a month of per-minute data costs a few thousand
 * rows: whole hours come from metric_rollups_hourly, the partial hours at the window's edges
 * from metric_rollups, and everything is summed per (arm, point) with histograms and error-type
 * maps merged key by key. `arm IN (…)` lets Postgres range-scan the (rollout, arm, time) keys
 * per arm instead of filtering every row of the rollout.
 */
import "server-only";
import { emptyCounters } from "../../../domain/metrics/aggregate";
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

const COLUMNS = [...SUMS.map(([c]) => c), "errors_by_type", "latency_histogram"].join(", ");

/**
 * Which rows a read takes: the stages listed (exact: the stage is part of every row's key) —
 * one stage, or all of the rollout's stages, never the outcomes reported after the end or for
 * no known stage (negative stage indexes, see resolve-event.ts), which are reported on their
 * own. A list (`= ANY`) rather than a range lets Postgres range-scan (rollout, stage, arm, time)
 * per stage and arm.
 */
export type StageFilter = readonly number[];

/**
 * $1 rollout, $2/$3 the whole hours [hourFrom, hourTo), $4/$5 the window [from, to), $6 the
 * point width in ms, $7 the stages. Minute rows are read only outside the whole hours.
 */
const POINTS_SQL = `WITH src AS (
  SELECT arm, hour AS t, ${COLUMNS} FROM metric_rollups_hourly
   WHERE rollout_id = $1 AND stage_index = ANY($7::int[]) AND arm IN ('control', 'treatment') AND hour >= $2 AND hour < $3
  UNION ALL
  SELECT arm, minute AS t, ${COLUMNS} FROM metric_rollups
   WHERE rollout_id = $1 AND stage_index = ANY($7::int[]) AND arm IN ('control', 'treatment') AND minute >= $4 AND minute < $5
     AND NOT (minute >= $2 AND minute < $3)
),
pts AS (
  SELECT arm, (floor(extract(epoch FROM t) * 1000 / $6) * $6)::float8 AS p, ${COLUMNS} FROM src
),
sums AS (
  SELECT arm::text AS arm, p, ${SUMS.map(([c, k]) => `sum(${c})::float8 AS "${k}"`).join(", ")}
    FROM pts GROUP BY arm, p
),
hist AS (
  SELECT arm::text AS arm, p, jsonb_object_agg(k, n) AS h
    FROM (SELECT arm, p, key AS k, sum(value::bigint)::bigint AS n FROM pts, jsonb_each_text(latency_histogram) GROUP BY arm, p, key) x
   GROUP BY arm, p
),
errs AS (
  SELECT arm::text AS arm, p, jsonb_object_agg(k, n) AS e
    FROM (SELECT arm, p, key AS k, sum(value::bigint)::bigint AS n FROM pts, jsonb_each_text(errors_by_type) GROUP BY arm, p, key) x
   GROUP BY arm, p
)
SELECT sums.*, hist.h, errs.e FROM sums LEFT JOIN hist USING (arm, p) LEFT JOIN errs USING (arm, p)
 ORDER BY p, arm`;

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

type PointRow = Record<string, number> & { arm: Arm; p: number; h: Record<string, number> | null; e: Record<string, number> | null };

/** Per-arm counters per point of `plan.stepMs` over [from, to), of the stage(s) `stages` names. */
export async function loadRollupPoints(rolloutId: string, from: Date, to: Date, plan: SeriesPlan, stages: StageFilter): Promise<ArmBucket[]> {
  let hourFrom = to;
  let hourTo = to;
  if (plan.source === "hour") {
    hourFrom = new Date(Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS);
    hourTo = new Date(Math.max(hourFrom.getTime(), Math.floor(to.getTime() / HOUR_MS) * HOUR_MS));
  }
  const rows = await db.$queryRawUnsafe<PointRow[]>(POINTS_SQL, rolloutId, hourFrom, hourTo, minuteRowsFrom(from), to, plan.stepMs, [...stages]);
  return rows.map((r) => ({ arm: r.arm, t: Number(r.p), counters: countersOf(r) }));
}

function countersOf(r: PointRow): RollupCounters {
  const counters = emptyCounters();
  for (const [, k] of SUMS) counters[k] = Number(r[k] ?? 0);
  counters.latencyHistogram = numberValues(r.h);
  counters.errorsByType = numberValues(r.e);
  return counters;
}

/**
 * Every outcome counter per (stage, arm) over the rollout's whole life, whatever the events'
 * timestamps (an echoed stage counts for its stage even when reported late): the per-stage
 * aggregate every stage figure reads. Summed from the hourly rows, which carry the stage in
 * their key like the minute rows, so the sums are the same and far fewer rows are read.
 */
const STAGE_TOTALS_SQL = `WITH src AS (
  SELECT stage_index AS s, arm, ${COLUMNS} FROM metric_rollups_hourly WHERE rollout_id = $1 AND arm IN ('control', 'treatment')
),
sums AS (
  SELECT s, arm::text AS arm, ${SUMS.map(([c, k]) => `sum(${c})::float8 AS "${k}"`).join(", ")} FROM src GROUP BY s, arm
),
hist AS (
  SELECT s, arm::text AS arm, jsonb_object_agg(k, n) AS h
    FROM (SELECT s, arm, key AS k, sum(value::bigint)::bigint AS n FROM src, jsonb_each_text(latency_histogram) GROUP BY s, arm, key) x
   GROUP BY s, arm
),
errs AS (
  SELECT s, arm::text AS arm, jsonb_object_agg(k, n) AS e
    FROM (SELECT s, arm, key AS k, sum(value::bigint)::bigint AS n FROM src, jsonb_each_text(errors_by_type) GROUP BY s, arm, key) x
   GROUP BY s, arm
)
SELECT sums.*, hist.h, errs.e FROM sums LEFT JOIN hist USING (s, arm) LEFT JOIN errs USING (s, arm) ORDER BY s, arm`;

export type StageCounters = Map<number, Record<Arm, RollupCounters>>;

export async function loadStageTotals(rolloutId: string): Promise<StageCounters> {
  const rows = await db.$queryRawUnsafe<(PointRow & { s: number })[]>(STAGE_TOTALS_SQL, rolloutId);
  const out: StageCounters = new Map();
  for (const r of rows) {
    const entry = out.get(r.s) ?? { control: emptyCounters(), treatment: emptyCounters() };
    entry[r.arm] = countersOf(r);
    out.set(r.s, entry);
  }
  return out;
}

function numberValues(o: Record<string, unknown> | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o ?? {})) out[k] = Number(v);
  return out;
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
