/**
 * The effective minimum samples per arm of a stage. Two numbers hold a stage back: the stage's
 * own minimum (promotion waits for it) and each sample-counting gate's `minSamples` (the gate stays
 * inconclusive below it, and an inconclusive gate blocks promotion). So the stage can be left once
 * each arm has the larger of the two. PromQL and SLO-budget gates count no samples of the rollout
 * and are left out.
 */
import type { GateSpec } from "./spec";

export interface EffectiveMinSamples {
  perArm: number;
  stage: number;
  /** The largest minimum among the stage's sample-counting gates (0 without such gates). */
  gates: number;
  /** The gates whose minimum is above the stage's, by name. */
  raisedBy: string[];
  /** The numbers in words, or null when stage and gates agree. */
  explanation: string | null;
}

type MinSampleGate = Pick<GateSpec, "name" | "metric" | "minSamples">;

export function effectiveMinSamples(stage: { minSamplesPerArm: number; gates: readonly MinSampleGate[] }): EffectiveMinSamples {
  const counting = stage.gates.filter((g) => g.metric !== "promql" && g.metric !== "slo_budget");
  const gates = counting.reduce((max, g) => Math.max(max, g.minSamples), 0);
  const perArm = Math.max(stage.minSamplesPerArm, gates);
  const raisedBy = counting.filter((g) => g.minSamples > stage.minSamplesPerArm).map((g) => g.name);
  const below = counting.filter((g) => g.minSamples < stage.minSamplesPerArm).map((g) => g.name);
  let explanation: string | null = null;
  if (raisedBy.length > 0) {
    explanation = `${perArm} per arm: the stage asks for ${stage.minSamplesPerArm}, but ${quote(raisedBy)} ${raisedBy.length === 1 ? "needs" : "need"} ${gates} before giving a verdict, and an inconclusive gate blocks promotion.`;
  } else if (below.length > 0) {
    explanation = `${perArm} per arm: the stage minimum; ${quote(below)} may give a verdict earlier (a critical failure rolls back before the stage minimum is reached).`;
  }
  return { perArm, stage: stage.minSamplesPerArm, gates, raisedBy, explanation };
}

function quote(names: string[]): string {
  return names.map((n) => `'${n}'`).join(", ");
}
