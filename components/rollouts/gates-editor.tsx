"use client";
import {
  ARM_METRICS,
  DEFAULT_GATE_ALPHA,
  DEFAULT_SRM_P_VALUE_BOUND,
  MAX_GATES_PER_STAGE,
  METRIC_INFO,
  defaultOperator,
  describeGateRule,
  gateListSchema,
  metricLabel,
  type GateMetric,
  type GateOperator,
  type GateSpec,
} from "@/lib/domain/gates";
import { Button } from "../ui/button";
import { Field, Input, Select } from "../ui/field";
import { NumberInput } from "../ui/number-input";
import styles from "./rollouts.module.css";

type Rule = "not_worse" | "non_inferior" | "ratio" | "threshold";
type GateErrors = Partial<Record<string, string>>;

const RULE_LABELS: Record<Rule, string> = {
  not_worse: "Not worse than control (within a margin)",
  non_inferior: "Shown no worse than control (within a margin)",
  ratio: "Ratio to control (≤ / ≥ (1 ± margin) × control)",
  threshold: "Absolute threshold",
};
const OPERATORS: { value: GateOperator; label: string }[] = [
  { value: "<", label: "<" },
  { value: "<=", label: "≤" },
  { value: ">", label: ">" },
  { value: ">=", label: "≥" },
];
/** A starting bound when a gate becomes a threshold, in the metric's unit. */
const STARTING_BOUND: Record<GateMetric, number> = {
  success_rate: 0.95,
  error_rate: 0.05,
  latency_p50: 1000,
  latency_p95: 2000,
  latency_p99: 4000,
  cost_per_request: 0.01,
  tokens: 2000,
  thumbs_up_rate: 0.5,
  quality_score: 0.7,
  retry_rate: 0.1,
  srm: DEFAULT_SRM_P_VALUE_BOUND,
  slo_budget: 0,
  promql: 0,
};

const isArmMetric = (m: GateMetric) => (ARM_METRICS as readonly string[]).includes(m);
/** Rates are stored as fractions and typed as percentages. */
const isPercent = (m: GateMetric) => METRIC_INFO[m].unit === "fraction" || METRIC_INFO[m].unit === "budget";
const toPercent = (x: number | null) => (x == null || Number.isNaN(x) ? x : Number((x * 100).toPrecision(12)));
const fromPercent = (x: number | null) => (x == null || Number.isNaN(x) ? x : Number((x / 100).toPrecision(12)));

/**
 * Errors of a stage's gate list by gate and field, from the schema the server validates with
 * (lib/domain/gates/spec.ts), worded for the form's units.
 */
export function gateErrors(gates: readonly GateSpec[]): GateErrors[] {
  const out: GateErrors[] = gates.map(() => ({}));
  const parsed = gateListSchema.safeParse(gates);
  if (parsed.success) return out;
  for (const issue of parsed.error.issues) {
    const [i, field = "name"] = issue.path as [number, string | undefined];
    const gate = gates[i];
    if (!gate || out[i][field]) continue;
    out[i][field] = fieldMessage(gate, field, issue.message);
  }
  return out;
}

function fieldMessage(gate: GateSpec, field: string, message: string): string {
  switch (field) {
    case "name":
      return message.startsWith("duplicate") ? `Name: ${message}` : "Name is required (at most 80 characters)";
    case "margin":
      return "Margin must be a number from 0 to 1000%";
    case "alpha":
      return "Alpha must be a number from 0.0001 to 0.2";
    case "minSamples":
      return "Minimum samples must be a whole number from 0 to 10,000,000";
    case "windowMinutes":
      return "Window must be whole minutes from 1 to 40,320, or blank for the whole stage";
    case "bound":
      return isPercent(gate.metric) ? "Threshold must be a percentage from 0 to 100" : "Threshold must be a number";
    case "query":
      return `PromQL query: ${message}`;
    case "operator":
      return `Operator: ${message}`;
    default:
      return `${field}: ${message}`;
  }
}

