/**
 * Done-when of Rollgate's own metrics, end to end: a bad canary served by Rollgate (the runtime's
 * evaluation layer, events endpoint and /metrics route on one node:http server, as
 * lib/server/runtime/runtime.ts composes them minus Next), traffic through the public API only
 * (POST /api/v1/evaluate and OFREP to get a variant, POST /api/v1/events to report outcomes), a
 * real Prometheus scraping /metrics with the rollout's exported alert-rules.yaml loaded unchanged:
 * the critical gate's alert (the one that mirrors Rollgate's automatic rollback) reaches `firing`
 * in /api/v1/alerts, and every query of the exported Grafana dashboard returns data (the SLO
 * panel once an evaluator tick has published the SLO gauges), as does every series selector of
 * both exports.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { parse } from "yaml";
import { GET as getMetrics } from "@/app/metrics/route";
import { getEnv } from "@/lib/env";
import { sloBodySchema } from "@/lib/schemas/slo";
import { defaultTickDeps, runEvaluatorTick } from "@/lib/server/automation";
import { buildRolloutExport } from "@/lib/server/services/gates/exports";
import { createThinner } from "@/lib/server/services/gates/gate-results";
import { db } from "@/lib/server/db";
import { startEvaluation, type EvaluationRuntime } from "@/lib/server/evaluation/service";
import { eventsFastRoute } from "@/lib/server/services/metrics/events-endpoint";
import { createSlo } from "@/lib/server/services/slos/slos";
import { createTestUser } from "../helpers/actors";
import { activeAlerts, instantQuery, startPrometheus, waitFor, type PromAlert, type RunningPrometheus } from "../helpers/prometheus";
import { createApiKey } from "../evaluation/fixtures";
import { gates, plan, startedRollout } from "../automation/fixtures";
import { createTestEnvironment } from "../rollouts/fixtures";

let dir: string;
let server: Server;
let appUrl: string;
let evaluation: EvaluationRuntime;
let prometheus: RunningPrometheus | undefined;
let traffic: NodeJS.Timeout | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "rollgate-alerts-"));
  // Rollouts left running by other files of this run would share the snapshot store: not ours to serve.
  await db.rollout.updateMany({ where: { state: { in: ["running", "paused", "awaiting_approval"] } }, data: { state: "aborted" } });
});

afterAll(async () => {
  clearInterval(traffic);
  await prometheus?.stop();
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await evaluation?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function startApp(): Promise<void> {
  evaluation = await startEvaluation(getEnv());
  const metricsRoute = getMetrics as (request: Request) => Promise<Response>;
  server = createServer(async (req, res) => {
    if (await evaluation.fastRoute(req, res)) return;
    if (await eventsFastRoute(req, res)) return;
    if (req.method === "GET" && req.url === "/metrics") {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const response = await metricsRoute(new Request(`${appUrl}/metrics`, { headers }));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(await response.text());
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const post = async (url: string, key: string, body: unknown) => {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

test("a bad canary: Prometheus fires the exported rollback alert, and every dashboard panel has data", async () => {
  const environment = await createTestEnvironment("alerts");
  const operator = await createTestUser(["operator"]);
  const criticalGate = { name: "success rate", kind: "comparison" as const, metric: "success_rate" as const, critical: true, minSamples: 50 };
  const latencyGate = { name: "p95 latency", kind: "comparison" as const, metric: "latency_p95" as const, test: "ratio" as const, margin: 0.2, minSamples: 50 };
  const { rolloutId, flag } = await startedRollout(operator, environment, plan([{ trafficBasisPoints: 5000, gates: gates(criticalGate, latencyGate) }, { trafficBasisPoints: 10_000 }]));
  const evaluateKey = (await createApiKey(environment.id, { scopes: ["evaluate"] })).key;
  const ingestKey = (await createApiKey(environment.id, { scopes: ["ingest"] })).key;
  const slo = await createSlo(operator, sloBodySchema.parse({ environment: environment.key, name: "bot availability", flagKey: flag.key, successRateTarget: 0.99 }));

  const rules = await buildRolloutExport(operator, rolloutId, "alert-rules.yaml");
  const rulesFile = path.join(dir, "alert-rules.yaml");
  await writeFile(rulesFile, rules.body);
  const exported = parse(rules.body) as { groups: { rules: { alert: string; expr: string; labels: Record<string, string> }[] }[] };
  const rollbackRule = exported.groups[0]!.rules.find((r) => r.labels.gate === criticalGate.name)!;
  expect(rollbackRule).toMatchObject({ alert: "RollgateGateSuccessRate", labels: { severity: "page", rollout_id: rolloutId } });
  const dashboard = JSON.parse((await buildRolloutExport(operator, rolloutId, "grafana-dashboard.json")).body) as {
    panels: { title: string; targets: { expr: string }[] }[];
  };

  await startApp();
  prometheus = await startPrometheus({ dir, target: new URL(appUrl).host, ruleFiles: [rulesFile] });

  // Traffic through the public API: the treatment fails 30% of its calls (control 2%), slower and dearer.
  const sent = { evaluations: 0, exposures: { control: 0, treatment: 0 }, accepted: 0, rejected: 0 };
  let user = 0;
  let inFlight: Promise<void> = Promise.resolve();
  const sendTraffic = async () => {
    const events: Record<string, unknown>[] = [];
    for (let k = 0; k < 10; k++, user++) {
      const userId = `user-${user}`;
      const ofrep = k === 0;
      const answer = ofrep
        ? await post(`${appUrl}/ofrep/v1/evaluate/flags/${flag.key}`, evaluateKey, { context: { targetingKey: userId } })
        : await post(`${appUrl}/api/v1/evaluate`, evaluateKey, { context: { userId }, flags: [flag.key] });
      expect(answer.status).toBe(200);
      sent.evaluations++;
      const variant = ofrep ? (answer.json.variant as string) : (answer.json.flags as Record<string, { variant: string }>)[flag.key]!.variant;
      const arm = ofrep
        ? ((answer.json.metadata as Record<string, string>).rolloutArm as "control" | "treatment")
        : (answer.json.flags as Record<string, { rollout: { arm: "control" | "treatment" } }>)[flag.key]!.rollout.arm;
      sent.exposures[arm]++;
      const bad = arm === "treatment";
      events.push({
        id: randomUUID(),
        timestamp: new Date().toISOString(),
        flagKey: flag.key,
        variant,
        rolloutId,
        arm,
        subjectKey: userId,
        success: bad ? user % 10 >= 3 : user % 50 !== 0,
        latencyMs: bad ? 1500 + (user % 7) * 100 : 800 + (user % 7) * 50,
        costUsd: bad ? 0.004 : 0.002,
      });
    }
    events.push({ id: "", timestamp: "yesterday", flagKey: flag.key, variant: "x", success: true }); // rejected
    const ingested = await post(`${appUrl}/api/v1/events`, ingestKey, { events });
    expect(ingested.status).toBe(200);
    sent.accepted += ingested.json.accepted as number;
    sent.rejected += (ingested.json.rejected as unknown[]).length;
  };
  const started = Date.now();
  traffic = setInterval(() => {
    inFlight = inFlight.then(sendTraffic);
  }, 250);

  // The rollback alert: pending once the treatment is worse with enough samples, firing after `for`.
  const seen: { pendingAt?: number; firingAt?: number; alert?: PromAlert } = {};
  const mine = (a: PromAlert) => a.labels.alertname === rollbackRule.alert && a.labels.rollout_id === rolloutId;
  await waitFor(
    async () => {
      const alert = (await activeAlerts(prometheus!.url)).find(mine);
      if (alert?.state === "pending") seen.pendingAt ??= Date.now();
      if (alert?.state === "firing") {
        seen.firingAt = Date.now();
        seen.alert = alert;
      }
      return alert?.state === "firing";
    },
    300_000,
    `alert ${rollbackRule.alert} firing`,
  );
  expect(seen.alert!.labels).toMatchObject({ severity: "page", flag: flag.key, environment: environment.key, gate: criticalGate.name });
  console.log(
    `[alert timing] ${rollbackRule.alert}: pending after ${((seen.pendingAt! - started) / 1000).toFixed(1)} s of traffic, ` +
      `firing after ${((seen.firingAt! - started) / 1000).toFixed(1)} s (rule for: 2m, group interval 30s, scrape 1s); activeAt ${seen.alert!.activeAt}`,
  );

  // Stop the traffic; /metrics then holds exactly what the API answered (one number is one number).
  clearInterval(traffic);
  await inFlight;
  const body = await (await fetch(`${appUrl}/metrics`)).text();
  const sample = (line: string) =>
    Number(
      body
        .split("\n")
        .find((l) => l.startsWith(`${line} `))
        ?.split(" ")[1],
    );
  const armLabels = (arm: string) => `environment="${environment.key}",flag="${flag.key}",rollout_id="${rolloutId}",arm="${arm}"`;
  expect(sample(`rollgate_evaluations_total{environment="${environment.key}",flag="${flag.key}",reason="SPLIT"}`)).toBe(sent.evaluations);
  expect(sample(`rollgate_exposures_total{${armLabels("control")}}`)).toBe(sent.exposures.control);
  expect(sample(`rollgate_exposures_total{${armLabels("treatment")}}`)).toBe(sent.exposures.treatment);
  expect(sample(`rollgate_ingested_events_total{environment="${environment.key}",result="accepted"}`)).toBe(sent.accepted);
  expect(sample(`rollgate_ingested_events_total{environment="${environment.key}",result="rejected"}`)).toBe(sent.rejected);
  const outcomes = ["success", "error"].flatMap((o) => ["control", "treatment"].map((a) => sample(`rollgate_arm_outcomes_total{${armLabels(a)},outcome="${o}"}`) || 0));
  expect(outcomes.reduce((x, y) => x + y, 0)).toBe(sent.accepted);

  // One evaluator tick publishes the SLO gauges (it may also roll the canary back: the alert did its part).
  const tick = await runEvaluatorTick(defaultTickDeps(getEnv(), { thinner: createThinner(0), log: () => undefined }), new Date());
  expect(tick.slos.length).toBeGreaterThan(0);
  // This SLO's own gauge: earlier files of the run leave other SLOs' gauges on /metrics.
  await waitFor(async () => (await instantQuery(prometheus!.url, `rollgate_slo_error_budget_remaining_ratio{slo_id="${slo.id}"}`)).length > 0, 30_000, "this SLO's gauges scraped");

  // Every panel query of the exported dashboard, with Grafana's $__rate_interval substituted.
  const empty: string[] = [];
  for (const panel of dashboard.panels) {
    for (const target of panel.targets) {
      const result = await instantQuery(prometheus.url, target.expr.replaceAll("$__rate_interval", "2m"));
      if (result.length === 0 || !result.every((r) => Number.isFinite(Number(r.value[1])))) empty.push(`${panel.title}: ${target.expr}`);
    }
  }
  expect(empty).toEqual([]);
  expect(dashboard.panels.map((p) => p.title)).toContain("SLO error budget remaining");

  // The exports use exactly the exported series, labels and label values: every selector of
  // every rule and panel, asked alone, matches series in Prometheus.
  const exprs = [...exported.groups[0]!.rules.map((r) => r.expr), ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr))];
  const selectors = new Set(exprs.flatMap((e) => [...e.matchAll(/rollgate_[a-z_]+\{[^}]*\}/g)].map((m) => m[0])));
  expect(selectors.size).toBeGreaterThan(8);
  for (const selector of selectors) expect((await instantQuery(prometheus.url, selector)).length, selector).toBeGreaterThan(0);
}, 420_000);
