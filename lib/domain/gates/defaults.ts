/**
 * Default gates of each strategy template. They only use what every service reports (success,
 * latency) so that a rollout with sparse telemetry is not stuck on gates with no data:
 *
 * - "success rate" (critical): treatment not significantly worse than control (alpha 0.05).
 * - "error rate" (critical): treatment error rate ≤ 5% since the stage started (no sliding window,
 *   which at low traffic would rarely hold enough samples and so stay inconclusive forever).
 * - "p95 latency": treatment p95 ≤ 1.2 × control (pauses for a human).
 * - "sample ratio": the exposure split matches the plan (fail when p < 0.001; pauses).
 * - "cost per request" (shadow only, where cost is measured on the same requests): ≤ 1.1 × control.
 *
 * Where a stage gives no comparison (everyone on the treatment: canary 100%, blue-green
 * "switched") only the absolute error-rate gate applies. Shadow rollouts compare pairs, so no
 * SRM gate. Comparison gates get a deadline of 3 × the stage's bake time (at least 60 min):
 * still inconclusive by then → pause for a human.
 *
 * Minimum samples: the default gates take the stage's minimum samples per arm, so the number a
 * person sets on the stage is the one that holds (a stage minimum of 20 is not silently raised to
 * the gate default of 100). A stage without a minimum (0, e.g. a canary's final 100% stage) keeps
 * DEFAULT_GATE_MIN_SAMPLES, so no gate gives a verdict on a handful of requests. A gate written by
 * hand keeps its own `minSamples`; see effectiveMinSamples in ./min-samples.ts.
 */
import type { GateSpec } from "./spec";
import { DEFAULT_GATE_ALPHA, DEFAULT_GATE_MIN_SAMPLES, DEFAULT_SRM_P_VALUE_BOUND, MAX_GATE_WINDOW_MINUTES } from "./spec";

type Strategy = "shadow" | "canary" | "ab_test" | "blue_green";

export interface StageShape {
  trafficBasisPoints: number;
  shadowSampleBasisPoints: number;
  minBakeSeconds: number;
  /** The stage's minimum samples per arm; absent or 0 = the gate default. */
  minSamplesPerArm?: number;
}

/** Default error-rate ceiling of the critical absolute gate: 5%. */
export const DEFAULT_ERROR_RATE_CEILING = 0.05;
/** Default latency and cost headroom of the ratio gates: 20% and 10% above control. */
export const DEFAULT_LATENCY_MARGIN = 0.2;
export const DEFAULT_COST_MARGIN = 0.1;
const FULL = 10_000;

export function defaultGatesForStage(strategy: Strategy, stage: StageShape): GateSpec[] {
  const deadlineMinutes = Math.min(MAX_GATE_WINDOW_MINUTES, Math.max(60, Math.ceil((3 * stage.minBakeSeconds) / 60)));
  const comparesArms = strategy === "shadow" || stage.shadowSampleBasisPoints > 0 || (stage.trafficBasisPoints > 0 && stage.trafficBasisPoints < FULL);
  const gates: GateSpec[] = [];
  if (comparesArms) {
    gates.push(successRate(deadlineMinutes));
  }
  gates.push(errorRate());
  if (comparesArms) {
    gates.push(ratio("p95 latency", "latency_p95", DEFAULT_LATENCY_MARGIN, deadlineMinutes));
    if (strategy === "shadow") gates.push(ratio("cost per request", "cost_per_request", DEFAULT_COST_MARGIN, deadlineMinutes));
    if (strategy !== "shadow" && stage.trafficBasisPoints > 0) gates.push(sampleRatio());
  }
  const minSamples = defaultGateMinSamples(stage);
  return gates.map((g) => ({ ...g, minSamples }));
}

/** The minimum samples per arm of a stage's default gates: the stage's own, else the gate default. */
export function defaultGateMinSamples(stage: Pick<StageShape, "minSamplesPerArm">): number {
  return stage.minSamplesPerArm && stage.minSamplesPerArm > 0 ? stage.minSamplesPerArm : DEFAULT_GATE_MIN_SAMPLES;
}

/** The plan with defaults filled into every stage whose gate list is empty. */
export function withDefaultGates<S extends StageShape & { gates: unknown[] }>(strategy: Strategy, stages: readonly S[]): S[] {
  return stages.map((s) => (s.gates.length > 0 ? s : { ...s, gates: defaultGatesForStage(strategy, s) }));
}

function successRate(deadlineMinutes: number): GateSpec {
  return {
    name: "success rate",
    kind: "comparison",
    metric: "success_rate",
    test: "not_worse",
    margin: 0,
    alpha: DEFAULT_GATE_ALPHA,
    minSamples: DEFAULT_GATE_MIN_SAMPLES,
    critical: true,
    deadlineMinutes,
  };
}

function errorRate(): GateSpec {
  return {
    name: "error rate",
    kind: "threshold",
    metric: "error_rate",
    bound: DEFAULT_ERROR_RATE_CEILING,
    minSamples: DEFAULT_GATE_MIN_SAMPLES,
    critical: true,
  };
}

function ratio(name: string, metric: "latency_p95" | "cost_per_request", margin: number, deadlineMinutes: number): GateSpec {
  return {
    name,
    kind: "comparison",
    metric,
    test: "ratio",
    margin,
    alpha: DEFAULT_GATE_ALPHA,
    minSamples: DEFAULT_GATE_MIN_SAMPLES,
    critical: false,
    deadlineMinutes,
  };
}

function sampleRatio(): GateSpec {
  return {
    name: "sample ratio",
    kind: "threshold",
    metric: "srm",
    bound: DEFAULT_SRM_P_VALUE_BOUND,
    minSamples: DEFAULT_GATE_MIN_SAMPLES,
    critical: false,
  };
}
