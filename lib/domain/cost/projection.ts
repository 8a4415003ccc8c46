/**
 * What a rollout costs: both arms' monthly cost at the flag's volume, the extra cost of running
 * the treatment in parallel (shadow, blue-green), and when a migration pays for itself.
 */
import { DomainError } from "../errors";
import type { RolloutStrategy } from "../rollouts/types";

export type CostStrategy = RolloutStrategy;

export interface CostProjectionInput {
  /** Dollars per request of the control (current) variant. */
  controlCostPerRequest: number;
  /** Dollars per request of the treatment (new) variant. */
  treatmentCostPerRequest: number;
  /** The flag's requests per day. */
  dailyRequests: number;
  strategy: CostStrategy;
  /** Shadow only: share of requests mirrored to the treatment, 0..1. Default 1 (every request). */
  shadowSampleRate?: number;
  /** Length of the projected month. Default 30. */
  days?: number;
  /** One-off cost of migrating (engineering, evaluation runs, the parallel run). Default 0. */
  migrationCostUsd?: number;
}

export interface CostProjection {
  /** Control at 100% of traffic for `days` days. */
  controlMonthly: number;
  /** Treatment at 100% of traffic for `days` days. */
  treatmentMonthlyAt100: number;
  /** treatmentMonthlyAt100 − controlMonthly: positive = the new variant costs more. */
  deltaMonthly: number;
  /** deltaMonthly as a percentage of controlMonthly (+25 = 25% dearer); null when control costs 0. */
  deltaPercent: number | null;
  /** (control − treatment) × dailyRequests: positive = the new variant saves money each day. */
  dailySavings: number;
  /** Extra spend per day while both variants run (see rolloutCostProjection). */
  parallelRunCostPerDay: number;
  /** Days of savings that pay back migrationCostUsd; null when the treatment saves nothing. */
  breakEvenDays: number | null;
}

export const DEFAULT_PROJECTION_DAYS = 30;

/**
 * Projects a rollout's cost.
 *
 * Parallel-run cost (spend on top of serving the control, per day):
 * - shadow: the treatment is called on a copy of `shadowSampleRate` of the requests and its
 *   answer discarded, so treatment cost × dailyRequests × shadowSampleRate (default rate 1, the
 *   upper bound, when the caller does not know the stage's rate);
 * - blue_green: while green is warm and verified beside blue, a full day of traffic is paid for
 *   on green as well, so treatment cost × dailyRequests per day of overlap;
 * - canary and ab_test: 0. Requests are split, not duplicated; their cost change is deltaMonthly
 *   scaled by the treatment's share.
 *
 * Break-even: migrationCostUsd / dailySavings days (0 with no migration cost), null when
 * dailySavings ≤ 0, i.e. the treatment is not cheaper. To count the parallel run as part of the
 * migration, add parallelRunCostPerDay × its days to migrationCostUsd.
 *
 * Throws `invalid_input` for negative or non-finite amounts, days ≤ 0, or a sample rate outside 0..1.
 */
export function rolloutCostProjection(input: CostProjectionInput): CostProjection {
  const { controlCostPerRequest, treatmentCostPerRequest, dailyRequests, strategy, shadowSampleRate = 1, days = DEFAULT_PROJECTION_DAYS, migrationCostUsd = 0 } = input;
  nonNegative("controlCostPerRequest", controlCostPerRequest);
  nonNegative("treatmentCostPerRequest", treatmentCostPerRequest);
  nonNegative("dailyRequests", dailyRequests);
  nonNegative("migrationCostUsd", migrationCostUsd);
  if (!Number.isFinite(days) || days <= 0) throw new DomainError("invalid_input", `days must be > 0, got ${days}`);
  if (!Number.isFinite(shadowSampleRate) || shadowSampleRate < 0 || shadowSampleRate > 1) {
    throw new DomainError("invalid_input", `shadowSampleRate must be between 0 and 1, got ${shadowSampleRate}`);
  }

  const controlDaily = controlCostPerRequest * dailyRequests;
  const treatmentDaily = treatmentCostPerRequest * dailyRequests;
  const controlMonthly = controlDaily * days;
  const treatmentMonthlyAt100 = treatmentDaily * days;
  const deltaMonthly = treatmentMonthlyAt100 - controlMonthly;
  const dailySavings = controlDaily - treatmentDaily;

  return {
    controlMonthly,
    treatmentMonthlyAt100,
    deltaMonthly,
    deltaPercent: controlMonthly > 0 ? (deltaMonthly / controlMonthly) * 100 : null,
    dailySavings,
    parallelRunCostPerDay: parallelRunCostPerDay(strategy, treatmentDaily, shadowSampleRate),
    breakEvenDays: dailySavings > 0 ? migrationCostUsd / dailySavings : null,
  };
}

function parallelRunCostPerDay(strategy: CostStrategy, treatmentDaily: number, shadowSampleRate: number): number {
  switch (strategy) {
    case "shadow":
      return treatmentDaily * shadowSampleRate;
    case "blue_green":
      return treatmentDaily;
    case "canary":
    case "ab_test":
      return 0;
  }
}

function nonNegative(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new DomainError("invalid_input", `${name} must be a finite number ≥ 0, got ${value}`);
  }
}