export const hasGateErrors = (gates: readonly GateSpec[]) => !gateListSchema.safeParse(gates).success;

/** The same gate with another rule: comparison fields or threshold fields, the rest kept. */
function withRule(gate: GateSpec, rule: Rule, metric: GateMetric = gate.metric): GateSpec {
  const common = { name: gate.name, minSamples: gate.minSamples, critical: gate.critical, windowMinutes: gate.windowMinutes, deadlineMinutes: gate.deadlineMinutes };
  if (rule === "threshold" || !isArmMetric(metric)) {
    return {
      ...common,
      kind: "threshold",
      metric,
      bound: gate.kind === "threshold" && gate.metric === metric ? gate.bound : STARTING_BOUND[metric],
      ...(metric === "promql" ? { query: gate.kind === "threshold" ? (gate.query ?? "") : "", operator: "<=" as const } : {}),
    };
  }
  return {
    ...common,
    kind: "comparison",
    metric: metric as GateSpec["metric"] & (typeof ARM_METRICS)[number],
    test: rule,
    margin: gate.kind === "comparison" ? gate.margin : rule === "ratio" ? 0.2 : 0,
    alpha: gate.kind === "comparison" ? gate.alpha : DEFAULT_GATE_ALPHA,
  };
}

function newGate(existing: readonly GateSpec[], minSamples: number): GateSpec {
  let n = existing.length + 1;
  while (existing.some((g) => g.name.toLowerCase() === `gate ${n}`)) n++;
  return { name: `gate ${n}`, kind: "threshold", metric: "error_rate", bound: 0.05, minSamples, critical: false };
}

/**
 * A stage's gates, each editable: name, metric (every analysis metric, sample ratio, SLO budget,
 * and PromQL when the server has PROMETHEUS_URL), the rule (comparison with control within a
 * margin, ratio, or absolute threshold), alpha, minimum samples per arm, window, and whether a
 * failure rolls back (critical) or pauses. Errors show under the field they name.
 */
