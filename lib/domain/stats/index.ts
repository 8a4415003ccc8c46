/**
 * Rollgate's statistics engine: pure functions, no dependencies, checked against R.
 * Conventions: A is the baseline arm, B the candidate; differences are B − A; p-values are
 * two-sided. Inputs that carry no information (empty arms, zero variance, all ties) give
 * NaN-free "no information" results (pValue 1, statistic 0) instead of throwing; malformed
 * inputs (negative counts, successes > total, …) throw DomainError("invalid_input").
 */
export {
  normalCdf,
  normalSurvival,
  normalPdf,
  normalQuantile,
  normalTwoSidedP,
  erfc,
  logGamma,
  logBeta,
  regularizedGammaP,
  regularizedGammaQ,
  regularizedBeta,
  chiSquareCdf,
  chiSquareSurvival,
  studentTCdf,
  studentTPdf,
  studentTQuantile,
  studentTTwoSidedP,
  T_NORMAL_SWITCH_DF,
} from "./distributions";
export { twoProportionTest, wilsonInterval } from "./proportions";
export type { TwoProportionInput, TwoProportionResult, Interval } from "./proportions";
export { chiSquareTest, mcnemarTest } from "./chisquare";
export type { ChiSquareResult, McNemarInput } from "./chisquare";
export { srmTest } from "./srm";
export { welchTTest, summaryFromSums } from "./ttest";
export type { WelchInput, WelchResult, SampleSummary } from "./ttest";
export { mannWhitneyU, mannWhitneyUHistograms, wilcoxonSignedRank } from "./ranks";
export type { MannWhitneyResult, SignedRankResult } from "./ranks";
export { holmAdjust, benjaminiHochbergAdjust } from "./multiple";
export { sampleSizeTwoProportions, daysToReachSample } from "./power";
export type { SampleSizeInput } from "./power";
export { sequentialTest, sequentialTwoProportion, sequentialMeans, DEFAULT_SEQUENTIAL_TUNING } from "./sequential";
export type { SequentialOptions, SequentialResult, SequentialDiffResult } from "./sequential";
export {
  latencyBucketIndex,
  bucketRepresentativeValue,
  addToHistogram,
  mergeHistograms,
  histogramEntries,
  histogramCount,
  histogramPercentile,
  histogramPercentiles,
  percentileWithInterval,
  quantileRankInterval,
  HISTOGRAM_GAMMA,
  HISTOGRAM_MIN_MS,
  HISTOGRAM_RELATIVE_ERROR,
} from "./histogram";
export type { LatencyHistogram, PercentileInterval } from "./histogram";
export { mulberry32, normalSampler } from "./random";
