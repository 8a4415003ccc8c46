/** The admin setting `rollouts.requiredApprovals`: approvals a new rollout's gated stages need. */
import "server-only";
import { DomainError } from "../../../domain/errors";
import { MAX_REQUIRED_APPROVALS } from "../../../schemas/rollouts";
import type { Actor } from "../../auth/actor";
import { assertPermission } from "../../auth/access";
import { recordAudit } from "../../audit/record-audit";
import { db, type DbOrTx } from "../../db";

export const REQUIRED_APPROVALS_KEY = "rollouts.requiredApprovals";
/** Without the setting, one reviewer (other than the requester) suffices. */
export const DEFAULT_REQUIRED_APPROVALS = 1;

/** The stored value, or 1 when unset or out of range (1..5). */
export async function getRequiredApprovals(client: DbOrTx = db): Promise<number> {
  const row = await client.setting.findUnique({ where: { key: REQUIRED_APPROVALS_KEY } });
  const value = row?.value;
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= MAX_REQUIRED_APPROVALS ? value : DEFAULT_REQUIRED_APPROVALS;
}

/** Admin only (settings.manage); audited. Applies to rollouts created afterwards. */
export async function setRequiredApprovals(actor: Actor, requiredApprovals: number, ctx: { requestId: string }) {
  assertPermission(actor, "settings.manage");
  if (!Number.isInteger(requiredApprovals) || requiredApprovals < 1 || requiredApprovals > MAX_REQUIRED_APPROVALS) {
    throw new DomainError("invalid_input", `requiredApprovals must be an integer from 1 to ${MAX_REQUIRED_APPROVALS}.`, {
      field: "requiredApprovals",
    });
  }
  return db.$transaction(async (tx) => {
    const before = await getRequiredApprovals(tx);
    await tx.setting.upsert({
      where: { key: REQUIRED_APPROVALS_KEY },
      create: { key: REQUIRED_APPROVALS_KEY, value: requiredApprovals },
      update: { value: requiredApprovals },
    });
    await recordAudit(tx, {
      actor,
      action: "settings.update",
      resourceType: "setting",
      resourceId: REQUIRED_APPROVALS_KEY,
      before: { requiredApprovals: before },
      after: { requiredApprovals },
      context: ctx,
    });
    return { requiredApprovals };
  });
}
