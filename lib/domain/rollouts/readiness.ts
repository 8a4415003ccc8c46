import { formatDuration } from "./format";
import { bakeRemainingSeconds } from "./queries";
import type { RolloutMachineState, StageReadiness } from "./types";

/**
 * Samples of each arm in the current stage: the outcomes attributed to that stage (the per-stage
 * aggregate the analysis, its gates and "Samples per stage" read), so readiness counts what the
 * gates count.
 */
export interface ArmCounts {
  control: number;
  treatment: number;
}

export interface ReadinessAssessment {
  readiness: StageReadiness;
  bakeElapsedSeconds: number;
  bakeRemainingSeconds: number;
  minBakeSeconds: number;
  minSamplesPerArm: number;
  /** The number compared with minSamplesPerArm (see `sampleBasis`). */
  samples: number;
  /**
   * "per_arm": the smaller of the two arms. "control_only": a stage that serves no treatment
   * (shadow, blue-green warm-up) has no treatment users, so only control's count.
   */
  sampleBasis: "per_arm" | "control_only" | "treatment_only";
  /** Each unmet condition as a sentence with its numbers, e.g. "bake time: 3 min of 1 h elapsed". */
  blockers: string[];
}

/**
 * Whether the current stage may be left, before gates exist: bake time elapsed (now −
 * stageStartedAt ≥ minBakeSeconds; exactly equal counts) and samples reached (≥ minSamplesPerArm;
 * 0 always passes). `gatesFailing` is passed through for when gates are evaluated.
 * Before start (no stageStartedAt) nothing has elapsed.
 */
export function assessStageReadiness(rollout: RolloutMachineState, now: Date, samplesPerArm: ArmCounts, gatesFailing: string[] = []): ReadinessAssessment {
  const stage = rollout.stages[rollout.currentStageIndex];
  const minBakeSeconds = stage?.minBakeSeconds ?? 0;
  const minSamplesPerArm = stage?.minSamplesPerArm ?? 0;
  const elapsed = rollout.stageStartedAt ? Math.max(0, Math.floor((now.getTime() - rollout.stageStartedAt.getTime()) / 1000)) : 0;
  const remaining = bakeRemainingSeconds(rollout, now);
  const controlOnly = rollout.strategy === "shadow" || (stage?.trafficBasisPoints ?? 0) === 0;
  // A 100% stage serves no control: its treatment's count is the only one that can grow.
  const treatmentOnly = !controlOnly && (stage?.trafficBasisPoints ?? 0) >= 10_000;
  const samples = controlOnly ? samplesPerArm.control : treatmentOnly ? samplesPerArm.treatment : Math.min(samplesPerArm.control, samplesPerArm.treatment);

  const bakeElapsed = remaining === 0;
  const samplesReached = samples >= minSamplesPerArm;
  const blockers: string[] = [];
  if (!bakeElapsed) {
    blockers.push(`bake time: ${formatDuration(Math.min(elapsed, minBakeSeconds))} of ${formatDuration(minBakeSeconds)} elapsed`);
  }
  if (!samplesReached) {
    blockers.push(
      controlOnly || treatmentOnly
        ? `samples: ${samples} of ${minSamplesPerArm} (${controlOnly ? "control" : "treatment"} outcomes)`
        : `samples: ${samples} of ${minSamplesPerArm} per arm (control ${samplesPerArm.control}, treatment ${samplesPerArm.treatment})`,
    );
  }
  if (gatesFailing.length > 0) blockers.push(`gates failing: ${gatesFailing.join(", ")}`);
  return {
    readiness: { bakeElapsed, samplesReached, gatesFailing: [...gatesFailing] },
    bakeElapsedSeconds: elapsed,
    bakeRemainingSeconds: remaining,
    minBakeSeconds,
    minSamplesPerArm,
    samples,
    sampleBasis: controlOnly ? "control_only" : treatmentOnly ? "treatment_only" : "per_arm",
    blockers,
  };
}
