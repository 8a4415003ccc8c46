import { DomainError } from "../errors";
import { formatBasisPoints } from "./format";
import { describeStage } from "./plan";
import { completionEffect, servedSplit } from "./queries";
import { invalidTransition, normalizeComment, refuseIfBlocked, refusal, requireComment } from "./refusals";
import { isCommandAllowed } from "./transitions";
import {
  FULL_TRAFFIC_BASIS_POINTS,
  SYSTEM_ACTOR,
  type CommandContext,
  type CommandEffectKind,
  type CommandOutcome,
  type PendingApproval,
  type RolloutCommand,
  type RolloutMachineState,
  type StagePlan,
} from "./types";

export { allowedCommands } from "./transitions";
export { bakeRemainingSeconds, completionEffect, isActiveState, servedSplit } from "./queries";

/*
 * The rollout state machine: a pure function of (rollout, command, context). It never reads a
 * clock (`ctx.now`) nor metrics (`ctx.readiness` and `ctx.freeze` are computed by the caller).
 * Who may issue which command (skip_analysis is admin-only, approve needs a reviewer) is decided
 * by the permission layer before this runs; this module only knows states and rules.
 * Refusal codes and reasons: see refusals.ts.
 */

/**
 * Applies one command and returns the next state, what changed, and a sentence for people.
 * Never mutates its input. Rules per command:
 * - start: draft → running at stage 0, the stage clock starts at `now`. Refused under a freeze
 *   (starting puts treatment traffic on, which is what a freeze exists to stop).
 * - promote (running): refused under a freeze or when the context says bake time, samples or
 *   gates are not satisfied; if the stage requires approval → awaiting_approval; otherwise the
 *   next stage starts at `now`, and promoting the last stage completes the rollout.
 * - skip_analysis (running, awaiting_approval): emergency promote that ignores bake, samples,
 *   gates and approvals; needs a comment; still refused under a freeze.
 * - approve (awaiting_approval): four-eyes, one approval per actor; the approval that reaches
 *   `requiredApprovals` advances as promote would (freeze and readiness re-checked, since
 *   things may have changed while waiting); earlier ones are only recorded.
 * - reject (awaiting_approval): needs a comment; back to running at the same stage.
 * - pause (running, awaiting_approval): → paused, a pending approval is withdrawn.
 * - resume (paused): → running; stageStartedAt is unchanged, so bake time keeps counting
 *   through the pause: the split is held while paused, so the treatment stayed under observation.
 * - rollback / abort (any non-terminal state): → rolled_back / aborted; always allowed, even
 *   under a freeze. Rollback means "the treatment is bad"; abort means "stop this rollout".
 */
export function applyRolloutCommand(rollout: RolloutMachineState, command: RolloutCommand, ctx: CommandContext): CommandOutcome {
  if (!isCommandAllowed(rollout.state, command.type)) throw invalidTransition(rollout.state, command.type);
  // Ending a rollout must work even if its data is odd; every other command needs a sound plan.
  if (command.type !== "rollback" && command.type !== "abort") assertWellFormed(rollout);

  switch (command.type) {
    case "start":
      return start(rollout, ctx);
    case "promote":
      return promote(rollout, command, ctx);
    case "skip_analysis":
      return skipAnalysis(rollout, command, ctx);
    case "approve":
      return approve(rollout, command, ctx);
    case "reject":
      return reject(rollout, command);
    case "pause":
      return pause(rollout);
    case "resume":
      return resume(rollout);
    case "rollback":
      return end(rollout, "rolled_back");
    case "abort":
      return end(rollout, "aborted");
    default: {
      const unknown: never = command.type;
      throw invalidTransition(rollout.state, unknown);
    }
  }
}

function start(rollout: RolloutMachineState, ctx: CommandContext): CommandOutcome {
  refuseIfBlocked(rollout, ctx, { checkReadiness: false, attempt: "Cannot start" });
  const next: RolloutMachineState = {
    ...rollout,
    state: "running",
    currentStageIndex: 0,
    stageStartedAt: ctx.now,
    pendingApproval: null,
  };
  return outcome(rollout, next, "state_changed", `Started at ${describeStage(next.stages, 0)}`);
}

