import type { BreachAction, BreachTrigger } from "@/lib/domain/slo/types";
import type { SloTemplate } from "@/lib/domain/slo/templates";

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

export const TEMPLATE_LABELS: Record<SloTemplate, { title: string; text: string }> = {
  availability: { title: "Availability / success rate", text: "99.5% of requests succeed over 28 days; a fast burn or an empty budget freezes promotions." },
  latency_p95: { title: "Latency p95", text: "p95 latency of the last hour under 2,000 ms, with a 99% success objective." },
  cost_per_request: { title: "Cost per request", text: "Average cost per request of the last hour under $0.01, with a 99% success objective." },
};

export type SloHealth = "ok" | "burning" | "exhausted" | "frozen";

export const HEALTH_LABELS: Record<SloHealth, { text: string; tone: "success" | "warning" | "danger" }> = {
  ok: { text: "OK", tone: "success" },
  burning: { text: "Burning", tone: "warning" },
  exhausted: { text: "Budget exhausted", tone: "danger" },
  frozen: { text: "Promotions frozen", tone: "danger" },
};

/** The one-word state of an SLO, most severe first: frozen, exhausted, burning (an alert or breach fires), ok. */
export function sloHealth(status: { freezesPromotions: boolean; budget: { exhausted: boolean }; triggers: readonly { firing: boolean }[] }): SloHealth {
  if (status.freezesPromotions) return "frozen";
  if (status.budget.exhausted) return "exhausted";
  if (status.triggers.some((t) => t.firing)) return "burning";
  return "ok";
}

/** 5 → "5m", 60 → "1h", 4320 → "3d". */
export function windowLabel(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}
