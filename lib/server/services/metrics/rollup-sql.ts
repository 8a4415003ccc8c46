/**
 * The SQL that adds rollup deltas to the rollup tables. Each statement takes the deltas as ONE
 * jsonb parameter (the delta objects as JSON, keys = camelCase column names of the recordset),
 * upserts them in key order, and adds every counter to the stored row under its row lock, so
 * concurrent batches stay exact. Count maps (latency histogram, errors by type) are merged by
 * adding, per key, the stored count to the new one.
 */
import "server-only";
import type { FlagRollupDelta, RollupDelta } from "../../../domain/metrics/types";
import type { Tx } from "../../db";

/** `target || {key: target[key] + new[key]}` for every key of the new map. */
function mergeCounts(column: string): string {
  return `r.${column} || COALESCE((SELECT jsonb_object_agg(key, value::bigint + COALESCE((r.${column} ->> key)::bigint, 0))
      FROM jsonb_each_text(EXCLUDED.${column})), '{}'::jsonb)`;
}

const SUMMED = [
  ["count", "count", "int"],
  ["successes", "successes", "int"],
  ["errors", "errors", "int"],
  ["feedback_up", "feedbackUp", "int"],
  ["feedback_down", "feedbackDown", "int"],
  ["retries", "retries", "int"],
  ["input_tokens_count", "inputTokensCount", "int"],
  ["input_tokens_sum", "inputTokensSum", "float8"],
  ["input_tokens_sum_sq", "inputTokensSumSq", "float8"],
  ["output_tokens_count", "outputTokensCount", "int"],
  ["output_tokens_sum", "outputTokensSum", "float8"],
  ["output_tokens_sum_sq", "outputTokensSumSq", "float8"],
  ["tokens_count", "tokensCount", "int"],
  ["tokens_sum_sq", "tokensSumSq", "float8"],
  ["cost_count", "costCount", "int"],
  ["cost_sum", "costSum", "float8"],
  ["cost_sum_sq", "costSumSq", "float8"],
  ["quality_count", "qualityCount", "int"],
  ["quality_sum", "qualitySum", "float8"],
  ["quality_sum_sq", "qualitySumSq", "float8"],
  ["latency_count", "latencyCount", "int"],
] as const;

function rollupUpsertSql(table: "metric_rollups" | "metric_rollups_hourly", timeColumn: "minute" | "hour"): string {
  const columns = ["rollout_id", "arm", timeColumn, "stage_index", ...SUMMED.map(([c]) => c), "errors_by_type", "latency_histogram"];
  const recordset = [
    `"rolloutId" text`,
    `arm text`,
    `"bucketStart" bigint`,
    `"stageIndex" int`,
    ...SUMMED.map(([, k, t]) => `"${k}" ${t}`),
    `"errorsByType" jsonb`,
    `"latencyHistogram" jsonb`,
  ];
  const select = [
    `d."rolloutId"`,
    `d.arm::"Arm"`,
    `to_timestamp(d."bucketStart" / 1000.0)`,
    `d."stageIndex"`,
    ...SUMMED.map(([, k]) => `d."${k}"`),
    `d."errorsByType"`,
    `d."latencyHistogram"`,
  ];
  return `INSERT INTO ${table} AS r (${columns.join(", ")})
SELECT ${select.join(", ")}
  FROM jsonb_to_recordset($1::jsonb) AS d(${recordset.join(", ")})
 ORDER BY d."rolloutId", d."stageIndex", d.arm, d."bucketStart"
ON CONFLICT (rollout_id, stage_index, arm, ${timeColumn}) DO UPDATE SET
  ${SUMMED.map(([c]) => `${c} = r.${c} + EXCLUDED.${c}`).join(",\n  ")},
  errors_by_type = ${mergeCounts("errors_by_type")},
  latency_histogram = ${mergeCounts("latency_histogram")}`;
}

const MINUTE_UPSERT = rollupUpsertSql("metric_rollups", "minute");
const HOUR_UPSERT = rollupUpsertSql("metric_rollups_hourly", "hour");

const FLAG_UPSERT = `INSERT INTO flag_metric_rollups AS r (environment_id, flag_key, variant, minute, count, successes, cost_sum, latency_count, latency_histogram)
SELECT $2, d."flagKey", d.variant, to_timestamp(d.minute / 1000.0), d.count, d.successes, d."costSum", d."latencyCount", d."latencyHistogram"
  FROM jsonb_to_recordset($1::jsonb) AS d("flagKey" text, variant text, minute bigint, count int, successes int, "costSum" float8, "latencyCount" int, "latencyHistogram" jsonb)
 ORDER BY 2, 3, 4
ON CONFLICT (environment_id, flag_key, variant, minute) DO UPDATE SET
  count = r.count + EXCLUDED.count,
  successes = r.successes + EXCLUDED.successes,
  cost_sum = r.cost_sum + EXCLUDED.cost_sum,
  latency_count = r.latency_count + EXCLUDED.latency_count,
  latency_histogram = ${mergeCounts("latency_histogram")}`;

export async function upsertMinuteRollups(tx: Tx, deltas: RollupDelta[]): Promise<void> {
  if (deltas.length > 0) await tx.$executeRawUnsafe(MINUTE_UPSERT, JSON.stringify(deltas));
}

export async function upsertHourlyRollups(tx: Tx, deltas: RollupDelta[]): Promise<void> {
  if (deltas.length > 0) await tx.$executeRawUnsafe(HOUR_UPSERT, JSON.stringify(deltas));
}

export async function upsertFlagRollups(tx: Tx, environmentId: string, deltas: FlagRollupDelta[]): Promise<void> {
  if (deltas.length > 0) await tx.$executeRawUnsafe(FLAG_UPSERT, JSON.stringify(deltas), environmentId);
}