export function GatesEditor({
  stageNumber,
  gates,
  onChange,
  onReset,
  promql,
  defaultMinSamples,
}: {
  stageNumber: number;
  gates: readonly GateSpec[];
  onChange: (gates: GateSpec[]) => void;
  onReset: () => void;
  promql: boolean;
  defaultMinSamples: number;
}) {
  const errors = gateErrors(gates);
  const set = (i: number, gate: GateSpec) => onChange(gates.map((g, j) => (j === i ? gate : g)));
  const metrics = (Object.keys(METRIC_INFO) as GateMetric[]).filter((m) => m !== "promql" || promql || gates.some((g) => g.metric === "promql"));
  return (
    <div className={styles.gatesEditor} data-testid={`gates-editor-${stageNumber}`}>
      {gates.length === 0 && <p className="muted small">No gates: the stage can be left once bake time and samples allow.</p>}
      {gates.map((gate, i) => {
        const e = errors[i] ?? {};
        const rule: Rule = gate.kind === "threshold" ? "threshold" : gate.test;
        const percent = isPercent(gate.metric);
        return (
          <fieldset key={i} className={styles.gateCard} aria-label={`Stage ${stageNumber} gate ${i + 1}`}>
            <legend className="small muted">{describeGateRule(gate)}</legend>
            <div className={styles.gateFields}>
              <Field label="Name" error={e.name}>
                {(p) => <Input {...p} value={gate.name} maxLength={80} onChange={(ev) => set(i, { ...gate, name: ev.target.value })} />}
              </Field>
              <Field label="Metric">
                {(p) => (
                  <Select {...p} value={gate.metric} onChange={(ev) => set(i, withRule(gate, rule, ev.target.value as GateMetric))}>
                    {metrics.map((m) => (
                      <option key={m} value={m}>
                        {m === "promql" ? "PromQL query" : metricLabel(m)}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field label="Rule" hint={isArmMetric(gate.metric) ? undefined : "This metric has one value: threshold only."}>
                {(p) => (
                  <Select {...p} value={rule} disabled={!isArmMetric(gate.metric)} onChange={(ev) => set(i, withRule(gate, ev.target.value as Rule))}>
                    {(Object.keys(RULE_LABELS) as Rule[]).map((r) => (
                      <option key={r} value={r}>
                        {RULE_LABELS[r]}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              {gate.kind === "comparison" ? (
                <>
                  <Field label="Margin (%)" error={e.margin} hint="Relative to control: 20 = 20%.">
                    {(p) => <NumberInput {...p} value={toPercent(gate.margin)} onValue={(v) => set(i, { ...gate, margin: fromPercent(v) ?? 0 })} />}
                  </Field>
                  {gate.test !== "ratio" && (
                    <Field label="Alpha" error={e.alpha} hint="Significance level, e.g. 0.05.">
                      {(p) => <NumberInput {...p} value={gate.alpha} onValue={(v) => set(i, { ...gate, alpha: v ?? DEFAULT_GATE_ALPHA })} />}
                    </Field>
                  )}
                </>
              ) : (
                <>
                  {gate.metric === "promql" && (
                    <Field label="PromQL query" error={e.query} hint="{{rolloutId}}, {{flagKey}}, {{environment}} are substituted." className={styles.gateWide}>
                      {(p) => <Input {...p} value={gate.query ?? ""} onChange={(ev) => set(i, { ...gate, query: ev.target.value })} />}
                    </Field>
                  )}
                  <Field label="Operator" error={e.operator}>
                    {(p) => (
                      <Select {...p} value={gate.operator ?? defaultOperator(gate)} onChange={(ev) => set(i, { ...gate, operator: ev.target.value as GateOperator })}>
                        {OPERATORS.map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </Select>
                    )}
                  </Field>
                  <Field label={percent ? "Threshold (%)" : `Threshold${METRIC_INFO[gate.metric].unit === "ms" ? " (ms)" : METRIC_INFO[gate.metric].unit === "usd" ? " (USD)" : ""}`} error={e.bound}>
                    {(p) => <NumberInput {...p} value={percent ? toPercent(gate.bound) : gate.bound} onValue={(v) => set(i, { ...gate, bound: (percent ? fromPercent(v) : v) ?? Number.NaN })} />}
                  </Field>
                </>
              )}
              <Field label="Min. samples per arm" error={e.minSamples}>
                {(p) => <NumberInput {...p} value={gate.minSamples} onValue={(v) => set(i, { ...gate, minSamples: v ?? Number.NaN })} />}
              </Field>
              <Field label="Window (min)" error={e.windowMinutes} hint="Blank: since the stage started.">
                {(p) => <NumberInput {...p} value={gate.windowMinutes ?? null} onValue={(v) => set(i, { ...gate, windowMinutes: v ?? undefined })} />}
              </Field>
              <Field label="On failure">
                {(p) => (
                  <Select {...p} value={gate.critical ? "critical" : "pause"} onChange={(ev) => set(i, { ...gate, critical: ev.target.value === "critical" })}>
                    <option value="critical">Roll back (critical)</option>
                    <option value="pause">Pause for a human</option>
                  </Select>
                )}
              </Field>
            </div>
            <Button size="sm" variant="ghost" onClick={() => onChange(gates.filter((_, j) => j !== i))} aria-label={`Remove stage ${stageNumber} gate ${i + 1} (${gate.name})`}>
              Remove gate
            </Button>
          </fieldset>
        );
      })}
      <div className={styles.actions}>
        <Button size="sm" disabled={gates.length >= MAX_GATES_PER_STAGE} onClick={() => onChange([...gates, newGate(gates, defaultMinSamples)])}>
          Add gate
        </Button>
        <Button size="sm" variant="ghost" onClick={onReset}>
          Reset to the template&apos;s gates
        </Button>
      </div>
    </div>
  );
}
