/**
 * GET /api/v1/rollouts/{id}/analysis: the old-vs-new comparison of a rollout over a window —
 * per-metric verdicts, SRM, per-stage sample progress, chart series, power (A/B) and cost.
 * Loads rollups aggregated in SQL (rollup-queries.ts), then hands the numbers to the pure
 * assembly in lib/domain/metrics, which calls lib/domain/stats for every statistic.
 */
import "server-only";
import { DomainError } from "../../../domain/errors";
import { effectiveMinSamples } from "../../../domain/gates/min-samples";
import { DEFAULT_GATE_MIN_SAMPLES, parseStoredGates } from "../../../domain/gates/spec";
import { addCounters } from "../../../domain/metrics/aggregate";
import { analyzeMetrics, DEFAULT_GATE_METRICS } from "../../../domain/metrics/analyze-metrics";
import { chooseBasis } from "../../../domain/metrics/basis";
import { costPanel, powerPanel, srmCheck, summarize } from "../../../domain/metrics/panels";
import { armPoint, pointStarts, seriesPlan, successDifferenceSeries, type SeriesPlan } from "../../../domain/metrics/series";
import { HOUR_MS, type Arm, type RollupCounters } from "../../../domain/metrics/types";
import { stageLabel } from "../../../domain/rollouts/plan";
import { DEFAULT_SEQUENTIAL_TUNING } from "../../../domain/stats";
import { ANALYSIS_METRICS, type AnalysisMetric, type AnalysisQuery, type AnalysisResponse } from "../../../schemas/analysis";
import type { Actor } from "../../auth/actor";
import { assertEnvironment } from "../../auth/access";
import { db } from "../../db";
import { STAGE_AFTER_END, STAGE_UNKNOWN } from "../../../domain/metrics/resolve-event";
import {
  loadEdgeMinutePoints,
  loadFlagDailyVolume,
  loadOutsideWindow,
  loadRecentCounts,
  loadStageOutcomes,
  loadWindowExposures,
  sumByArm,
  wholeHoursOf,
  withFreshPoints,
  type StageFilter,
} from "./rollup-queries";
import { hourPoints, settledBefore, stageExposures } from "./analysis-cache";
import { emptyStageCounts, type StageArmCounts } from "./stage-counts";
import { loadShadowPairs } from "./shadow-pairs";

/** Significance level of every verdict. */
export const ANALYSIS_ALPHA = 0.05;
export const ANALYSIS_CONFIDENCE = 0.95;
const DAY_MS = 86_400_000;

async function loadRollout(rolloutId: string) {
  const rollout = await db.rollout.findUnique({
    where: { id: rolloutId },
    include: { flag: { select: { key: true } }, stages: { orderBy: { index: "asc" } } },
  });
  if (!rollout) throw new DomainError("not_found", "No such rollout.");
  return rollout;
}

type LoadedRollout = Awaited<ReturnType<typeof loadRollout>>;

function clampWindow(rollout: LoadedRollout, query: AnalysisQuery, now: Date): { from: Date; to: Date } {
  const start = rollout.startedAt ?? rollout.createdAt;
  const end = rollout.endedAt ?? now;
  let from = start;
  let to = end;
  if (query.stage !== undefined) {
    const stage = rollout.stages[query.stage];
    if (!stage) throw new DomainError("invalid_input", `This rollout has no stage ${query.stage} (stages are 0-based, up to ${rollout.stages.length - 1}).`);
    from = stage.startedAt ?? end;
    to = stage.endedAt ?? end;
  }
  if (query.from) from = new Date(Math.max(from.getTime(), Date.parse(query.from)));
  if (query.to) to = new Date(Math.min(to.getTime(), Date.parse(query.to)));
  if (query.from && query.to && Date.parse(query.from) >= Date.parse(query.to)) {
    throw new DomainError("invalid_input", "`from` must be before `to`.");
  }
  if (to < from) to = from;
  return { from, to };
}

