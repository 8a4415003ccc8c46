/**
 * The evaluator's decision for one rollout after its gates were evaluated. Rules, first match
 * wins (the state machine still validates the resulting command):
 *
 * 1. A critical gate fails → `rollback`, in running, awaiting_approval and paused alike: the
 *    treatment still serves traffic while paused, and rollback is always allowed.
 * 2. A non-critical gate fails → `pause` for a human (running or awaiting_approval; a paused
 *    rollout is already with a human → hold).
 * 3. A gate is still inconclusive `deadlineMinutes` after the stage started (at or after the
 *    deadline exactly) → `pause` (running only).
 * 4. Auto-advance is on, the rollout is running, the bake time and the minimum samples are
 *    reached, no promotion freeze, and every gate passes (no gates = vacuously all pass) →
 *    `request_approval` when the stage needs a reviewer, else `advance` (which completes the
 *    rollout from its last stage).
 * 5. Otherwise `hold`, with what it waits for.
 * Inconclusive never counts as a pass: it holds the stage.
 */
import type { GateEvaluation } from "./types";

export const AUTOMATIC_ACTIONS = ["advance", "request_approval", "rollback", "pause", "hold"] as const;
export type AutomaticAction = (typeof AUTOMATIC_ACTIONS)[number];

export interface DecisionInput {
  state: "draft" | "running" | "paused" | "awaiting_approval" | "completed" | "rolled_back" | "aborted";
  autoAdvance: boolean;
  /** This tick's evaluations of the current stage's gates. */
  results: readonly GateEvaluation[];
  /** Per gate name, the deadline of an inconclusive verdict in minutes from the stage start. */
  deadlines?: Readonly<Record<string, number | undefined>>;
  readiness: { bakeElapsed: boolean; samplesReached: boolean };
  stageStartedAt: Date | null;
  stageRequiresApproval: boolean;
  isLastStage: boolean;
  /** "stage 2 (5%)": used in reasons. */
  stageName: string;
  freeze?: { active: boolean; reason: string };
  now: Date;
}

export interface AutomaticDecision {
  action: AutomaticAction;
  /**
   * For actions: the sentence stored as the rollout's last automatic action, e.g. "Rolled back
   * at 14:02 UTC: treatment success rate 91.8% vs 98.9%, p < 0.001, critical gate 'success
   * rate'". For hold: what the stage waits for.
   */
  reason: string;
  /** The gates that caused the action (empty for hold and advance). */
  trigger: GateEvaluation[];
}

export function decideAutomaticAction(input: DecisionInput): AutomaticDecision {
  const { state, results, now } = input;
  const at = formatClock(now);
  const active = state === "running" || state === "paused" || state === "awaiting_approval";
  if (!active) return hold(`the rollout is ${state.replace("_", " ")}`);

  const criticalFails = results.filter((r) => r.verdict === "fail" && r.critical);
  if (criticalFails.length > 0) {
    return { action: "rollback", reason: `Rolled back at ${at}: ${describe(criticalFails, "critical gate")}`, trigger: criticalFails };
  }

  const otherFails = results.filter((r) => r.verdict === "fail");
  if (otherFails.length > 0) {
    if (state === "paused") return hold(`paused; failing: ${names(otherFails)}`);
    return { action: "pause", reason: `Paused at ${at}: ${describe(otherFails, "gate")}; a person should decide`, trigger: otherFails };
  }

  const inconclusive = results.filter((r) => r.verdict === "inconclusive");
  const overdue = inconclusive.filter((r) => pastDeadline(r, input));
  if (overdue.length > 0 && state === "running") {
    const first = overdue[0];
    const minutes = input.deadlines?.[first.gateName] ?? 0;
    const more = overdue.length > 1 ? ` (and ${overdue.length - 1} more)` : "";
    return {
      action: "pause",
      reason: `Paused at ${at}: gate '${first.gateName}'${more} still inconclusive ${minutes} min into ${input.stageName} (${first.sentence}); a person should decide`,
      trigger: overdue,
    };
  }

  if (state !== "running") return hold(state === "paused" ? "paused by a person" : "waiting for a reviewer");
  const waits = waitingFor(input, inconclusive);
  if (!input.autoAdvance) return hold(waits.length ? `auto-advance is off; ${waits.join("; ")}` : "auto-advance is off");
  if (waits.length > 0) return hold(waits.join("; "));

  const passed = results.length === 0 ? "no gates to check" : results.length === 1 ? "its gate passes" : `all ${results.length} gates pass`;
  if (input.stageRequiresApproval) {
    return { action: "request_approval", reason: `Approval requested at ${at}: ${passed} after the bake time at ${input.stageName}, which needs a reviewer`, trigger: [] };
  }
  const verb = input.isLastStage ? "Completed" : "Promoted";
  return { action: "advance", reason: `${verb} at ${at}: ${passed} after the bake time at ${input.stageName}`, trigger: [] };
}

/**
 * Names of the gates that should block a promotion now: failing ones, and inconclusive ones
 * marked "(inconclusive)", since inconclusive never passes. Feed to the state machine's
 * `readiness.gatesFailing`.
 */
export function blockingGates(results: readonly GateEvaluation[]): string[] {
  return results.filter((r) => r.verdict !== "pass").map((r) => (r.verdict === "fail" ? r.gateName : `${r.gateName} (inconclusive)`));
}

/** "14:02 UTC": the evaluator runs on servers whose time zone says nothing about the reader's. */
export function formatClock(now: Date): string {
  const hh = String(now.getUTCHours()).padStart(2, "0");
  const mm = String(now.getUTCMinutes()).padStart(2, "0");
  return `${hh}:${mm} UTC`;
}

function hold(reason: string): AutomaticDecision {
  return { action: "hold", reason: `Holding: ${reason}`, trigger: [] };
}

function waitingFor(input: DecisionInput, inconclusive: readonly GateEvaluation[]): string[] {
  const waits: string[] = [];
  if (!input.readiness.bakeElapsed) waits.push("bake time not elapsed");
  if (!input.readiness.samplesReached) waits.push("minimum samples not reached");
  if (inconclusive.length > 0) waits.push(`inconclusive: ${names(inconclusive)}`);
  if (input.freeze?.active) waits.push(`promotions frozen (${input.freeze.reason})`);
  return waits;
}

function pastDeadline(result: GateEvaluation, input: DecisionInput): boolean {
  const minutes = input.deadlines?.[result.gateName];
  if (minutes === undefined || !input.stageStartedAt) return false;
  return input.now.getTime() - input.stageStartedAt.getTime() >= minutes * 60_000;
}

/** "treatment success rate 91.8% vs 98.9%, p < 0.001, critical gate 'success rate'" (+ "and N more"). */
function describe(fails: readonly GateEvaluation[], noun: string): string {
  const first = fails[0];
  const more = fails.length > 1 ? `; ${fails.length - 1} more failing: ${names(fails.slice(1))}` : "";
  return `${stripVerdictWords(first.sentence)}, ${noun} '${first.gateName}'${more}`;
}

function names(results: readonly GateEvaluation[]): string {
  return results.map((r) => `'${r.gateName}'`).join(", ");
}

/** The reason keeps the numbers; ": significantly worse" is implied by the action. */
function stripVerdictWords(sentence: string): string {
  return sentence.replace(/: significantly worse$/, "");
}
