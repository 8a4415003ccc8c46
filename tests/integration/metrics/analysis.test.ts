import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/server/db";
import { SYSTEM_ACTOR } from "@/lib/server/auth/actor";
import { ingestEvents } from "@/lib/server/services/metrics/ingest-events";
import { getRolloutAnalysis } from "@/lib/server/services/metrics/analysis";
import { minuteRowsFrom } from "@/lib/server/services/metrics/rollup-queries";
import { mcnemarTest, percentileWithInterval, srmTest, summaryFromSums, twoProportionTest, welchTTest, addToHistogram, type LatencyHistogram } from "@/lib/domain/stats";
import type { MetricAnalysis } from "@/lib/schemas/analysis";
import { createRolloutFixture, event, treatmentOf, type RolloutFixture } from "./fixtures";

const HOUR = 3_600_000;
const metric = (ms: MetricAnalysis[], name: string) => {
  const m = ms.find((x) => x.metric === name);
  if (!m) throw new Error(`no ${name}`);
  return m;
};

/** n events per arm spread over the last 2 hours; errors, costs, latencies by formula. */
async function ingestArms(f: RolloutFixture, opts: { n: number; controlErrorEvery: number; treatmentErrorEvery: number; treatmentLatencyShift?: number; now: number; spreadHours?: number }) {
  const spread = (opts.spreadHours ?? 2) * HOUR;
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < opts.n; i++) {
    const t = opts.now - spread + Math.floor((i / opts.n) * spread);
    const latency = 400 + ((i * 7919) % 800);
    events.push(event(f, { id: `c-${f.rolloutId}-${i}`, timestamp: t, success: i % opts.controlErrorEvery !== 0, latencyMs: latency, costUsd: 0.001 + (i % 10) * 0.0001, qualityScore: (i % 5) / 5 }));
    events.push(
      event(f, {
        ...treatmentOf(f),
        id: `t-${f.rolloutId}-${i}`,
        timestamp: t,
        success: i % opts.treatmentErrorEvery !== 0,
        latencyMs: latency + (opts.treatmentLatencyShift ?? 0),
        costUsd: 0.001 + (i % 10) * 0.0001,
        qualityScore: (i % 5) / 5,
      }),
    );
  }
  for (let i = 0; i < events.length; i += 1000) {
    const r = await ingestEvents({ environmentId: f.environmentId, events: events.slice(i, i + 1000), now: new Date(opts.now) });
    expect(r.rejected).toEqual([]);
  }
}

