/**
 * One SLO in one evaluator tick: compute its status, publish its gauges, and apply its breach
 * policies on the edges of each trigger (page, ticket, budget_exhausted, latency_breach,
 * cost_breach):
 * - rising edge: one transaction records the alert state, an audit record by `system` with the
 *   numbers, and (with a `notify` policy) the `slo.alert` webhook; then the drastic actions run
 *   (roll back the flag's active rollouts, switch the flag to its fallback, circuit-break a
 *   variant), each through its own audited service, and the state is marked handled. A crash in
 *   between leaves `handled_at` null and the next tick finishes the actions; they are idempotent
 *   (only active rollouts are rolled back, the kill switch only turned on when off).
 * - falling edge: the state is cleared with an audit record and, with `notify`, a "resolved" webhook.
 * `freeze_promotions` needs no action: promotions consult the freeze live (promotion-freeze.ts).
 */
import "server-only";
import { BREACH_TRIGGERS, type BreachDecision, type BreachTrigger } from "../../domain/slo";
import { slackEscape, type WebhookContent } from "../../domain/webhooks";
import { recordAudit } from "../audit/record-audit";
import { SYSTEM_ACTOR } from "../auth/actor";
import type { Db } from "../db";
import { countEvaluatorAction, setSloGauges } from "../observability";
import type { RolloutCommandRequest, RolloutCommandResult } from "../services/rollouts/run-rollout-command";
import { enqueueWebhookEvent } from "../webhooks/enqueue";
import { kickWebhookWorker } from "../webhooks/worker";
import type { AutomationCommandContext } from "./rollout-step";
import { computeSloStatus, type SloRow, type SloStatus } from "../services/slos/slo-status";

const DRASTIC = ["rollback_active_rollouts", "switch_to_fallback", "circuit_break_variant"] as const;

export interface SloStepDeps {
  client: Db;
  runCommand(actor: typeof SYSTEM_ACTOR, request: RolloutCommandRequest, ctx: AutomationCommandContext): Promise<RolloutCommandResult>;
  /** Turns the flag's kill switch on (serving its fallback); false when it already was on. */
  killSwitch(input: { environmentId: string; flagKey: string; reason: string; numbers: Record<string, unknown>; now: Date }): Promise<boolean>;
  log(message: string, error?: unknown): void;
  appUrl: string;
}

export interface SloStepResult {
  sloId: string;
  fired: BreachTrigger[];
  resolved: BreachTrigger[];
  actions: string[];
}

export async function evaluateSloStep(row: SloRow & { environment: { key: string } }, deps: SloStepDeps, now: Date): Promise<SloStepResult> {
  const status = await computeSloStatus(deps.client, row, now);
  setSloGauges({ id: row.id, name: row.name, environment: row.environment.key }, status.budget.remainingFraction, Object.fromEntries(status.burnRates.map((b) => [b.window, b.rate])));

  const stored = await deps.client.sloAlertState.findMany({ where: { sloId: row.id } });
  const result: SloStepResult = { sloId: row.id, fired: [], resolved: [], actions: [] };
  for (const trigger of BREACH_TRIGGERS) {
    const now_ = status.triggers.find((t) => t.trigger === trigger);
    if (!now_) throw new Error(`SLO ${row.id}: no status for trigger ${trigger}`);
    const before = stored.find((s) => s.trigger === trigger);
    if (now_.firing && !before?.firing) {
      await recordEdge(deps, row, status, trigger, "fired", now_.reason ?? trigger, now);
      result.fired.push(trigger);
    } else if (!now_.firing && before?.firing) {
      await recordEdge(deps, row, status, trigger, "resolved", `${trigger.replace("_", " ")} no longer holds`, now);
      result.resolved.push(trigger);
    }
  }

  // Drastic actions of firing triggers not yet handled (just fired, or left over by a crash).
  const pending = await deps.client.sloAlertState.findMany({ where: { sloId: row.id, firing: true, handledAt: null } });
  for (const state of pending) {
    const decisions = status.decisions.filter((d) => d.triggers.includes(state.trigger as BreachTrigger) && (DRASTIC as readonly string[]).includes(d.action));
    for (const decision of decisions) {
      try {
        result.actions.push(...(await act(deps, row, status, decision, now)));
      } catch (error) {
        // Leave handled_at null: the next tick tries again.
        deps.log(`SLO ${row.id}: ${decision.action} failed`, error);
        return result;
      }
    }
    await deps.client.sloAlertState.update({ where: { sloId_trigger: { sloId: row.id, trigger: state.trigger } }, data: { handledAt: now, updatedAt: now } });
  }
  return result;
}

async function recordEdge(deps: SloStepDeps, row: SloRow & { environment: { key: string } }, status: SloStatus, trigger: BreachTrigger, edge: "fired" | "resolved", reason: string, now: Date) {
  const fired = edge === "fired";
  const policyActions = status.slo.policies.filter((p) => p.on === trigger).flatMap((p) => p.actions);
  const notify = policyActions.includes("notify");
  const numbers = sloNumbers(status);
  let enqueued = 0;
  await deps.client.$transaction(async (tx) => {
    await tx.sloAlertState.upsert({
      where: { sloId_trigger: { sloId: row.id, trigger } },
      create: { sloId: row.id, trigger, firing: true, since: now, details: { reason, ...numbers }, updatedAt: now },
      update: fired ? { firing: true, since: now, handledAt: null, resolvedAt: null, details: { reason, ...numbers }, updatedAt: now } : { firing: false, resolvedAt: now, updatedAt: now },
    });
    await recordAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: fired ? "slo.alert" : "slo.alert_resolved",
      resourceType: "slo",
      resourceId: row.id,
      environmentId: row.environmentId,
      after: { trigger, firing: fired },
      context: { slo: row.name, flagKey: row.flagKey, trigger, reason, policyActions, ...numbers },
      now,
    });
    if (notify) {
      enqueued = await enqueueWebhookEvent(tx, {
        environmentId: row.environmentId,
        event: "slo.alert",
        payload: alertContent(deps.appUrl, row, trigger, edge, reason, policyActions, numbers),
        occurredAt: now,
      });
    }
  });
  if (enqueued > 0) kickWebhookWorker();
  countEvaluatorAction(fired ? "slo_alert" : "slo_alert_resolved");
}

