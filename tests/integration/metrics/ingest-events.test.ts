import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/server/db";
import { ingestEvents } from "@/lib/server/services/metrics/ingest-events";
import { seedDefaultPrices } from "@/lib/server/services/metrics/prices";
import { histogramCount } from "@/lib/domain/stats";
import { createRolloutFixture, event, rollupTotals, treatmentOf, type RolloutFixture } from "./fixtures";

let f: RolloutFixture;

beforeAll(async () => {
  await seedDefaultPrices();
  f = await createRolloutFixture();
});

describe("partial batches", () => {
  test("valid events are kept, invalid ones rejected with their index and reasons", async () => {
    const g = await createRolloutFixture();
    const { success: _omit, ...noSuccess } = event(g);
    const batch = [
      event(g),
      noSuccess,
      event(g, { ...treatmentOf(g), success: false, errorType: "timeout" }),
      event(g, { latencyMs: -5, qualityScore: 2 }),
      event(g, { feedback: 1 }),
      event(g, { rolloutId: "no-such-rollout" }),
      event(g, { variant: "some-other-variant", arm: undefined }),
      event(g, { unknownField: true }),
      "not an object",
    ];
    const result = await ingestEvents({ environmentId: g.environmentId, events: batch });
    expect(result.accepted).toBe(3);
    expect(result.duplicates).toBe(0);
    expect(result.rejected.map((r) => r.index)).toEqual([1, 3, 5, 6, 7, 8]);
    expect(result.rejected[0].errors.join(" ")).toMatch(/success/);
    expect(result.rejected[1].errors.some((e) => e.startsWith("latencyMs"))).toBe(true);
    expect(result.rejected[1].errors.some((e) => e.startsWith("qualityScore"))).toBe(true);
    expect(result.rejected[2].errors.join(" ")).toMatch(/no rollout "no-such-rollout"/);
    expect(result.rejected[3].errors.join(" ")).toMatch(/neither the rollout's control/);
    expect(result.rejected[4].errors.join(" ")).toMatch(/unknown field: unknownField/);

    const totals = await rollupTotals(g.rolloutId);
    expect(totals.control).toEqual({ count: 2, successes: 2, errors: 0, latency: 2 });
    expect(totals.treatment).toEqual({ count: 1, successes: 0, errors: 1, latency: 1 });
    expect(totals.hourlyControl.count + totals.hourlyTreatment.count).toBe(3);
    const treatmentRow = totals.rows.find((r) => r.arm === "treatment");
    expect(treatmentRow?.errorsByType).toEqual({ timeout: 1 });
    expect(await db.metricEvent.count({ where: { rolloutId: g.rolloutId } })).toBe(3);
  });

  test("timestamps outside [now − retention, now + 5 min] and a mismatched arm are rejected", async () => {
    const now = new Date();
    const batch = [
      event(f, { timestamp: new Date(now.getTime() - 8 * 86_400_000).toISOString() }),
      event(f, { timestamp: now.getTime() + 10 * 60_000 }),
      event(f, { arm: "treatment" }),
      event(f, { timestamp: now.getTime() - 1000 }),
    ];
    const result = await ingestEvents({ environmentId: f.environmentId, events: batch, now, retentionDays: 7 });
    expect(result.accepted).toBe(1);
    expect(result.rejected.map((r) => [r.index, r.errors[0].split(":")[0]])).toEqual([
      [0, "timestamp"],
      [1, "timestamp"],
      [2, "arm"],
    ]);
  });

  test("a rollout of another environment is unknown to this key's environment", async () => {
    const other = await createRolloutFixture();
    const result = await ingestEvents({ environmentId: f.environmentId, events: [event(other)] });
    expect(result.accepted).toBe(0);
    expect(result.rejected[0].errors[0]).toMatch(/no rollout/);
  });

  test("more than 1,000 events is refused as too large", async () => {
    const events = Array.from({ length: 1001 }, () => event(f));
    await expect(ingestEvents({ environmentId: f.environmentId, events })).rejects.toMatchObject({ code: "payload_too_large" });
  });
});

describe("idempotency", () => {
  test("replaying a batch changes nothing; duplicate ids inside a batch count once", async () => {
    const g = await createRolloutFixture();
    const first = Array.from({ length: 50 }, (_, i) => event(g, i % 2 ? treatmentOf(g) : {}));
    const withInnerDuplicate = [...first, { ...first[0] }];
    const r1 = await ingestEvents({ environmentId: g.environmentId, events: withInnerDuplicate });
    expect(r1).toEqual({ accepted: 50, duplicates: 1, rejected: [] });
    const before = await rollupTotals(g.rolloutId);

    const r2 = await ingestEvents({ environmentId: g.environmentId, events: first });
    expect(r2).toEqual({ accepted: 0, duplicates: 50, rejected: [] });
    const mixed = [...first.slice(0, 10), event(g)];
    const r3 = await ingestEvents({ environmentId: g.environmentId, events: mixed });
    expect(r3).toEqual({ accepted: 1, duplicates: 10, rejected: [] });

    const after = await rollupTotals(g.rolloutId);
    expect(before.control.count + before.treatment.count).toBe(50);
    expect(after.control.count).toBe(before.control.count + 1);
    expect(after.treatment).toEqual(before.treatment);
    expect(await db.metricEvent.count({ where: { rolloutId: g.rolloutId } })).toBe(51);
  });

  test("the same id in another environment is a different event", async () => {
    const a = await createRolloutFixture();
    const b = await createRolloutFixture();
    const id = `shared-${randomUUID()}`;
    expect((await ingestEvents({ environmentId: a.environmentId, events: [event(a, { id })] })).accepted).toBe(1);
    expect((await ingestEvents({ environmentId: b.environmentId, events: [event(b, { id })] })).accepted).toBe(1);
  });

  test("concurrent batches, overlapping and replayed, are counted exactly once", async () => {
    const g = await createRolloutFixture();
    const minute = Date.now() - 120_000;
    // Every batch hits the same two minute rows and hour rows, with a spread of latencies.
    const batches = Array.from({ length: 8 }, (_, b) =>
      Array.from({ length: 250 }, (_, i) =>
        event(g, {
          id: `c-${b}-${i}`,
          timestamp: minute + (i % 50),
          latencyMs: 100 + ((i * 37) % 900),
          success: i % 10 !== 0,
          errorType: i % 10 === 0 ? (i % 20 === 0 ? "timeout" : "rate_limited") : undefined,
          ...(i % 2 ? treatmentOf(g) : {}),
        }),
      ),
    );
    // Each batch is sent twice at the same time, plus a batch overlapping two others.
    const overlap = [...batches[0].slice(0, 100), ...batches[1].slice(0, 100)];
    const results = await Promise.all([...batches, ...batches, overlap].map((events) => ingestEvents({ environmentId: g.environmentId, events })));
    const accepted = results.reduce((s, r) => s + r.accepted, 0);
    const duplicates = results.reduce((s, r) => s + r.duplicates, 0);
    expect(accepted).toBe(2000);
    expect(duplicates).toBe(2000 + 200);

    const totals = await rollupTotals(g.rolloutId);
    expect(totals.control.count + totals.treatment.count).toBe(2000);
    expect(totals.control.errors + totals.treatment.errors).toBe(200);
    expect(totals.hourlyControl).toEqual(totals.control);
    expect(totals.hourlyTreatment).toEqual(totals.treatment);
    const histogramTotal = totals.rows.reduce((s, r) => s + histogramCount(r.latencyHistogram as Record<string, number>), 0);
    expect(histogramTotal).toBe(2000);
    const errorTypes = totals.rows.reduce(
      (acc, r) => {
        for (const [k, v] of Object.entries(r.errorsByType as Record<string, number>)) acc[k] = (acc[k] ?? 0) + v;
        return acc;
      },
      {} as Record<string, number>,
    );
    expect(errorTypes).toEqual({ timeout: 104, rate_limited: 96 });
    const flagRows = await db.flagMetricRollup.findMany({ where: { environmentId: g.environmentId, flagKey: g.flagKey } });
    expect(flagRows.reduce((s, r) => s + r.count, 0)).toBe(2000);
  });
});

describe("cost", () => {
  test.each([
    ["gpt-4o", 1000, 200, (1000 * 2.5 + 200 * 10) / 1e6],
    ["anthropic/claude-sonnet-4", 1000, 200, (1000 * 3 + 200 * 15) / 1e6],
    ["GPT-4O-MINI", 2000, 0, (2000 * 0.15) / 1e6],
    ["unknown-model", 1000, 200, null],
  ])("an event for %s with %i/%i tokens and no costUsd costs %s from the price table", async (model, inputTokens, outputTokens, expected) => {
    const e = event(f, { model, inputTokens, outputTokens });
    expect((await ingestEvents({ environmentId: f.environmentId, events: [e] })).accepted).toBe(1);
    const stored = await db.metricEvent.findUniqueOrThrow({ where: { environmentId_id: { environmentId: f.environmentId, id: e.id as string } } });
    if (expected == null) expect(stored.costUsd).toBeNull();
    else expect(stored.costUsd).toBeCloseTo(expected, 12);
  });

  test("a reported costUsd wins over the price table, and rollups sum cost and its square", async () => {
    const g = await createRolloutFixture();
    await ingestEvents({ environmentId: g.environmentId, events: [event(g, { costUsd: 0.01, timestamp: Date.now() - 60_000 }), event(g, { costUsd: 0.03, timestamp: Date.now() - 60_000 })] });
    const rows = await db.metricRollup.findMany({ where: { rolloutId: g.rolloutId } });
    const costCount = rows.reduce((s, r) => s + r.costCount, 0);
    const costSum = rows.reduce((s, r) => s + r.costSum, 0);
    const costSumSq = rows.reduce((s, r) => s + r.costSumSq, 0);
    expect(costCount).toBe(2);
    expect(costSum).toBeCloseTo(0.04, 12);
    expect(costSumSq).toBeCloseTo(0.0001 + 0.0009, 12);
  });
});

describe("stage attribution", () => {
  test("a rollup row carries the stage the rollout was in when the event happened", async () => {
    const now = Date.now();
    const g = await createRolloutFixture({
      stages: [
        { trafficBasisPoints: 500, startedAt: new Date(now - 2 * 3_600_000), endedAt: new Date(now - 3_600_000) },
        { trafficBasisPoints: 2500, startedAt: new Date(now - 3_600_000) },
      ],
      currentStageIndex: 1,
      startedAt: new Date(now - 2 * 3_600_000),
    });
    const early = now - 90 * 60_000;
    const late = now - 30 * 60_000;
    await ingestEvents({ environmentId: g.environmentId, events: [event(g, { timestamp: early }), event(g, { timestamp: late })] });
    const rows = await db.metricRollup.findMany({ where: { rolloutId: g.rolloutId }, orderBy: { minute: "asc" } });
    expect(rows.map((r) => [r.minute.getTime(), r.stageIndex])).toEqual([
      [Math.floor(early / 60_000) * 60_000, 0],
      [Math.floor(late / 60_000) * 60_000, 1],
    ]);
  });

  test("to the millisecond of the transition; an echoed stage wins; after the end and before the start stay out of every stage", async () => {
    const now = Date.now();
    const t1 = Math.floor((now - 30 * 60_000) / 60_000) * 60_000 + 30_123; // mid-minute promotion
    const t2 = now - 10 * 60_000;
    const g = await createRolloutFixture({
      stages: [
        { trafficBasisPoints: 500, startedAt: new Date(now - 3_600_000), endedAt: new Date(t1) },
        { trafficBasisPoints: 2500, startedAt: new Date(t1), endedAt: new Date(t2) },
        { trafficBasisPoints: 5000 },
      ],
      currentStageIndex: 1,
      startedAt: new Date(now - 3_600_000),
      endedAt: new Date(t2),
      state: "rolled_back",
    });
    const r = await ingestEvents({
      environmentId: g.environmentId,
      events: [
        event(g, { timestamp: t1 - 1 }), // stage 0, same minute as the promotion
        event(g, { timestamp: t1 }), // stage 1 from its first millisecond
        event(g, { timestamp: t1 + 5, stage: 0 }), // served by stage 0, reported after: echo wins
        event(g, { timestamp: t2 + 1 }), // after the rollback, no echo
        event(g, { timestamp: t2 + 2, stage: 1 }), // in flight at the rollback, echoed
        event(g, { timestamp: now - 2 * 3_600_000 }), // before the start
        event(g, { timestamp: t1, stage: 2 }), // a stage that never ran
        event(g, { timestamp: t1, stage: 7 }), // no such stage: refused
      ],
    });
    expect(r.rejected).toEqual([{ index: 7, errors: [`stage: rollout "${g.rolloutId}" has no stage 7 (stages are 0-based, up to 2)`] }]);
    const rows = await db.metricRollup.groupBy({ by: ["stageIndex"], where: { rolloutId: g.rolloutId }, _sum: { count: true }, orderBy: { stageIndex: "asc" } });
    expect(rows.map((x) => [x.stageIndex, x._sum.count])).toEqual([
      [-2, 2],
      [-1, 1],
      [0, 2],
      [1, 2],
    ]);
  });
});