function gateMetricsOf(gates: unknown): AnalysisMetric[] {
  const metrics = parseStoredGates(gates)
    .gates.filter((g) => g.kind === "comparison")
    .map((g) => g.metric as AnalysisMetric)
    .filter((m) => (ANALYSIS_METRICS as readonly string[]).includes(m));
  return metrics.length > 0 ? [...new Set(metrics)] : [...DEFAULT_GATE_METRICS];
}

/** Outcome counts per arm of some counters. */
function countsOf(c: Record<Arm, RollupCounters>): Record<Arm, number> {
  return { control: c.control.count, treatment: c.treatment.count };
}

/**
 * The outcome rate of the slower arm per hour over a recent window: the last hour of the
 * window, or since the stage began when that is shorter, divided by the time that really
 * elapsed in it (not by a number of buckets), so the estimate is right minutes into a test.
 */
async function recentRate(rolloutId: string, stageIndex: number, stageStart: Date | null, to: Date) {
  const hourAgo = new Date(Math.floor((to.getTime() - HOUR_MS) / 60_000) * 60_000);
  const from = stageStart && stageStart > hourAgo ? stageStart : hourAgo;
  const elapsedMs = Math.max(0, to.getTime() - from.getTime());
  const counts = from < to ? await loadRecentCounts(rolloutId, from, to, [stageIndex]) : { control: 0, treatment: 0 };
  return { recentPerArm: Math.min(counts.control, counts.treatment), elapsedMs };
}

/** Per-stage outcome and exposure counts, the same as loadStageCounts (stage-counts.ts) gives readiness. */
function stageCountsOf(outcomes: Map<number, Record<Arm, number>>, exposures: Map<number, Record<Arm, number>>): Map<number, StageArmCounts> {
  const out = new Map<number, StageArmCounts>();
  const entry = (s: number) => {
    const existing = out.get(s);
    if (existing) return existing;
    const created = emptyStageCounts();
    out.set(s, created);
    return created;
  };
  for (const [s, arms] of outcomes) entry(s).outcomes = { ...arms };
  for (const [s, arms] of exposures) entry(s).exposures = { ...arms };
  return out;
}

/**
 * Chart points over [from, to) and their sums per arm: whole hours from the hourly rollups (the
 * settled ones and their sums kept, analysis-cache.ts), the minutes at the edges read fresh.
 */
async function loadPoints(rolloutId: string, settled: { before: Date; version: number }, from: Date, to: Date, plan: SeriesPlan, stages: StageFilter) {
  const hours = wholeHoursOf(from, to, plan);
  const [wholeHours, edgeMinutes] = await Promise.all([
    hourPoints(rolloutId, settled, hours.hourFrom, hours.hourTo, plan.stepMs, stages),
    loadEdgeMinutePoints(rolloutId, from, to, hours, plan.stepMs, stages),
  ]);
  const fresh = [...wholeHours.recent, ...edgeMinutes];
  const totals = sumByArm(fresh);
  addCounters(totals.control, wholeHours.kept.totals.control);
  addCounters(totals.treatment, wholeHours.kept.totals.treatment);
  return { points: withFreshPoints(wholeHours.kept.points, fresh), totals };
}

