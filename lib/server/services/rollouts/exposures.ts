/** Exposure counts of a rollout's arms, read from the per-minute `exposures` table. */
import type { ExposureCounts } from "../../../domain/rollouts/readiness";
import type { DbOrTx } from "../../db";

/**
 * Served evaluations per arm since `since` (the current stage's start). Rows are per minute, so
 * the minute in which the stage began is counted whole: at most one minute of the previous
 * stage's traffic leaks in, which can only overstate progress by that minute.
 */
export async function exposuresSince(client: DbOrTx, rolloutId: string, since: Date | null): Promise<ExposureCounts> {
  if (!since) return { control: 0, treatment: 0 };
  const minute = new Date(Math.floor(since.getTime() / 60_000) * 60_000);
  const rows = await client.exposure.groupBy({
    by: ["arm"],
    where: { rolloutId, minute: { gte: minute } },
    _sum: { count: true },
  });
  const of = (arm: string) => rows.find((r) => r.arm === arm)?._sum.count ?? 0;
  return { control: of("control"), treatment: of("treatment") };
}
