/**
 * Per-stage counts of a rollout: outcomes (from the hourly rollups, whose key carries the stage
 * that served them) and exposures (whose key carries the stage too), per arm. Readiness, the
 * analysis's "Samples per stage" and its SRM line read these same rows, so a stage's numbers
 * agree everywhere. Negative stage indexes are the outcomes that belong to no stage
 * (STAGE_AFTER_END, STAGE_UNKNOWN in lib/domain/metrics/resolve-event.ts).
 */
import "server-only";
import type { Arm } from "../../../domain/metrics/types";
import type { DbOrTx } from "../../db";

export interface StageArmCounts {
  outcomes: Record<Arm, number>;
  exposures: Record<Arm, number>;
}

export function emptyStageCounts(): StageArmCounts {
  return { outcomes: { control: 0, treatment: 0 }, exposures: { control: 0, treatment: 0 } };
}

/** `stage`: "" for all, or an equality on the stage so the (rollout, stage, …) keys narrow the scan. */
const sql = (stage: string) => `SELECT 'outcomes' AS kind, stage_index AS s, arm::text AS arm, sum(count)::float8 AS n
   FROM metric_rollups_hourly WHERE rollout_id = $1 ${stage} GROUP BY 2, 3
 UNION ALL
 SELECT 'exposures', stage_index, arm::text, sum(count)::float8
   FROM exposures WHERE rollout_id = $1 ${stage} GROUP BY 2, 3`;
const ALL_STAGES = sql("");
const ONE_STAGE = sql("AND stage_index = $2");

/** Every stage's counts (and the negative, unattributed ones), keyed by stage index. */
export async function loadStageCounts(client: DbOrTx, rolloutId: string, onlyStage: number | null = null): Promise<Map<number, StageArmCounts>> {
  type Row = { kind: "outcomes" | "exposures"; s: number; arm: Arm; n: number };
  const rows = onlyStage === null ? await client.$queryRawUnsafe<Row[]>(ALL_STAGES, rolloutId) : await client.$queryRawUnsafe<Row[]>(ONE_STAGE, rolloutId, onlyStage);
  const out = new Map<number, StageArmCounts>();
  for (const r of rows) {
    const entry = out.get(r.s) ?? emptyStageCounts();
    entry[r.kind][r.arm] = Number(r.n);
    out.set(r.s, entry);
  }
  return out;
}

/** One stage's counts (zeros before it has any). */
export async function stageCounts(client: DbOrTx, rolloutId: string, stageIndex: number): Promise<StageArmCounts> {
  return (await loadStageCounts(client, rolloutId, stageIndex)).get(stageIndex) ?? emptyStageCounts();
}
