/** Rollgate's own Prometheus metrics: the registry (GET /metrics) and the counting functions. */
import "server-only";

export { renderMetrics, rollgateMetrics, createRollgateMetrics, LATENCY_BUCKETS_SECONDS } from "./registry";
export { KeyCap, OTHER_LABEL, type LabelCaps } from "./key-cap";
export { EVALUATION_REASONS, NO_COUNTING, ServingCounts, type EvaluationCountReason, type ServingCounter } from "./serving-counts";
export * from "./count";
