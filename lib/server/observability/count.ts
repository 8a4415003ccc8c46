/**
 * The small functions other modules call to count into Rollgate's own /metrics. Each is cheap
 * (an in-memory increment) and never throws: observability must not break the request it
 * observes. Who calls what:
 * - evaluation (lib/server/evaluation/fast-routes.ts): the lean path counts straight into
 *   `servingCounts()` (serving-counts.ts); countEvaluation/countExposure are the same counts for
 *   any other caller;
 * - ingestion (lib/server/services/metrics): countIngestion per batch (ingested events, and the
 *   outcome, latency and cost of every newly stored event that names a rollout arm);
 * - webhooks (lib/server/webhooks): countWebhookDelivery per attempt;
 * - the evaluator (lib/server/automation): ticks, actions, gate verdicts, SLO gauges.
 */
import "server-only";
import { environmentKeyOf } from "./environment-keys";
import { rollgateMetrics } from "./registry";
import type { EvaluationCountReason, ServingCounts } from "./serving-counts";

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

/** The process's lean-path counters (what the evaluation routes count into). */
export function servingCounts(): ServingCounts {
  return rollgateMetrics().serving;
}

export function countEvaluation(environment: string, flag: string, reason: EvaluationCountReason, n = 1): void {
  safely(() => {
    const counts = servingCounts();
    for (let i = 0; i < n; i++) counts.evaluation(environment, flag, reason);
  });
}

export function countExposure(environment: string, flag: string, rolloutId: string, arm: "control" | "treatment", n = 1): void {
  safely(() => {
    const counts = servingCounts();
    for (let i = 0; i < n; i++) counts.exposure(environment, flag, rolloutId, arm);
  });
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
  environment: string;
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
    const labels = { environment: event.environment, flag: m.caps.flags.label(event.flag), rollout_id: m.caps.rollouts.label(event.rolloutId), arm: event.arm };
    m.armOutcomes.inc({ ...labels, outcome: event.success ? "success" : "error" });
    if (event.latencyMs != null && Number.isFinite(event.latencyMs) && event.latencyMs >= 0) m.armLatency.observe(labels, event.latencyMs / 1000);
    if (event.costUsd != null && Number.isFinite(event.costUsd) && event.costUsd > 0) m.armCost.inc(labels, event.costUsd);
  });
}

/** What ingestion knows of one newly stored event (lib/domain/metrics AcceptedEvent has these). */
export interface IngestedEvent {
  flagKey: string;
  rolloutId: string | null;
  arm: "control" | "treatment" | null;
  success: boolean;
  latencyMs: number | null;
  costUsd: number | null;
}

/**
 * One ingestion batch of an environment: its accepted/duplicate/rejected counts, and an arm
 * outcome for each newly stored event (`stored`) that names a rollout arm. Never throws.
 */
export async function countIngestion(environmentId: string, counts: { accepted: number; duplicates: number; rejected: unknown[] | number }, stored: readonly IngestedEvent[] = []): Promise<void> {
  const environment = await environmentKeyOf(environmentId);
  const rejected = typeof counts.rejected === "number" ? counts.rejected : counts.rejected.length;
  countIngestedEvents(environment, { accepted: counts.accepted, duplicates: counts.duplicates, rejected });
  countArmOutcomes(environment, stored);
}

/**
 * The arm outcomes of a batch, as countArmOutcome per event would count them, with the labels
 * resolved once per (rollout, arm, flag) instead of once per event: a batch is up to 1,000.
 */
function countArmOutcomes(environment: string, stored: readonly IngestedEvent[]): void {
  safely(() => {
    const m = rollgateMetrics();
    type Group = { labels: Record<string, string>; successes: number; errors: number; cost: number; latency: { observe(v: number): void } };
    const groups = new Map<string, Group>();
    for (const e of stored) {
      if (!e.rolloutId || !e.arm) continue;
      const key = `${e.rolloutId}\u0000${e.arm}\u0000${e.flagKey}`;
      let g = groups.get(key);
      if (!g) {
        const labels = { environment, flag: m.caps.flags.label(e.flagKey), rollout_id: m.caps.rollouts.label(e.rolloutId), arm: e.arm };
        g = { labels, successes: 0, errors: 0, cost: 0, latency: m.armLatency.labels(labels) };
        groups.set(key, g);
      }
      if (e.success) g.successes += 1;
      else g.errors += 1;
      if (e.latencyMs != null && Number.isFinite(e.latencyMs) && e.latencyMs >= 0) g.latency.observe(e.latencyMs / 1000);
      if (e.costUsd != null && Number.isFinite(e.costUsd) && e.costUsd > 0) g.cost += e.costUsd;
    }
    for (const g of groups.values()) {
      if (g.successes) m.armOutcomes.inc({ ...g.labels, outcome: "success" }, g.successes);
      if (g.errors) m.armOutcomes.inc({ ...g.labels, outcome: "error" }, g.errors);
      if (g.cost > 0) m.armCost.inc(g.labels, g.cost);
    }
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
