/**
 * Prometheus for real (Debian's `prometheus` package): the exported alert rules pass
 * `promtool check rules`, and a real Prometheus scraping Rollgate's own /metrics exposition
 * (served by a tiny node:http exporter in this process) answers both a PromQL gate — which rolls
 * the rollout back — and the exported alert expressions, which fire on the same numbers.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { getEnv } from "@/lib/env";
import { gateExpression } from "@/lib/domain/gates/exports";
import { withDefaultGates } from "@/lib/domain/gates";
import { strategyTemplate } from "@/lib/domain/rollouts";
import { defaultTickDeps, runEvaluatorTick } from "@/lib/server/automation";
import { buildRolloutExport } from "@/lib/server/services/gates/exports";
import { createThinner } from "@/lib/server/services/gates/gate-results";
import { queryPrometheus } from "@/lib/server/automation/prometheus";
import { db } from "@/lib/server/db";
import { countArmOutcome, renderMetrics } from "@/lib/server/observability";
import { createSlo } from "@/lib/server/services/slos/slos";
import { runRolloutCommand } from "@/lib/server/services/rollouts";
import { sloBodySchema } from "@/lib/schemas/slo";
import { createTestUser } from "../helpers/actors";
import { freePort, requireBinary, waitFor } from "../helpers/prometheus";
import { createTestEnvironment } from "../rollouts/fixtures";
import { gates, plan, startedRollout } from "./fixtures";

type Env = Awaited<ReturnType<typeof createTestEnvironment>>;
let env: Env;
let operator: Awaited<ReturnType<typeof createTestUser>>;
let dir: string;

beforeAll(async () => {
  env = await createTestEnvironment("prom");
  operator = await createTestUser(["operator"]);
  dir = await mkdtemp(path.join(os.tmpdir(), "rollgate-prom-"));
  await db.rollout.updateMany({ where: { state: { in: ["running", "paused", "awaiting_approval"] }, environmentId: { not: env.id } }, data: { state: "aborted" } });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("exports", () => {
  test("alert-rules.yaml passes promtool check rules; the dashboard, playbook and post-mortem are complete", async () => {
    const stages = withDefaultGates("canary", strategyTemplate("canary")).map((s) => ({ ...s, minBakeSeconds: 0 }));
    const { rolloutId, flag } = await startedRollout(operator, env, stages);
    await createSlo(operator, sloBodySchema.parse({ environment: env.key, name: "bot availability", flagKey: flag.key, successRateTarget: 0.999 }));
    await runRolloutCommand(operator, { rolloutId, command: "rollback", comment: "manual test rollback" });

    const rules = await buildRolloutExport(operator, rolloutId, "alert-rules.yaml");
    expect(rules.contentType).toMatch(/yaml/);
    const file = path.join(dir, rules.filename);
    await writeFile(file, rules.body);
    const check = spawnSync(requireBinary("promtool"), ["check", "rules", file], { encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
    // 4 gates of stage 1 (success, error, p95, SRM skipped → 3 rules) + 4 burn-rate rules.
    expect(check.stdout).toContain("SUCCESS: 7 rules found");
    expect((parse(rules.body) as { groups: unknown[] }).groups).toHaveLength(1);

    const dashboard = JSON.parse((await buildRolloutExport(operator, rolloutId, "grafana-dashboard.json")).body) as { panels: unknown[]; title: string };
    expect(dashboard.title).toContain(flag.key);
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(8);

    const playbook = (await buildRolloutExport(operator, rolloutId, "playbook.md")).body;
    expect(playbook).toContain(`/api/v1/rollouts/${rolloutId}/rollback`);

    const postmortem = (await buildRolloutExport(operator, rolloutId, "postmortem.md")).body;
    expect(postmortem).toContain("## Timeline (UTC)");
    expect(postmortem).toMatch(/— operator-[^:]+: Rolled back: 5% of traffic returns to control|manual test rollback/);
  });
});

describe("a real Prometheus scraping Rollgate's /metrics", () => {
  let exporter: Server;
  let prometheus: ChildProcess;
  let promUrl: string;
  let ticker: NodeJS.Timeout;

  beforeAll(async () => {
    const binary = requireBinary("prometheus");
    exporter = createServer(async (_req, res) => {
      const { body, contentType } = await renderMetrics();
      res.writeHead(200, { "content-type": contentType });
      res.end(body);
    });
    await new Promise<void>((resolve) => exporter.listen(0, "127.0.0.1", resolve));
    const exporterPort = (exporter.address() as AddressInfo).port;
    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    const config = path.join(dir, "prometheus.yml");
    await writeFile(
      config,
      `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: rollgate\n    static_configs:\n      - targets: ["127.0.0.1:${exporterPort}"]\n`,
    );
    prometheus = spawn(binary, [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, "tsdb")}`, `--web.listen-address=127.0.0.1:${promPort}`, "--log.level=warn"], { stdio: "ignore" });
    await waitFor(async () => (await fetch(`${promUrl}/-/ready`).catch(() => null))?.ok === true, 30_000);
  }, 60_000);

  afterAll(async () => {
    clearInterval(ticker);
    if (prometheus?.pid) {
      prometheus.kill("SIGTERM");
      await new Promise((r) => prometheus.once("exit", r));
    }
    await new Promise<void>((resolve) => exporter?.close(() => resolve()));
  });

  test("a critical PromQL gate reads the treatment's error ratio from Prometheus and rolls back; the exported alert fires on it", async () => {
    const promqlGate = {
      name: "upstream errors",
      kind: "threshold" as const,
      metric: "promql" as const,
      query:
        'sum(rate(rollgate_arm_outcomes_total{rollout_id="{{rolloutId}}",arm="treatment",outcome="error"}[1m])) / sum(rate(rollgate_arm_outcomes_total{rollout_id="{{rolloutId}}",arm="treatment"}[1m]))',
      operator: "<" as const,
      bound: 0.05,
      critical: true,
    };
    const errorRate = { name: "error rate", kind: "threshold" as const, metric: "error_rate" as const, bound: 0.05, minSamples: 10, critical: true };
    const { rolloutId } = await startedRollout(operator, env, plan([{ trafficBasisPoints: 500, gates: gates(promqlGate, errorRate) }, { trafficBasisPoints: 10_000 }]));

    // Live traffic into the exported counters: 20% of the treatment's requests fail.
    let i = 0;
    ticker = setInterval(() => {
      for (let k = 0; k < 10; k++, i++) {
        countArmOutcome({ environment: env.key, rolloutId, flag: "bot", arm: "treatment", success: i % 5 !== 0, latencyMs: 900 });
        countArmOutcome({ environment: env.key, rolloutId, flag: "bot", arm: "control", success: true, latencyMs: 800 });
      }
    }, 100);

    const query = promqlGate.query.replaceAll("{{rolloutId}}", rolloutId);
    let value: number | null = null;
    await waitFor(async () => {
      value = (await queryPrometheus(promUrl, query, new Date())).value;
      return value !== null;
    }, 30_000);
    expect(value).toBeGreaterThan(0.1);
    expect(value).toBeLessThan(0.3);

    const deps = defaultTickDeps(getEnv(), { thinner: createThinner(0), log: () => undefined, promql: (q, now) => queryPrometheus(promUrl, q, now) });
    const report = await runEvaluatorTick(deps, new Date());
    const step = report.rollouts.find((r) => r.rolloutId === rolloutId)!;
    expect(step.evaluations.find((e) => e.gateName === "upstream errors")).toMatchObject({ verdict: "fail", critical: true });
    expect(step.acted).toBe("rollback");
    const rollout = await db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    expect(rollout.lastAutomaticAction).toMatch(/^Rolled back at \d\d:\d\d UTC: PromQL value 0\.\d+ \(must be < 0\.05\), critical gate 'upstream errors'$/);

    // The exported alert rule for the "error rate" gate is a query Prometheus answers: it fires.
    const expr = gateExpression({ id: rolloutId } as Parameters<typeof gateExpression>[0], gates(errorRate)[0]!)!;
    const fired = await queryPrometheus(promUrl, expr, new Date());
    expect(fired.error).toBeUndefined();
    expect(fired.value).toBeGreaterThan(0.1);
  }, 60_000);
});
