import { formatBasisPoints } from "./format";
import { describeStage } from "./plan";
import { completionEffect, servedSplit } from "./queries";
import type { RolloutCommandType, RolloutMachineState, StagePlan } from "./types";

/** What a confirmation dialog says before a command runs. */
export interface CommandEffectText {
  /** Button and dialog title, e.g. "Roll back". */
  label: string;
  /** One sentence naming the effect, e.g. "Roll back: 25% of traffic returns to gpt-4o now." */
  effect: string;
  /** Ending or emergency commands are shown in red. */
  tone: "primary" | "danger";
  /** reject and skip_analysis refuse to run without a reason. */
  commentRequired: boolean;
}

export const COMMAND_LABELS: Record<RolloutCommandType, string> = {
  start: "Start",
  promote: "Promote",
  pause: "Pause",
  resume: "Resume",
  rollback: "Roll back",
  abort: "Abort",
  approve: "Approve",
  reject: "Reject",
  skip_analysis: "Skip analysis",
};

interface Variants {
  controlVariant: string;
  treatmentVariant: string;
}

/**
 * The consequence of `command` on this rollout, in the words of the confirmation dialog. It
 * mirrors the state machine (state-machine.ts): advancing past the last stage completes, a stage
 * that needs approval asks for it instead of advancing, a pause holds the split, rollback and
 * abort return all treatment traffic to control.
 */
export function describeCommandEffect(rollout: RolloutMachineState, variants: Variants, command: RolloutCommandType): CommandEffectText {
  const label = COMMAND_LABELS[command];
  const { controlVariant: control, treatmentVariant: treatment } = variants;
  const at = describeStage(rollout.stages, rollout.currentStageIndex);
  const stage = rollout.stages[rollout.currentStageIndex];
  const text = (effect: string, tone: "primary" | "danger" = "primary", commentRequired = false) => ({
    label,
    effect,
    tone,
    commentRequired,
  });

  switch (command) {
    case "start":
      return text(`Start: ${stageExposure(rollout.stages[0], control, treatment)} now.`);
    case "promote":
      if (stage?.requiresApproval) {
        const n = rollout.requiredApprovals;
        return text(`Request approval: leaving ${at} needs ${n === 1 ? "a reviewer's approval" : `${n} reviewers' approvals`}; ` + `the split stays as it is until then.`);
      }
      return text(`${advanceLabel(rollout)}: ${advanceEffect(rollout, control, treatment)}.`);
    case "skip_analysis":
      return text(`Skip analysis (emergency): promote without waiting for bake time, samples, gates or approval — ${advanceEffect(rollout, control, treatment)}.`, "danger", true);
    case "approve": {
      const given = rollout.pendingApproval?.approvals.length ?? 0;
      if (given + 1 < rollout.requiredApprovals) {
        return text(`Approve: your approval is recorded (${given + 1} of ${rollout.requiredApprovals}); the split stays as it is.`);
      }
      return text(`Approve: ${advanceEffect(rollout, control, treatment)}.`);
    }
    case "reject":
      return text(`Reject: the promotion is refused and the rollout stays at ${at}.`, "danger", true);
    case "pause": {
      const withdrawn = rollout.state === "awaiting_approval" ? " The pending approval is withdrawn." : "";
      return text(`Pause: the split stays at ${splitWords(rollout)}; nothing is promoted until you resume.${withdrawn}`);
    }
    case "resume":
      return text(`Resume: the rollout continues at ${at}.`);
    case "rollback":
      return text(`Roll back: ${returnToControl(rollout, control, treatment)}.`, "danger");
    case "abort":
      return text(`Abort: the rollout ends; ${returnToControl(rollout, control, treatment)}.`, "danger");
    default: {
      const unknown: never = command;
      return text(String(unknown));
    }
  }
}

/** "1% of traffic goes to gpt-4.1" / "users stay on gpt-4o; a shadow copy of 10% of requests also calls gpt-4.1". */
function stageExposure(stage: StagePlan | undefined, control: string, treatment: string): string {
  if (!stage) return "nothing changes";
  const parts: string[] = [];
  if (stage.trafficBasisPoints > 0) parts.push(`${formatBasisPoints(stage.trafficBasisPoints)} of traffic goes to ${treatment}`);
  else parts.push(`users stay on ${control}`);
  if (stage.shadowSampleBasisPoints > 0) {
    parts.push(`a shadow copy of ${formatBasisPoints(stage.shadowSampleBasisPoints)} of requests also calls ${treatment}`);
  }
  return parts.join("; ");
}

function isLastStage(rollout: RolloutMachineState): boolean {
  return rollout.currentStageIndex >= rollout.stages.length - 1;
}

function advanceLabel(rollout: RolloutMachineState): string {
  if (isLastStage(rollout)) return rollout.strategy === "blue_green" ? "Finalize" : "Complete";
  if (rollout.strategy === "blue_green") return "Switch";
  return "Promote";
}

/** What moving past the current stage does: the next stage's exposure, or completion. */
function advanceEffect(rollout: RolloutMachineState, control: string, treatment: string): string {
  if (isLastStage(rollout)) {
    return completionEffect(rollout.strategy) === "switch_default_to_treatment"
      ? `${treatment} becomes the flag's default for everyone and the rollout completes`
      : `the rollout completes and ${control} stays the flag's default`;
  }
  const from = servedSplit(rollout).trafficBasisPoints;
  const next = rollout.stages[rollout.currentStageIndex + 1];
  if (rollout.strategy !== "shadow" && next.trafficBasisPoints !== from) {
    const base = `${treatment} goes from ${formatBasisPoints(from)} to ${formatBasisPoints(next.trafficBasisPoints)} of traffic now`;
    return rollout.strategy === "blue_green" && next.trafficBasisPoints === 10_000 ? `${base}; ${control} stays ready for a one-click rollback` : base;
  }
  return `${stageExposure(next, control, treatment)} now`;
}

function splitWords(rollout: RolloutMachineState): string {
  const split = servedSplit(rollout);
  if (split.trafficBasisPoints > 0) return `${formatBasisPoints(split.trafficBasisPoints)} treatment`;
  if (split.shadowSampleBasisPoints > 0) return `a ${formatBasisPoints(split.shadowSampleBasisPoints)} shadow sample`;
  return "0% treatment";
}

function returnToControl(rollout: RolloutMachineState, control: string, treatment: string): string {
  if (rollout.state === "draft") return "it never started, so no traffic is affected";
  const split = servedSplit(rollout);
  if (split.trafficBasisPoints > 0) return `${formatBasisPoints(split.trafficBasisPoints)} of traffic returns to ${control} now`;
  if (split.shadowSampleBasisPoints > 0) return `shadow calls to ${treatment} stop now; users stay on ${control}`;
  return `no traffic is on ${treatment}; everyone stays on ${control}`;
}
