/**
 * The counts of the lean evaluation path (POST /api/v1/evaluate and OFREP): evaluations per
 * environment, flag and reason, exposures per rollout arm. A served flag costs two Map lookups
 * and one array increment, no allocation: cells are created once per (environment, flag) and per
 * rollout — which is when the cardinality cap gives them their label — and label objects are
 * only built when Prometheus scrapes (`evaluationSamples`, `exposureSamples`, read by the
 * registry's `collect`).
 *
 * Cells are keyed by values taken from the served snapshot (its environment key, its flags'
 * keys, its rollouts' ids), never from the request, so their number is bounded by the
 * configuration. A flag key the environment does not have is counted under flag `other`.
 */
import "server-only";
import { OTHER_LABEL, type LabelCaps } from "./key-cap";

/** Reasons counted: the engine's, plus the per-flag failures of the endpoints. */
export const EVALUATION_REASONS = ["DEFAULT", "TARGETING_MATCH", "SPLIT", "DISABLED", "KILL_SWITCH", "ERROR", "FLAG_NOT_FOUND", "TARGETING_KEY_MISSING"] as const;
export type EvaluationCountReason = (typeof EVALUATION_REASONS)[number];

const REASON_INDEX = Object.fromEntries(EVALUATION_REASONS.map((r, i) => [r, i])) as Record<EvaluationCountReason, number>;

class FlagCell {
  readonly counts = new Float64Array(EVALUATION_REASONS.length);
  /** The flag's label: its key, or `other` past the cap. */
  constructor(readonly flag: string) {}
}

class RolloutCell {
  control = 0;
  treatment = 0;
  /** Labels, with the cap applied. */
  constructor(
    readonly environment: string,
    readonly flag: string,
    readonly rollout: string,
  ) {}
}

export interface Sample<L extends string> {
  labels: Record<L, string>;
  value: number;
}

export class ServingCounts {
  /** environment → flag key → counts per reason (EVALUATION_REASONS order). */
  private readonly evaluations = new Map<string, Map<string, FlagCell>>();
  private readonly rollouts = new Map<string, RolloutCell>();

  constructor(private readonly caps: LabelCaps) {}

  /** One served evaluation of `flag` (a key of the environment's snapshot). */
  evaluation(environment: string, flag: string, reason: EvaluationCountReason): void {
    let flags = this.evaluations.get(environment);
    if (flags === undefined) this.evaluations.set(environment, (flags = new Map()));
    let cell = flags.get(flag);
    if (cell === undefined) flags.set(flag, (cell = new FlagCell(flag === OTHER_LABEL ? OTHER_LABEL : this.caps.flags.label(flag))));
    cell.counts[REASON_INDEX[reason]]++;
  }

  /** A requested flag the environment does not have: its key is the caller's, never a label. */
  flagNotFound(environment: string): void {
    this.evaluation(environment, OTHER_LABEL, "FLAG_NOT_FOUND");
  }

  /** One served evaluation decided by a rollout. */
  exposure(environment: string, flag: string, rolloutId: string, arm: "control" | "treatment"): void {
    let cell = this.rollouts.get(rolloutId);
    if (cell === undefined) {
      cell = new RolloutCell(environment, this.caps.flags.label(flag), this.caps.rollouts.label(rolloutId));
      this.rollouts.set(rolloutId, cell);
    }
    cell[arm]++;
  }

  /** Totals per label set, capped flags folded into `other` (sums of the folded cells). */
  evaluationSamples(): Sample<"environment" | "flag" | "reason">[] {
    const folded = new Map<string, Sample<"environment" | "flag" | "reason">>();
    for (const [environment, flags] of this.evaluations) {
      for (const { flag, counts } of flags.values()) {
        counts.forEach((value, i) => {
          if (value === 0) return;
          const reason = EVALUATION_REASONS[i];
          const id = `${environment}\u0000${flag}\u0000${reason}`;
          const sample = folded.get(id);
          if (sample) sample.value += value;
          else folded.set(id, { labels: { environment, flag, reason }, value });
        });
      }
    }
    return [...folded.values()];
  }

  exposureSamples(): Sample<"environment" | "flag" | "rollout_id" | "arm">[] {
    const folded = new Map<string, Sample<"environment" | "flag" | "rollout_id" | "arm">>();
    for (const cell of this.rollouts.values()) {
      const { flag, rollout } = cell;
      for (const arm of ["control", "treatment"] as const) {
        const value = cell[arm];
        if (value === 0) continue;
        const key = `${cell.environment}\u0000${flag}\u0000${rollout}\u0000${arm}`;
        const sample = folded.get(key);
        if (sample) sample.value += value;
        else folded.set(key, { labels: { environment: cell.environment, flag, rollout_id: rollout, arm }, value });
      }
    }
    return [...folded.values()];
  }
}

/** What the evaluation routes count into; `NO_COUNTING` measures the path without it. */
export type ServingCounter = Pick<ServingCounts, "evaluation" | "flagNotFound" | "exposure">;

export const NO_COUNTING: ServingCounter = {
  evaluation() {},
  flagNotFound() {},
  exposure() {},
};
