/**
 * Event → rollup aggregation: turns a batch of newly stored events into the additive deltas
 * ingestion upserts (per rollout/arm/minute, per rollout/arm/hour, per flag/variant/minute).
 * Deltas come out sorted by key, so concurrent batches lock rollup rows in the same order and
 * cannot deadlock each other.
 */
import { latencyBucketIndex, type LatencyHistogram } from "../stats/histogram";
import { HOUR_MS, MINUTE_MS, type AcceptedEvent, type FlagRollupDelta, type RollupCounters, type RollupDelta } from "./types";

/** Start of the bucket of width `widthMs` holding `t` (UTC, epoch ms). */
export function bucketStart(t: number, widthMs: number): number {
  return Math.floor(t / widthMs) * widthMs;
}

export function emptyCounters(): RollupCounters {
  return {
    count: 0,
    successes: 0,
    errors: 0,
    errorsByType: {},
    feedbackUp: 0,
    feedbackDown: 0,
    retries: 0,
    inputTokensCount: 0,
    inputTokensSum: 0,
    inputTokensSumSq: 0,
    outputTokensCount: 0,
    outputTokensSum: 0,
    outputTokensSumSq: 0,
    tokensCount: 0,
    tokensSumSq: 0,
    costCount: 0,
    costSum: 0,
    costSumSq: 0,
    qualityCount: 0,
    qualitySum: 0,
    qualitySumSq: 0,
    latencyCount: 0,
    latencyHistogram: {},
  };
}

function addToBucket(h: LatencyHistogram, ms: number): void {
  const key = String(latencyBucketIndex(ms));
  h[key] = (h[key] ?? 0) + 1;
}

/** Adds one event to counters in place. */
export function addEvent(c: RollupCounters, e: AcceptedEvent): void {
  c.count += 1;
  if (e.success) c.successes += 1;
  else {
    c.errors += 1;
    const type = e.errorType ?? "unknown";
    c.errorsByType[type] = (c.errorsByType[type] ?? 0) + 1;
  }
  if (e.feedback === 1) c.feedbackUp += 1;
  else if (e.feedback === -1) c.feedbackDown += 1;
  if (e.retried) c.retries += 1;
  if (e.inputTokens != null) {
    c.inputTokensCount += 1;
    c.inputTokensSum += e.inputTokens;
    c.inputTokensSumSq += e.inputTokens * e.inputTokens;
  }
  if (e.outputTokens != null) {
    c.outputTokensCount += 1;
    c.outputTokensSum += e.outputTokens;
    c.outputTokensSumSq += e.outputTokens * e.outputTokens;
  }
  if (e.inputTokens != null || e.outputTokens != null) {
    const total = (e.inputTokens ?? 0) + (e.outputTokens ?? 0);
    c.tokensCount += 1;
    c.tokensSumSq += total * total;
  }
  if (e.costUsd != null) {
    c.costCount += 1;
    c.costSum += e.costUsd;
    c.costSumSq += e.costUsd * e.costUsd;
  }
  if (e.qualityScore != null) {
    c.qualityCount += 1;
    c.qualitySum += e.qualityScore;
    c.qualitySumSq += e.qualityScore * e.qualityScore;
  }
  if (e.latencyMs != null) {
    c.latencyCount += 1;
    addToBucket(c.latencyHistogram, e.latencyMs);
  }
}

/**
 * Deltas per (rollout, stage, arm, bucket of `widthMs`), sorted by that key. Events without a
 * rollout are skipped. The stage is part of the key, so a minute in which the rollout was
 * promoted gives one row per stage and every stage's totals are exact.
 */
export function rollupDeltas(events: readonly AcceptedEvent[], widthMs: number = MINUTE_MS): RollupDelta[] {
  const byKey = new Map<string, RollupDelta>();
  for (const e of events) {
    if (e.rolloutId == null || e.arm == null) continue;
    const start = bucketStart(e.occurredAt, widthMs);
    const key = `${e.rolloutId}\u0000${e.stageIndex}\u0000${e.arm}\u0000${start}`;
    let delta = byKey.get(key);
    if (!delta) {
      delta = { rolloutId: e.rolloutId, arm: e.arm, bucketStart: start, stageIndex: e.stageIndex, ...emptyCounters() };
      byKey.set(key, delta);
    }
    addEvent(delta, e);
  }
  return [...byKey.values()].sort(compareRollupKeys);
}

export function hourlyRollupDeltas(events: readonly AcceptedEvent[]): RollupDelta[] {
  return rollupDeltas(events, HOUR_MS);
}

function compareRollupKeys(a: RollupDelta, b: RollupDelta): number {
  if (a.rolloutId !== b.rolloutId) return a.rolloutId < b.rolloutId ? -1 : 1;
  if (a.stageIndex !== b.stageIndex) return a.stageIndex - b.stageIndex;
  if (a.arm !== b.arm) return a.arm < b.arm ? -1 : 1;
  return a.bucketStart - b.bucketStart;
}

/** Deltas per (flag, variant, minute) over every event, sorted by flag, variant, minute. */
export function flagRollupDeltas(events: readonly AcceptedEvent[]): FlagRollupDelta[] {
  const byKey = new Map<string, FlagRollupDelta>();
  for (const e of events) {
    const minute = bucketStart(e.occurredAt, MINUTE_MS);
    const key = `${e.flagKey}\u0000${e.variant}\u0000${minute}`;
    let delta = byKey.get(key);
    if (!delta) {
      delta = { flagKey: e.flagKey, variant: e.variant, minute, count: 0, successes: 0, costSum: 0, latencyCount: 0, latencyHistogram: {} };
      byKey.set(key, delta);
    }
    delta.count += 1;
    if (e.success) delta.successes += 1;
    if (e.costUsd != null) delta.costSum += e.costUsd;
    if (e.latencyMs != null) {
      delta.latencyCount += 1;
      addToBucket(delta.latencyHistogram, e.latencyMs);
    }
  }
  return [...byKey.values()].sort((a, b) => (a.flagKey !== b.flagKey ? (a.flagKey < b.flagKey ? -1 : 1) : a.variant !== b.variant ? (a.variant < b.variant ? -1 : 1) : a.minute - b.minute));
}

/** Adds `b` into `a` in place (used when summing rollup rows). */
export function addCounters(a: RollupCounters, b: RollupCounters): RollupCounters {
  for (const k of Object.keys(b) as (keyof RollupCounters)[]) {
    if (k === "errorsByType" || k === "latencyHistogram") continue;
    (a[k] as number) += b[k] as number;
  }
  for (const [t, n] of Object.entries(b.errorsByType)) a.errorsByType[t] = (a.errorsByType[t] ?? 0) + n;
  for (const [i, n] of Object.entries(b.latencyHistogram)) a.latencyHistogram[i] = (a.latencyHistogram[i] ?? 0) + n;
  return a;
}
