import { DomainError } from "../errors";
import { formatBasisPoints } from "./format";
import { FULL_TRAFFIC_BASIS_POINTS, type RolloutStrategy, type StagePlan } from "./types";

/** A plan has 1 to 20 stages. */
export const MIN_STAGES = 1;
export const MAX_STAGES = 20;
/** Sanity limit on a stage's bake time: 90 days. A longer bake is almost surely a typo. */
export const MAX_BAKE_SECONDS = 90 * 24 * 60 * 60;
/** Largest per-arm sample minimum: the database column is a 32-bit integer. */
export const MAX_SAMPLES_PER_ARM = 2_147_483_647;

/**
 * Short label of a stage's traffic: "5%", "100%"; a stage that serves no treatment but
 * sends a shadow copy reads "shadow 10%"; one that does both reads "5% + shadow 10%".
 */
export function stageLabel(stage: Pick<StagePlan, "trafficBasisPoints" | "shadowSampleBasisPoints">): string {
  const traffic = formatBasisPoints(stage.trafficBasisPoints);
  if (stage.shadowSampleBasisPoints <= 0) return traffic;
  const shadow = `shadow ${formatBasisPoints(stage.shadowSampleBasisPoints)}`;
  return stage.trafficBasisPoints === 0 ? shadow : `${traffic} + ${shadow}`;
}

/** "stage 3 (25%)": stages are numbered from 1 for people, indexed from 0 in data. */
export function describeStage(stages: readonly StagePlan[], index: number): string {
  const stage = stages[index];
  return stage ? `stage ${index + 1} (${stageLabel(stage)})` : `stage ${index + 1}`;
}

/**
 * Checks a plan against its strategy; throws DomainError("invalid_input") naming the first
 * problem, with `details.field` as a path such as "stages[2].trafficBasisPoints".
 *
 * Rules: 1..20 stages; per stage integer traffic and shadow sample in 0..10000 bp, bake
 * 0..90 days, samples ≥ 0, gates an array; treatment traffic never decreases from one stage to
 * the next (ramps are monotonic so a user once on treatment stays there). Per strategy:
 * - shadow: every stage serves 0 bp and samples a shadow copy of > 0 bp;
 * - blue_green: exactly two stages, 0 bp (green warm-up) then 10000 bp (switched);
 * - ab_test: exactly one stage with a split of 1..9999 bp;
 * - canary: the last stage serves 10000 bp.
 */
export function validatePlan(strategy: RolloutStrategy, stages: readonly StagePlan[]): void {
  if (!Array.isArray(stages) || stages.length < MIN_STAGES || stages.length > MAX_STAGES) {
    const count = Array.isArray(stages) ? stages.length : 0;
    fail("stages", `A plan needs ${MIN_STAGES} to ${MAX_STAGES} stages; got ${count}`);
  }
  stages.forEach(checkStageShape);
  checkMonotonicTraffic(stages);
  checkStrategyShape(strategy, stages);
}

function checkStageShape(stage: StagePlan, index: number): void {
  const at = (field: string) => `stages[${index}].${field}`;
  const name = `Stage ${index + 1}`;
  checkInt(stage.trafficBasisPoints, 0, FULL_TRAFFIC_BASIS_POINTS, at("trafficBasisPoints"), `${name} traffic`);
  checkInt(stage.shadowSampleBasisPoints, 0, FULL_TRAFFIC_BASIS_POINTS, at("shadowSampleBasisPoints"), `${name} shadow sample`);
  checkInt(stage.minBakeSeconds, 0, MAX_BAKE_SECONDS, at("minBakeSeconds"), `${name} bake time`);
  checkInt(stage.minSamplesPerArm, 0, MAX_SAMPLES_PER_ARM, at("minSamplesPerArm"), `${name} minimum samples per arm`);
  if (typeof stage.requiresApproval !== "boolean") {
    fail(at("requiresApproval"), `${name} requiresApproval must be true or false`);
  }
  if (!Array.isArray(stage.gates)) fail(at("gates"), `${name} gates must be a list`);
}

function checkInt(value: number, min: number, max: number, field: string, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(field, `${what} must be an integer from ${min} to ${max}; got ${String(value)}`);
  }
}

function checkMonotonicTraffic(stages: readonly StagePlan[]): void {
  for (let i = 1; i < stages.length; i++) {
    const before = stages[i - 1].trafficBasisPoints;
    const after = stages[i].trafficBasisPoints;
    if (after < before) {
      fail(
        `stages[${i}].trafficBasisPoints`,
        `Stage ${i + 1} serves ${formatBasisPoints(after)} of traffic, less than stage ${i} ` + `(${formatBasisPoints(before)}): a ramp must never decrease, or users would flip back to control`,
      );
    }
  }
}

function checkStrategyShape(strategy: RolloutStrategy, stages: readonly StagePlan[]): void {
  switch (strategy) {
    case "shadow":
      stages.forEach((stage, i) => {
        if (stage.trafficBasisPoints !== 0) {
          fail(`stages[${i}].trafficBasisPoints`, `A shadow rollout never serves the treatment to users: stage ${i + 1} traffic must be 0; ` + `got ${formatBasisPoints(stage.trafficBasisPoints)}`);
        }
        if (stage.shadowSampleBasisPoints === 0) {
          fail(`stages[${i}].shadowSampleBasisPoints`, `A shadow rollout compares on a copy of traffic: stage ${i + 1} needs a shadow sample above 0`);
        }
      });
      return;
    case "blue_green": {
      if (stages.length !== 2) {
        fail("stages", `A blue-green plan has exactly two stages (green warm-up, switched); got ${stages.length}`);
      }
      const [warmUp, switched] = stages as [StagePlan, StagePlan];
      if (warmUp.trafficBasisPoints !== 0) {
        fail("stages[0].trafficBasisPoints", "Blue-green stage 1 (green warm-up) must serve 0% of traffic");
      }
      if (switched.trafficBasisPoints !== FULL_TRAFFIC_BASIS_POINTS) {
        fail("stages[1].trafficBasisPoints", "Blue-green stage 2 (switched) must serve 100% of traffic");
      }
      return;
    }
    case "ab_test": {
      if (stages.length !== 1) fail("stages", `An A/B test has exactly one stage (a fixed split); got ${stages.length}`);
      const split = stages[0].trafficBasisPoints;
      if (split < 1 || split > FULL_TRAFFIC_BASIS_POINTS - 1) {
        fail("stages[0].trafficBasisPoints", `An A/B test needs both arms: its split must be from 0.01% to 99.99%; got ${formatBasisPoints(split)}`);
      }
      return;
    }
    case "canary": {
      const last = stages.length - 1;
      if (stages[last].trafficBasisPoints !== FULL_TRAFFIC_BASIS_POINTS) {
        fail(`stages[${last}].trafficBasisPoints`, `A canary ends with all traffic on the treatment: its last stage must serve 100%; ` + `got ${formatBasisPoints(stages[last].trafficBasisPoints)}`);
      }
      return;
    }
    default: {
      const unknown: never = strategy;
      fail("strategy", `Unknown rollout strategy ${String(unknown)}`);
    }
  }
}

function fail(field: string, message: string): never {
  throw new DomainError("invalid_input", message, { field });
}
