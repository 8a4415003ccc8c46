/**
 * The one statement that stores a batch of resolved events and rolls up exactly the new ones.
 * The batch arrives as typed arrays, one per column (`unnest`); the statement
 *   1. inserts the raw rows in id order, ON CONFLICT (environment, id) DO NOTHING — the dedupe:
 *      a replayed or concurrently sent event is stored by one statement only;
 *   2. aggregates the rows it stored (and only those) per (rollout, stage, arm, minute), per
 *      (rollout, stage, arm, hour) and per (flag, variant, minute), the latency histograms and
 *      errors by type included, and upserts the three rollup tables, adding to each stored row
 *      under its row lock (key order, so concurrent batches cannot deadlock each other);
 *   3. answers how many events were new, and their ids when some were not.
 * One statement is one transaction and one round trip. The sums are the ones
 * lib/domain/metrics/aggregate.ts defines (its addEvent), which the integration tests check.
 */
import "server-only";

/** The columns of a batch, one array each, all of the batch's length. */
export interface EventColumns {
  id: string[];
  /** Epoch milliseconds. */
  occurredAt: number[];
  flagKey: string[];
  variant: string[];
  rolloutId: (string | null)[];
  arm: (string | null)[];
  stageIndex: number[];
  subjectKey: (string | null)[];
  requestId: (string | null)[];
  pairId: (string | null)[];
  model: (string | null)[];
  latencyMs: (number | null)[];
  /** latencyBucketIndex(latencyMs), computed by the caller: the histogram's one definition. */
  latencyBucket: (number | null)[];
  inputTokens: (number | null)[];
  outputTokens: (number | null)[];
  costUsd: (number | null)[];
  success: boolean[];
  errorType: (string | null)[];
  feedback: (number | null)[];
  retried: boolean[];
  qualityScore: (number | null)[];
  /** The attributes object as JSON text, or null for none. */
  attributes: (string | null)[];
}

/** Parameter order after $1 (the environment id), with each array's SQL type. */
const COLUMNS: [keyof EventColumns, string, string][] = [
  ["id", "id", "text"],
  ["occurredAt", "t", "bigint"],
  ["flagKey", "flag_key", "text"],
  ["variant", "variant", "text"],
  ["rolloutId", "rollout_id", "text"],
  ["arm", "arm", "text"],
  ["stageIndex", "stage", "int"],
  ["subjectKey", "subject_key", "text"],
  ["requestId", "request_id", "text"],
  ["pairId", "pair_id", "text"],
  ["model", "model", "text"],
  ["latencyMs", "latency", "float8"],
  ["latencyBucket", "bucket", "int"],
  ["inputTokens", "input_tokens", "int"],
  ["outputTokens", "output_tokens", "int"],
  ["costUsd", "cost", "float8"],
  ["success", "success", "boolean"],
  ["errorType", "error_type", "text"],
  ["feedback", "feedback", "int"],
  ["retried", "retried", "boolean"],
  ["qualityScore", "quality", "float8"],
  ["attributes", "attributes", "jsonb"],
];

const HAS_TOKENS = "input_tokens IS NOT NULL OR output_tokens IS NOT NULL";
const TOTAL_TOKENS = "(COALESCE(input_tokens, 0) + COALESCE(output_tokens, 0))::float8";

