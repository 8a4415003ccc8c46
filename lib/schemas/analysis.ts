/**
 * The rollout analysis (GET /api/v1/rollouts/{id}/analysis): query and response. Proportions
 * are fractions (0.989 = 98.9%), latencies milliseconds, costs US dollars per request, tokens per
 * request. Differences are treatment − control. Every nullable number is null when there is no
 * data to compute it from.
 */
import { z } from "zod";
import {
  ANALYSIS_METRICS,
  STATISTICAL_TESTS,
  VERDICTS,
  type ArmEstimate,
  type ArmPoint,
  type CostPanel,
  type MetricAnalysis,
  type PowerPanel,
  type SrmResult,
} from "../domain/metrics/analysis-result";
import { agrees } from "./agrees";

export { ANALYSIS_METRICS, STATISTICAL_TESTS, VERDICTS };
export type { AnalysisMetric, ArmEstimate, ArmPoint, CostPanel, MetricAnalysis, PowerPanel, SrmResult, StatisticalTest, Verdict } from "../domain/metrics/analysis-result";

const isoDate = z.iso.datetime({ offset: true });

export const analysisQuerySchema = z
  .object({
    /** Start of the window (ISO 8601); default: the rollout's start, at most 30 days back. */
    from: isoDate.optional(),
    /** End of the window (ISO 8601); default: now (or the rollout's end). */
    to: isoDate.optional(),
    /** Restrict to one stage's time window (0-based index). */
    stage: z.coerce.number().int().min(0).max(100).optional(),
  })
  .strict();
export type AnalysisQuery = z.infer<typeof analysisQuerySchema>;

const num = z.number().nullable();

export const armEstimateSchema = z.object({
  /** Observations behind the estimate (requests; rated requests for thumbs-up and quality). */
  n: z.number().int(),
  estimate: num,
  /** 95% interval of the estimate (Wilson, t, or order statistics). */
  low: num,
  high: num,
});
agrees<z.output<typeof armEstimateSchema>, ArmEstimate>();

export const intervalSchema = z.object({ estimate: z.number(), low: z.number(), high: z.number() });

export const metricAnalysisSchema = z.object({
  metric: z.enum(ANALYSIS_METRICS),
  label: z.string(),
  kind: z.enum(["proportion", "mean", "percentile"]),
  direction: z.enum(["higher_is_better", "lower_is_better"]),
  unit: z.enum(["fraction", "ms", "usd", "count", "score"]),
  control: armEstimateSchema,
  treatment: armEstimateSchema,
  /** Treatment − control with its fixed-horizon 95% interval. */
  difference: intervalSchema.nullable(),
  /** Always-valid (sequential) 95% interval of the difference. */
  sequentialInterval: z.object({ low: z.number(), high: z.number() }).nullable(),
  /** (treatment − control) / control; null when control is 0 or missing. */
  relativeLift: num,
  test: z.enum(STATISTICAL_TESTS),
  /** Fixed-horizon two-sided p-value. */
  pValue: num,
  /** Always-valid p-value (asymptotic confidence sequence). */
  pValueSequential: num,
  /** Holm-adjusted p-value of the one the verdict uses; only for gate metrics. */
  pValueAdjusted: num,
  /** The p-value the verdict compared with alpha. */
  pValueUsed: num,
  /**
   * The one basis this row's interval, p-value and lift share: always-valid while the rollout is
   * monitored, fixed-horizon once an A/B test reaches its planned sample.
   */
  basis: z.enum(["sequential", "fixed_horizon"]),
  /** Treatment − control interval on the row's basis (difference or sequentialInterval). */
  basisInterval: z.object({ low: z.number(), high: z.number() }).nullable(),
  /** Unadjusted p-value on the row's basis; below alpha exactly when basisInterval excludes 0. */
  basisPValue: num,
  /** Relative lift with its 95% interval on the row's basis (delta method); null when control is 0. */
  relativeLiftInterval: z.object({ estimate: z.number(), low: z.number(), high: z.number() }).nullable(),
  /** Size of the Holm family this row's pValueAdjusted was corrected in (0 when not a gate metric). */
  holmFamilySize: z.number().int(),
  /** Latency rows: Mann–Whitney U over the two histograms (distribution shift). */
  rankTest: z.object({ name: z.literal("mann_whitney_u"), z: z.number(), pValue: z.number() }).nullable(),
  verdict: z.enum(VERDICTS),
  /** The verdict in plain words with its numbers. */
  sentence: z.string(),
  /** Whether the metric is in the Holm-corrected family (the stage's comparison gates). */
  gateMetric: z.boolean(),
  /** Samples per arm still needed before this metric can say "no difference" (0 when reached). */
  samplesNeeded: z.number().int(),
  /** Samples per arm still needed to detect the observed difference with 80% power (proportions); null otherwise. */
  samplesNeededToDetect: z.number().int().nullable(),
});
agrees<z.output<typeof metricAnalysisSchema>, MetricAnalysis>();