describe("rollout analysis on known data", () => {
  const now = Date.now();
  let worse: RolloutFixture;
  let same: RolloutFixture;

  beforeAll(async () => {
    const startedAt = new Date(now - 3 * HOUR);
    worse = await createRolloutFixture({ startedAt, stages: [{ trafficBasisPoints: 5000, minSamplesPerArm: 1000, startedAt }] });
    same = await createRolloutFixture({ startedAt, stages: [{ trafficBasisPoints: 5000, minSamplesPerArm: 1000, startedAt }] });
    await ingestArms(worse, { n: 2000, controlErrorEvery: 100, treatmentErrorEvery: 10, treatmentLatencyShift: 300, now });
    await ingestArms(same, { n: 2000, controlErrorEvery: 50, treatmentErrorEvery: 50, now });
  });

  test("a treatment with 10% errors vs 1% is worse on success rate with p < 0.001, as twoProportionTest says", async () => {
    const a = await getRolloutAnalysis(SYSTEM_ACTOR, worse.rolloutId, {}, new Date(now));
    const sr = metric(a.metrics, "success_rate");
    const reference = twoProportionTest({ successesA: 1980, totalA: 2000, successesB: 1800, totalB: 2000 });
    expect(sr.control).toMatchObject({ n: 2000, estimate: 0.99 });
    expect(sr.treatment).toMatchObject({ n: 2000, estimate: 0.9 });
    expect(sr.pValue).toBeCloseTo(reference.pValue, 12);
    expect(sr.difference?.estimate).toBeCloseTo(reference.diff, 12);
    expect(sr.difference?.low).toBeCloseTo(reference.ciLow, 12);
    expect(sr.pValueSequential).toBeLessThan(0.001);
    expect(sr.pValueUsed).toBeLessThan(0.001);
    expect(sr.verdict).toBe("worse");
    expect(sr.sentence).toBe("Treatment success rate 90.0% vs 99.0% control: worse (Holm-adjusted p < 0.001)");
    // One basis per row: a canary is monitored, so the row shows the always-valid interval and p-value.
    expect(sr.basis).toBe("sequential");
    expect(sr.basisInterval).toEqual(sr.sequentialInterval);
    expect(sr.basisPValue).toBe(sr.pValueSequential);
    expect(sr.relativeLiftInterval?.high).toBeLessThan(0);
    expect(a.series.difference.at(-1)).toMatchObject({ low: sr.sequentialInterval?.low, high: sr.sequentialInterval?.high });
    expect(metric(a.metrics, "error_rate").verdict).toBe("worse");
    expect(a.gateMetrics).toContain("success_rate");
    expect(sr.pValueAdjusted).not.toBeNull();
    expect(a.samples).toEqual({ control: 2000, treatment: 2000 });
    expect(a.summary).toMatch(/^Treatment worse on success rate/);
  });

  test("latency percentiles and the cost mean match direct stats calls", async () => {
    const a = await getRolloutAnalysis(SYSTEM_ACTOR, worse.rolloutId, {}, new Date(now));
    let hc: LatencyHistogram = {};
    let ht: LatencyHistogram = {};
    const costs: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const latency = 400 + ((i * 7919) % 800);
      hc = addToHistogram(hc, latency);
      ht = addToHistogram(ht, latency + 300);
      costs.push(0.001 + (i % 10) * 0.0001);
    }
    const p95 = metric(a.metrics, "latency_p95");
    expect(p95.control).toEqual({ n: 2000, ...pick(percentileWithInterval(hc, 0.95)) });
    expect(p95.treatment).toEqual({ n: 2000, ...pick(percentileWithInterval(ht, 0.95)) });
    expect(p95.verdict).toBe("worse");
    expect(p95.rankTest?.pValue).toBeLessThan(0.001);

    const sum = costs.reduce((s, c) => s + c, 0);
    const sq = costs.reduce((s, c) => s + c * c, 0);
    const s = summaryFromSums({ n: 2000, sum, sumOfSquares: sq });
    const ref = welchTTest({ meanA: s.mean, varianceA: s.variance, nA: 2000, meanB: s.mean, varianceB: s.variance, nB: 2000 });
    const cost = metric(a.metrics, "cost_per_request");
    expect(cost.control.estimate).toBeCloseTo(s.mean, 12);
    expect(cost.pValue).toBeCloseTo(ref.pValue, 9);
    expect(cost.verdict).toBe("no_difference");
  });

  test("equal arms show no difference (or not enough data), never better or worse", async () => {
    const a = await getRolloutAnalysis(SYSTEM_ACTOR, same.rolloutId, {}, new Date(now));
    for (const m of a.metrics) expect(["no_difference", "insufficient_data"]).toContain(m.verdict);
    expect(metric(a.metrics, "success_rate").verdict).toBe("no_difference");
    expect(metric(a.metrics, "success_rate").sentence).toBe("Treatment success rate 98.0% vs 98.0% control: no detectable difference (Holm-adjusted p = 1.000)");
    expect(metric(a.metrics, "thumbs_up_rate").verdict).toBe("insufficient_data");
  });

  test("too few samples is never a pass", async () => {
    const startedAt = new Date(now - 3 * HOUR);
    const small = await createRolloutFixture({ startedAt, stages: [{ trafficBasisPoints: 5000, minSamplesPerArm: 1000, startedAt }] });
    await ingestArms(small, { n: 300, controlErrorEvery: 50, treatmentErrorEvery: 50, now });
    const a = await getRolloutAnalysis(SYSTEM_ACTOR, small.rolloutId, {}, new Date(now));
    const sr = metric(a.metrics, "success_rate");
    expect(sr.verdict).toBe("insufficient_data");
    expect(sr.samplesNeeded).toBe(700);
    expect(sr.sentence).toMatch(/not enough data yet \(300 of 1,000 samples per arm/);
    const empty = await createRolloutFixture();
    const b = await getRolloutAnalysis(SYSTEM_ACTOR, empty.rolloutId, {}, new Date(now));
    expect(b.metrics.every((m) => m.verdict === "insufficient_data")).toBe(true);
    expect(b.summary).toMatch(/^Not enough data yet/);
  });

  test("the series has ≤ 300 points per arm, sums to the totals and marks stage starts", async () => {
    const a = await getRolloutAnalysis(SYSTEM_ACTOR, worse.rolloutId, {}, new Date(now));
    expect(a.series.points.length).toBeLessThanOrEqual(300);
    expect(a.series.stepSeconds).toBe(60);
    expect(a.series.points.reduce((s, p) => s + p.control.count, 0)).toBe(2000);
    expect(a.series.stageBoundaries.map((b) => b.stageIndex)).toEqual([0]);
    expect(a.stages[0].samples).toEqual({ control: 2000, treatment: 2000 });
  });

  test("windows over a day read whole hours from the hourly rollups and the edges per minute, with the same totals", async () => {
    const startedAt = new Date(now - 30 * HOUR);
    const long = await createRolloutFixture({ startedAt, stages: [{ trafficBasisPoints: 5000, minSamplesPerArm: 1000, startedAt }] });
    await ingestArms(long, { n: 1500, controlErrorEvery: 50, treatmentErrorEvery: 50, now, spreadHours: 29 });
    const wide = await getRolloutAnalysis(SYSTEM_ACTOR, long.rolloutId, {}, new Date(now));
    expect(wide.series.stepSeconds).toBe(3600);
    expect(wide.samples).toEqual({ control: 1500, treatment: 1500 });
    expect(wide.series.points.reduce((s, p) => s + p.treatment.count, 0)).toBe(1500);
    // Edges that cut hours count exactly the minute rows from the minute `from` falls in (counted
    // whole, see minuteRowsFrom) up to `to`.
    const from = new Date(now - 26 * HOUR - 17 * 60_000 - 13_000);
    const to = new Date(now - HOUR - 7 * 60_000);
    const edge = await getRolloutAnalysis(SYSTEM_ACTOR, long.rolloutId, { from: from.toISOString(), to: to.toISOString() }, new Date(now));
    const expected = await db.metricRollup.aggregate({ where: { rolloutId: long.rolloutId, arm: "control", minute: { gte: minuteRowsFrom(from), lt: to } }, _sum: { count: true } });
    expect(edge.series.stepSeconds).toBe(3600);
    expect(edge.samples.control).toBe(expected._sum.count);
    expect(edge.samples.control).toBeGreaterThan(1000);
  });
});

