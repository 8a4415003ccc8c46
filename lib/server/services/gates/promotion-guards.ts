/**
 * What a promotion must respect besides bake time and samples, for the rollout command service
 * (lib/server/services/rollouts/run-rollout-command.ts): the SLO promotion freeze, and the gates
 * of the current stage whose latest result is a failure.
 *
 * Only failures block a person's promote: an inconclusive gate holds AUTOMATIC advancement (the
 * evaluator never advances on it), but a release manager may decide on thin data — the audit
 * record says who did. Admins can still override failures with skip_analysis.
 */
import "server-only";
import type { FreezeStatus } from "../../../domain/rollouts";
import type { DbOrTx } from "../../db";
import { getPromotionFreeze } from "../promotion-freeze";
import { latestGateResults } from "./gate-results";

export interface PromotionGuards {
  freeze: FreezeStatus;
  /** Names of gates failing now, e.g. ["success rate"]. */
  gatesFailing: string[];
}

export async function promotionGuards(
  client: DbOrTx,
  rollout: { id: string; environmentId: string; flagKey: string; currentStageIndex: number; stageStartedAt: Date | null },
  now: Date,
): Promise<PromotionGuards> {
  // Sequential: `client` may be a transaction, which runs one query at a time anyway.
  const freeze = await getPromotionFreeze(rollout.environmentId, rollout.flagKey, { client, now });
  const latest = rollout.stageStartedAt ? await latestGateResults(client, rollout.id, rollout.currentStageIndex, rollout.stageStartedAt) : [];
  return {
    freeze: { active: freeze.active, reason: freeze.reason },
    gatesFailing: latest.filter((r) => r.verdict === "fail").map((r) => r.gateName),
  };
}
