/**
 * GET /api/v1/rollouts/{id}/analysis: the old-vs-new comparison of a rollout over a window —
 * per-metric verdicts, SRM, per-stage sample progress, chart series, power (A/B) and cost.
 * Loads rollups aggregated in SQL (rollup-queries.ts), then hands the numbers to the pure
 * assembly in lib/domain/metrics, which calls lib/domain/stats for every statistic.
 */
import { DomainError } from "../../../domain/errors";
import { DEFAULT_GATE_MIN_SAMPLES, parseStoredGates } from "../../../domain/gates/spec";
import { addCounters, emptyCounters } from "../../../domain/metrics/aggregate";
import { analyzeMetrics, DEFAULT_GATE_METRICS } from "../../../domain/metrics/analyze-metrics";
import { chooseBasis } from "../../../domain/metrics/basis";
import { costPanel, powerPanel, recentRateWindow, srmCheck, summarize } from "../../../domain/metrics/panels";
import { armPoint, pointStarts, seriesPlan, successDifferenceSeries } from "../../../domain/metrics/series";
import type { Arm, RollupCounters } from "../../../domain/metrics/types";
import { stageLabel } from "../../../domain/rollouts/plan";
import { DEFAULT_SEQUENTIAL_TUNING } from "../../../domain/stats";
import { ANALYSIS_METRICS, type AnalysisMetric, type AnalysisQuery, type AnalysisResponse } from "../../../schemas/analysis";
import type { Actor } from "../../auth/actor";
import { assertEnvironment } from "../../auth/access";
import { db } from "../../db";
import { loadExposures, loadFlagDailyVolume, loadRecentCounts, loadRollupPoints, loadStageSamples } from "./rollup-queries";
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

export async function getRolloutAnalysis(actor: Actor, rolloutId: string, query: AnalysisQuery, now: Date = new Date()): Promise<AnalysisResponse> {
  const rollout = await loadRollout(rolloutId);
  assertEnvironment(actor, rollout.environmentId);
  const { from, to } = clampWindow(rollout, query, now);
  const stageIndex = Math.min(query.stage ?? rollout.currentStageIndex, Math.max(0, rollout.stages.length - 1));
  const stage = rollout.stages[stageIndex];
  const rolloutEnd = rollout.endedAt ?? now;
  const plan = seriesPlan(from.getTime(), to.getTime());
  const rateWindow = recentRateWindow(from.getTime(), to.getTime());

  const stageFrom = new Date(Math.max(from.getTime(), stage?.startedAt?.getTime() ?? to.getTime()));
  const stageTo = new Date(Math.min(to.getTime(), stage?.endedAt?.getTime() ?? rolloutEnd.getTime()));
  const [points, stageSamples, exposures, recent, flagDailyVolume, pairs] = await Promise.all([
    loadRollupPoints(rollout.id, from, to, plan),
    loadStageSamples(rollout.id),
    stageFrom < stageTo ? loadExposures(rollout.id, stageFrom, stageTo) : Promise.resolve({ control: 0, treatment: 0 }),
    loadRecentCounts(rollout.id, new Date(rateWindow.fromMs), to),
    loadFlagDailyVolume(rollout.environmentId, rollout.flag.key, to),
    rollout.strategy === "shadow" ? loadShadowPairs(rollout.id, from, to) : Promise.resolve(null),
  ]);

  const totals: Record<Arm, RollupCounters> = { control: emptyCounters(), treatment: emptyCounters() };
  for (const p of points) addCounters(totals[p.arm], p.counters);
  const samples = { control: totals.control.count, treatment: totals.treatment.count };

  const minSamples = DEFAULT_GATE_MIN_SAMPLES;
  const requiredSamples = Math.max(minSamples, stage?.minSamplesPerArm ?? 0);
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

  const power =
    rollout.strategy === "ab_test"
      ? powerPanel({
          targetPerArm: requiredSamples,
          baseline: samples.control > 0 ? totals.control.successes / samples.control : null,
          samples,
          recentPerArm: Math.min(recent.control, recent.treatment),
          recentElapsedMs: rateWindow.elapsedMs,
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
    stages: rollout.stages.map((s) => ({
      index: s.index,
      trafficBasisPoints: s.trafficBasisPoints,
      shadowSampleBasisPoints: s.shadowSampleBasisPoints,
      minSamplesPerArm: s.minSamplesPerArm,
      startedAt: s.startedAt?.toISOString() ?? null,
      endedAt: s.endedAt?.toISOString() ?? null,
      samples: stageSamples.get(s.index) ?? { control: 0, treatment: 0 },
      current: s.index === rollout.currentStageIndex,
    })),
    series: { ...series, difference: successDifferenceSeries(series.points, { confidence: ANALYSIS_CONFIDENCE, tuning }) },
    shadow: pairs
      ? { pairs: pairs.pairs, onlyControlFailed: pairs.onlyControlFailed, onlyTreatmentFailed: pairs.onlyTreatmentFailed, pairsTested: pairs.pairsTested }
      : null,
    power,
    cost,
    summary: summarize(metrics, samples, requiredSamples),
  };
}