function promote(rollout: RolloutMachineState, command: RolloutCommand, ctx: CommandContext): CommandOutcome {
  const from = describeStage(rollout.stages, rollout.currentStageIndex);
  refuseIfBlocked(rollout, ctx, { checkReadiness: true, attempt: `Cannot promote from ${from}` });
  if (!currentStage(rollout).requiresApproval) return advance(rollout, ctx);

  const pendingApproval: PendingApproval = {
    stageIndex: rollout.currentStageIndex,
    requestedBy: command.actorId,
    requestedAt: ctx.now,
    approvals: [],
  };
  const next: RolloutMachineState = { ...rollout, state: "awaiting_approval", pendingApproval };
  const needed = rollout.requiredApprovals === 1 ? "1 approval" : `${rollout.requiredApprovals} approvals`;
  return outcome(rollout, next, "state_changed", `Promotion from ${from} awaits ${needed}`);
}

function skipAnalysis(rollout: RolloutMachineState, command: RolloutCommand, ctx: CommandContext): CommandOutcome {
  requireComment(command.comment, "Skipping the analysis");
  refuseIfBlocked(rollout, ctx, { checkReadiness: false, attempt: "Cannot skip the analysis" });
  const advanced = advance(rollout, ctx);
  return { ...advanced, summary: `Analysis skipped (emergency): ${lowerFirst(advanced.summary)}` };
}

function approve(rollout: RolloutMachineState, command: RolloutCommand, ctx: CommandContext): CommandOutcome {
  const pending = rollout.pendingApproval ?? {
    // Defensive: awaiting_approval without a record is treated as an evaluator request.
    stageIndex: rollout.currentStageIndex,
    requestedBy: SYSTEM_ACTOR,
    requestedAt: ctx.now,
    approvals: [],
  };
  const actor = command.actorId;
  if (actor === pending.requestedBy) {
    throw refusal("forbidden", "four_eyes", "Four-eyes rule: you cannot approve a promotion you requested", {
      requestedBy: pending.requestedBy,
    });
  }
  if (pending.requestedBy === SYSTEM_ACTOR && actor === rollout.createdBy) {
    throw refusal("forbidden", "four_eyes", "Four-eyes rule: the rollout's author cannot approve a promotion the evaluator requested", {
      requestedBy: pending.requestedBy,
      createdBy: rollout.createdBy,
    });
  }
  if (pending.approvals.some((a) => a.by === actor)) {
    throw refusal("conflict", "already_approved", "You have already approved this promotion", {
      approvals: pending.approvals.length,
      requiredApprovals: rollout.requiredApprovals,
    });
  }

  const approvals = [...pending.approvals, { by: actor, at: ctx.now, comment: normalizeComment(command.comment) }];
  const from = describeStage(rollout.stages, rollout.currentStageIndex);
  if (approvals.length < rollout.requiredApprovals) {
    const next: RolloutMachineState = { ...rollout, pendingApproval: { ...pending, approvals } };
    return outcome(rollout, next, "approval_recorded", `Approval ${approvals.length} of ${rollout.requiredApprovals} recorded for leaving ${from}`);
  }

  refuseIfBlocked(rollout, ctx, { checkReadiness: true, attempt: `Cannot promote from ${from} on approval` });
  const advanced = advance(rollout, ctx);
  return { ...advanced, summary: `Approved: ${lowerFirst(advanced.summary)}` };
}

function reject(rollout: RolloutMachineState, command: RolloutCommand): CommandOutcome {
  requireComment(command.comment, "Rejecting a promotion");
  const next: RolloutMachineState = { ...rollout, state: "running", pendingApproval: null };
  const at = describeStage(rollout.stages, rollout.currentStageIndex);
  return outcome(rollout, next, "state_changed", `Promotion from ${at} rejected; the rollout stays at ${at}`);
}

