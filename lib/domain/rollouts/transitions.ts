import type { RolloutCommandType, RolloutState } from "./types";

/** Valid commands per state, in a stable order (drives the UI's buttons). */
const TRANSITIONS: Record<RolloutState, readonly RolloutCommandType[]> = {
  draft: ["start", "rollback", "abort"],
  running: ["promote", "skip_analysis", "pause", "rollback", "abort"],
  paused: ["resume", "rollback", "abort"],
  awaiting_approval: ["approve", "reject", "skip_analysis", "pause", "rollback", "abort"],
  completed: [],
  rolled_back: [],
  aborted: [],
};

/**
 * Commands valid in `state` whoever asks (the permission layer narrows them per role, e.g.
 * skip_analysis is admin-only); terminal states allow none. rollback and abort are valid in
 * every non-terminal state.
 */
export function allowedCommands(state: RolloutState): RolloutCommandType[] {
  return [...(TRANSITIONS[state] ?? [])];
}

export function isCommandAllowed(state: RolloutState, command: RolloutCommandType): boolean {
  return (TRANSITIONS[state] ?? []).includes(command);
}