export const srmResultSchema = z.object({
  stageIndex: z.number().int(),
  /** Exposures (served evaluations) per arm in the stage window. */
  observed: z.object({ control: z.number().int(), treatment: z.number().int() }),
  /** Planned share of the treatment, in basis points. */
  plannedTreatmentBasisPoints: z.number().int(),
  expected: z.object({ control: z.number(), treatment: z.number() }),
  statistic: z.number(),
  pValue: z.number(),
  /** p < 0.001 (the SRM gate's default bound). */
  mismatch: z.boolean(),
  sentence: z.string(),
});
agrees<z.output<typeof srmResultSchema>, SrmResult>();

export const stageProgressSchema = z.object({
  index: z.number().int(),
  trafficBasisPoints: z.number().int(),
  shadowSampleBasisPoints: z.number().int(),
  minSamplesPerArm: z.number().int(),
  startedAt: isoDate.nullable(),
  endedAt: isoDate.nullable(),
  /** Outcomes attributed to this stage per arm (the stage that served them, exact). */
  samples: z.object({ control: z.number().int(), treatment: z.number().int() }),
  /** Served evaluations of this stage per arm (what its SRM line tests). */
  exposures: z.object({ control: z.number().int(), treatment: z.number().int() }),
  current: z.boolean(),
});
export type StageProgress = z.infer<typeof stageProgressSchema>;

export const armPointSchema = z.object({
  count: z.number().int(),
  successRate: num,
  latencyP50: num,
  latencyP95: num,
  latencyP99: num,
  costPerRequest: num,
  inputTokens: num,
  outputTokens: num,
  thumbsUpRate: num,
  qualityScore: num,
});
agrees<z.output<typeof armPointSchema>, ArmPoint>();

export const seriesSchema = z.object({
  /** Width of one point; chosen so a window has at most 300 points. */
  stepSeconds: z.number().int(),
  points: z.array(z.object({ t: isoDate, control: armPointSchema, treatment: armPointSchema })),
  stageBoundaries: z.array(z.object({ stageIndex: z.number().int(), at: isoDate, label: z.string() })),
  /**
   * Success rate, treatment − control, cumulative up to each point, with its always-valid 95%
   * band (the last point is the success-rate row's sequential interval).
   */
  difference: z.array(z.object({ t: isoDate, estimate: z.number(), low: z.number(), high: z.number() })),
});
export type AnalysisSeries = z.infer<typeof seriesSchema>;

