/**
 * Latency and cost ceilings. A ceiling is the largest acceptable value: observed = ceiling is
 * fine, observed > ceiling is a breach. A missing ceiling (null/undefined) or a missing or
 * non-finite observation checks nothing.
 */
import { formatMs, formatUsd } from "./numbers";
import type { SloDefinition } from "./types";

export type LatencyMetric = "latency_p50" | "latency_p95" | "latency_p99";
export type CostMetric = "cost_per_request" | "cost_per_day";

export interface CeilingBreach<M extends string = LatencyMetric | CostMetric> {
  metric: M;
  observed: number;
  ceiling: number;
  /** observed / ceiling, e.g. 1.23 = 23% over. */
  ratio: number;
  /** "p95 latency 1,850 ms above the 1,500 ms ceiling". */
  message: string;
}

export interface ObservedLatency {
  p50?: number | null;
  p95?: number | null;
  p99?: number | null;
}

export interface ObservedCost {
  costPerRequest?: number | null;
  costPerDay?: number | null;
}

/** The latency percentiles above their ceilings, in p50, p95, p99 order. */
export function latencyBreaches(slo: Pick<SloDefinition, "latencyP50MsMax" | "latencyP95MsMax" | "latencyP99MsMax">, observed: ObservedLatency): CeilingBreach<LatencyMetric>[] {
  const checks = [
    { metric: "latency_p50", label: "p50", value: observed.p50, ceiling: slo.latencyP50MsMax },
    { metric: "latency_p95", label: "p95", value: observed.p95, ceiling: slo.latencyP95MsMax },
    { metric: "latency_p99", label: "p99", value: observed.p99, ceiling: slo.latencyP99MsMax },
  ] as const;
  return checks.flatMap(({ metric, label, value, ceiling }) => breach(metric, value, ceiling, (v, c) => `${label} latency ${formatMs(v)} above the ${formatMs(c)} ceiling`));
}

/** Cost per request and per day above their ceilings, in that order. */
export function costBreaches(slo: Pick<SloDefinition, "costPerRequestUsdMax" | "costPerDayUsdMax">, observed: ObservedCost): CeilingBreach<CostMetric>[] {
  const checks = [
    {
      metric: "cost_per_request",
      label: "Cost per request",
      value: observed.costPerRequest,
      ceiling: slo.costPerRequestUsdMax,
    },
    { metric: "cost_per_day", label: "Cost per day", value: observed.costPerDay, ceiling: slo.costPerDayUsdMax },
  ] as const;
  return checks.flatMap(({ metric, label, value, ceiling }) => breach(metric, value, ceiling, (v, c) => `${label} ${formatUsd(v)} above the ${formatUsd(c)} ceiling`));
}

function breach<M extends string>(metric: M, observed: number | null | undefined, ceiling: number | null | undefined, describe: (observed: number, ceiling: number) => string): CeilingBreach<M>[] {
  if (observed == null || ceiling == null || !Number.isFinite(observed) || !Number.isFinite(ceiling)) return [];
  if (observed <= ceiling) return [];
  const ratio = ceiling > 0 ? observed / ceiling : Number.POSITIVE_INFINITY;
  return [{ metric, observed, ceiling, ratio, message: describe(observed, ceiling) }];
}