/** Rollup column ← aggregate over the new events of one key (the sums of addEvent). */
const COUNTERS: [string, string][] = [
  ["count", "count(*)"],
  ["successes", "count(*) FILTER (WHERE success)"],
  ["errors", "count(*) FILTER (WHERE NOT success)"],
  ["feedback_up", "count(*) FILTER (WHERE feedback = 1)"],
  ["feedback_down", "count(*) FILTER (WHERE feedback = -1)"],
  ["retries", "count(*) FILTER (WHERE retried)"],
  ["input_tokens_count", "count(input_tokens)"],
  ["input_tokens_sum", "COALESCE(sum(input_tokens::float8), 0)"],
  ["input_tokens_sum_sq", "COALESCE(sum(input_tokens::float8 * input_tokens::float8), 0)"],
  ["output_tokens_count", "count(output_tokens)"],
  ["output_tokens_sum", "COALESCE(sum(output_tokens::float8), 0)"],
  ["output_tokens_sum_sq", "COALESCE(sum(output_tokens::float8 * output_tokens::float8), 0)"],
  ["tokens_count", `count(*) FILTER (WHERE ${HAS_TOKENS})`],
  ["tokens_sum_sq", `COALESCE(sum(${TOTAL_TOKENS} * ${TOTAL_TOKENS}) FILTER (WHERE ${HAS_TOKENS}), 0)`],
  ["cost_count", "count(cost)"],
  ["cost_sum", "COALESCE(sum(cost), 0)"],
  ["cost_sum_sq", "COALESCE(sum(cost * cost), 0)"],
  ["quality_count", "count(quality)"],
  ["quality_sum", "COALESCE(sum(quality), 0)"],
  ["quality_sum_sq", "COALESCE(sum(quality * quality), 0)"],
  ["latency_count", "count(latency)"],
];

/** `target || {key: target[key] + new[key]}` for every key of the new map. */
function mergeCounts(column: string): string {
  return `r.${column} || COALESCE((SELECT jsonb_object_agg(key, value::bigint + COALESCE((r.${column} ->> key)::bigint, 0))
      FROM jsonb_each_text(EXCLUDED.${column})), '{}'::jsonb)`;
}

/** The new events with `b`, the start (epoch ms) of their time bucket of `widthMs`. */
function bucketed(widthMs: number): string {
  return `(SELECT *, (t / ${widthMs}) * ${widthMs} AS b FROM fresh) f`;
}

/**
 * `{label: count}` per key of `keys`, over the events of `source` matching `where`: counted per
 * (key, label) first, then folded into one jsonb object per key.
 */
function countMap(source: string, keys: string, label: string, where: string): string {
  return `SELECT ${keys}, jsonb_object_agg(label, n) AS m
      FROM (SELECT ${keys}, ${label} AS label, count(*) AS n FROM ${source} WHERE ${where} GROUP BY ${keys}, label) c
     GROUP BY ${keys}`;
}

/** Upsert of the per-rollout rollups at `widthMs` (a minute or an hour) into `table`. */
function rolloutRollup(table: string, timeColumn: string, widthMs: number): string {
  const source = bucketed(widthMs);
  const keys = "rollout_id, stage, arm, b";
  const inRollout = "rollout_id IS NOT NULL";
  return `INSERT INTO ${table} AS r (rollout_id, stage_index, arm, ${timeColumn}, ${COUNTERS.map(([c]) => c).join(", ")}, errors_by_type, latency_histogram)
  SELECT a.rollout_id, a.stage, a.arm::"Arm", to_timestamp(a.b / 1000.0), ${COUNTERS.map(([c]) => `a.${c}`).join(", ")},
         COALESCE(x.m, '{}'::jsonb), COALESCE(h.m, '{}'::jsonb)
    FROM (SELECT ${keys}, ${COUNTERS.map(([c, agg]) => `${agg} AS ${c}`).join(", ")}
            FROM ${source} WHERE ${inRollout} GROUP BY ${keys}) a
    LEFT JOIN (${countMap(source, keys, "COALESCE(error_type, 'unknown')", `${inRollout} AND NOT success`)}) x USING (rollout_id, stage, arm, b)
    LEFT JOIN (${countMap(source, keys, "bucket::text", `${inRollout} AND bucket IS NOT NULL`)}) h USING (rollout_id, stage, arm, b)
   ORDER BY a.rollout_id, a.stage, a.arm, a.b
  ON CONFLICT (rollout_id, stage_index, arm, ${timeColumn}) DO UPDATE SET
    ${COUNTERS.map(([c]) => `${c} = r.${c} + EXCLUDED.${c}`).join(",\n    ")},
    errors_by_type = ${mergeCounts("errors_by_type")},
    latency_histogram = ${mergeCounts("latency_histogram")}`;
}

