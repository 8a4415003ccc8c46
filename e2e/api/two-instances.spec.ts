/**
 * Two app instances on one database, each running its background evaluator (2 s interval):
 * traffic with a regression goes to both, and the rollout is rolled back exactly once — one
 * system audit record, one transition — while both instances then serve control to everyone.
 * The second instance is the same `scripts/start.ts` on another port, sharing the e2e database
 * and the build.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { request as playwrightRequest } from "@playwright/test";
import { runSimulation } from "../../lib/simulator/run";
import { e2eDatabaseUrlFile } from "../../scripts/lib/test-db";
import { expect, test } from "../fixtures";
import { runningCanary, servedTo } from "../helpers/service";

const SECOND_PORT = Number(process.env.E2E_PORT ?? "3210") + 9;
const USERS = Array.from({ length: 150 }, (_, i) => `user-${i}`);

async function startSecondInstance(): Promise<{ url: string; stop(): Promise<void> }> {
  const root = process.cwd();
  const databaseUrl = readFileSync(e2eDatabaseUrlFile(process.env.E2E_PORT ?? "3210"), "utf8").trim();
  const child: ChildProcess = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/start.ts"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(SECOND_PORT), HOST: "127.0.0.1", ROLLGATE_DEMO: "0", ROLLGATE_EVALUATOR_INTERVAL_SECONDS: "2", ROLLGATE_SNAPSHOT_POLL_SECONDS: "1" },
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${SECOND_PORT}`;
  try {
    await expect.poll(async () => (await fetch(`${url}/api/health`).catch(() => null))?.status ?? 0, { timeout: 90_000, intervals: [500] }).toBe(200);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`the second instance did not answer /api/health (exit ${child.exitCode}); its output:\n${output.slice(-3000)}`, { cause: error });
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      }),
  };
}

test("two instances run the evaluator on one database: a bad canary is rolled back once, and both serve control", async ({ adminApi, baseURL }) => {
  test.setTimeout(240_000);
  const second = await startSecondInstance();
  const secondRequest = await playwrightRequest.newContext({ baseURL: second.url });
  try {
    const api = adminApi.request;
    const { flagKey, rolloutId, evaluateKey, ingestKey } = await runningCanary(api, "two-instances", [
      { trafficBasisPoints: 1000, minBakeSeconds: 0, minSamplesPerArm: 100 },
      { trafficBasisPoints: 10_000, minBakeSeconds: 0, minSamplesPerArm: 0 },
    ]);
    const rollout = { id: rolloutId };

    const traffic = new AbortController();
    const common = { evaluateKey, ingestKey, flag: flagKey, rps: 100, durationSeconds: 0, errorRateTreatment: 0.3, flushIntervalMs: 500 };
    const runs = [runSimulation({ ...common, url: baseURL!, seed: 21 }, traffic.signal), runSimulation({ ...common, url: second.url, seed: 22, users: 5000 }, traffic.signal)];
    try {
      await expect.poll(async () => ((await (await api.get(`/api/v1/rollouts/${rollout.id}`)).json()) as { state: string }).state, { timeout: 120_000, intervals: [1000] }).toBe("rolled_back");
      // Several more ticks of both evaluators: nothing more may happen.
      await new Promise((r) => setTimeout(r, 6_000));
    } finally {
      traffic.abort();
      await Promise.all(runs);
    }

    const detail = (await (await api.get(`/api/v1/rollouts/${rollout.id}`)).json()) as { state: string; history: { command: string }[] };
    expect(detail.state).toBe("rolled_back");
    expect(detail.history.filter((h) => h.command === "rollback")).toHaveLength(1);
    const audit = (await (await api.get(`/api/v1/audit?resourceId=${rollout.id}`)).json()) as { records: { action: string; actorType: string }[] };
    expect(audit.records.filter((r) => r.action === "rollout.rollback")).toHaveLength(1);
    expect(audit.records.find((r) => r.action === "rollout.rollback")!.actorType).toBe("system");

    for (const [who, req] of [
      ["first", api],
      ["second", secondRequest],
    ] as const) {
      await expect.poll(async () => (await servedTo(req, evaluateKey, flagKey, USERS)).every((s) => s.variant === "gpt-4o"), { timeout: 5_000, message: `${who} instance serves control` }).toBe(true);
    }
  } finally {
    await secondRequest.dispose();
    await second.stop();
  }
});
