/**
 * When a rollout's automatic decision can next change with no new outcomes and no command: the
 * evaluator skips a rollout whose row and data are unchanged until then. Time enters the
 * decision in three places — the bake time (readiness), an inconclusive gate's deadline, and a
 * gate over the last N minutes (minutes slide out of its window at each minute boundary). Gates
 * whose numbers come from outside the rollout's own data (an SLO's budget, PromQL) may change at
 * any moment, so they make the rollout due at every tick.
 */
import type { GateSpec } from "./spec";

const MINUTE_MS = 60_000;

export interface NextCheckInput {
  stageStartedAt: Date | null;
  minBakeSeconds: number;
  gates: readonly GateSpec[];
  now: Date;
}

/** Epoch milliseconds of the next time-based change (`now` when any moment may change it); Infinity when none is pending. */
export function nextTimeBasedCheck(input: NextCheckInput): number {
  const now = input.now.getTime();
  if (input.gates.some((g) => g.metric === "slo_budget" || g.metric === "promql")) return now;
  const candidates: number[] = [];
  if (input.gates.some((g) => g.windowMinutes != null)) candidates.push((Math.floor(now / MINUTE_MS) + 1) * MINUTE_MS);
  const start = input.stageStartedAt?.getTime();
  if (start !== undefined) {
    candidates.push(start + input.minBakeSeconds * 1000);
    for (const g of input.gates) if (g.deadlineMinutes != null) candidates.push(start + g.deadlineMinutes * MINUTE_MS);
  }
  const future = candidates.filter((t) => t > now);
  return future.length ? Math.min(...future) : Infinity;
}