const FLAG_ROLLUP = `INSERT INTO flag_metric_rollups AS r (environment_id, flag_key, variant, minute, count, successes, cost_sum, latency_count, latency_histogram)
  SELECT $1, a.flag_key, a.variant, to_timestamp(a.b / 1000.0), a.count, a.successes, a.cost_sum, a.latency_count, COALESCE(h.m, '{}'::jsonb)
    FROM (SELECT flag_key, variant, b, count(*) AS count, count(*) FILTER (WHERE success) AS successes, COALESCE(sum(cost), 0) AS cost_sum, count(latency) AS latency_count
            FROM ${bucketed(60_000)} GROUP BY flag_key, variant, b) a
    LEFT JOIN (${countMap(bucketed(60_000), "flag_key, variant, b", "bucket::text", "bucket IS NOT NULL")}) h USING (flag_key, variant, b)
   ORDER BY a.flag_key, a.variant, a.b
  ON CONFLICT (environment_id, flag_key, variant, minute) DO UPDATE SET
    count = r.count + EXCLUDED.count,
    successes = r.successes + EXCLUDED.successes,
    cost_sum = r.cost_sum + EXCLUDED.cost_sum,
    latency_count = r.latency_count + EXCLUDED.latency_count,
    latency_histogram = ${mergeCounts("latency_histogram")}`;

/**
 * $1 environment id, $2… the columns in COLUMNS order, $N+2 the batch size. Returns one row:
 * `stored` (new events) and `ids` (the new ids, only when some events were not new).
 */
export const INGEST_BATCH_SQL = `WITH e AS (
  SELECT * FROM unnest(${COLUMNS.map(([, , type], i) => `$${i + 2}::${type}[]`).join(", ")})
    AS e(${COLUMNS.map(([, name]) => name).join(", ")})
), stored AS (
  INSERT INTO metric_events (environment_id, id, occurred_at, flag_key, variant, rollout_id, arm, subject_key, request_id, pair_id,
    model, latency_ms, input_tokens, output_tokens, cost_usd, success, error_type, feedback, retried, quality_score, attributes)
  SELECT $1, id, to_timestamp(t / 1000.0), flag_key, variant, rollout_id, arm::"Arm", subject_key, request_id, pair_id,
         model, latency, input_tokens, output_tokens, cost, success, error_type, feedback, retried, quality, COALESCE(attributes, '{}'::jsonb)
    FROM e ORDER BY id
  ON CONFLICT (environment_id, id) DO NOTHING
  RETURNING id
), fresh AS (
  SELECT e.* FROM e JOIN stored USING (id)
), minute_rollups AS (
  ${rolloutRollup("metric_rollups", "minute", 60_000)}
), hourly_rollups AS (
  ${rolloutRollup("metric_rollups_hourly", "hour", 3_600_000)}
), flag_rollups AS (
  ${FLAG_ROLLUP}
)
SELECT n::int AS stored, CASE WHEN n < $${COLUMNS.length + 2} THEN COALESCE((SELECT array_agg(id) FROM stored), '{}') END AS ids
  FROM (SELECT count(*) AS n FROM stored) s`;

/**
 * A Postgres array literal of numbers or booleans (`{1,NULL,2.5}`): what the driver would send
 * for the array, built without its per-element escaping, which only text needs.
 */
function plainArrayLiteral(values: readonly (number | boolean | null)[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ",";
    const v = values[i];
    out += v === null ? "NULL" : String(v);
  }
  return out + "}";
}

/** The parameters of INGEST_BATCH_SQL for `columns`. */
export function ingestBatchParams(environmentId: string, columns: EventColumns): unknown[] {
  const arrays = COLUMNS.map(([key, , type]) => {
    const values = columns[key];
    return type === "text" || type === "jsonb" ? values : plainArrayLiteral(values as (number | boolean | null)[]);
  });
  return [environmentId, ...arrays, columns.id.length];
}
