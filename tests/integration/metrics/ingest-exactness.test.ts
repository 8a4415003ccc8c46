/**
 * Ingestion stores a batch and rolls it up in one set-based statement. Whatever arrives twice —
 * the same batch sent twice at once, an id repeated inside a batch — counts once, and every
 * rollup row (per minute, per hour, per flag) equals the domain's own aggregate
 * (lib/domain/metrics/aggregate.ts) over the raw rows that were stored.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/server/db";
import { ingestEvents } from "@/lib/server/services/metrics/ingest-events";
import { seedDefaultPrices } from "@/lib/server/services/metrics/prices";
import { flagRollupDeltas, hourlyRollupDeltas, rollupDeltas } from "@/lib/domain/metrics/aggregate";
import { attributeStage } from "@/lib/domain/metrics/resolve-event";
import type { AcceptedEvent, RollupCounters } from "@/lib/domain/metrics/types";
import { createRolloutFixture, event, treatmentOf, type RolloutFixture } from "./fixtures";

const now = Date.now();
/** Stage 0 ran from 3 h ago until a mid-minute promotion 50 min ago; stage 1 runs since. */
const stage0Start = now - 3 * 3_600_000;
const promotion = Math.floor((now - 50 * 60_000) / 60_000) * 60_000 + 17_250;
const stages = [
  { index: 0, startedAt: stage0Start, endedAt: promotion },
  { index: 1, startedAt: promotion, endedAt: null },
];

let f: RolloutFixture;
beforeAll(async () => {
  await seedDefaultPrices();
  f = await createRolloutFixture({
    stages: [
      { trafficBasisPoints: 500, startedAt: new Date(stage0Start), endedAt: new Date(promotion) },
      { trafficBasisPoints: 2500, startedAt: new Date(promotion) },
    ],
    currentStageIndex: 1,
    startedAt: new Date(stage0Start),
  });
});

/** A varied batch: both arms, both stages (around the promotion), events without a rollout, every optional field on and off. */
function batch(prefix: string, n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const t = promotion - 3_600_000 + ((i * 104_729) % 6_300_000); // from an hour before the promotion to 5 min ago
    const failed = i % 9 === 0;
    const overrides: Record<string, unknown> = {
      id: `${prefix}-${i}`,
      timestamp: i % 10 === 3 ? new Date(t).toISOString() : t,
      ...(i % 2 ? treatmentOf(f) : {}),
      success: !failed,
      errorType: failed ? (i % 4 === 0 ? undefined : i % 3 ? "timeout" : "rate_limited") : undefined,
      latencyMs: i % 11 === 0 ? undefined : 50 + ((i * 131) % 4000) + (i % 3) / 7,
      inputTokens: i % 13 === 0 ? undefined : 100 + (i % 700),
      outputTokens: i % 17 === 0 ? undefined : 10 + (i % 300),
      costUsd: i % 5 === 0 ? 0.0001 * (i % 37) : undefined,
      feedback: i % 6 === 0 ? (i % 12 === 0 ? 1 : -1) : undefined,
      retried: i % 8 === 0 ? true : undefined,
      qualityScore: i % 4 === 1 ? (i % 100) / 100 : undefined,
      attributes: i % 15 === 0 ? { route: "/chat", i } : undefined,
    };
    if (i % 20 === 7) Object.assign(overrides, { rolloutId: undefined, arm: undefined }); // flag rollups only
    return event(f, overrides);
  });
}

interface RawRow {
  id: string;
  occurredAt: Date;
  flagKey: string;
  variant: string;
  rolloutId: string | null;
  arm: "control" | "treatment" | null;
  latencyMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  success: boolean;
  errorType: string | null;
  feedback: number | null;
  retried: boolean;
  qualityScore: number | null;
}

/** The raw rows as the domain's accepted events, with the stage the domain attributes. */
function asAccepted(r: RawRow): AcceptedEvent {
  const t = r.occurredAt.getTime();
  return {
    id: r.id,
    occurredAt: t,
    flagKey: r.flagKey,
    variant: r.variant,
    rolloutId: r.rolloutId,
    arm: r.arm,
    stageIndex: r.rolloutId ? attributeStage({ stages }, t) : 0,
    latencyMs: r.latencyMs,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    costUsd: r.costUsd,
    success: r.success,
    errorType: r.errorType,
    feedback: r.feedback as 1 | -1 | null,
    retried: r.retried,
    qualityScore: r.qualityScore,
  };
}

