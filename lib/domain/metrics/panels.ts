/**
 * The analysis panels around the metric table: sample-ratio check, A/B power and time to target,
 * cost, and a one-sentence summary. Pure; the service hands in counts and the clock.
 */
import { rolloutCostProjection, type CostStrategy } from "../cost";
import { DEFAULT_SRM_P_VALUE_BOUND } from "../gates/spec";
import { formatCount, formatPValue } from "../gates/metrics";
import { formatBasisPoints } from "../rollouts/format";
import { sampleSizeTwoProportions, srmTest } from "../stats";
import type { CostPanel, MetricAnalysis, PowerPanel, SrmResult } from "./analysis-result";
import { formatValue } from "./catalog";

const FULL = 10_000;

/**
 * Chi-square goodness of fit of the stage's exposures against its planned split. Not applicable
 * (a note instead) for shadow stages, 0% or 100% splits, and stages without exposures yet.
 * Mismatch when p < 0.001 (the SRM gate's default bound): with real traffic a correct split
 * almost never gets there, a broken assignment or logging path quickly does.
 */
export function srmCheck(input: { strategy: CostStrategy; stageIndex: number; trafficBasisPoints: number; control: number; treatment: number }): { srm: SrmResult | null; note: string | null } {
  if (input.strategy === "shadow") return { srm: null, note: "Shadow rollouts serve everyone the control, so there is no split to check." };
  const bp = input.trafficBasisPoints;
  if (bp <= 0 || bp >= FULL) return { srm: null, note: `Stage ${input.stageIndex + 1} sends ${formatBasisPoints(bp)} to the treatment: there is no split to check.` };
  const total = input.control + input.treatment;
  if (total === 0) return { srm: null, note: `No exposures recorded for stage ${input.stageIndex + 1} yet.` };
  const test = srmTest([input.control, input.treatment], [FULL - bp, bp]);
  const mismatch = test.pValue < DEFAULT_SRM_P_VALUE_BOUND;
  const observed = `${formatCount(input.control)} control / ${formatCount(input.treatment)} treatment`;
  const planned = `${formatBasisPoints(FULL - bp)} / ${formatBasisPoints(bp)}`;
  const p = formatPValue(test.pValue);
  return {
    note: null,
    srm: {
      stageIndex: input.stageIndex,
      observed: { control: input.control, treatment: input.treatment },
      plannedTreatmentBasisPoints: bp,
      expected: { control: (total * (FULL - bp)) / FULL, treatment: (total * bp) / FULL },
      statistic: test.statistic,
      pValue: test.pValue,
      mismatch,
      sentence: mismatch
        ? `Sample ratio mismatch: ${observed} against a planned ${planned} (${p}). Assignment or event logging is off, so the comparison may be biased.`
        : `Sample ratio as planned: ${observed} against ${planned} (${p}).`,
    },
  };
}

/**
 * Smallest absolute change of `baseline` a test with `perArm` samples per arm detects with 80%
 * power at alpha 0.05, found by bisection on sampleSizeTwoProportions. The change is taken toward
 * 0.5 (a drop for a 98% success rate), the side with room to move. null when the baseline is
 * unknown or not even the largest possible change is detectable with that sample.
 */
export function detectableEffect(baseline: number | null, perArm: number, alpha = 0.05, power = 0.8): number | null {
  if (baseline == null || perArm < 1 || !(baseline >= 0 && baseline <= 1)) return null;
  const sign = baseline > 0.5 ? -1 : 1;
  const room = sign < 0 ? baseline : 1 - baseline;
  const needed = (mde: number) => sampleSizeTwoProportions({ baseline, mde: sign * mde, alpha, power });
  if (room <= 0 || needed(room) > perArm) return null;
  let low = 0;
  let high = room;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (mid > 0 && needed(mid) <= perArm) high = mid;
    else low = mid;
  }
  return high;
}

/** How far back the A/B finish estimate measures the request rate. */
export const RATE_WINDOW_MS = 3_600_000;

