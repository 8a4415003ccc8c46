/**
 * Replace one stage's gates while the rollout is a draft (nothing serves it yet, so no evaluation
 * has read the old ones). One transaction: optimistic version check, the stage's gates, the
 * rollout's version bump, and the audit record with before and after. Once started, a rollout's
 * gates are what it is being judged by and cannot change (409).
 */
import "server-only";
import { DomainError } from "../../../domain/errors";
import type { GateSpec } from "../../../domain/gates";
import { recordAudit } from "../../audit/record-audit";
import type { Actor } from "../../auth/actor";
import { assertEnvironment, assertPermission } from "../../auth/access";
import { db } from "../../db";

export async function updateDraftGates(actor: Actor, input: { rolloutId: string; stageIndex: number; gates: GateSpec[]; expectedVersion?: number }, ctx: { requestId?: string } = {}): Promise<void> {
  assertPermission(actor, "rollout.write");
  await db.$transaction(async (tx) => {
    const row = await tx.rollout.findUnique({ where: { id: input.rolloutId }, include: { stages: { orderBy: { index: "asc" } }, flag: { select: { key: true } } } });
    if (!row) throw new DomainError("not_found", "No such rollout.", { rolloutId: input.rolloutId });
    assertEnvironment(actor, row.environmentId);
    if (input.expectedVersion !== undefined && input.expectedVersion !== row.version) {
      throw new DomainError("precondition_failed", `The rollout changed since you loaded it (version ${input.expectedVersion}, now ${row.version}); reload and edit again.`, {
        expectedVersion: input.expectedVersion,
        currentVersion: row.version,
      });
    }
    if (row.state !== "draft") {
      throw new DomainError("conflict", `Gates can be edited only while the rollout is a draft; it is ${row.state}.`, { state: row.state });
    }
    const stage = row.stages.find((s) => s.index === input.stageIndex);
    if (!stage) {
      throw new DomainError("invalid_input", `The rollout has no stage ${input.stageIndex + 1} (it has ${row.stages.length}).`, {
        errors: [{ path: "stage", message: `must be from 1 to ${row.stages.length}` }],
      });
    }
    const updated = await tx.rollout.updateMany({ where: { id: row.id, version: row.version }, data: { version: { increment: 1 } } });
    if (updated.count !== 1) throw new DomainError("conflict", "The rollout changed at the same time; reload and edit again.");
    await tx.rolloutStage.update({ where: { id: stage.id }, data: { gates: input.gates as object[] } });
    await recordAudit(tx, {
      actor,
      action: "rollout.gates_update",
      resourceType: "rollout",
      resourceId: row.id,
      environmentId: row.environmentId,
      before: { stage: input.stageIndex + 1, gates: stage.gates },
      after: { stage: input.stageIndex + 1, gates: input.gates },
      context: { requestId: ctx.requestId, flagKey: row.flag.key },
    });
  });
}
