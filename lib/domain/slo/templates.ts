/**
 * Starting points of the SLO form. Each fills the objective, the window and the breach policies;
 * the person then edits them. Quality score has no SLO template: SLOs read the per-flag rollups
 * (requests, successes, latency, cost), which carry no quality scores; quality is gated per
 * rollout instead (the quality_score gate metric).
 */
import type { BreachPolicy, SloWindowDays } from "./types";

export const SLO_TEMPLATES = ["availability", "latency_p95", "cost_per_request"] as const;
export type SloTemplate = (typeof SLO_TEMPLATES)[number];

export interface SloTemplateValues {
  name: string;
  successRateTarget: number;
  windowDays: SloWindowDays;
  latencyP95MsMax: number | null;
  costPerRequestUsdMax: number | null;
  policies: BreachPolicy[];
}

export function sloTemplate(template: SloTemplate, flagKey: string | null): SloTemplateValues {
  const scope = flagKey ?? "environment";
  const base = { successRateTarget: 0.99, windowDays: 28 as const, latencyP95MsMax: null, costPerRequestUsdMax: null };
  switch (template) {
    case "availability":
      return {
        ...base,
        name: `${scope} availability`,
        successRateTarget: 0.995,
        policies: [
          { on: "page", actions: ["notify", "freeze_promotions"] },
          { on: "budget_exhausted", actions: ["notify", "freeze_promotions"] },
        ],
      };
    case "latency_p95":
      return { ...base, name: `${scope} p95 latency`, latencyP95MsMax: 2000, policies: [{ on: "latency_breach", actions: ["notify", "freeze_promotions"] }] };
    case "cost_per_request":
      return { ...base, name: `${scope} cost per request`, costPerRequestUsdMax: 0.01, policies: [{ on: "cost_breach", actions: ["notify", "freeze_promotions"] }] };
  }
}
