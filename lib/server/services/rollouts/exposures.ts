/** The current stage's samples and exposures, for readiness (the per-stage counts in stage-counts.ts). */
import "server-only";
import type { DbOrTx } from "../../db";
import { emptyStageCounts, stageCounts, type StageArmCounts } from "../metrics/stage-counts";

/**
 * Counts of the stage the rollout is in, exactly those of that stage (the stage is part of the
 * rows' key), or zeros before it started.
 */
export async function currentStageCounts(client: DbOrTx, row: { id: string; currentStageIndex: number; stageStartedAt: Date | null }): Promise<StageArmCounts> {
  if (!row.stageStartedAt) return emptyStageCounts();
  return stageCounts(client, row.id, row.currentStageIndex);
}