function pause(rollout: RolloutMachineState): CommandOutcome {
  const next: RolloutMachineState = { ...rollout, state: "paused", pendingApproval: null };
  const at = describeStage(rollout.stages, rollout.currentStageIndex);
  const withdrawn = rollout.state === "awaiting_approval" ? "; the pending approval is withdrawn" : "";
  return outcome(rollout, next, "state_changed", `Paused at ${at}; the traffic split is held${withdrawn}`);
}

function resume(rollout: RolloutMachineState): CommandOutcome {
  const next: RolloutMachineState = { ...rollout, state: "running" };
  return outcome(rollout, next, "state_changed", `Resumed at ${describeStage(rollout.stages, rollout.currentStageIndex)}`);
}

function end(rollout: RolloutMachineState, state: "rolled_back" | "aborted"): CommandOutcome {
  const next: RolloutMachineState = { ...rollout, state, pendingApproval: null };
  const verb = state === "rolled_back" ? "Rolled back" : "Aborted";
  const before = servedSplit(rollout);
  let consequence: string;
  if (rollout.state === "draft") consequence = "the rollout never started, no traffic was affected";
  else if (before.trafficBasisPoints > 0) consequence = `${formatBasisPoints(before.trafficBasisPoints)} of traffic returns to control`;
  else if (before.shadowSampleBasisPoints > 0) consequence = "shadow calls to the treatment stop";
  else consequence = "no traffic was on the treatment";
  return outcome(rollout, next, "state_changed", `${verb}: ${consequence}`);
}

/** Next stage starting now, or completion when the current stage is the last. */
function advance(rollout: RolloutMachineState, ctx: CommandContext): CommandOutcome {
  const fromIndex = rollout.currentStageIndex;
  const from = describeStage(rollout.stages, fromIndex);
  if (fromIndex >= rollout.stages.length - 1) {
    const next: RolloutMachineState = { ...rollout, state: "completed", pendingApproval: null };
    const result = completionEffect(rollout.strategy) === "switch_default_to_treatment" ? "the treatment becomes the default" : "control stays the default";
    return outcome(rollout, next, "completed", `Completed after ${from}: ${result}`);
  }
  const next: RolloutMachineState = {
    ...rollout,
    state: "running",
    currentStageIndex: fromIndex + 1,
    stageStartedAt: ctx.now,
    pendingApproval: null,
  };
  return outcome(rollout, next, "stage_changed", `Promoted from ${from} to ${describeStage(rollout.stages, fromIndex + 1)}`);
}

function outcome(before: RolloutMachineState, next: RolloutMachineState, kind: CommandEffectKind, summary: string): CommandOutcome {
  return {
    next,
    effect: {
      kind,
      fromStage: before.currentStageIndex,
      toStage: next.currentStageIndex,
      fromState: before.state,
      toState: next.state,
      servedTrafficBasisPoints: treatmentShareAfter(next),
    },
    summary,
  };
}

function treatmentShareAfter(rollout: RolloutMachineState): number {
  if (rollout.state === "completed") {
    return completionEffect(rollout.strategy) === "switch_default_to_treatment" ? FULL_TRAFFIC_BASIS_POINTS : 0;
  }
  return servedSplit(rollout).trafficBasisPoints;
}

function currentStage(rollout: RolloutMachineState): StagePlan {
  // assertWellFormed guarantees the index is in range for every command that reads it.
  return rollout.stages[rollout.currentStageIndex];
}

function assertWellFormed(rollout: RolloutMachineState): void {
  const problems: string[] = [];
  if (rollout.stages.length === 0) problems.push("it has no stages");
  const index = rollout.currentStageIndex;
  if (!Number.isInteger(index) || index < 0 || index >= rollout.stages.length) {
    problems.push(`stage index ${index} is outside its ${rollout.stages.length} stages`);
  }
  if (!Number.isInteger(rollout.requiredApprovals) || rollout.requiredApprovals < 1) {
    problems.push(`requiredApprovals must be at least 1; got ${rollout.requiredApprovals}`);
  }
  if (problems.length > 0) {
    throw new DomainError("invalid_input", `The rollout is malformed: ${problems.join("; ")}`);
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