const COUNTS = ["count", "successes", "errors", "feedbackUp", "feedbackDown", "retries", "inputTokensCount", "outputTokensCount", "tokensCount", "costCount", "qualityCount", "latencyCount"] as const;
const SUMS = ["inputTokensSum", "inputTokensSumSq", "outputTokensSum", "outputTokensSumSq", "tokensSumSq", "costSum", "costSumSq", "qualitySum", "qualitySumSq"] as const;

function expectCounters(actual: RollupCounters, expected: RollupCounters, where: string): void {
  for (const k of COUNTS) expect(actual[k], `${where} ${k}`).toBe(expected[k]);
  for (const k of SUMS) expect(actual[k], `${where} ${k}`).toBeCloseTo(expected[k], 6);
  expect(actual.errorsByType, `${where} errorsByType`).toEqual(expected.errorsByType);
  expect(actual.latencyHistogram, `${where} latencyHistogram`).toEqual(expected.latencyHistogram);
}

describe("exactly once, and the rollups are the aggregate of the stored rows", () => {
  test("a batch sent twice at once and a batch with duplicates inside it count each event once", async () => {
    const first = batch("twice", 400);
    const second = batch("inner", 300);
    const withInnerDuplicates = [...second, ...second.slice(0, 40).map((e) => ({ ...e })), { ...second[5] }];
    const results = await Promise.all([first, first, withInnerDuplicates].map((events) => ingestEvents({ environmentId: f.environmentId, events })));

    expect(results.every((r) => r.rejected.length === 0)).toBe(true);
    expect(results[0].accepted + results[1].accepted).toBe(400);
    expect(results[0].duplicates + results[1].duplicates).toBe(400);
    expect(results[2]).toEqual({ accepted: 300, duplicates: 41, rejected: [] });

    // Raw rows: each id once.
    const raw = (await db.metricEvent.findMany({ where: { environmentId: f.environmentId } })) as RawRow[];
    expect(raw.length).toBe(700);
    expect(new Set(raw.map((r) => r.id)).size).toBe(700);
    const events = raw.map(asAccepted);
    expect(new Set(events.map((e) => e.stageIndex))).toEqual(new Set([0, 1]));

    // Per rollout, stage, arm and minute / hour: every counter of every row.
    for (const [expected, rows, time] of [
      [rollupDeltas(events), await db.metricRollup.findMany({ where: { rolloutId: f.rolloutId } }), "minute"],
      [hourlyRollupDeltas(events), await db.metricRollupHourly.findMany({ where: { rolloutId: f.rolloutId } }), "hour"],
    ] as const) {
      expect(rows.length, time).toBe(expected.length);
      const byKey = new Map(rows.map((r) => [`${r.stageIndex}/${r.arm}/${(r as unknown as Record<string, Date>)[time].getTime()}`, r]));
      for (const d of expected) {
        const key = `${d.stageIndex}/${d.arm}/${d.bucketStart}`;
        const row = byKey.get(key);
        expect(row, `${time} ${key}`).toBeDefined();
        expectCounters(row as unknown as RollupCounters, d, `${time} ${key}`);
      }
    }

    // Per flag, variant and minute (events without a rollout included).
    const flagRows = await db.flagMetricRollup.findMany({ where: { environmentId: f.environmentId, flagKey: f.flagKey } });
    const expectedFlag = flagRollupDeltas(events);
    expect(flagRows.length).toBe(expectedFlag.length);
    for (const d of expectedFlag) {
      const row = flagRows.find((r) => r.variant === d.variant && r.minute.getTime() === d.minute);
      expect(row).toMatchObject({ count: d.count, successes: d.successes, latencyCount: d.latencyCount, latencyHistogram: d.latencyHistogram });
      expect(row!.costSum).toBeCloseTo(d.costSum, 9);
    }
    expect(flagRows.reduce((s, r) => s + r.count, 0)).toBe(700);
  });
});
