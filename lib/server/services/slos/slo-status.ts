/**
 * An SLO's state now: error budget, burn rates per window, the multi-window alerts, latency and
 * cost ceilings, which breach triggers hold, and what its policies ask for. The math is the pure
 * SLO domain's (lib/domain/slo); this module loads the numbers for it.
 */
import "server-only";
import {
  BREACH_ACTIONS,
  BREACH_TRIGGERS,
  BURN_RATE_ALERT_RULES,
  MINUTES_PER_DAY,
  burnRate,
  burnRateAlerts,
  costBreaches,
  decideBreachActions,
  describeBudget,
  errorBudget,
  latencyBreaches,
  type BreachDecision,
  type BreachPolicy,
  type BreachTrigger,
  type BurnRateAlert,
  type CeilingBreach,
  type ErrorBudget,
  type SloDefinition,
} from "../../../domain/slo";
import { promWindow } from "../../../domain/gates/exports";
import type { DbOrTx } from "../../db";
import { recentPerformance, windowCountIndex, type RecentPerformance } from "./slo-metrics";

/**
 * Burn-rate windows shown and published as gauges: every window of the alert table, labelled as
 * Prometheus durations ("5m", "1h", "3d") to match the exported alert rules.
 */
export const BURN_WINDOWS = [...new Set(BURN_RATE_ALERT_RULES.flatMap((r) => [r.shortWindowMinutes, r.longWindowMinutes]))]
  .sort((a, b) => a - b)
  .map((minutes) => ({ label: promWindow(minutes), minutes }));

export interface SloRow {
  id: string;
  environmentId: string;
  flagKey: string | null;
  name: string;
  successRateTarget: number;
  windowDays: number;
  latencyP50MsMax: number | null;
  latencyP95MsMax: number | null;
  latencyP99MsMax: number | null;
  costPerRequestUsdMax: number | null;
  costPerDayUsdMax: number | null;
  policies: unknown;
}

/** The row as the domain's SloDefinition; policies the domain does not know are dropped. */
export function toSloDefinition(row: SloRow): SloDefinition {
  return {
    id: row.id,
    name: row.name,
    environmentId: row.environmentId,
    flagKey: row.flagKey,
    successRateTarget: row.successRateTarget,
    windowDays: row.windowDays === 7 ? 7 : 28,
    latencyP50MsMax: row.latencyP50MsMax,
    latencyP95MsMax: row.latencyP95MsMax,
    latencyP99MsMax: row.latencyP99MsMax,
    costPerRequestUsdMax: row.costPerRequestUsdMax,
    costPerDayUsdMax: row.costPerDayUsdMax,
    policies: parsePolicies(row.policies),
  };
}

export function parsePolicies(raw: unknown): BreachPolicy[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((p) => {
    const on = (p as { on?: unknown })?.on;
    const actions = (p as { actions?: unknown })?.actions;
    const variant = (p as { variant?: unknown })?.variant;
    if (!BREACH_TRIGGERS.includes(on as BreachTrigger) || !Array.isArray(actions)) return [];
    const known = actions.filter((a): a is BreachPolicy["actions"][number] => (BREACH_ACTIONS as readonly string[]).includes(a as string));
    return [{ on: on as BreachTrigger, actions: known, ...(typeof variant === "string" && variant ? { variant } : {}) }];
  });
}

export interface TriggerState {
  trigger: BreachTrigger;
  firing: boolean;
  /** The numbers, in words, when firing. */
  reason: string | null;
}

export interface SloStatus {
  slo: SloDefinition;
  budget: ErrorBudget;
  budgetText: string;
  burnRates: { window: string; minutes: number; rate: number }[];
  alerts: BurnRateAlert[];
  latencyBreaches: CeilingBreach[];
  costBreaches: CeilingBreach[];
  performance: RecentPerformance;
  triggers: TriggerState[];
  /** What the policies ask for now (notify, freeze, rollback, fallback, circuit break). */
  decisions: BreachDecision[];
  evaluatedAt: Date;
}

export async function computeSloStatus(client: DbOrTx, row: SloRow, now: Date): Promise<SloStatus> {
  const slo = toSloDefinition(row);
  const scope = { environmentId: slo.environmentId, flagKey: slo.flagKey };
  const windowMinutes = slo.windowDays * MINUTES_PER_DAY;
  const needed = [windowMinutes, ...BURN_WINDOWS.map((w) => w.minutes)];
  const index = await windowCountIndex(client, scope, now, needed);
  const performance = await recentPerformance(client, scope, now);
  const budget = errorBudget(slo, index, now);
  const alerts = burnRateAlerts(index, now, slo.successRateTarget);
  const latency = latencyBreaches(slo, performance.latency);
  const cost = costBreaches(slo, { costPerRequest: performance.costPerRequest, costPerDay: performance.costPerDay });
  const state = { alerts, budget, latencyBreaches: latency, costBreaches: cost };
  const decisions = decideBreachActions(slo, state);
  return {
    slo,
    budget,
    budgetText: describeBudget(slo, budget),
    burnRates: BURN_WINDOWS.map((w) => ({ window: w.label, minutes: w.minutes, rate: burnRate(index, now, w.minutes, slo.successRateTarget) })),
    alerts,
    latencyBreaches: latency,
    costBreaches: cost,
    performance,
    triggers: triggerStates(slo, state),
    decisions,
    evaluatedAt: now,
  };
}

/** Every trigger with whether it holds, whether or not a policy reacts to it. */
function triggerStates(slo: SloDefinition, state: Parameters<typeof decideBreachActions>[1]): TriggerState[] {
  // decideBreachActions words the reasons; ask it once per trigger with a notify-only policy.
  return BREACH_TRIGGERS.map((trigger) => {
    const [decision] = decideBreachActions({ ...slo, policies: [{ on: trigger, actions: ["notify"] }] }, state);
    return { trigger, firing: Boolean(decision), reason: decision?.reason ?? null };
  });
}
