import { ACTIVE_STATES, type ActiveState, type CompletionEffect, type RolloutMachineState, type RolloutState, type RolloutStrategy, type ServedSplit } from "./types";

/** running, paused and awaiting_approval: the rollout decides its flag's traffic. */
export function isActiveState(state: RolloutState): state is ActiveState {
  return (ACTIVE_STATES as readonly RolloutState[]).includes(state);
}

/**
 * The split in force now: the current stage's treatment share and shadow sample while the
 * rollout is active (a pause holds the split, it does not remove treatment traffic); 0/0 in
 * draft and terminal states. A shadow rollout never serves the treatment, so its traffic is 0.
 */
export function servedSplit(rollout: RolloutMachineState): ServedSplit {
  const stage = rollout.stages[rollout.currentStageIndex];
  if (!isActiveState(rollout.state) || !stage) return { trafficBasisPoints: 0, shadowSampleBasisPoints: 0 };
  return {
    trafficBasisPoints: rollout.strategy === "shadow" ? 0 : stage.trafficBasisPoints,
    shadowSampleBasisPoints: stage.shadowSampleBasisPoints,
  };
}

/**
 * What completion does to the flag's default: canary and blue-green end by making the treatment
 * the default. Shadow and A/B test keep control: a shadow rollout is an evaluation (users never
 * saw the treatment), and an A/B verdict informs a follow-up release rather than being one.
 */
export function completionEffect(strategy: RolloutStrategy): CompletionEffect {
  return strategy === "canary" || strategy === "blue_green" ? "switch_default_to_treatment" : "keep_control";
}

/**
 * Seconds of bake time the current stage still needs at `now`, rounded up; 0 once elapsed.
 * Before start (no stageStartedAt) the whole bake remains. Time spent paused counts.
 */
export function bakeRemainingSeconds(rollout: RolloutMachineState, now: Date): number {
  const stage = rollout.stages[rollout.currentStageIndex];
  if (!stage) return 0;
  if (!rollout.stageStartedAt) return stage.minBakeSeconds;
  const elapsedSeconds = (now.getTime() - rollout.stageStartedAt.getTime()) / 1000;
  return Math.max(0, Math.ceil(stage.minBakeSeconds - elapsedSeconds));
}
