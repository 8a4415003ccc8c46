/**
 * Rollgate's own Prometheus metrics: one prom-client registry per process, kept on globalThis
 * (lib/server/singleton.ts) because the custom server and Next's bundles load separate copies of
 * this module and must count into the same series. `GET /metrics` serves it.
 *
 * Names follow Prometheus conventions: `rollgate_` prefix, `_total` counters, base units
 * (seconds). Labels are bounded (docs/metrics.md lists each series' labels and cardinality):
 * environment, flag, rollout_id, arm, reason, outcome and small enumerations — never a user,
 * request or event id, never free text. Flag keys and rollout ids past
 * ROLLGATE_METRICS_MAX_SERIES_KEYS fold into `other` (key-cap.ts).
 *
 * Evaluations and exposures are counted on the lean evaluation path as plain numbers
 * (serving-counts.ts) and handed to prom-client only when Prometheus scrapes (`collect`).
 */
import "server-only";
import client from "prom-client";
import { getEnv } from "../../env";
import { singleton } from "../singleton";
import { createLabelCaps } from "./key-cap";
import { ServingCounts } from "./serving-counts";

/** Latency buckets in seconds: 5 ms … 60 s, where LLM calls live. */
export const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];

/** Labels of every per-arm series. */
const ARM_LABELS = ["environment", "flag", "rollout_id", "arm"] as const;

function create(maxSeriesKeys = getEnv().ROLLGATE_METRICS_MAX_SERIES_KEYS) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "rollgate_process_" });
  const reg = [registry];
  const caps = createLabelCaps(maxSeriesKeys);
  const serving = new ServingCounts(caps);
  return {
    registry,
    caps,
    serving,
    evaluations: new client.Counter({
      name: "rollgate_evaluations_total",
      help: "Flag evaluations served on /api/v1/evaluate and OFREP, by environment, flag and reason (DEFAULT, TARGETING_MATCH, SPLIT, DISABLED, KILL_SWITCH, ERROR, FLAG_NOT_FOUND, TARGETING_KEY_MISSING).",
      labelNames: ["environment", "flag", "reason"] as const,
      registers: reg,
      collect() {
        this.reset();
        for (const s of serving.evaluationSamples()) this.inc(s.labels, s.value);
      },
    }),
    exposures: new client.Counter({
      name: "rollgate_exposures_total",
      help: "Served evaluations decided by a rollout, by rollout and arm (the SRM check's input).",
      labelNames: ARM_LABELS,
      registers: reg,
      collect() {
        this.reset();
        for (const s of serving.exposureSamples()) this.inc(s.labels, s.value);
      },
    }),
    ingestedEvents: new client.Counter({
      name: "rollgate_ingested_events_total",
      help: "Outcome events received on /api/v1/events, by environment and result (accepted, duplicate, rejected).",
      labelNames: ["environment", "result"] as const,
      registers: reg,
    }),
    armOutcomes: new client.Counter({
      name: "rollgate_arm_outcomes_total",
      help: "Outcome events per rollout arm, by outcome (success, error): the old-vs-new success rate.",
      labelNames: [...ARM_LABELS, "outcome"] as const,
      registers: reg,
    }),
    armLatency: new client.Histogram({
      name: "rollgate_arm_latency_seconds",
      help: "Reported latency of outcome events per rollout arm.",
      labelNames: ARM_LABELS,
      buckets: LATENCY_BUCKETS_SECONDS,
      registers: reg,
    }),
    armCost: new client.Counter({
      name: "rollgate_arm_cost_usd_total",
      help: "Cost in US dollars of outcome events per rollout arm.",
      labelNames: ARM_LABELS,
      registers: reg,
    }),
    evaluatorTicks: new client.Counter({
      name: "rollgate_evaluator_ticks_total",
      help: "Gate evaluator ticks on this instance, by outcome (ran, skipped: another instance holds the lock, error).",
      labelNames: ["outcome"] as const,
      registers: reg,
    }),
    evaluatorTickSeconds: new client.Histogram({
      name: "rollgate_evaluator_tick_duration_seconds",
      help: "Duration of evaluator ticks that ran.",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: reg,
    }),
    evaluatorActions: new client.Counter({
      name: "rollgate_evaluator_actions_total",
      help: "Automatic actions taken by the evaluator (advance, request_approval, rollback, pause, slo_*).",
      labelNames: ["action"] as const,
      registers: reg,
    }),
    gateVerdicts: new client.Counter({
      name: "rollgate_gate_verdicts_total",
      help: "Gate evaluations, by verdict and whether the gate is critical.",
      labelNames: ["verdict", "critical"] as const,
      registers: reg,
    }),
    webhookDeliveries: new client.Counter({
      name: "rollgate_webhook_deliveries_total",
      help: "Webhook delivery attempts, by event and status (succeeded, failed, retrying).",
      labelNames: ["event", "status"] as const,
      registers: reg,
    }),
    sloBudgetRemaining: new client.Gauge({
      name: "rollgate_slo_error_budget_remaining_ratio",
      help: "Remaining error budget of each SLO as a fraction of the budget (1 = untouched, ≤ 0 = exhausted).",
      labelNames: ["slo_id", "slo", "environment"] as const,
      registers: reg,
    }),
    sloBurnRate: new client.Gauge({
      name: "rollgate_slo_burn_rate",
      help: "Error-budget burn rate of each SLO per window (1 = spending exactly the budget over the SLO window).",
      labelNames: ["slo_id", "slo", "environment", "window"] as const,
      registers: reg,
    }),
  };
}

export type RollgateMetrics = ReturnType<typeof create>;

/** The process's metrics (created on first use). */
export function rollgateMetrics(): RollgateMetrics {
  return singleton("observability.metrics", () => create());
}

/** A separate set of metrics with its own cap, for tests of the cap. */
export function createRollgateMetrics(maxSeriesKeys: number): RollgateMetrics {
  return create(maxSeriesKeys);
}

/** The Prometheus text exposition of every metric. */
export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  const { registry } = rollgateMetrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
