/**
 * A real Prometheus for integration tests (Debian's `prometheus` package, which CI installs):
 * started on a free loopback port with a 1 s scrape and evaluation interval, optional rule
 * files, its own TSDB under `dir`; stopped with `stop()`.
 */
import { spawn, spawnSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export function requireBinary(name: string): string {
  const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).stdout.trim();
  if (!found) throw new Error(`${name} is not installed: apt-get install -y prometheus (Debian's package provides prometheus and promtool)`);
  return found;
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what = "condition"): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} not met within ${timeoutMs} ms`);
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export interface RunningPrometheus {
  url: string;
  stop(): Promise<void>;
}

/** Prometheus scraping `target` ("host:port", path /metrics) every second. */
export async function startPrometheus(opts: { dir: string; target: string; ruleFiles?: string[] }): Promise<RunningPrometheus> {
  const binary = requireBinary("prometheus");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = path.join(opts.dir, "prometheus.yml");
  const rules = opts.ruleFiles?.length ? `rule_files:\n${opts.ruleFiles.map((f) => `  - ${JSON.stringify(f)}\n`).join("")}` : "";
  await writeFile(config, `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n${rules}scrape_configs:\n  - job_name: rollgate\n    static_configs:\n      - targets: ["${opts.target}"]\n`);
  const child = spawn(binary, [`--config.file=${config}`, `--storage.tsdb.path=${path.join(opts.dir, "tsdb")}`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"], {
    stdio: "ignore",
  });
  await waitFor(async () => (await fetch(`${url}/-/ready`).catch(() => null))?.ok === true, 30_000, "Prometheus ready");
  return {
    url,
    async stop() {
      if (child.exitCode !== null || !child.pid) return;
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}

/** GET /api/v1/query: the instant vector's samples (empty when the query has no data). */
export async function instantQuery(promUrl: string, query: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== "success") throw new Error(`Prometheus refused ${query}: ${body.error}`);
  return body.data!.result;
}

export interface PromAlert {
  labels: Record<string, string>;
  state: "pending" | "firing";
  activeAt: string;
  value: string;
}

export async function activeAlerts(promUrl: string): Promise<PromAlert[]> {
  const body = (await (await fetch(`${promUrl}/api/v1/alerts`)).json()) as { data: { alerts: PromAlert[] } };
  return body.data.alerts;
}
