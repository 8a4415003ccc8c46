/** Rollout use cases, one per file. */
import "server-only";

export { createRollout } from "./create-rollout";
export { runRolloutCommand, type RolloutCommandRequest, type RolloutCommandResult } from "./run-rollout-command";
export { listRollouts } from "./list-rollouts";
export { getRollout, rolloutExists, type RolloutDetail } from "./get-rollout";
export { getRequiredApprovals, setRequiredApprovals, REQUIRED_APPROVALS_KEY } from "./required-approvals";
export { updateDraftGates } from "./update-draft-gates";
