/**
 * From an SLO's current state to the automatic reactions its breach policies ask for, each with
 * a reason that carries the numbers (it goes into the audit record as is).
 */
import type { BurnRateAlert } from "./burn-rate";
import type { CeilingBreach } from "./ceilings";
import { describeBudget, type ErrorBudget } from "./error-budget";
import { formatMultiplier, formatTarget, formatWindow } from "./numbers";
import { BREACH_ACTIONS, type BreachAction, type BreachTrigger, type SloDefinition } from "./types";

export interface BreachState {
  alerts: readonly BurnRateAlert[];
  budget: ErrorBudget;
  latencyBreaches: readonly CeilingBreach[];
  costBreaches: readonly CeilingBreach[];
}

export interface BreachDecision {
  action: BreachAction;
  sloId: string;
  /** The flag a flag-scoped action acts on; null for an environment-wide SLO. */
  flagKey: string | null;
  /** `circuit_break_variant` only: the variant to cut off. */
  variant?: string;
  /** Every trigger that asked for this action, in the order of the SLO's policies. */
  triggers: BreachTrigger[];
  /** The triggers' reasons joined with "; ". */
  reason: string;
}

/** Actions that change one flag, so they need the SLO to name a flag. */
const FLAG_ACTIONS: readonly BreachAction[] = ["switch_to_fallback", "circuit_break_variant"];

/**
 * The actions the SLO's policies call for in this state, one per (action, variant): when two
 * triggers ask for the same action their reasons are joined. Sorted from the mildest action to
 * the most drastic (BREACH_ACTIONS order), then by variant.
 *
 * Triggers: `page`/`ticket` when a burn-rate alert of that severity fires, `budget_exhausted`
 * when budget.exhausted, `latency_breach`/`cost_breach` when there is at least one breach.
 * Policies the schema refuses are skipped rather than acted on half-way: a flag action on an
 * SLO without a flag, a circuit break without a variant.
 */
export function decideBreachActions(slo: Pick<SloDefinition, "id" | "flagKey" | "successRateTarget" | "windowDays" | "policies">, state: BreachState): BreachDecision[] {
  const decisions = new Map<string, BreachDecision>();
  for (const policy of slo.policies) {
    const reason = triggerReason(policy.on, slo, state);
    if (reason === null) continue;
    for (const action of policy.actions) {
      if (FLAG_ACTIONS.includes(action) && slo.flagKey === null) continue;
      const variant = action === "circuit_break_variant" ? policy.variant : undefined;
      if (action === "circuit_break_variant" && !variant) continue;

      const key = `${action}\u0000${variant ?? ""}`;
      const existing = decisions.get(key);
      if (!existing) {
        const decision: BreachDecision = { action, sloId: slo.id, flagKey: slo.flagKey, triggers: [policy.on], reason };
        if (variant) decision.variant = variant;
        decisions.set(key, decision);
      } else if (!existing.triggers.includes(policy.on)) {
        existing.triggers.push(policy.on);
        existing.reason = `${existing.reason}; ${reason}`;
      }
    }
  }
  const rank = (a: BreachAction) => BREACH_ACTIONS.indexOf(a);
  return [...decisions.values()].sort((a, b) => rank(a.action) - rank(b.action) || compareText(a.variant ?? "", b.variant ?? ""));
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Why a trigger holds, with its numbers; null when it does not. */
function triggerReason(trigger: BreachTrigger, slo: Pick<SloDefinition, "successRateTarget" | "windowDays">, state: BreachState): string | null {
  switch (trigger) {
    case "page":
    case "ticket": {
      const firing = state.alerts.filter((a) => a.severity === trigger && a.firing);
      if (firing.length === 0) return null;
      const details = firing
        .map(
          (a) =>
            `${formatMultiplier(a.longBurn)} over ${formatWindow(a.longWindowMinutes)} and ` +
            `${formatMultiplier(a.shortBurn)} over ${formatWindow(a.shortWindowMinutes)} ` +
            `(threshold ${formatMultiplier(a.threshold)})`,
        )
        .join(", ");
      const target = formatTarget(slo.successRateTarget);
      return `Error budget burning too fast (${trigger}): ${details} against the ${target} target`;
    }
    case "budget_exhausted":
      return state.budget.exhausted ? `Error budget exhausted: ${describeBudget(slo, state.budget)}` : null;
    case "latency_breach":
      return state.latencyBreaches.length === 0 ? null : `Latency ceiling breached: ${state.latencyBreaches.map((b) => b.message).join(", ")}`;
    case "cost_breach":
      return state.costBreaches.length === 0 ? null : `Cost ceiling breached: ${state.costBreaches.map((b) => b.message).join(", ")}`;
  }
}

export interface PromotionFreeze {
  active: boolean;
  /** Ids of the SLOs that freeze promotions, in the order given. */
  sloIds: string[];
  reason: string;
}

/** True when the SLO reacts to an exhausted budget by freezing promotions. */
export function freezesOnExhaustedBudget(slo: Pick<SloDefinition, "policies">): boolean {
  return slo.policies.some((p) => p.on === "budget_exhausted" && p.actions.includes("freeze_promotions"));
}

/**
 * The freeze rule: promotions are refused while any SLO with a `budget_exhausted →
 * freeze_promotions` policy has an exhausted budget (rollback is always allowed). An SLO whose
 * budget is missing from `budgets` (keyed by SLO id) is treated as not exhausted.
 */
export function promotionFreeze(
  slos: readonly Pick<SloDefinition, "id" | "name" | "successRateTarget" | "windowDays" | "policies">[],
  budgets: ReadonlyMap<string, ErrorBudget> | Readonly<Record<string, ErrorBudget | undefined>>,
): PromotionFreeze {
  const budgetOf = (id: string) => (budgets instanceof Map ? budgets.get(id) : (budgets as Readonly<Record<string, ErrorBudget | undefined>>)[id]);
  const guarded = slos.filter(freezesOnExhaustedBudget);
  const frozen = guarded.flatMap((slo) => {
    const budget = budgetOf(slo.id);
    return budget?.exhausted ? [{ slo, budget }] : [];
  });
  if (frozen.length === 0) {
    return {
      active: false,
      sloIds: [],
      reason:
        guarded.length === 0
          ? "No SLO freezes promotions on an exhausted error budget"
          : `No exhausted error budget among ${guarded.length} SLO${guarded.length === 1 ? "" : "s"} that freeze promotions`,
    };
  }
  const details = frozen.map(({ slo, budget }) => `SLO "${slo.name}": ${describeBudget(slo, budget)}`).join("; ");
  return {
    active: true,
    sloIds: frozen.map(({ slo }) => slo.id),
    reason: `Promotions frozen, error budget exhausted. ${details}`,
  };
}