export async function getRolloutAnalysis(actor: Actor, rolloutId: string, query: AnalysisQuery, now: Date = new Date()): Promise<AnalysisResponse> {
  // The version is read before any rollup, so what is read under it is at least as new.
  const settled = settledBefore(now);
  const [rollout, stageOutcomes] = await Promise.all([loadRollout(rolloutId), loadStageOutcomes(rolloutId, settled)]);
  assertEnvironment(actor, rollout.environmentId);
  const { from, to } = clampWindow(rollout, query, now);
  const stageIndex = Math.min(query.stage ?? rollout.currentStageIndex, Math.max(0, rollout.stages.length - 1));
  const stage = rollout.stages[stageIndex];
  const rolloutEnd = rollout.endedAt ?? now;
  const plan = seriesPlan(from.getTime(), to.getTime());

  // Whole-stage (or whole-rollout) windows take the per-stage aggregate as it is: an outcome
  // counts for the stage that served it whatever its timestamp, so the window's points are added
  // to the stage's rows outside the window. Narrower time windows (a gate's last N minutes, an
  // explicit from/to) sum the points, whole hours from the hourly rows and minutes at the edges.
  const stageFilter: StageFilter = query.stage !== undefined ? [query.stage] : rollout.stages.map((s) => s.index);
  const spanStart = query.stage !== undefined ? (stage?.startedAt ?? rolloutEnd) : (rollout.startedAt ?? rollout.createdAt);
  const spanEnd = query.stage !== undefined ? (stage?.endedAt ?? rolloutEnd) : rolloutEnd;
  const whole = from.getTime() <= spanStart.getTime() && to.getTime() >= spanEnd.getTime();
  const stageFrom = new Date(Math.max(from.getTime(), stage?.startedAt?.getTime() ?? to.getTime()));
  const stageTo = new Date(Math.min(to.getTime(), stage?.endedAt?.getTime() ?? rolloutEnd.getTime()));
  // The SRM line tests the stage's exposures: all of them when the window holds the whole stage.
  const srmStageWhole = from.getTime() <= (stage?.startedAt?.getTime() ?? 0) && to.getTime() >= (stage?.endedAt ?? rolloutEnd).getTime();

  const [{ points, totals: windowTotals }, outside, exposuresByStage, windowExposures, rate, flagDailyVolume, pairs] = await Promise.all([
    loadPoints(rollout.id, { before: settled, version: stageOutcomes.version }, from, to, plan, stageFilter),
    whole ? loadOutsideWindow(rollout.id, from, to, stageFilter) : Promise.resolve(null),
    stageExposures(
      rollout.id,
      rollout.stages.map((s) => s.index),
      now,
    ),
    srmStageWhole ? Promise.resolve(null) : stageFrom < stageTo ? loadWindowExposures(rollout.id, stageIndex, stageFrom, stageTo) : Promise.resolve({ control: 0, treatment: 0 }),
    rollout.strategy === "ab_test" ? recentRate(rollout.id, stageIndex, stage?.startedAt ?? null, stageTo) : Promise.resolve(null),
    loadFlagDailyVolume(rollout.environmentId, rollout.flag.key, to),
    rollout.strategy === "shadow" ? loadShadowPairs(rollout.id, from, to) : Promise.resolve(null),
  ]);

  const stageCountsByIndex = stageCountsOf(stageOutcomes.byStage, exposuresByStage);
  const totals = windowTotals;
  if (outside) {
    addCounters(totals.control, outside.control);
    addCounters(totals.treatment, outside.treatment);
  }
  const samples = countsOf(totals);
  const exposures = windowExposures ?? stageCountsByIndex.get(stageIndex)?.exposures ?? { control: 0, treatment: 0 };
  const unattributed = {
    afterEnd: stageCountsByIndex.get(STAGE_AFTER_END)?.outcomes ?? { control: 0, treatment: 0 },
    unknownStage: stageCountsByIndex.get(STAGE_UNKNOWN)?.outcomes ?? { control: 0, treatment: 0 },
  };

  const minSamples = DEFAULT_GATE_MIN_SAMPLES;
  // The stage's effective minimum (stage and gate minimums, lib/domain/gates/min-samples.ts),
  // never below the analysis' own floor: its per-metric verdicts need minSamples too.
  const effective = stage ? effectiveMinSamples({ minSamplesPerArm: stage.minSamplesPerArm, gates: parseStoredGates(stage.gates).gates }).perArm : 0;
  const requiredSamples = Math.max(minSamples, effective);
  const basis = chooseBasis({ strategy: rollout.strategy, samples, plannedPerArm: requiredSamples });
  const tuning = Math.max(DEFAULT_SEQUENTIAL_TUNING, 2 * requiredSamples);
  const gateMetrics = gateMetricsOf(stage?.gates);
  const metrics = analyzeMetrics({
    strategy: rollout.strategy,
    control: totals.control,
    treatment: totals.treatment,
    paired: pairs,
    gateMetrics,
    basis,
    alpha: ANALYSIS_ALPHA,
    confidence: ANALYSIS_CONFIDENCE,
    tuning,
    minSamples,
    requiredSamples,
  });

  const srm = srmCheck({
    strategy: rollout.strategy,
    stageIndex,
    trafficBasisPoints: stage?.trafficBasisPoints ?? 0,
    control: exposures.control,
    treatment: exposures.treatment,
  });

  const byPoint = new Map<number, Partial<Record<Arm, RollupCounters>>>();
  for (const p of points) byPoint.set(p.t, { ...byPoint.get(p.t), [p.arm]: p.counters });
  const series = {
    stepSeconds: plan.stepMs / 1000,
    points: pointStarts(from.getTime(), to.getTime(), plan.stepMs).map((t) => ({
      t: new Date(t).toISOString(),
      control: armPoint(byPoint.get(t)?.control),
      treatment: armPoint(byPoint.get(t)?.treatment),
    })),
    stageBoundaries: rollout.stages
      .filter((s) => s.startedAt && s.startedAt >= from && s.startedAt <= to)
      .map((s) => ({ stageIndex: s.index, at: (s.startedAt as Date).toISOString(), label: `Stage ${s.index + 1} · ${stageLabel(s)}` })),
  };

  const mean = (c: RollupCounters) => (c.costCount > 0 ? c.costSum / c.costCount : null);
  const startedAt = rollout.startedAt ?? rollout.createdAt;
  const cost = costPanel({
    strategy: rollout.strategy,
    control: mean(totals.control),
    treatment: mean(totals.treatment),
    flagDailyVolume,
    shadowSampleRate: Math.min(1, Math.max(0, (stage?.shadowSampleBasisPoints ?? 0) / 10_000)),
    parallelDaysSoFar: (rolloutEnd.getTime() - startedAt.getTime()) / DAY_MS,
  });

  const power = rate
    ? powerPanel({
        targetPerArm: requiredSamples,
        baseline: samples.control > 0 ? totals.control.successes / samples.control : null,
        samples,
        recentPerArm: rate.recentPerArm,
        recentElapsedMs: rate.elapsedMs,
        now: now.getTime(),
      })
    : null;

  return {
    rollout: {
      id: rollout.id,
      strategy: rollout.strategy,
      state: rollout.state,
      flagKey: rollout.flag.key,
      controlVariant: rollout.controlVariant,
      treatmentVariant: rollout.treatmentVariant,
      currentStageIndex: rollout.currentStageIndex,
    },
    window: { from: from.toISOString(), to: to.toISOString(), stage: query.stage ?? null },
    generatedAt: now.toISOString(),
    verdictBasis: basis,
    alpha: ANALYSIS_ALPHA,
    gateMetrics,
    samples,
    metrics,
    srm: srm.srm,
    srmNote: srm.note,
    unattributed,
    stages: rollout.stages.map((s) => ({
      index: s.index,
      trafficBasisPoints: s.trafficBasisPoints,
      shadowSampleBasisPoints: s.shadowSampleBasisPoints,
      minSamplesPerArm: s.minSamplesPerArm,
      startedAt: s.startedAt?.toISOString() ?? null,
      endedAt: s.endedAt?.toISOString() ?? null,
      samples: stageCountsByIndex.get(s.index)?.outcomes ?? { control: 0, treatment: 0 },
      exposures: stageCountsByIndex.get(s.index)?.exposures ?? { control: 0, treatment: 0 },
      current: s.index === rollout.currentStageIndex,
    })),
    series: { ...series, difference: successDifferenceSeries(series.points, { confidence: ANALYSIS_CONFIDENCE, tuning }) },
    shadow: pairs ? { pairs: pairs.pairs, onlyControlFailed: pairs.onlyControlFailed, onlyTreatmentFailed: pairs.onlyTreatmentFailed, pairsTested: pairs.pairsTested } : null,
    power,
    cost,
    summary: summarize(metrics, samples, requiredSamples),
  };
}
