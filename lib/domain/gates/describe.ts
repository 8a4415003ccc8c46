/** A gate definition in words, for tables, playbooks and forms. */
import { defaultOperator } from "./evaluate";
import { formatMetricValue, metricDirection, metricLabel } from "./metrics";
import type { GateSpec } from "./spec";

const OPS = { "<": "<", "<=": "≤", ">": ">", ">=": "≥" } as const;

/**
 * e.g. "'success rate': treatment success rate not significantly worse than control (min 100
 * samples per arm)", "'p95 latency': treatment p95 latency ≤ 1.2 × control",
 * "'error rate': treatment error rate ≤ 5.0% over the last 10 min".
 */
export function describeGateRule(gate: GateSpec): string {
  const window = gate.windowMinutes ? ` over the last ${gate.windowMinutes} min` : "";
  const label = metricLabel(gate.metric);
  let rule: string;
  if (gate.kind === "comparison") {
    const lower = metricDirection(gate.metric) === "lower_is_better";
    const margin = gate.margin > 0 ? ` by more than ${Number((gate.margin * 100).toFixed(2))}%` : "";
    if (gate.test === "ratio") rule = `treatment ${label} ${lower ? "≤" : "≥"} ${Number((lower ? 1 + gate.margin : 1 - gate.margin).toFixed(3))} × control`;
    else if (gate.test === "non_inferior") rule = `treatment ${label} shown no worse than control${margin}`;
    else rule = `treatment ${label} not significantly worse than control${margin}`;
  } else if (gate.metric === "srm") {
    rule = `exposures match the planned split (sample-ratio test p ${OPS[gate.operator ?? defaultOperator(gate)]} ${gate.bound})`;
  } else if (gate.metric === "promql") {
    rule = `PromQL \`${gate.query ?? ""}\` ${OPS[gate.operator ?? "<="]} ${gate.bound}`;
  } else if (gate.metric === "slo_budget") {
    rule = `SLO error budget remaining ${OPS[gate.operator ?? defaultOperator(gate)]} ${formatMetricValue("slo_budget", gate.bound)}`;
  } else {
    rule = `treatment ${label} ${OPS[gate.operator ?? defaultOperator(gate)]} ${formatMetricValue(gate.metric, gate.bound)}`;
  }
  const samples = gate.metric === "promql" || gate.metric === "slo_budget" ? "" : ` (min ${gate.minSamples} samples)`;
  return `'${gate.name}': ${rule}${window}${samples}${gate.critical ? " — critical" : ""}`;
}