function pick(p: { estimate: number | null; low: number | null; high: number | null }) {
  return { estimate: p.estimate, low: p.low, high: p.high };
}

describe("sample-ratio mismatch", () => {
  test.each([
    [5400, 4600, true],
    [5010, 4990, false],
  ])("%i control / %i treatment exposures against a 50/50 plan → mismatch %s", async (control, treatment, mismatch) => {
    const now = Date.now();
    const f = await createRolloutFixture({ startedAt: new Date(now - HOUR) });
    const minute = new Date(Math.floor((now - 10 * 60_000) / 60_000) * 60_000);
    await db.exposure.createMany({
      data: [
        { rolloutId: f.rolloutId, arm: "control", minute, count: control },
        { rolloutId: f.rolloutId, arm: "treatment", minute, count: treatment },
      ],
    });
    const a = await getRolloutAnalysis(SYSTEM_ACTOR, f.rolloutId, {}, new Date(now));
    const reference = srmTest([control, treatment], [5000, 5000]);
    expect(a.srm?.pValue).toBeCloseTo(reference.pValue, 12);
    expect(a.srm?.mismatch).toBe(mismatch);
    expect(a.srm?.sentence).toMatch(mismatch ? /^Sample ratio mismatch/ : /^Sample ratio as planned/);
  });

  test("a canary at 5% is checked against 95/5", async () => {
    const now = Date.now();
    const startedAt = new Date(now - HOUR);
    const f = await createRolloutFixture({ startedAt, stages: [{ trafficBasisPoints: 500, startedAt }] });
    const minute = new Date(Math.floor((now - 10 * 60_000) / 60_000) * 60_000);
    await db.exposure.createMany({
      data: [
        { rolloutId: f.rolloutId, arm: "control", minute, count: 9500 },
        { rolloutId: f.rolloutId, arm: "treatment", minute, count: 500 },
      ],
    });
    const a = await getRolloutAnalysis(SYSTEM_ACTOR, f.rolloutId, {}, new Date(now));
    expect(a.srm).toMatchObject({ mismatch: false, statistic: 0, expected: { control: 9500, treatment: 500 } });
  });
});

