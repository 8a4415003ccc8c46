import type { BreachAction, BreachTrigger } from "@/lib/domain/slo/types";

export const TRIGGER_LABELS: Record<BreachTrigger, string> = {
  page: "Page alert (fast burn: 14.4× over 1 h & 5 min, or 6× over 6 h & 30 min)",
  ticket: "Ticket alert (slow burn: 3× over 1 d & 2 h, or 1× over 3 d & 6 h)",
  budget_exhausted: "Error budget exhausted",
  latency_breach: "Latency ceiling breached",
  cost_breach: "Cost ceiling breached",
};

export const TRIGGER_SHORT: Record<BreachTrigger, string> = {
  page: "page alert",
  ticket: "ticket alert",
  budget_exhausted: "budget exhausted",
  latency_breach: "latency breach",
  cost_breach: "cost breach",
};

export const ACTION_LABELS: Record<BreachAction, string> = {
  notify: "Notify (slo.alert webhook)",
  freeze_promotions: "Freeze promotions",
  rollback_active_rollouts: "Roll back active rollouts",
  switch_to_fallback: "Switch flag to its fallback",
  circuit_break_variant: "Circuit-break a variant",
};

export const ACTION_SHORT: Record<BreachAction, string> = {
  notify: "notify",
  freeze_promotions: "freeze promotions",
  rollback_active_rollouts: "roll back rollouts",
  switch_to_fallback: "switch to fallback",
  circuit_break_variant: "circuit-break",
};