/**
 * The recent window the request rate is measured over: the last hour, or less when the window
 * (rollout or stage) began later. Counts come from whole-minute rollups, so a window older than
 * an hour starts at that minute's start; a younger one starts when traffic could begin. The
 * elapsed time is the real time those counts cover, never a whole hour by default.
 */
export function recentRateWindow(windowFromMs: number, toMs: number): { fromMs: number; elapsedMs: number } {
  const hourAgo = toMs - RATE_WINDOW_MS;
  if (windowFromMs >= hourAgo) return { fromMs: windowFromMs, elapsedMs: Math.max(0, toMs - windowFromMs) };
  const minuteStart = Math.floor(hourAgo / 60_000) * 60_000;
  return { fromMs: hourAgo, elapsedMs: toMs - minuteStart };
}

/** Below this much elapsed time a rate is noise; the estimate waits. */
export const MIN_RATE_WINDOW_MS = 60_000;

/**
 * A/B tests: the planned sample, how far along both arms are, and when they get there at the
 * rate of the recent window (requests of the slower arm over the real time elapsed in it).
 */
export function powerPanel(input: {
  targetPerArm: number;
  baseline: number | null;
  samples: { control: number; treatment: number };
  /** The slower arm's requests in the recent window. */
  recentPerArm: number;
  /** Real time the recent window covers (recentRateWindow). */
  recentElapsedMs: number;
  now: number;
}): PowerPanel {
  const remaining = Math.max(0, input.targetPerArm - Math.min(input.samples.control, input.samples.treatment));
  const measured = input.recentElapsedMs >= MIN_RATE_WINDOW_MS;
  const perArmPerHour = measured ? input.recentPerArm / (input.recentElapsedMs / 3_600_000) : 0;
  const hoursToTarget = remaining === 0 ? 0 : perArmPerHour > 0 ? remaining / perArmPerHour : null;
  return {
    targetPerArm: input.targetPerArm,
    baseline: input.baseline,
    detectableEffect: detectableEffect(input.baseline, input.targetPerArm),
    samples: input.samples,
    perArmPerHour,
    rateWindowSeconds: Math.round(input.recentElapsedMs / 1000),
    hoursToTarget,
    estimatedCompletion: hoursToTarget == null ? null : new Date(input.now + hoursToTarget * 3_600_000).toISOString(),
  };
}

/** Cost per request by arm and what it means at the flag's volume (rolloutCostProjection). */
export function costPanel(input: {
  strategy: CostStrategy;
  control: number | null;
  treatment: number | null;
  flagDailyVolume: number;
  /** Shadow: share of requests mirrored now, 0..1. */
  shadowSampleRate: number;
  /** Days the rollout has run in parallel so far (for the break-even point). */
  parallelDaysSoFar: number;
}): CostPanel {
  const base = {
    costPerRequest: { control: input.control, treatment: input.treatment },
    flagDailyVolume: input.flagDailyVolume,
  };
  if (input.control == null || input.treatment == null) {
    return {
      ...base,
      controlMonthly: null,
      treatmentMonthlyAt100: null,
      deltaMonthly: null,
      deltaPercent: null,
      parallelRunCostPerDay: null,
      dailySavings: null,
      breakEvenDays: null,
      sentence: "No cost data yet: report costUsd, or model and token counts priced from the model price table.",
    };
  }
  const first = rolloutCostProjection({
    controlCostPerRequest: input.control,
    treatmentCostPerRequest: input.treatment,
    dailyRequests: input.flagDailyVolume,
    strategy: input.strategy,
    shadowSampleRate: input.shadowSampleRate,
  });
  const p = rolloutCostProjection({
    controlCostPerRequest: input.control,
    treatmentCostPerRequest: input.treatment,
    dailyRequests: input.flagDailyVolume,
    strategy: input.strategy,
    shadowSampleRate: input.shadowSampleRate,
    migrationCostUsd: first.parallelRunCostPerDay * Math.max(0, input.parallelDaysSoFar),
  });
  const usd = (x: number) => formatValue("cost_per_request", x);
  const change = p.deltaPercent == null ? "" : ` (${p.deltaMonthly >= 0 ? "+" : "-"}${usd(Math.abs(p.deltaMonthly))} a month, ${p.deltaPercent >= 0 ? "+" : ""}${p.deltaPercent.toFixed(1)}%)`;
  const parallel = p.parallelRunCostPerDay > 0 ? ` Running both costs ${usd(p.parallelRunCostPerDay)} a day extra.` : "";
  return {
    ...base,
    controlMonthly: p.controlMonthly,
    treatmentMonthlyAt100: p.treatmentMonthlyAt100,
    deltaMonthly: p.deltaMonthly,
    deltaPercent: p.deltaPercent,
    parallelRunCostPerDay: p.parallelRunCostPerDay,
    dailySavings: p.dailySavings,
    breakEvenDays: p.breakEvenDays,
    sentence: `At 100% of ${formatCount(input.flagDailyVolume)} requests a day the treatment would cost ${usd(p.treatmentMonthlyAt100)} a month vs ${usd(p.controlMonthly)} for the control${change}.${parallel}`,
  };
}