describe("the minute a stage starts in", () => {
  test("outcomes and exposures of that minute count for the stage that served them, not the minute's", async () => {
    const now = Date.now();
    const boundary = new Date(Math.floor((now - 5 * 60_000) / 60_000) * 60_000);
    const stage2Start = new Date(boundary.getTime() + 30_000);
    const f = await createRolloutFixture({
      startedAt: new Date(now - HOUR),
      currentStageIndex: 1,
      stages: [
        { trafficBasisPoints: 1000, startedAt: new Date(now - HOUR), endedAt: stage2Start },
        { trafficBasisPoints: 2500, startedAt: stage2Start },
      ],
    });
    // The boundary minute holds stage 1's 10% split and the first 30 s of stage 2's 25%, in rows
    // of their own (the serving process counts per stage); the minute after it only stage 2.
    const exposures = (stageIndex: number, minute: Date, control: number, treatment: number) => [
      { rolloutId: f.rolloutId, stageIndex, arm: "control" as const, minute, count: control },
      { rolloutId: f.rolloutId, stageIndex, arm: "treatment" as const, minute, count: treatment },
    ];
    await db.exposure.createMany({
      data: [...exposures(0, boundary, 900, 100), ...exposures(1, boundary, 150, 50), ...exposures(1, new Date(boundary.getTime() + 60_000), 600, 200)],
    });
    const t = new Date(stage2Start.getTime() + 5_000).toISOString();
    const r = await ingestEvents({
      environmentId: f.environmentId,
      events: Array.from({ length: 20 }, (_, i) => event(f, { timestamp: t, ...(i % 2 ? treatmentOf(f) : {}) })),
    });
    expect(r.accepted).toBe(20);

    // Stage 1's outcomes in the same minute, 5 s before the promotion, stay in stage 1.
    const before = new Date(stage2Start.getTime() - 5_000).toISOString();
    await ingestEvents({ environmentId: f.environmentId, events: Array.from({ length: 6 }, (_, i) => event(f, { timestamp: before, ...(i % 2 ? treatmentOf(f) : {}) })) });

    const a = await getRolloutAnalysis(SYSTEM_ACTOR, f.rolloutId, { stage: 1 }, new Date(now));
    expect(a.samples).toEqual({ control: 10, treatment: 10 });
    expect(a.srm).toMatchObject({ observed: { control: 750, treatment: 250 }, mismatch: false });
    expect(a.stages.map((s) => [s.samples, s.exposures])).toEqual([
      [
        { control: 3, treatment: 3 },
        { control: 900, treatment: 100 },
      ],
      [
        { control: 10, treatment: 10 },
        { control: 750, treatment: 250 },
      ],
    ]);
  });
});

