/**
 * How an ended rollout reads: one decisive reason first (the failing critical gate with its
 * numbers when the evaluator acted, or who acted and why), and stage labels that no longer say
 * "current" once nothing is running.
 */
import { TERMINAL_STATES, type TerminalState } from "./types";

export function isTerminalState(state: string): state is TerminalState {
  return (TERMINAL_STATES as readonly string[]).includes(state);
}

export interface EndingTransition {
  toState: string;
  actor: { type: "user" | "api_key" | "system"; label: string };
  comment: string | null;
  summary: string;
  createdAt: string;
}

export interface RolloutEnding {
  state: TerminalState;
  tone: "danger" | "warning" | "success";
  /** "Rolled back automatically", "Aborted by Ana (ana@example.com)". */
  title: string;
  /** The decisive reason in words, with the gate's numbers when a gate decided. */
  reason: string;
  /** When it ended (ISO), for the headline and the charts' marker. */
  at: string | null;
  /** Short label of the chart marker: "Rolled back", "Completed", "Aborted". */
  marker: string;
}

const VERB: Record<TerminalState, string> = { rolled_back: "Rolled back", aborted: "Aborted", completed: "Completed" };
const TONE: Record<TerminalState, RolloutEnding["tone"]> = { rolled_back: "danger", aborted: "warning", completed: "success" };

/**
 * The ending of a terminal rollout, or null while it runs. The evaluator's own reason
 * (lastAutomaticAction: "Rolled back at 14:02 UTC: treatment error rate 12.1% …, critical gate
 * 'error rate'") is the decisive one when the system made the last transition; otherwise the
 * person's comment, or the transition's summary when they gave none.
 */
export function rolloutEnding(input: { state: string; endedAt: string | null; lastAutomaticAction: string | null; history: readonly EndingTransition[] }): RolloutEnding | null {
  const { state } = input;
  if (!isTerminalState(state)) return null;
  const last = [...input.history].reverse().find((t) => t.toState === state) ?? null;
  const verb = VERB[state];
  const at = input.endedAt ?? last?.createdAt ?? null;
  const base = { state, tone: TONE[state], at, marker: verb };
  if (!last) return { ...base, title: verb, reason: input.lastAutomaticAction ?? "No transition was recorded for this ending." };
  if (last.actor.type === "system") {
    const automatic = input.lastAutomaticAction?.startsWith(verb) ? input.lastAutomaticAction : null;
    return { ...base, title: `${verb} automatically`, reason: automatic ?? last.comment ?? last.summary };
  }
  const why = last.comment?.trim() ? `“${last.comment.trim()}”` : `${last.summary} (no reason given)`;
  return { ...base, title: `${verb} by ${last.actor.label}`, reason: why };
}

export type StageDisplayStatus = "done" | "current" | "next" | "ended_here" | "not_reached";

/**
 * The stage's status as a page should name it: a terminal rollout has no "current" stage (the
 * one it ended at is "ended here", later ones were "not reached"); a completed one is all done.
 */
export function stageDisplayStatus(state: string, status: "done" | "current" | "next"): StageDisplayStatus {
  if (!isTerminalState(state)) return status;
  if (state === "completed") return "done";
  if (status === "current") return "ended_here";
  return status === "next" ? "not_reached" : "done";
}
