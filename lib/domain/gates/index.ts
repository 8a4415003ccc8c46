/** Public API of the gate domain: gate definitions, their evaluation, and the evaluator's decision. */
export * from "./types";
export * from "./spec";
export { evaluateGate, defaultOperator } from "./evaluate";
export { decideAutomaticAction, blockingGates, formatClock, AUTOMATIC_ACTIONS, type AutomaticAction, type AutomaticDecision, type DecisionInput } from "./decide";
export { defaultGatesForStage, defaultGateMinSamples, withDefaultGates, DEFAULT_ERROR_RATE_CEILING, DEFAULT_LATENCY_MARGIN, DEFAULT_COST_MARGIN, type StageShape } from "./defaults";
export { METRIC_INFO, metricLabel, metricDirection, formatMetricValue, formatPercent, formatPValue, formatCount } from "./metrics";
export { describeGateRule } from "./describe";
export { effectiveMinSamples, type EffectiveMinSamples } from "./min-samples";
export { nextTimeBasedCheck, type NextCheckInput } from "./next-check";