export const powerPanelSchema = z.object({
  /** The A/B test's planned sample per arm (the stage's minimum samples). */
  targetPerArm: z.number().int(),
  baseline: num,
  /** Minimum detectable effect (absolute) the target detects with 80% power at alpha 0.05. */
  detectableEffect: num,
  samples: z.object({ control: z.number().int(), treatment: z.number().int() }),
  /** Outcomes of the slower arm per hour over the recent window (below), by real elapsed time. */
  perArmPerHour: z.number(),
  /** Length of that window: the last hour of the stage, or since it began when shorter. */
  rateWindowSeconds: z.number().int(),
  /** Hours until both arms reach the target at that rate; 0 when reached; null at zero traffic. */
  hoursToTarget: num,
  estimatedCompletion: isoDate.nullable(),
});
agrees<z.output<typeof powerPanelSchema>, PowerPanel>();

export const costPanelSchema = z.object({
  /** Mean cost per request of each arm over the window (reported or priced from the table). */
  costPerRequest: z.object({ control: num, treatment: num }),
  /** Requests per day of the whole flag (all variants), averaged over the last 7 days. */
  flagDailyVolume: z.number(),
  /** 30 days of the flag's volume at 100% control / 100% treatment (null without cost data). */
  controlMonthly: num,
  treatmentMonthlyAt100: num,
  /** treatmentMonthlyAt100 − controlMonthly: positive = the treatment costs more. */
  deltaMonthly: num,
  deltaPercent: num,
  /** Extra spend per day while both variants run: shadow calls, or green beside blue. */
  parallelRunCostPerDay: num,
  /** (control − treatment) per request × daily volume: positive = the treatment saves money. */
  dailySavings: num,
  /** Days of savings that pay back the parallel run so far; null when the treatment saves nothing. */
  breakEvenDays: num,
  sentence: z.string(),
});
agrees<z.output<typeof costPanelSchema>, CostPanel>();

export const shadowSummarySchema = z.object({
  /** Shadow pairs (control and treatment events sharing a pairId) in the window. */
  pairs: z.number().int(),
  /** Pairs where only control failed / only treatment failed (McNemar's discordant cells). */
  onlyControlFailed: z.number().int(),
  onlyTreatmentFailed: z.number().int(),
  /** Pairs the signed-rank tests used (most recent first, capped). */
  pairsTested: z.number().int(),
});

export const analysisResponseSchema = z.object({
  rollout: z.object({
    id: z.string(),
    strategy: z.enum(["shadow", "canary", "ab_test", "blue_green"]),
    state: z.string(),
    flagKey: z.string(),
    controlVariant: z.string(),
    treatmentVariant: z.string(),
    currentStageIndex: z.number().int(),
  }),
  window: z.object({ from: isoDate, to: isoDate, stage: z.number().int().nullable() }),
  generatedAt: isoDate,
  /** Which p-value decides verdicts: always-valid until an A/B test reaches its planned sample. */
  verdictBasis: z.enum(["sequential", "fixed_horizon"]),
  alpha: z.number(),
  gateMetrics: z.array(z.enum(ANALYSIS_METRICS)),
  samples: z.object({ control: z.number().int(), treatment: z.number().int() }),
  metrics: z.array(metricAnalysisSchema),
  srm: srmResultSchema.nullable(),
  /** Why there is no SRM result (shadow, a 0%/100% split, no exposures yet). */
  srmNote: z.string().nullable(),
  /**
   * Outcomes kept but counted in no stage: reported (by timestamp, without an echoed stage) at
   * or after the rollout's end, or for no stage that ran (before the start, an echoed stage that
   * never ran). Over the rollout's whole life; never part of `samples` or any stage.
   */
  unattributed: z.object({
    afterEnd: z.object({ control: z.number().int(), treatment: z.number().int() }),
    unknownStage: z.object({ control: z.number().int(), treatment: z.number().int() }),
  }),
  stages: z.array(stageProgressSchema),
  series: seriesSchema,
  shadow: shadowSummarySchema.nullable(),
  power: powerPanelSchema.nullable(),
  cost: costPanelSchema,
  /** One sentence summing up the comparison. */
  summary: z.string(),
});
export type AnalysisResponse = z.infer<typeof analysisResponseSchema>;
