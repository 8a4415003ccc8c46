/**
 * Types of the SLO domain: an SLO's targets and ceilings, its breach policies, and the per-minute
 * counts the error-budget math reads. Targets are fractions (0.999 = 99.9%), never percentages.
 */

/** Rolling windows an SLO can be measured over, in days. */
export const SLO_WINDOW_DAYS = [7, 28] as const;
export type SloWindowDays = (typeof SLO_WINDOW_DAYS)[number];

/** What a breach policy reacts to. `page`/`ticket` are the burn-rate alert severities. */
export const BREACH_TRIGGERS = ["page", "ticket", "budget_exhausted", "latency_breach", "cost_breach"] as const;
export type BreachTrigger = (typeof BREACH_TRIGGERS)[number];

/**
 * Automatic reactions, from the mildest to the most drastic (decisions are listed in this order).
 * `switch_to_fallback` and `circuit_break_variant` act on the SLO's flag, so they need a flagKey;
 * `circuit_break_variant` also names the variant to cut off.
 */
export const BREACH_ACTIONS = ["notify", "freeze_promotions", "rollback_active_rollouts", "switch_to_fallback", "circuit_break_variant"] as const;
export type BreachAction = (typeof BREACH_ACTIONS)[number];

export interface BreachPolicy {
  on: BreachTrigger;
  actions: BreachAction[];
  /** The variant `circuit_break_variant` cuts off. */
  variant?: string;
}

export interface SloDefinition {
  id: string;
  name: string;
  environmentId: string;
  /** null: the SLO covers the whole environment. */
  flagKey: string | null;
  /** Success-rate target as a fraction strictly between 0 and 1, e.g. 0.999. */
  successRateTarget: number;
  windowDays: SloWindowDays;
  latencyP50MsMax?: number | null;
  latencyP95MsMax?: number | null;
  latencyP99MsMax?: number | null;
  costPerRequestUsdMax?: number | null;
  costPerDayUsdMax?: number | null;
  policies: BreachPolicy[];
}

/** Requests and failures counted in one minute; `minute` is the minute's start. */
export interface MinuteCount {
  minute: Date;
  total: number;
  failures: number;
}
