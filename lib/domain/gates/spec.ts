/**
 * The gate definition (GateSpec): the zod schema routes and forms use, and its types. A gate is
 * stored as JSON in a stage's `gates` list. Two kinds:
 *
 * - `comparison`: treatment against control on an arm metric, with a `test`:
 *   - `not_worse` — passes once both arms have `minSamples` and the treatment is not
 *     significantly worse by more than `margin`; fails when the whole interval of the difference
 *     lies on the worse side of the margin (p < alpha with margin 0).
 *   - `non_inferior` — stricter: passes only when the interval rules out a worsening larger than
 *     `margin`; fails like `not_worse`; otherwise inconclusive (so it needs enough data to pass).
 *   - `ratio` — the treatment's point estimate must not exceed (lower-is-better metrics) or fall
 *     below (higher-is-better) `(1 ± margin) × control`, e.g. "p99 ≤ 1.2 × control".
 *   `margin` is relative to the control's value: 0.2 = 20%.
 * - `threshold`: an absolute bound on the treatment's value over the window, e.g. "success rate
 *   ≥ 95% over the last 10 minutes". The operator defaults from the metric's direction (≥ for
 *   higher-is-better, ≤ for lower-is-better). Special metrics: `srm` bounds the sample-ratio
 *   test's p-value (default: fail when p < 0.001), `slo_budget` the smallest remaining error
 *   budget fraction of the flag's SLOs (default: fail when ≤ 0, i.e. exhausted), `promql` the
 *   value of a PromQL query against PROMETHEUS_URL (operator required).
 *
 * Common fields: `windowMinutes` (absent = since the stage started), `minSamples` per arm before
 * any verdict but inconclusive (default 100), `critical` (a failure rolls back at once; otherwise
 * it pauses for a human), `deadlineMinutes` (an inconclusive verdict this long after the stage
 * started pauses for a human; absent = hold indefinitely).
 */
import { z } from "zod";
import { ARM_METRICS, GATE_METRICS } from "./types";

/** Longest gate window: 28 days, the longest SLO window. */
export const MAX_GATE_WINDOW_MINUTES = 28 * 24 * 60;
/** Default minimum samples per arm before a gate may pass or fail. */
export const DEFAULT_GATE_MIN_SAMPLES = 100;
/** Default significance level of comparison gates. */
export const DEFAULT_GATE_ALPHA = 0.05;
/** Default SRM gate bound: the sample ratio is declared mismatched when p < 0.001. */
export const DEFAULT_SRM_P_VALUE_BOUND = 0.001;
/** At most this many gates per stage. */
export const MAX_GATES_PER_STAGE = 20;

export const gateOperatorSchema = z.enum(["<", "<=", ">", ">="]);
export type GateOperator = z.infer<typeof gateOperatorSchema>;

const common = {
  /** Shown in results and reasons: "success rate", "p99 latency". Unique within a stage. */
  name: z.string().trim().min(1).max(80),
  windowMinutes: z.int().min(1).max(MAX_GATE_WINDOW_MINUTES).optional(),
  minSamples: z.int().min(0).max(10_000_000).default(DEFAULT_GATE_MIN_SAMPLES),
  critical: z.boolean().default(false),
  deadlineMinutes: z
    .int()
    .min(1)
    .max(90 * 24 * 60)
    .optional(),
};

export const comparisonGateSchema = z.strictObject({
  ...common,
  kind: z.literal("comparison"),
  metric: z.enum(ARM_METRICS),
  test: z.enum(["not_worse", "non_inferior", "ratio"]).default("not_worse"),
  /** Relative to control: 0.2 = 20%. 0..10. */
  margin: z.number().min(0).max(10).default(0),
  /** Significance level for not_worse / non_inferior, 0.0001..0.2. */
  alpha: z.number().min(0.0001).max(0.2).default(DEFAULT_GATE_ALPHA),
});

export const thresholdGateSchema = z
  .strictObject({
    ...common,
    kind: z.literal("threshold"),
    metric: z.enum(GATE_METRICS),
    bound: z.number().finite(),
    operator: gateOperatorSchema.optional(),
    /** promql only: the query; `{{rolloutId}}`, `{{flagKey}}`, `{{environment}}` are substituted. */
    query: z.string().trim().min(1).max(4000).optional(),
    /** slo_budget only: one SLO's id; absent = every SLO covering the flag (the smallest budget). */
    sloId: z.string().min(1).max(100).optional(),
  })
  .superRefine((gate, ctx) => {
    if (gate.metric === "promql") {
      if (!gate.query) ctx.addIssue({ code: "custom", path: ["query"], message: "a promql gate needs a query" });
      if (!gate.operator) {
        ctx.addIssue({ code: "custom", path: ["operator"], message: "a promql gate needs an operator (<, <=, >, >=)" });
      }
    } else if (gate.query) {
      ctx.addIssue({ code: "custom", path: ["query"], message: "only promql gates take a query" });
    }
    if (gate.sloId && gate.metric !== "slo_budget") {
      ctx.addIssue({ code: "custom", path: ["sloId"], message: "only slo_budget gates take an sloId" });
    }
    if (isProportion(gate.metric) && (gate.bound < 0 || gate.bound > 1)) {
      ctx.addIssue({ code: "custom", path: ["bound"], message: "a rate is a fraction from 0 to 1 (0.95 = 95%)" });
    }
  });

export const gateSpecSchema = z.discriminatedUnion("kind", [comparisonGateSchema, thresholdGateSchema]);

/** A stage's gate list: names must be unique, since results and reasons refer to gates by name. */
export const gateListSchema = z
  .array(gateSpecSchema)
  .max(MAX_GATES_PER_STAGE)
  .superRefine((gates, ctx) => {
    const seen = new Set<string>();
    gates.forEach((gate, i) => {
      const key = gate.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `duplicate gate name "${gate.name}"` });
      seen.add(key);
    });
  });

export type ComparisonGate = z.output<typeof comparisonGateSchema>;
export type ThresholdGate = z.output<typeof thresholdGateSchema>;
/** A gate after parsing, defaults filled in. */
export type GateSpec = z.output<typeof gateSpecSchema>;
/** A gate as written by a user or API client, defaults optional. */
export type GateSpecInput = z.input<typeof gateSpecSchema>;

function isProportion(metric: string): boolean {
  return metric === "success_rate" || metric === "error_rate" || metric === "thumbs_up_rate" || metric === "retry_rate";
}

/**
 * Parses a stored gate list (JSON from the database). Returns the valid gates and an error per
 * invalid one, so one bad gate written by an old version never stops the evaluator.
 */
export function parseStoredGates(raw: unknown): { gates: GateSpec[]; errors: string[] } {
  if (!Array.isArray(raw)) return { gates: [], errors: raw == null ? [] : ["gates is not a list"] };
  const gates: GateSpec[] = [];
  const errors: string[] = [];
  raw.forEach((item, i) => {
    const parsed = gateSpecSchema.safeParse(item);
    if (parsed.success) gates.push(parsed.data);
    else errors.push(`gate ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join(".") || "gate"}: ${x.message}`).join("; ")}`);
  });
  return { gates, errors };
}
