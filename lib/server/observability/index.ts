/** Rollgate's own Prometheus metrics: the registry (GET /metrics) and the counting functions. */
export { renderMetrics, rollgateMetrics, LATENCY_BUCKETS_SECONDS } from "./registry";
export * from "./count";
