/**
 * One rollout as the detail screen and GET /api/v1/rollouts/{id} show it: the plan with each
 * stage done / current / next, the split in force, readiness of the current stage with
 * exposures per arm, the commands valid now (and which of them this caller may run, with the
 * reason when not), the pending approval, approvals and the history of transitions.
 */
import "server-only";
import { allowedCommands, describeStage, servedSplit, stageLabel } from "../../../domain/rollouts";
import { commandAvailability } from "../../../domain/rollouts/command-availability";
import { assessStageReadiness } from "../../../domain/rollouts/readiness";
import type { Actor } from "../../auth/actor";
import { assertEnvironment } from "../../auth/access";
import { db } from "../../db";
import { resolveActors } from "./actor-labels";
import { currentStageCounts } from "./exposures";
import { loadRollout, toMachineState } from "./rollout-record";

export type StageStatus = "done" | "current" | "next";

export async function getRollout(actor: Actor, id: string, now: Date = new Date()) {
  const row = await loadRollout(db, id);
  assertEnvironment(actor, row.environmentId);
  const machine = toMachineState(row);
  const [transitions, approvals, counts] = await Promise.all([
    db.rolloutTransition.findMany({ where: { rolloutId: id }, orderBy: { createdAt: "asc" } }),
    db.approval.findMany({ where: { rolloutId: id }, orderBy: { createdAt: "asc" } }),
    currentStageCounts(db, row),
  ]);
  const who = await resolveActors(db, [
    row.createdById,
    ...transitions.map((t) => t.actorId),
    ...approvals.flatMap((a) => [a.decidedById, a.requestedBy]),
    ...(machine.pendingApproval ? [machine.pendingApproval.requestedBy, ...machine.pendingApproval.approvals.map((a) => a.by)] : []),
  ]);
  const started = row.state !== "draft";
  const terminal = ["completed", "rolled_back", "aborted"].includes(row.state);
  const assessment = assessStageReadiness(machine, now, counts.outcomes);
  const promoteBlockers = started && !terminal ? assessment.blockers : [];

  return {
    id: row.id,
    environment: row.environment,
    flag: {
      id: row.flag.id,
      key: row.flag.key,
      kind: row.flag.kind,
      defaultVariant: row.flag.defaultVariant,
      variants: Array.isArray(row.flag.variants) ? (row.flag.variants as { key: string; payload: unknown }[]) : [],
    },
    strategy: row.strategy,
    state: row.state,
    description: row.description,
    controlVariant: row.controlVariant,
    treatmentVariant: row.treatmentVariant,
    autoAdvance: row.autoAdvance,
    requiredApprovals: row.requiredApprovals,
    version: row.version,
    currentStageIndex: row.currentStageIndex,
    currentStage: describeStage(machine.stages, row.currentStageIndex),
    stageStartedAt: row.stageStartedAt,
    servedSplit: servedSplit(machine),
    lastAutomaticAction: row.lastAutomaticAction,
    createdBy: who(row.createdById),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    stages: row.stages.map((s, i) => ({
      index: s.index,
      label: stageLabel(s),
      trafficBasisPoints: s.trafficBasisPoints,
      shadowSampleBasisPoints: s.shadowSampleBasisPoints,
      minBakeSeconds: s.minBakeSeconds,
      minSamplesPerArm: s.minSamplesPerArm,
      requiresApproval: s.requiresApproval,
      gates: s.gates,
      startedAt: s.startedAt,
      endedAt: s.endedAt,
      status: stageStatus(row.state, row.currentStageIndex, i),
    })),
    progress: {
      /** Served evaluations of the current stage per arm (the SRM line's counts). */
      exposures: counts.exposures,
      /** Outcomes of the current stage per arm: what `samples` (and the gates) count. */
      outcomes: counts.outcomes,
      samples: assessment.samples,
      sampleBasis: assessment.sampleBasis,
      minSamplesPerArm: assessment.minSamplesPerArm,
      bakeElapsedSeconds: started ? assessment.bakeElapsedSeconds : 0,
      bakeRemainingSeconds: terminal ? 0 : assessment.bakeRemainingSeconds,
      minBakeSeconds: assessment.minBakeSeconds,
      ready: started && !terminal && assessment.blockers.length === 0,
      blockers: promoteBlockers,
    },
    allowedCommands: allowedCommands(machine.state),
    actions: commandAvailability(machine, { id: actor.id, permissions: actor.permissions }, promoteBlockers),
    pendingApproval: machine.pendingApproval
      ? {
          stageIndex: machine.pendingApproval.stageIndex,
          stage: describeStage(machine.stages, machine.pendingApproval.stageIndex),
          requestedBy: who(machine.pendingApproval.requestedBy),
          requestedAt: machine.pendingApproval.requestedAt,
          approvals: machine.pendingApproval.approvals.map((a) => ({ by: who(a.by), at: a.at, comment: a.comment })),
          requiredApprovals: row.requiredApprovals,
        }
      : null,
    approvals: approvals.map((a) => ({
      id: a.id,
      stageIndex: a.stageIndex,
      requestedBy: who(a.requestedBy),
      decidedBy: who(a.decidedById),
      decision: a.decision,
      comment: a.comment,
      createdAt: a.createdAt,
    })),
    history: transitions.map((t) => ({
      id: t.id,
      command: t.command,
      fromState: t.fromState,
      toState: t.toState,
      fromStage: t.fromStage,
      toStage: t.toStage,
      actor: who(t.actorId),
      comment: t.comment,
      summary: (t.details as { summary?: string } | null)?.summary ?? t.command,
      createdAt: t.createdAt,
    })),
  };
}

export type RolloutDetail = Awaited<ReturnType<typeof getRollout>>;

/** Before start every stage is "next"; once ended, the stage it ended at stays "current". */
function stageStatus(state: string, current: number, index: number): StageStatus {
  if (state === "draft") return "next";
  if (state === "completed") return "done";
  if (index < current) return "done";
  return index === current ? "current" : "next";
}

/** Whether a rollout with this id exists (any string: ids that are not UUIDs simply do not). */
export async function rolloutExists(id: string): Promise<boolean> {
  return (await db.rollout.count({ where: { id } })) > 0;
}
