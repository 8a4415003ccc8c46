/**
 * Archiving (the soft delete behind DELETE /flags/{key}): the flag leaves evaluation — the
 * snapshot loader skips archived flags — but its row, key, history and metrics stay. Refused
 * with 409 while a rollout of the flag is open (draft, running, paused, awaiting approval).
 * Archiving an archived flag changes nothing and answers it as it is.
 */
import "server-only";
import { DomainError } from "../../../domain/errors";
import type { Actor } from "../../auth/actor";
import { assertPermission } from "../../auth/access";
import { recordAudit } from "../../audit/record-audit";
import { db, type Tx } from "../../db";
import { bumpConfigVersion } from "../environments";
import { announceConfigChange, auditContext, callerEnvironment, concurrentChange, loadFlagRow, type FlagContext } from "./flag-records";
import { holdingRollout, toFlagView, type FlagRow, type FlagView } from "./flag-view";

export async function archiveFlag(actor: Actor, environmentKey: string, key: string, ctx: FlagContext, now: Date = new Date()): Promise<{ flag: FlagView }> {
  assertPermission(actor, "flag.write");
  const result = await db.$transaction(async (tx) => {
    const environment = await callerEnvironment(actor, environmentKey, tx);
    return archiveFlagInTx(tx, actor, environment, key, ctx, now);
  });
  if (result.configVersion !== null) await announceConfigChange(result.row.environmentId, result.configVersion);
  return { flag: toFlagView(result.row) };
}

/** The write of an archive inside the caller's transaction (also config-as-code `apply --prune`). */
export async function archiveFlagInTx(
  tx: Tx,
  actor: Actor,
  environment: { id: string; key: string },
  key: string,
  ctx: FlagContext,
  now: Date = new Date(),
): Promise<{ row: FlagRow; configVersion: bigint | null }> {
  const row = await loadFlagRow(tx, environment, key);
  if (row.archivedAt) return { row, configVersion: null };
  const rollout = holdingRollout(row);
  if (rollout) {
    throw new DomainError(
      "conflict",
      `Flag "${key}" has an open ${rollout.strategy.replace("_", " ")} rollout (${rollout.state.replace("_", " ")}); ` + "finish, roll back or abort it before archiving the flag.",
      { reason: "active_rollout", rolloutId: rollout.id, rolloutState: rollout.state },
    );
  }
  const { count } = await tx.flag.updateMany({
    where: { id: row.id, version: row.version },
    data: { archivedAt: now, version: { increment: 1 } },
  });
  if (count === 0) throw concurrentChange(row);
  const configVersion = await bumpConfigVersion(tx, environment.id);
  await recordAudit(tx, {
    actor,
    action: "flag.archive",
    resourceType: "flag",
    resourceId: row.id,
    environmentId: environment.id,
    before: { archivedAt: null, version: row.version },
    after: { archivedAt: now.toISOString(), version: row.version + 1 },
    context: auditContext(ctx, row.key),
    now,
  });
  return { row: await loadFlagRow(tx, environment, key), configVersion };
}
