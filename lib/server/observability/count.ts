/**
 * The small functions other modules call to count into Rollgate's own /metrics. Each is cheap
 * (an in-memory increment) and never throws: observability must not break the request it
 * observes. Who calls what:
 * - evaluation (lib/server/evaluation): countEvaluation per served evaluation, countExposure per
 *   rollout-decided one;
 * - ingestion (lib/server/services/metrics): countIngestedEvents per batch, countArmOutcome per
 *   accepted event that names a rollout arm;
 * - webhooks (lib/server/webhooks): countWebhookDelivery per attempt;
 * - the evaluator (lib/server/automation): ticks, actions, gate verdicts, SLO gauges.
 */
import { rollgateMetrics } from "./registry";

function safely(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    // A label typo must not fail a request; say it once per process.
    warnOnce(error);
  }
}

let warned = false;
function warnOnce(error: unknown): void {
  if (warned) return;
  warned = true;
  console.warn("[observability] metric update failed", error);
}

export function countEvaluation(environment: string, flag: string, reason: string, n = 1): void {
  safely(() => rollgateMetrics().evaluations.inc({ environment, flag, reason }, n));
}

export function countExposure(rolloutId: string, arm: "control" | "treatment", n = 1): void {
  safely(() => rollgateMetrics().exposures.inc({ rollout_id: rolloutId, arm }, n));
}

export function countIngestedEvents(environment: string, counts: { accepted: number; duplicates: number; rejected: number }): void {
  safely(() => {
    const m = rollgateMetrics().ingestedEvents;
    if (counts.accepted) m.inc({ environment, result: "accepted" }, counts.accepted);
    if (counts.duplicates) m.inc({ environment, result: "duplicate" }, counts.duplicates);
    if (counts.rejected) m.inc({ environment, result: "rejected" }, counts.rejected);
  });
}

export interface ArmOutcome {
  rolloutId: string;
  flag: string;
  arm: "control" | "treatment";
  success: boolean;
  latencyMs?: number | null;
  costUsd?: number | null;
}

/** One accepted outcome event of a rollout arm: success/error, latency and cost. */
export function countArmOutcome(event: ArmOutcome): void {
  safely(() => {
    const m = rollgateMetrics();
    const labels = { rollout_id: event.rolloutId, flag: event.flag, arm: event.arm };
    m.armOutcomes.inc({ ...labels, outcome: event.success ? "success" : "error" });
    if (event.latencyMs != null && Number.isFinite(event.latencyMs) && event.latencyMs >= 0) m.armLatency.observe(labels, event.latencyMs / 1000);
    if (event.costUsd != null && Number.isFinite(event.costUsd) && event.costUsd > 0) m.armCost.inc(labels, event.costUsd);
  });
}

export function countEvaluatorTick(outcome: "ran" | "skipped" | "error", durationSeconds?: number): void {
  safely(() => {
    const m = rollgateMetrics();
    m.evaluatorTicks.inc({ outcome });
    if (outcome === "ran" && durationSeconds !== undefined) m.evaluatorTickSeconds.observe(durationSeconds);
  });
}

export function countEvaluatorAction(action: string): void {
  safely(() => rollgateMetrics().evaluatorActions.inc({ action }));
}

export function countGateVerdict(verdict: "pass" | "fail" | "inconclusive", critical: boolean): void {
  safely(() => rollgateMetrics().gateVerdicts.inc({ verdict, critical: String(critical) }));
}

export function countWebhookDelivery(event: string, status: "succeeded" | "failed" | "retrying"): void {
  safely(() => rollgateMetrics().webhookDeliveries.inc({ event, status }));
}

export function setSloGauges(slo: { id: string; name: string; environment: string }, remaining: number | null, burnRates: Record<string, number>): void {
  safely(() => {
    const m = rollgateMetrics();
    const labels = { slo_id: slo.id, slo: slo.name, environment: slo.environment };
    if (remaining != null && Number.isFinite(remaining)) m.sloBudgetRemaining.set(labels, remaining);
    for (const [window, rate] of Object.entries(burnRates)) {
      if (Number.isFinite(rate)) m.sloBurnRate.set({ ...labels, window }, rate);
    }
  });
}