/** "Treatment worse on success rate and p95 latency; better on cost per request; 7 metrics show no detectable difference." */
export function summarize(metrics: readonly MetricAnalysis[], samples: { control: number; treatment: number }, requiredSamples: number): string {
  const named = (v: MetricAnalysis["verdict"]) => metrics.filter((m) => m.verdict === v).map((m) => m.label);
  const worse = named("worse");
  const better = named("better");
  const same = named("no_difference");
  const list = (xs: string[]) => (xs.length <= 2 ? xs.join(" and ") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`);
  const parts: string[] = [];
  if (worse.length) parts.push(`worse on ${list(worse)}`);
  if (better.length) parts.push(`better on ${list(better)}`);
  if (parts.length === 0 && same.length === 0) {
    const n = Math.min(samples.control, samples.treatment);
    return `Not enough data yet: ${formatCount(n)} of ${formatCount(requiredSamples)} samples per arm.`;
  }
  const head = parts.length ? `Treatment ${parts.join("; ")}` : "No detectable difference between the arms";
  const tail = parts.length && same.length ? `; ${same.length} metric${same.length === 1 ? "" : "s"} show${same.length === 1 ? "s" : ""} no detectable difference` : "";
  return `${head}${tail}.`;
}

export type StageReadinessStatus = "not_started" | "collecting" | "reached" | "promoted" | "ended";

/**
 * The "Samples per stage" bar of one stage: how full it is and why. A stage that has not started
 * shows an empty bar whatever its minimum (a minimum of 0 is not "done" before it ran); a stage
 * the rollout left by promotion is complete (its gates passed); the running stage fills with the
 * smaller arm against its minimum; the stage a rollout ended at keeps what it collected.
 */
export function stageReadiness(input: {
  stage: { index: number; startedAt: string | null; endedAt: string | null; minSamplesPerArm: number; samples: { control: number; treatment: number } };
  state: string;
  currentStageIndex: number;
}): { fraction: number; status: StageReadinessStatus } {
  const { stage, state } = input;
  if (!stage.startedAt) return { fraction: 0, status: "not_started" };
  const promoted = state === "completed" || (stage.index < input.currentStageIndex && stage.endedAt != null);
  if (promoted) return { fraction: 1, status: "promoted" };
  const lowest = Math.min(stage.samples.control, stage.samples.treatment);
  const fraction = stage.minSamplesPerArm > 0 ? Math.min(1, lowest / stage.minSamplesPerArm) : 1;
  if (state === "rolled_back" || state === "aborted") return { fraction, status: "ended" };
  return { fraction, status: fraction >= 1 ? "reached" : "collecting" };
}
