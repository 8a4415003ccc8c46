import { DomainError } from "../errors";
import { formatDuration } from "./format";
import { bakeRemainingSeconds } from "./queries";
import { allowedCommands } from "./transitions";
import type { CommandContext, RefusalReason, RolloutCommandType, RolloutMachineState, RolloutState } from "./types";

/**
 * Why the state machine refuses a command. Every refusal is a DomainError whose
 * `details.reason` is a stable RefusalReason:
 * - "conflict": invalid_transition, freeze_active, bake_time_not_elapsed, samples_not_reached,
 *   gates_failing, already_approved;
 * - "forbidden": four_eyes (this actor may not approve this promotion);
 * - "invalid_input": reason_required (a non-blank comment is missing).
 */
export function refusal(code: "conflict" | "forbidden" | "invalid_input", reason: RefusalReason, message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError(code, message, { reason, ...details });
}

const COMMAND_VERBS: Record<RolloutCommandType, string> = {
  start: "start",
  promote: "promote",
  pause: "pause",
  resume: "resume",
  rollback: "roll back",
  abort: "abort",
  approve: "approve",
  reject: "reject",
  skip_analysis: "skip the analysis of",
};

const STATE_PHRASES: Record<RolloutState, string> = {
  draft: "still a draft",
  running: "running",
  paused: "paused",
  awaiting_approval: "awaiting approval",
  completed: "completed",
  rolled_back: "rolled back",
  aborted: "aborted",
};

/** "Cannot promote a rollout that is paused", with the commands that are allowed. */
export function invalidTransition(state: RolloutState, command: RolloutCommandType): DomainError {
  const verb = COMMAND_VERBS[command] ?? String(command);
  const phrase = STATE_PHRASES[state] ?? String(state);
  return refusal("conflict", "invalid_transition", `Cannot ${verb} a rollout that is ${phrase}`, {
    state,
    command,
    allowed: allowedCommands(state),
  });
}

/**
 * Refuses a move forward under a freeze and, with `checkReadiness`, when the caller's readiness
 * says bake time, samples or gates are not satisfied (absent readiness = ready). Every blocker
 * is named in the message and in `details.blockers`; `details.reason` is the first, in the order
 * freeze, bake, samples, gates.
 */
export function refuseIfBlocked(rollout: RolloutMachineState, ctx: CommandContext, opts: { checkReadiness: boolean; attempt: string }): void {
  const blockers: { reason: RefusalReason; text: string }[] = [];
  const details: Record<string, unknown> = {};
  if (ctx.freeze?.active) {
    blockers.push({ reason: "freeze_active", text: `promotions are frozen (${ctx.freeze.reason})` });
    details.freezeReason = ctx.freeze.reason;
  }
  const readiness = opts.checkReadiness ? ctx.readiness : undefined;
  const stage = rollout.stages[rollout.currentStageIndex];
  if (readiness && stage) {
    if (!readiness.bakeElapsed) {
      const remaining = bakeRemainingSeconds(rollout, ctx.now);
      const left = remaining > 0 ? `, ${formatDuration(remaining)} left` : "";
      blockers.push({
        reason: "bake_time_not_elapsed",
        text: `bake time not elapsed (${formatDuration(stage.minBakeSeconds)} required${left})`,
      });
      details.minBakeSeconds = stage.minBakeSeconds;
      details.bakeRemainingSeconds = remaining;
    }
    if (!readiness.samplesReached) {
      blockers.push({
        reason: "samples_not_reached",
        text: `minimum samples not reached (${stage.minSamplesPerArm} per arm required)`,
      });
      details.minSamplesPerArm = stage.minSamplesPerArm;
    }
    if (readiness.gatesFailing.length > 0) {
      blockers.push({ reason: "gates_failing", text: `gates failing: ${readiness.gatesFailing.join(", ")}` });
      details.gatesFailing = [...readiness.gatesFailing];
    }
  }
  const first = blockers[0];
  if (!first) return;
  throw refusal("conflict", first.reason, `${opts.attempt}: ${blockers.map((b) => b.text).join("; ")}`, {
    ...details,
    blockers: blockers.map((b) => b.reason),
  });
}

/** The comment trimmed, or null when absent or blank. */
export function normalizeComment(comment: string | null | undefined): string | null {
  const trimmed = comment?.trim();
  return trimmed ? trimmed : null;
}

/** Throws reason_required unless the command carries a non-blank comment. */
export function requireComment(comment: string | null | undefined, action: string): void {
  if (normalizeComment(comment) === null) {
    throw refusal("invalid_input", "reason_required", `${action} requires a comment explaining why`, {
      field: "comment",
    });
  }
}