describe("shadow rollouts", () => {
  test("success is compared with McNemar on the pairs, latency with Wilcoxon signed-rank", async () => {
    const now = Date.now();
    const startedAt = new Date(now - 2 * HOUR);
    const f = await createRolloutFixture({ strategy: "shadow", startedAt, stages: [{ trafficBasisPoints: 0, shadowSampleBasisPoints: 10000, minSamplesPerArm: 200, startedAt }] });
    const events: Record<string, unknown>[] = [];
    let onlyControlFailed = 0;
    let onlyTreatmentFailed = 0;
    for (let i = 0; i < 600; i++) {
      const t = now - HOUR + i * 1000;
      const cs = i % 40 !== 0;
      const ts = i % 8 !== 0;
      if (!cs && ts) onlyControlFailed++;
      if (cs && !ts) onlyTreatmentFailed++;
      events.push(event(f, { id: `sc-${i}`, timestamp: t, pairId: `p-${i}`, success: cs, latencyMs: 500 + (i % 50) }));
      events.push(event(f, { ...treatmentOf(f), id: `st-${i}`, timestamp: t, pairId: `p-${i}`, success: ts, latencyMs: 560 + (i % 50) + (i % 7) }));
    }
    await ingestEvents({ environmentId: f.environmentId, events: events.slice(0, 1000) });
    await ingestEvents({ environmentId: f.environmentId, events: events.slice(1000) });
    const a = await getRolloutAnalysis(SYSTEM_ACTOR, f.rolloutId, {}, new Date(now));
    expect(a.shadow).toMatchObject({ pairs: 600, onlyControlFailed, onlyTreatmentFailed, pairsTested: 600 });
    const sr = metric(a.metrics, "success_rate");
    expect(sr.test).toBe("mcnemar");
    expect(sr.pValue).toBeCloseTo(mcnemarTest({ onlyAFailed: onlyControlFailed, onlyBFailed: onlyTreatmentFailed }).pValue, 12);
    expect(sr.verdict).toBe("worse");
    const p50 = metric(a.metrics, "latency_p50");
    expect(p50.test).toBe("wilcoxon_signed_rank");
    expect(p50.verdict).toBe("worse");
    expect(metric(a.metrics, "thumbs_up_rate").sentence).toMatch(/not measured here/);
    expect(a.srm).toBeNull();
    expect(a.srmNote).toMatch(/Shadow/);
  });
});

describe("A/B finish estimate", () => {
  test("the rate is the recent outcomes over the time that really elapsed, with the date it implies", async () => {
    const now = Date.now();
    const startedAt = new Date(now - 20 * 60_000); // 20 minutes in
    const f = await createRolloutFixture({ strategy: "ab_test", startedAt, stages: [{ trafficBasisPoints: 5000, minSamplesPerArm: 2000, startedAt }] });
    // 300 per arm, spread over the 20 minutes: 900 per arm per hour.
    const events = Array.from({ length: 600 }, (_, i) => event(f, { timestamp: now - 20 * 60_000 + 1000 + i * 1990, ...(i % 2 ? treatmentOf(f) : {}) }));
    expect((await ingestEvents({ environmentId: f.environmentId, events })).accepted).toBe(600);

    const a = await getRolloutAnalysis(SYSTEM_ACTOR, f.rolloutId, {}, new Date(now));
    expect(a.power).toMatchObject({ targetPerArm: 2000, samples: { control: 300, treatment: 300 }, rateWindowSeconds: 1200 });
    expect(a.power!.perArmPerHour).toBeCloseTo(900, 6);
    // 1,700 more per arm at 900 an hour: 1.89 h from now, not the ~5.7 h a one-hour divisor gives.
    expect(a.power!.hoursToTarget).toBeCloseTo(1700 / 900, 6);
    expect(Date.parse(a.power!.estimatedCompletion!)).toBeCloseTo(now + (1700 / 900) * 3_600_000, -3);
  });
});
