/**
 * The analysis reads whole hours from the hourly rollups, the minutes at a window's edges from
 * the per-minute ones, and keeps settled hours in process. These tests hold that path to a
 * direct scan of every minute row (summed here, in JS, independently of rollup-queries.ts): the
 * same counters for random windows that start and end mid-hour, over several stages, for whole
 * and partial windows, and still after new outcomes arrive (current minute and a late one).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/server/db";
import { SYSTEM_ACTOR } from "@/lib/server/auth/actor";
import { ingestEvents } from "@/lib/server/services/metrics/ingest-events";
import { getRolloutAnalysis } from "@/lib/server/services/metrics/analysis";
import { loadRollupPoints, minuteRowsFrom } from "@/lib/server/services/metrics/rollup-queries";
import { loadStageCounts } from "@/lib/server/services/metrics/stage-counts";
import { addCounters, emptyCounters } from "@/lib/domain/metrics/aggregate";
import { STAGE_AFTER_END, STAGE_UNKNOWN } from "@/lib/domain/metrics/resolve-event";
import { seriesPlan } from "@/lib/domain/metrics/series";
import type { Arm, RollupCounters } from "@/lib/domain/metrics/types";
import { createRolloutFixture, event, treatmentOf, type RolloutFixture } from "./fixtures";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const now = Date.now();
/** Three stages over 40 hours: [−40 h, −20 h), [−20 h, −5 h), [−5 h, now). */
const START = now - 40 * HOUR;
const STAGE_STARTS = [START, now - 20 * HOUR - 17 * MINUTE, now - 5 * HOUR + 23 * MINUTE];

/** A deterministic pseudo-random sequence, so a failure replays. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function events(f: RolloutFixture, n: number, seed: number, span: { from: number; to: number }) {
  const r = random(seed);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const t = Math.floor(span.from + r() * (span.to - span.from));
    const stageByTime = Math.max(0, STAGE_STARTS.filter((s) => s <= t).length - 1);
    // One in ten echoes a stage other than the one its timestamp falls in (a late or early report).
    const stage = r() < 0.1 ? Math.floor(r() * 3) : stageByTime;
    const success = r() > 0.07;
    out.push(
      event(f, {
        ...(r() < 0.5 ? treatmentOf(f) : {}),
        id: `r-${seed}-${i}`,
        timestamp: t,
        stage,
        success,
        errorType: success ? null : ["timeout", "rate_limit", "server"][Math.floor(r() * 3)],
        latencyMs: Math.round(50 + r() * r() * 5000),
        inputTokens: Math.floor(r() * 2000),
        outputTokens: Math.floor(r() * 600),
        costUsd: r() < 0.8 ? Math.round(r() * 1e6) / 1e8 : null,
        qualityScore: r() < 0.5 ? Math.round(r() * 100) / 100 : null,
        feedback: r() < 0.2 ? (r() < 0.7 ? 1 : -1) : null,
        retried: r() < 0.05,
      }),
    );
  }
  return out;
}

async function ingest(f: RolloutFixture, batch: Record<string, unknown>[]) {
  for (let i = 0; i < batch.length; i += 1000) {
    const r = await ingestEvents({ environmentId: f.environmentId, events: batch.slice(i, i + 1000), now: new Date(now) });
    expect(r.rejected).toEqual([]);
  }
}

/** The reference: every minute row of `stages` in [from, to), summed in JS. */
async function minuteScan(rolloutId: string, stages: number[], from: Date | null, to: Date | null): Promise<Record<Arm, RollupCounters>> {
  const rows = await db.metricRollup.findMany({
    where: { rolloutId, stageIndex: { in: stages }, minute: { ...(from ? { gte: minuteRowsFrom(from) } : {}), ...(to ? { lt: to } : {}) } },
  });
  const out: Record<Arm, RollupCounters> = { control: emptyCounters(), treatment: emptyCounters() };
  for (const row of rows) {
    const c = emptyCounters();
    for (const k of Object.keys(c) as (keyof RollupCounters)[]) (c as unknown as Record<string, unknown>)[k] = row[k];
    addCounters(out[row.arm], c);
  }
  return out;
}

