/** Rollouts of an environment, newest activity first, with the stage they are at. */
import "server-only";
import { describeStage, servedSplit, stageLabel } from "../../../domain/rollouts";
import type { ListRolloutsFilter } from "../../../schemas/rollout-extras";
import type { Actor } from "../../auth/actor";
import { assertEnvironment } from "../../auth/access";
import { db } from "../../db";
import { getEnvironmentByKey } from "../environments";
import { resolveActors } from "./actor-labels";
import { parsePendingApproval, toMachineState } from "./rollout-record";

export async function listRollouts(actor: Actor, filter: ListRolloutsFilter) {
  const environment = await getEnvironmentByKey(filter.environment);
  assertEnvironment(actor, environment.id);
  const rows = await db.rollout.findMany({
    where: {
      environmentId: environment.id,
      state: filter.state ? { in: filter.state } : undefined,
      strategy: filter.strategy,
      flag: filter.flagKey ? { key: filter.flagKey } : undefined,
    },
    orderBy: [{ updatedAt: "desc" }],
    take: filter.limit,
    include: { stages: { orderBy: { index: "asc" } }, flag: { select: { key: true, kind: true } } },
  });
  const who = await resolveActors(
    db,
    rows.flatMap((r) => [r.createdById, parsePendingApproval(r.pendingApproval)?.requestedBy ?? r.createdById]),
  );
  return {
    environment: { id: environment.id, key: environment.key },
    rollouts: rows.map((r) => {
      const machine = toMachineState(r);
      const pending = machine.pendingApproval;
      const current = r.stages[r.currentStageIndex];
      return {
        id: r.id,
        flagKey: r.flag.key,
        flagKind: r.flag.kind,
        strategy: r.strategy,
        state: r.state,
        description: r.description,
        controlVariant: r.controlVariant,
        treatmentVariant: r.treatmentVariant,
        currentStageIndex: r.currentStageIndex,
        stageCount: r.stages.length,
        stage: describeStage(machine.stages, r.currentStageIndex),
        stageLabel: current ? stageLabel(current) : "",
        servedSplit: servedSplit(machine),
        stageStartedAt: r.stageStartedAt,
        version: r.version,
        requiredApprovals: r.requiredApprovals,
        pendingApproval: pending
          ? {
              stageIndex: pending.stageIndex,
              requestedBy: who(pending.requestedBy),
              requestedAt: pending.requestedAt,
              approvals: pending.approvals.length,
            }
          : null,
        createdBy: who(r.createdById),
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
        startedAt: r.startedAt,
        endedAt: r.endedAt,
      };
    }),
  };
}
