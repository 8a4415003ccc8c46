/**
 * Types of the rollout domain: the plan (stages), the state machine's input and output.
 * Traffic shares are integer basis points: 0..10000, where 100 bp = 1% and 10000 bp = 100%.
 */

export const ROLLOUT_STATES = ["draft", "running", "paused", "awaiting_approval", "completed", "rolled_back", "aborted"] as const;
export type RolloutState = (typeof ROLLOUT_STATES)[number];

/** States no command can leave. */
export const TERMINAL_STATES = ["completed", "rolled_back", "aborted"] as const satisfies readonly RolloutState[];
export type TerminalState = (typeof TERMINAL_STATES)[number];

/** States in which the rollout decides traffic (at most one such rollout per flag). */
export const ACTIVE_STATES = ["running", "paused", "awaiting_approval"] as const satisfies readonly RolloutState[];
export type ActiveState = (typeof ACTIVE_STATES)[number];

export const ROLLOUT_STRATEGIES = ["shadow", "canary", "ab_test", "blue_green"] as const;
export type RolloutStrategy = (typeof ROLLOUT_STRATEGIES)[number];

export const ROLLOUT_COMMANDS = ["start", "promote", "pause", "resume", "rollback", "abort", "approve", "reject", "skip_analysis"] as const;
export type RolloutCommandType = (typeof ROLLOUT_COMMANDS)[number];

/** 100% of traffic in basis points. */
export const FULL_TRAFFIC_BASIS_POINTS = 10_000;

/** Actor id the background evaluator uses when it requests an approval or acts on its own. */
export const SYSTEM_ACTOR = "system";

/** A gate definition, as defined with the gate evaluator (lib/domain/gates/spec.ts). */
export type { GateSpec } from "../gates/spec";
import type { GateSpec } from "../gates/spec";

/** One step of a rollout plan. */
export interface StagePlan {
  /** Share of users served the treatment, 0..10000 bp. Always 0 for shadow rollouts. */
  trafficBasisPoints: number;
  /** Share of requests also sent to the treatment as a discarded shadow call, 0..10000 bp. */
  shadowSampleBasisPoints: number;
  /** Minimum seconds the stage must run before it may be left (≥ 0). */
  minBakeSeconds: number;
  /** Minimum samples in each arm before the stage may be left (≥ 0). */
  minSamplesPerArm: number;
  /** Whether leaving this stage needs reviewer approval. */
  requiresApproval: boolean;
  /** Checks that must pass to leave the stage. */
  gates: GateSpec[];
}

export interface ApprovalEntry {
  /** Actor id of the reviewer. */
  by: string;
  at: Date;
  comment: string | null;
}

/** A promotion waiting for reviewers. */
export interface PendingApproval {
  /** The stage whose exit is being approved. */
  stageIndex: number;
  /** Actor id that asked to promote, or "system" when the evaluator did (auto-advance). */
  requestedBy: string;
  requestedAt: Date;
  approvals: ApprovalEntry[];
}

/** What the state machine needs to know about a rollout. */
export interface RolloutMachineState {
  state: RolloutState;
  strategy: RolloutStrategy;
  stages: StagePlan[];
  /** 0-based index into `stages`. */
  currentStageIndex: number;
  /** When the current stage began; null before start. */
  stageStartedAt: Date | null;
  /** Actor id of the rollout's author. */
  createdBy: string;
  /** Non-null exactly while the state is awaiting_approval. */
  pendingApproval: PendingApproval | null;
  /** Distinct approvals needed to leave a stage that requires approval (≥ 1). */
  requiredApprovals: number;
}

export interface RolloutCommand {
  type: RolloutCommandType;
  /** Who issues the command: a user id, or "system" for the evaluator. */
  actorId: string;
  /** Required (non-blank) for reject and skip_analysis; stored with approvals. */
  comment?: string | null;
}

/** Whether the current stage may be left, computed by the caller from metrics. */
export interface StageReadiness {
  bakeElapsed: boolean;
  samplesReached: boolean;
  /** Names of gates currently failing; empty when all pass. */
  gatesFailing: string[];
}

/** Promotion freeze, e.g. while an SLO's error budget is exhausted. */
export interface FreezeStatus {
  active: boolean;
  /** Why, in words, e.g. "error budget of SLO 'support-bot availability' exhausted". */
  reason: string;
}

export interface CommandContext {
  /** The clock: the machine never reads one itself. */
  now: Date;
  /** Absent → the stage counts as ready with no failing gates. */
  readiness?: StageReadiness;
  /** Absent → no freeze. */
  freeze?: FreezeStatus;
}

export type CommandEffectKind = "stage_changed" | "state_changed" | "approval_recorded" | "completed";

export interface CommandEffect {
  kind: CommandEffectKind;
  fromStage: number;
  toStage: number;
  fromState: RolloutState;
  toState: RolloutState;
  /**
   * Treatment share of user traffic after the command, in bp. 0 for shadow rollouts, rolled back,
   * aborted and draft ones; 10000 for a completed canary/blue-green (treatment became the
   * default); 0 for a completed shadow/A-B test (control stays the default).
   */
  servedTrafficBasisPoints: number;
}

export interface CommandOutcome {
  next: RolloutMachineState;
  effect: CommandEffect;
  /** A human sentence for history, audit and notifications. */
  summary: string;
}

/** What completing a rollout does to the flag's default variant. */
export type CompletionEffect = "switch_default_to_treatment" | "keep_control";

/** Stable codes in `DomainError.details.reason` when a command is refused. */
export type RefusalReason = "invalid_transition" | "freeze_active" | "bake_time_not_elapsed" | "samples_not_reached" | "gates_failing" | "reason_required" | "four_eyes" | "already_approved";

/** The traffic split a rollout currently imposes. */
export interface ServedSplit {
  trafficBasisPoints: number;
  shadowSampleBasisPoints: number;
}