async function act(deps: SloStepDeps, row: SloRow, status: SloStatus, decision: BreachDecision, now: Date): Promise<string[]> {
  const why = `SLO "${row.name}": ${decision.reason}`;
  const numbers = { slo: row.name, sloId: row.id, action: decision.action, triggers: decision.triggers, ...sloNumbers(status) };
  const done: string[] = [];
  if (decision.action === "rollback_active_rollouts" || decision.action === "circuit_break_variant") {
    const rollouts = await deps.client.rollout.findMany({
      where: {
        environmentId: row.environmentId,
        state: { in: ["running", "paused", "awaiting_approval"] },
        ...(row.flagKey ? { flag: { key: row.flagKey } } : {}),
        ...(decision.action === "circuit_break_variant" ? { treatmentVariant: decision.variant } : {}),
      },
      select: { id: true, version: true },
    });
    for (const r of rollouts) {
      const reason = `Rolled back at ${clock(now)}: ${why}`;
      try {
        await deps.runCommand(SYSTEM_ACTOR, { rolloutId: r.id, command: "rollback", comment: reason, expectedVersion: r.version }, { now, automation: { reason, numbers } });
        countEvaluatorAction("slo_rollback");
        done.push(`rollback ${r.id}`);
      } catch (error) {
        deps.log(`SLO ${row.id}: rollback of ${r.id} refused`, error);
      }
    }
  }
  const cutsDefault = decision.action === "circuit_break_variant" && decision.variant && row.flagKey ? await servesByDefault(deps, row.environmentId, row.flagKey, decision.variant) : false;
  if ((decision.action === "switch_to_fallback" || cutsDefault) && row.flagKey) {
    const changed = await deps.killSwitch({ environmentId: row.environmentId, flagKey: row.flagKey, reason: why, numbers, now });
    if (changed) {
      countEvaluatorAction("slo_kill_switch");
      done.push(`kill switch ${row.flagKey}`);
    }
  }
  return done;
}

/** Whether the variant is the flag's default (so cutting it off means serving the fallback), and not the fallback itself. */
async function servesByDefault(deps: SloStepDeps, environmentId: string, flagKey: string, variant: string): Promise<boolean> {
  const flag = await deps.client.flag.findUnique({ where: { environmentId_key: { environmentId, key: flagKey } }, select: { defaultVariant: true, fallbackVariant: true } });
  return Boolean(flag && flag.defaultVariant === variant && flag.fallbackVariant !== variant);
}

function sloNumbers(status: SloStatus): Record<string, unknown> {
  const b = status.budget;
  return {
    budget: { windowTotal: b.windowTotal, windowFailures: b.windowFailures, allowedFailures: b.allowedFailures, remainingFraction: b.remainingFraction, exhausted: b.exhausted },
    burnRates: Object.fromEntries(status.burnRates.map((r) => [r.window, r.rate])),
    alerts: status.alerts
      .filter((a) => a.firing)
      .map((a) => ({ severity: a.severity, longWindowMinutes: a.longWindowMinutes, shortWindowMinutes: a.shortWindowMinutes, longBurn: a.longBurn, shortBurn: a.shortBurn, threshold: a.threshold })),
    breaches: [...status.latencyBreaches, ...status.costBreaches].map((x) => ({ metric: x.metric, observed: x.observed, ceiling: x.ceiling })),
  };
}

function alertContent(appUrl: string, row: SloRow, trigger: BreachTrigger, edge: "fired" | "resolved", reason: string, actions: string[], numbers: Record<string, unknown>): WebhookContent {
  const scope = row.flagKey ? `*${slackEscape(row.flagKey)}*` : "the environment";
  const icon = edge === "fired" ? (trigger === "ticket" ? ":warning:" : ":rotating_light:") : ":white_check_mark:";
  const doing = edge === "fired" && actions.length ? ` Actions: ${actions.map((a) => a.replace(/_/g, " ")).join(", ")}.` : "";
  const text = `${icon} SLO "${slackEscape(row.name)}" (${scope}) ${edge === "fired" ? trigger.replace("_", " ") : `${trigger.replace("_", " ")} resolved`}: ${slackEscape(reason)}.${doing} <${appUrl}/slos|Open SLOs>`;
  return {
    text,
    actor: { type: "system", label: "system" },
    slo: { id: row.id, name: row.name, flagKey: row.flagKey, successRateTarget: row.successRateTarget, windowDays: row.windowDays },
    alert: { trigger, state: edge, reason, actions, ...numbers },
  };
}

function clock(now: Date): string {
  return `${String(now.getUTCHours()).padStart(2, "0")}:${String(now.getUTCMinutes()).padStart(2, "0")} UTC`;
}
