/**
 * What a rollout analysis says, as plain types: the metrics it compares, each metric's row, the
 * SRM, power and cost panels and the chart points. lib/schemas/analysis.ts holds the matching
 * zod schemas of the HTTP answer and checks at compile time that they agree with these.
 * Proportions are fractions, latencies milliseconds, costs US dollars; nullable numbers are null
 * when there is no data to compute them from.
 */

export const ANALYSIS_METRICS = [
  "success_rate",
  "error_rate",
  "latency_p50",
  "latency_p95",
  "latency_p99",
  "cost_per_request",
  "tokens",
  "input_tokens",
  "output_tokens",
  "thumbs_up_rate",
  "quality_score",
  "retry_rate",
] as const;
export type AnalysisMetric = (typeof ANALYSIS_METRICS)[number];

export const VERDICTS = ["better", "worse", "no_difference", "insufficient_data"] as const;
export type Verdict = (typeof VERDICTS)[number];

export const STATISTICAL_TESTS = ["two_proportion_z", "welch_t", "percentile_interval", "mcnemar", "wilcoxon_signed_rank"] as const;
export type StatisticalTest = (typeof STATISTICAL_TESTS)[number];

export interface ArmEstimate {
  /** Observations behind the estimate (requests; rated requests for thumbs-up and quality). */
  n: number;
  estimate: number | null;
  /** 95% interval of the estimate (Wilson, t, or order statistics). */
  low: number | null;
  high: number | null;
}

export interface Interval {
  low: number;
  high: number;
}

export interface EstimateInterval extends Interval {
  estimate: number;
}

export interface MetricAnalysis {
  metric: AnalysisMetric;
  label: string;
  kind: "proportion" | "mean" | "percentile";
  direction: "higher_is_better" | "lower_is_better";
  unit: "fraction" | "ms" | "usd" | "count" | "score";
  control: ArmEstimate;
  treatment: ArmEstimate;
  /** Treatment − control with its fixed-horizon 95% interval. */
  difference: EstimateInterval | null;
  /** Always-valid (sequential) 95% interval of the difference. */
  sequentialInterval: Interval | null;
  /** (treatment − control) / control; null when control is 0 or missing. */
  relativeLift: number | null;
  test: StatisticalTest;
  /** Fixed-horizon two-sided p-value. */
  pValue: number | null;
  /** Always-valid p-value (asymptotic confidence sequence). */
  pValueSequential: number | null;
  /** Holm-adjusted p-value of the one the verdict uses; only for gate metrics. */
  pValueAdjusted: number | null;
  /** The p-value the verdict compared with alpha. */
  pValueUsed: number | null;
  /**
   * The one basis this row's interval, p-value and lift share: always-valid while the rollout is
   * monitored, fixed-horizon once an A/B test reaches its planned sample.
   */
  basis: "sequential" | "fixed_horizon";
  /** Treatment − control interval on the row's basis (difference or sequentialInterval). */
  basisInterval: Interval | null;
  /** Unadjusted p-value on the row's basis; below alpha exactly when basisInterval excludes 0. */
  basisPValue: number | null;
  /** Relative lift with its 95% interval on the row's basis (delta method); null when control is 0. */
  relativeLiftInterval: EstimateInterval | null;
  /** Size of the Holm family this row's pValueAdjusted was corrected in (0 when not a gate metric). */
  holmFamilySize: number;
  /** Latency rows: Mann–Whitney U over the two histograms (distribution shift). */
  rankTest: { name: "mann_whitney_u"; z: number; pValue: number } | null;
  verdict: Verdict;
  /** The verdict in plain words with its numbers. */
  sentence: string;
  /** Whether the metric is in the Holm-corrected family (the stage's comparison gates). */
  gateMetric: boolean;
  /** Samples per arm still needed before this metric can say "no difference" (0 when reached). */
  samplesNeeded: number;
  /** Samples per arm still needed to detect the observed difference with 80% power (proportions); null otherwise. */
  samplesNeededToDetect: number | null;
}

export interface ArmCounts {
  control: number;
  treatment: number;
}

export interface SrmResult {
  stageIndex: number;
  /** Exposures (served evaluations) per arm in the stage window. */
  observed: ArmCounts;
  /** Planned share of the treatment, in basis points. */
  plannedTreatmentBasisPoints: number;
  expected: ArmCounts;
  statistic: number;
  pValue: number;
  /** p < 0.001 (the SRM gate's default bound). */
  mismatch: boolean;
  sentence: string;
}

/** One chart point of one arm. */
export interface ArmPoint {
  count: number;
  successRate: number | null;
  latencyP50: number | null;
  latencyP95: number | null;
  latencyP99: number | null;
  costPerRequest: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  thumbsUpRate: number | null;
  qualityScore: number | null;
}

export interface PowerPanel {
  /** The A/B test's planned sample per arm (the stage's minimum samples). */
  targetPerArm: number;
  baseline: number | null;
  /** Minimum detectable effect (absolute) the target detects with 80% power at alpha 0.05. */
  detectableEffect: number | null;
  samples: ArmCounts;
  /** Outcomes of the slower arm per hour over the recent window (below), by real elapsed time. */
  perArmPerHour: number;
  /** Length of that window: the last hour of the stage, or since it began when shorter. */
  rateWindowSeconds: number;
  /** Hours until both arms reach the target at that rate; 0 when reached; null at zero traffic. */
  hoursToTarget: number | null;
  /** ISO 8601. */
  estimatedCompletion: string | null;
}

export interface CostPanel {
  /** Mean cost per request of each arm over the window (reported or priced from the table). */
  costPerRequest: { control: number | null; treatment: number | null };
  /** Requests per day of the whole flag (all variants), averaged over the last 7 days. */
  flagDailyVolume: number;
  /** 30 days of the flag's volume at 100% control / 100% treatment (null without cost data). */
  controlMonthly: number | null;
  treatmentMonthlyAt100: number | null;
  /** treatmentMonthlyAt100 − controlMonthly: positive = the treatment costs more. */
  deltaMonthly: number | null;
  deltaPercent: number | null;
  /** Extra spend per day while both variants run: shadow calls, or green beside blue. */
  parallelRunCostPerDay: number | null;
  /** (control − treatment) per request × daily volume: positive = the treatment saves money. */
  dailySavings: number | null;
  /** Days of savings that pay back the parallel run so far; null when the treatment saves nothing. */
  breakEvenDays: number | null;
  sentence: string;
}
