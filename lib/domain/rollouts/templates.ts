import { DomainError } from "../errors";
import { defaultGatesForStage } from "../gates/defaults";
import type { RolloutStrategy, StagePlan } from "./types";

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Default minimum samples per arm of an A/B test when no power calculation supplied one. */
export const DEFAULT_AB_TEST_SAMPLES_PER_ARM = 1000;

export interface TemplateOptions {
  /** A/B tests only: samples per arm from the sample-size calculator (integer ≥ 0). */
  samplesPerArm?: number;
}

/**
 * The default plan of each strategy; every call returns fresh objects the caller may edit.
 * Every stage carries the default gates of its strategy (lib/domain/gates/defaults.ts).
 *
 * - canary: 1% → 5% → 25% → 50% → 100%, baking 1 h, 24 h, 4 h, 4 h, 1 h, with 100, 500, 1000,
 *   1000, 0 samples per arm. Only leaving 25% needs a reviewer: 50% is the first stage where
 *   as many users see the treatment as the control, so a person looks at the comparison before
 *   half of traffic is exposed; the earlier steps have a small blast radius and rely on gates,
 *   and 50% → 100% follows a 4 h bake at 50% already under gate watch.
 *   The 24 h bake at 5% covers a full daily traffic cycle.
 * - shadow: 0% served throughout; shadow copy of 10% → 50% → 100% of requests, baking 1 h,
 *   4 h, 24 h, with 200, 1000, 2000 samples per arm.
 * - ab_test: one 50/50 stage baking 7 days (a full weekly cycle), with `samplesPerArm`
 *   (default 1000) per arm.
 * - blue_green: "green warm-up" (0% served, 10% shadow copy for health checks, 100 samples,
 *   10 min), then "switched" (100%, 1 h bake); promoting from "switched" finalizes.
 */
export function strategyTemplate(strategy: RolloutStrategy, opts: TemplateOptions = {}): StagePlan[] {
  return templateStages(strategy, opts).map((s) => ({ ...s, gates: defaultGatesForStage(strategy, s) }));
}

function templateStages(strategy: RolloutStrategy, opts: TemplateOptions): StagePlan[] {
  switch (strategy) {
    case "canary":
      return [
        stage({ trafficBasisPoints: 100, minBakeSeconds: HOUR, minSamplesPerArm: 100 }),
        stage({ trafficBasisPoints: 500, minBakeSeconds: DAY, minSamplesPerArm: 500 }),
        stage({ trafficBasisPoints: 2500, minBakeSeconds: 4 * HOUR, minSamplesPerArm: 1000, requiresApproval: true }),
        stage({ trafficBasisPoints: 5000, minBakeSeconds: 4 * HOUR, minSamplesPerArm: 1000 }),
        stage({ trafficBasisPoints: 10_000, minBakeSeconds: HOUR, minSamplesPerArm: 0 }),
      ];
    case "shadow":
      return [
        stage({ shadowSampleBasisPoints: 1000, minBakeSeconds: HOUR, minSamplesPerArm: 200 }),
        stage({ shadowSampleBasisPoints: 5000, minBakeSeconds: 4 * HOUR, minSamplesPerArm: 1000 }),
        stage({ shadowSampleBasisPoints: 10_000, minBakeSeconds: DAY, minSamplesPerArm: 2000 }),
      ];
    case "ab_test":
      return [
        stage({
          trafficBasisPoints: 5000,
          minBakeSeconds: 7 * DAY,
          minSamplesPerArm: abTestSamples(opts.samplesPerArm),
        }),
      ];
    case "blue_green":
      return [
        // green warm-up: users stay on blue; a copy of 10% of requests health-checks green.
        stage({ shadowSampleBasisPoints: 1000, minBakeSeconds: 10 * MINUTE, minSamplesPerArm: 100 }),
        // switched: everyone on green, blue kept ready for a one-click rollback until finalized.
        stage({ trafficBasisPoints: 10_000, minBakeSeconds: HOUR, minSamplesPerArm: 0 }),
      ];
    default: {
      const unknown: never = strategy;
      throw new DomainError("invalid_input", `Unknown rollout strategy ${String(unknown)}`, { field: "strategy" });
    }
  }
}

function abTestSamples(samplesPerArm: number | undefined): number {
  if (samplesPerArm === undefined) return DEFAULT_AB_TEST_SAMPLES_PER_ARM;
  if (!Number.isInteger(samplesPerArm) || samplesPerArm < 0) {
    throw new DomainError("invalid_input", `samplesPerArm must be an integer ≥ 0; got ${String(samplesPerArm)}`, {
      field: "samplesPerArm",
    });
  }
  return samplesPerArm;
}

function stage(fields: Partial<StagePlan> & Pick<StagePlan, "minBakeSeconds" | "minSamplesPerArm">): StagePlan {
  return {
    trafficBasisPoints: 0,
    shadowSampleBasisPoints: 0,
    requiresApproval: false,
    ...fields,
    gates: [],
  };
}
