import { allowedCommands } from "./transitions";
import { SYSTEM_ACTOR, type RolloutCommandType, type RolloutMachineState } from "./types";

/** The permission each command needs (names from lib/domain/auth/permissions.ts). */
export const COMMAND_PERMISSIONS = {
  start: "rollout.write",
  promote: "rollout.write",
  pause: "rollout.write",
  resume: "rollout.write",
  rollback: "rollout.write",
  abort: "rollout.write",
  approve: "rollout.approve",
  reject: "rollout.approve",
  skip_analysis: "rollout.skip_analysis",
} as const satisfies Record<RolloutCommandType, string>;

export type CommandPermission = (typeof COMMAND_PERMISSIONS)[RolloutCommandType];

const PERMISSION_HINTS: Record<CommandPermission, string> = {
  "rollout.write": "Needs the operator or admin role",
  "rollout.approve": "Needs the reviewer or admin role",
  "rollout.skip_analysis": "Emergency promotion is for admins only",
};

export interface CommandAvailability {
  command: RolloutCommandType;
  enabled: boolean;
  /** Why it is disabled, for a tooltip; null when enabled. */
  reason: string | null;
}

/**
 * The commands valid in the rollout's state, each marked enabled or not for this actor: the
 * permission, the four-eyes rule and one approval per reviewer for approve, and the readiness
 * blockers for promote (and for an approval that would advance). The server enforces the same
 * rules; this only tells the UI which buttons to grey out and why.
 */
export function commandAvailability(rollout: RolloutMachineState, actor: { id: string; permissions: ReadonlySet<string> }, promoteBlockers: readonly string[]): CommandAvailability[] {
  return allowedCommands(rollout.state).map((command) => {
    const permission = COMMAND_PERMISSIONS[command];
    if (!actor.permissions.has(permission)) return off(command, PERMISSION_HINTS[permission]);
    if (command === "approve") {
      const pending = rollout.pendingApproval;
      const requestedBy = pending?.requestedBy ?? SYSTEM_ACTOR;
      if (requestedBy === actor.id) return off(command, "You requested this promotion; another reviewer must approve it");
      if (requestedBy === SYSTEM_ACTOR && rollout.createdBy === actor.id) {
        return off(command, "You created this rollout; another reviewer must approve the evaluator's request");
      }
      if (pending?.approvals.some((a) => a.by === actor.id)) return off(command, "You have already approved this promotion");
      const last = (pending?.approvals.length ?? 0) + 1 >= rollout.requiredApprovals;
      if (last && promoteBlockers.length > 0) return off(command, `Not ready: ${promoteBlockers.join("; ")}`);
    }
    if (command === "promote" && promoteBlockers.length > 0) return off(command, `Not ready: ${promoteBlockers.join("; ")}`);
    return { command, enabled: true, reason: null };
  });
}

function off(command: RolloutCommandType, reason: string): CommandAvailability {
  return { command, enabled: false, reason };
}
