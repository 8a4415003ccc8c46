/**
 * Shadow pairs from the raw events: a control event and a treatment event of the same rollout
 * sharing a pairId. Counts and sums of paired differences cover every pair in the window; the
 * signed-rank tests get the most recent MAX_TESTED_PAIRS pairs (their cost grows n log n).
 */
import "server-only";
import { PAIRED_VALUES, type DifferenceSums, type PairedSummary, type PairedValue } from "../../../domain/metrics/paired";
import { db } from "../../db";

/** Pairs handed to the Wilcoxon signed-rank tests, most recent first. */
export const MAX_TESTED_PAIRS = 20_000;

const PAIRS = `pairs AS (
  SELECT c.occurred_at AS at, c.success AS cs, t.success AS ts, c.retried AS cr, t.retried AS tr,
         c.latency_ms AS c_latency, t.latency_ms AS t_latency,
         c.cost_usd AS c_cost, t.cost_usd AS t_cost,
         CASE WHEN c.input_tokens IS NULL AND c.output_tokens IS NULL THEN NULL ELSE COALESCE(c.input_tokens, 0) + COALESCE(c.output_tokens, 0) END::float8 AS c_tokens,
         CASE WHEN t.input_tokens IS NULL AND t.output_tokens IS NULL THEN NULL ELSE COALESCE(t.input_tokens, 0) + COALESCE(t.output_tokens, 0) END::float8 AS t_tokens,
         c.input_tokens::float8 AS c_input_tokens, t.input_tokens::float8 AS t_input_tokens,
         c.output_tokens::float8 AS c_output_tokens, t.output_tokens::float8 AS t_output_tokens,
         c.quality_score AS c_quality, t.quality_score AS t_quality
    FROM metric_events c
    JOIN metric_events t ON t.environment_id = c.environment_id AND t.pair_id = c.pair_id
                        AND t.rollout_id = c.rollout_id AND t.arm = 'treatment'
   WHERE c.rollout_id = $1 AND c.arm = 'control' AND c.pair_id IS NOT NULL
     AND c.occurred_at >= $2 AND c.occurred_at < $3
)`;

const diff = (v: PairedValue) => `(t_${v} - c_${v})`;

const SUMMARY_SQL = `WITH ${PAIRS}
SELECT count(*)::float8 AS pairs,
       count(*) FILTER (WHERE NOT cs AND ts)::float8 AS only_control_failed,
       count(*) FILTER (WHERE cs AND NOT ts)::float8 AS only_treatment_failed,
       count(*) FILTER (WHERE cr AND NOT tr)::float8 AS only_control_retried,
       count(*) FILTER (WHERE tr AND NOT cr)::float8 AS only_treatment_retried,
       ${PAIRED_VALUES.map((v) => `count(${diff(v)})::float8 AS ${v}_n, COALESCE(sum(${diff(v)}), 0)::float8 AS ${v}_sum, COALESCE(sum(${diff(v)} * ${diff(v)}), 0)::float8 AS ${v}_sq`).join(",\n       ")}
  FROM pairs`;

const SAMPLES_SQL = `WITH ${PAIRS}
SELECT ${PAIRED_VALUES.map((v) => `c_${v}, t_${v}`).join(", ")} FROM pairs ORDER BY at DESC LIMIT ${MAX_TESTED_PAIRS}`;

export async function loadShadowPairs(rolloutId: string, from: Date, to: Date): Promise<PairedSummary & { pairsTested: number }> {
  const [summaryRows, sampleRows] = await Promise.all([
    db.$queryRawUnsafe<Record<string, number>[]>(SUMMARY_SQL, rolloutId, from, to),
    db.$queryRawUnsafe<Record<string, number | null>[]>(SAMPLES_SQL, rolloutId, from, to),
  ]);
  const s = summaryRows[0] ?? {};
  const num = (k: string) => Number(s[k] ?? 0);
  const differences = {} as Record<PairedValue, DifferenceSums>;
  const samples = {} as Record<PairedValue, { a: number[]; b: number[] }>;
  for (const v of PAIRED_VALUES) {
    differences[v] = { n: num(`${v}_n`), sum: num(`${v}_sum`), sumOfSquares: num(`${v}_sq`) };
    const a: number[] = [];
    const b: number[] = [];
    for (const row of sampleRows) {
      const c = row[`c_${v}`];
      const t = row[`t_${v}`];
      if (c != null && t != null) {
        a.push(Number(c));
        b.push(Number(t));
      }
    }
    samples[v] = { a, b };
  }
  return {
    pairs: num("pairs"),
    onlyControlFailed: num("only_control_failed"),
    onlyTreatmentFailed: num("only_treatment_failed"),
    onlyControlRetried: num("only_control_retried"),
    onlyTreatmentRetried: num("only_treatment_retried"),
    differences,
    samples,
    pairsTested: sampleRows.length,
  };
}
