/** Per-rollout exports: Prometheus alert rules, Grafana dashboard, rollback playbook, post-mortem draft. */
export * from "./types";
export { prometheusAlertRules, gateExpression, alertName, promWindow, MIN_PROMQL_COMPARISON_MARGIN } from "./prometheus-rules";
export { grafanaDashboard } from "./grafana-dashboard";
export { rollbackPlaybook, postmortemDraft } from "./markdown";