const FLOATS = new Set<keyof RollupCounters>(["inputTokensSum", "inputTokensSumSq", "outputTokensSum", "outputTokensSumSq", "tokensSumSq", "costSum", "costSumSq", "qualitySum", "qualitySumSq"]);

/** Counts and histograms exactly; sums of reals up to the order they were added in. */
function expectSameCounters(actual: RollupCounters, expected: RollupCounters) {
  for (const k of Object.keys(expected) as (keyof RollupCounters)[]) {
    if (k === "latencyHistogram" || k === "errorsByType") expect(actual[k], k).toEqual(expected[k]);
    else if (FLOATS.has(k)) expect(actual[k] as number, k).toBeCloseTo(expected[k] as number, Math.max(0, 9 - Math.ceil(Math.log10(Math.abs(expected[k] as number) + 1))));
    else expect(actual[k], k).toBe(expected[k]);
  }
}

function sumPoints(points: { arm: Arm; counters: RollupCounters }[]): Record<Arm, RollupCounters> {
  const out: Record<Arm, RollupCounters> = { control: emptyCounters(), treatment: emptyCounters() };
  for (const p of points) addCounters(out[p.arm], p.counters);
  return out;
}

describe("analysis from hourly rollups plus edge minutes equals a scan of every minute row", () => {
  let f: RolloutFixture;

  beforeAll(async () => {
    f = await createRolloutFixture({
      strategy: "ab_test",
      startedAt: new Date(START),
      currentStageIndex: 2,
      stages: STAGE_STARTS.map((s, i) => ({ trafficBasisPoints: 2000 + 3000 * i, minSamplesPerArm: 100, startedAt: new Date(s), endedAt: STAGE_STARTS[i + 1] ? new Date(STAGE_STARTS[i + 1]) : null })),
    });
    await ingest(f, events(f, 6000, 1, { from: START - 30 * MINUTE, to: now + 2 * MINUTE }));
    // Exposures per stage, arm and minute, so the per-stage counts have both halves.
    const exposures = [];
    for (let t = START; t < now; t += 7 * MINUTE) {
      const stageIndex = STAGE_STARTS.filter((s) => s <= t).length - 1;
      exposures.push({ rolloutId: f.rolloutId, stageIndex, arm: "control" as const, minute: minuteRowsFrom(new Date(t)), count: 10 + (t % 7) });
      exposures.push({ rolloutId: f.rolloutId, stageIndex, arm: "treatment" as const, minute: minuteRowsFrom(new Date(t)), count: 9 + (t % 5) });
    }
    await db.exposure.createMany({ data: exposures });
  });

  test("random windows (mid-hour edges, minute and hour plans, one stage or all): points, samples and series equal the minute scan", async () => {
    const window = fc
      .record({
        // Seconds as well as minutes, so edges fall inside minutes and hours.
        fromOffset: fc.integer({ min: 0, max: 40 * 3600 - 60 }),
        length: fc.integer({ min: 60, max: 40 * 3600 }),
        stage: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
      })
      .map(({ fromOffset, length, stage }) => {
        const from = new Date(START + fromOffset * 1000);
        return { from, to: new Date(Math.min(now, from.getTime() + length * 1000)), stage };
      });
    await fc.assert(
      fc.asyncProperty(window, async ({ from, to, stage }) => {
        const stages = stage === undefined ? [0, 1, 2] : [stage];
        const plan = seriesPlan(from.getTime(), to.getTime());
        const expected = await minuteScan(f.rolloutId, stages, from, to);
        const points = sumPoints(await loadRollupPoints(f.rolloutId, from, to, plan, stages));
        expectSameCounters(points.control, expected.control);
        expectSameCounters(points.treatment, expected.treatment);

        // The service over the same window (clamped to the stage's span when one is named).
        const a = await getRolloutAnalysis(SYSTEM_ACTOR, f.rolloutId, { from: from.toISOString(), to: to.toISOString(), stage }, new Date(now));
        const w = { from: new Date(a.window.from), to: new Date(a.window.to) };
        const inWindow = await minuteScan(f.rolloutId, stages, w.from, w.to);
        const whole = await minuteScan(f.rolloutId, stages, null, null);
        const spanStart = stage === undefined ? START : STAGE_STARTS[stage];
        const spanEnd = stage === undefined || stage === 2 ? now : STAGE_STARTS[stage + 1];
        const reference = w.from.getTime() <= spanStart && w.to.getTime() >= spanEnd ? whole : inWindow;
        expect(a.samples).toEqual({ control: reference.control.count, treatment: reference.treatment.count });
        expect(a.series.points.reduce((s, p) => s + p.control.count + p.treatment.count, 0)).toBe(inWindow.control.count + inWindow.treatment.count);
      }),
      { numRuns: 30, seed: 20261203 },
    );
  });

  test("whole-rollout and whole-stage analyses: totals are every row of the stage(s), stage counts are readiness's", async () => {
    const readiness = await loadStageCounts(db, f.rolloutId);
    const all = await getRolloutAnalysis(SYSTEM_ACTOR, f.rolloutId, {}, new Date(now));
    const scanAll = await minuteScan(f.rolloutId, [0, 1, 2], null, null);
    expect(all.series.stepSeconds).toBe(3600);
    expect(all.samples).toEqual({ control: scanAll.control.count, treatment: scanAll.treatment.count });
    const successRate = all.metrics.find((m) => m.metric === "success_rate");
    expect(successRate?.control.estimate).toBeCloseTo(scanAll.control.successes / scanAll.control.count, 12);
    for (const s of all.stages) {
      expect(s.samples).toEqual(readiness.get(s.index)?.outcomes);
      expect(s.exposures).toEqual(readiness.get(s.index)?.exposures);
    }
    expect(all.unattributed.unknownStage).toEqual(readiness.get(STAGE_UNKNOWN)?.outcomes ?? { control: 0, treatment: 0 });
    expect(all.unattributed.afterEnd).toEqual(readiness.get(STAGE_AFTER_END)?.outcomes ?? { control: 0, treatment: 0 });
    for (const stage of [0, 1, 2]) {
      const a = await getRolloutAnalysis(SYSTEM_ACTOR, f.rolloutId, { stage }, new Date(now));
      const scan = await minuteScan(f.rolloutId, [stage], null, null);
      expect(a.samples).toEqual({ control: scan.control.count, treatment: scan.treatment.count });
    }
  });

  test("kept hours never serve stale totals: an outcome in the current minute and a late one in a settled hour both count at once", async () => {
    const before = await getRolloutAnalysis(SYSTEM_ACTOR, f.rolloutId, {}, new Date(now));
    const again = await getRolloutAnalysis(SYSTEM_ACTOR, f.rolloutId, {}, new Date(now));
    expect(again.samples).toEqual(before.samples);
    expect(again.metrics).toEqual(before.metrics);

    await ingest(f, [event(f, { id: `now-${now}`, timestamp: now - 1000, stage: 2, success: false, errorType: "timeout", latencyMs: 9000 })]);
    const current = await getRolloutAnalysis(SYSTEM_ACTOR, f.rolloutId, {}, new Date(now));
    expect(current.samples).toEqual({ control: before.samples.control + 1, treatment: before.samples.treatment });

    // 30 hours ago: a settled hour, in the middle of a kept 3-hour point.
    await ingest(f, [event(f, { ...treatmentOf(f), id: `late-${now}`, timestamp: now - 30 * HOUR, stage: 0, latencyMs: 123 })]);
    const late = await getRolloutAnalysis(SYSTEM_ACTOR, f.rolloutId, {}, new Date(now));
    expect(late.samples).toEqual({ control: before.samples.control + 1, treatment: before.samples.treatment + 1 });
    const scan = await minuteScan(f.rolloutId, [0, 1, 2], new Date(START), new Date(now));
    expect(late.series.points.reduce((s, p) => s + p.treatment.count, 0)).toBe(scan.treatment.count);
    const partial = await getRolloutAnalysis(SYSTEM_ACTOR, f.rolloutId, { from: new Date(now - 35 * HOUR - 7 * MINUTE).toISOString() }, new Date(now));
    const partialScan = await minuteScan(f.rolloutId, [0, 1, 2], new Date(now - 35 * HOUR - 7 * MINUTE), new Date(now));
    expect(partial.samples).toEqual({ control: partialScan.control.count, treatment: partialScan.treatment.count });
  });
});
