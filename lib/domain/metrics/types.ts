/**
 * Types of the metrics domain: an outcome event once accepted, and the rollup rows it adds to.
 * Times are epoch milliseconds; costs are US dollars; latencies milliseconds.
 */
import type { LatencyHistogram } from "../stats/histogram";

export type Arm = "control" | "treatment";
export const ARMS = ["control", "treatment"] as const satisfies readonly Arm[];

/** A validated event with everything ingestion resolved: arm, stage, computed cost. */
export interface AcceptedEvent {
  id: string;
  occurredAt: number;
  flagKey: string;
  variant: string;
  rolloutId: string | null;
  /** Null exactly when rolloutId is null. */
  arm: Arm | null;
  /**
   * The stage that served it (echoed, or by timestamp against the stages' exact start and end);
   * STAGE_AFTER_END / STAGE_UNKNOWN (negative) when it belongs to none; 0 without a rollout.
   */
  stageIndex: number;
  latencyMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  /** Reported, or computed from the price table; null when neither was possible. */
  costUsd: number | null;
  success: boolean;
  errorType: string | null;
  feedback: 1 | -1 | null;
  retried: boolean;
  qualityScore: number | null;
}

/** Additive outcome counters of one (rollout, arm, time bucket). Every field sums. */
export interface RollupCounters {
  count: number;
  successes: number;
  errors: number;
  /** Failed events per errorType ("unknown" when the event named none). */
  errorsByType: Record<string, number>;
  feedbackUp: number;
  feedbackDown: number;
  retries: number;
  inputTokensCount: number;
  inputTokensSum: number;
  inputTokensSumSq: number;
  outputTokensCount: number;
  outputTokensSum: number;
  outputTokensSumSq: number;
  /** Events reporting any tokens; their total is input + output (a missing side counts 0). */
  tokensCount: number;
  tokensSumSq: number;
  costCount: number;
  costSum: number;
  costSumSq: number;
  qualityCount: number;
  qualitySum: number;
  qualitySumSq: number;
  latencyCount: number;
  latencyHistogram: LatencyHistogram;
}

/** What one batch adds to one rollup row. */
export interface RollupDelta extends RollupCounters {
  rolloutId: string;
  arm: Arm;
  /** Start of the minute or hour, epoch ms. */
  bucketStart: number;
  /** The stage that served the events (part of the key: a bucket split by a promotion is two rows). */
  stageIndex: number;
}

/** What one batch adds to one per-flag, per-variant minute row (SLOs, daily volume and cost). */
export interface FlagRollupDelta {
  flagKey: string;
  variant: string;
  minute: number;
  count: number;
  successes: number;
  costSum: number;
  latencyCount: number;
  latencyHistogram: LatencyHistogram;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
