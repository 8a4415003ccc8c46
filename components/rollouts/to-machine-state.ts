import type { RolloutMachineState, RolloutState, RolloutStrategy } from "@/lib/domain/rollouts";
import type { RolloutDetail } from "@/lib/client/hooks/rollouts";

/** The pure state machine's view of a fetched rollout, for effect sentences in dialogs. */
export function toMachineState(r: RolloutDetail): RolloutMachineState {
  return {
    state: r.state as RolloutState,
    strategy: r.strategy as RolloutStrategy,
    stages: r.stages.map((s) => ({
      trafficBasisPoints: s.trafficBasisPoints,
      shadowSampleBasisPoints: s.shadowSampleBasisPoints,
      minBakeSeconds: s.minBakeSeconds,
      minSamplesPerArm: s.minSamplesPerArm,
      requiresApproval: s.requiresApproval,
      gates: [],
    })),
    currentStageIndex: r.currentStageIndex,
    stageStartedAt: r.stageStartedAt ? new Date(r.stageStartedAt) : null,
    createdBy: r.createdBy.id,
    pendingApproval: r.pendingApproval
      ? {
          stageIndex: r.pendingApproval.stageIndex,
          requestedBy: r.pendingApproval.requestedBy.id,
          requestedAt: new Date(r.pendingApproval.requestedAt),
          approvals: r.pendingApproval.approvals.map((a) => ({ by: a.by.id, at: new Date(a.at), comment: a.comment })),
        }
      : null,
    requiredApprovals: r.requiredApprovals,
  };
}
