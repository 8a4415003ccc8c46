/**
 * A Grafana dashboard (JSON model, schemaVersion 39, importable through Dashboards → Import)
 * comparing the rollout's control and treatment on Rollgate's /metrics series: success rate,
 * error rate, latency p50/p95/p99, cost per request, request and exposure rates, and the SLO
 * budget. The Prometheus data source is an import input (`DS_PROMETHEUS`).
 */
import type { ExportInput } from "./types";

const DS = { type: "prometheus", uid: "${DS_PROMETHEUS}" };

interface Target {
  expr: string;
  legendFormat: string;
}

export function grafanaDashboard(input: ExportInput): Record<string, unknown> {
  const { rollout } = input;
  const sel = (arm: string, extra = "") => `{rollout_id="${rollout.id}",arm="${arm}"${extra}}`;
  const perArm = (f: (arm: string) => string): Target[] => [
    { expr: f("control"), legendFormat: `control (${rollout.controlVariant})` },
    { expr: f("treatment"), legendFormat: `treatment (${rollout.treatmentVariant})` },
  ];
  const requests = (arm: string) => `sum(rate(rollgate_arm_outcomes_total${sel(arm)}[$__rate_interval]))`;
  const errors = (arm: string) => `(sum(rate(rollgate_arm_outcomes_total${sel(arm, ',outcome="error"')}[$__rate_interval])) or vector(0))`;
  const quantile = (q: number) => (arm: string) => `histogram_quantile(${q}, sum by (le) (rate(rollgate_arm_latency_seconds_bucket${sel(arm)}[$__rate_interval])))`;

  const panels: Panel[] = [
    panel(
      "Success rate",
      "percentunit",
      perArm((a) => `1 - ${errors(a)} / ${requests(a)}`),
    ),
    panel(
      "Error rate",
      "percentunit",
      perArm((a) => `${errors(a)} / ${requests(a)}`),
    ),
    panel("Latency p50", "s", perArm(quantile(0.5))),
    panel("Latency p95", "s", perArm(quantile(0.95))),
    panel("Latency p99", "s", perArm(quantile(0.99))),
    panel(
      "Cost per request",
      "currencyUSD",
      perArm((a) => `sum(rate(rollgate_arm_cost_usd_total${sel(a)}[$__rate_interval])) / ${requests(a)}`),
    ),
    panel("Requests per second (outcomes)", "reqps", perArm(requests)),
    panel(
      "Exposures per second",
      "reqps",
      perArm((a) => `sum(rate(rollgate_exposures_total${sel(a)}[$__rate_interval]))`),
    ),
  ];
  if ((input.slos ?? []).length > 0) {
    panels.push(
      panel(
        "SLO error budget remaining",
        "percentunit",
        (input.slos ?? []).map((s) => ({ expr: `rollgate_slo_error_budget_remaining_ratio{slo_id="${s.id}"}`, legendFormat: s.name })),
      ),
    );
  }
  panels.forEach((p, i) => {
    p.id = i + 1;
    p.gridPos = { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 };
  });

  const startMs = (rollout.startedAt ?? rollout.createdAt).getTime();
  return {
    __inputs: [{ name: "DS_PROMETHEUS", label: "Prometheus", description: "The Prometheus that scrapes Rollgate's /metrics", type: "datasource", pluginId: "prometheus", pluginName: "Prometheus" }],
    __requires: [
      { type: "grafana", id: "grafana", name: "Grafana", version: "10.0.0" },
      { type: "datasource", id: "prometheus", name: "Prometheus", version: "1.0.0" },
      { type: "panel", id: "timeseries", name: "Time series", version: "" },
    ],
    id: null,
    uid: `rollgate-${rollout.id.replace(/[^a-zA-Z0-9]/g, "").slice(0, 30)}`,
    title: `Rollgate: ${rollout.flagKey} ${rollout.controlVariant} → ${rollout.treatmentVariant} (${rollout.environmentKey})`,
    description: `Old vs new for rollout ${rollout.id} (${rollout.strategy}). Generated ${input.now.toISOString()}.`,
    tags: ["rollgate", rollout.environmentKey, rollout.strategy],
    timezone: "browser",
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: "30s",
    time: { from: new Date(Math.min(startMs, input.now.getTime() - 3_600_000)).toISOString(), to: rollout.endedAt ? rollout.endedAt.toISOString() : "now" },
    templating: { list: [] },
    annotations: {
      list: [{ builtIn: 1, datasource: { type: "grafana", uid: "-- Grafana --" }, enable: true, hide: true, iconColor: "rgba(0, 211, 255, 1)", name: "Annotations & Alerts", type: "dashboard" }],
    },
    links: [{ title: "Open in Rollgate", type: "link", url: `${input.baseUrl}/rollouts/${rollout.id}`, targetBlank: true }],
    panels,
  };
}

interface Panel {
  id: number;
  type: "timeseries";
  title: string;
  datasource: typeof DS;
  gridPos: { h: number; w: number; x: number; y: number };
  fieldConfig: { defaults: { unit: string; custom: Record<string, unknown> }; overrides: unknown[] };
  options: Record<string, unknown>;
  targets: (Target & { refId: string; datasource: typeof DS })[];
}

function panel(title: string, unit: string, targets: Target[]): Panel {
  return {
    id: 0,
    type: "timeseries",
    title,
    datasource: DS,
    gridPos: { h: 8, w: 12, x: 0, y: 0 },
    fieldConfig: { defaults: { unit, custom: { lineWidth: 2, fillOpacity: 5, showPoints: "never" } }, overrides: [] },
    options: { legend: { displayMode: "list", placement: "bottom", showLegend: true }, tooltip: { mode: "multi", sort: "none" } },
    targets: targets.map((t, i) => ({ ...t, refId: String.fromCharCode(65 + i), datasource: DS })),
  };
}
