/**
 * In-process SDK benchmark. On a fresh, migrated database seeded like the evaluation benchmark
 * (20 flags, one under an active canary rollout), with the evaluation layer in a child process:
 *
 * 1. Evaluations per second in THIS process, single-threaded, varied contexts, of the rollout's
 *    flag: (a) RollgateProvider.evaluate (native answer, exposure counted), (b) the same through
 *    the OpenFeature client (getObjectDetails, hooks and all), vs (c) the HTTP path from this
 *    same process: POST /api/v1/evaluate for the same flag, autocannon with keep-alive
 *    connections. Ratio = in-process evaluations/s ÷ HTTP evaluations/s (target ≥ 100×).
 * 2. SDK memory for 1,000 flags: heap retained by a provider that loaded an environment of 1,000
 *    flags (3 variants, 2 targeting rules each), measured in a child with --expose-gc.
 * Env: BENCH_DURATION (s per run, default 5), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 16).
 * Results also go to bench/results/sdk.json.
 */
import autocannon from "autocannon";
import { OpenFeature } from "@openfeature/server-sdk";
import { fork, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { resetEnvCache } from "@/lib/env";
import { db } from "@/lib/server/db";
import { migrateDatabase } from "@/lib/server/db/migrate";
import { createFreshDatabase } from "@/scripts/lib/test-db";
import { commitConfigChange, createApiKey, createEnvironment, MODEL_VARIANTS } from "@/tests/integration/evaluation/fixtures";
import { median, printTable, round } from "./lib/report";
import { ROLLOUT_FLAG, seedBenchmark } from "./lib/seed";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const TARGET_RATIO = 100;

const contexts = Array.from({ length: 1024 }, (_, i) => ({
  targetingKey: `user-${i}`,
  userId: `user-${i}`,
  tier: i % 7 === 0 ? "enterprise" : "pro",
  region: i % 3 ? "us" : "eu",
  appVersion: "2.3.1",
}));

function startServer(databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(path.join(here, "servers", "evaluation-server.ts"), [], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`evaluation-server exited with ${code}`)));
    child.on("message", (m: { type: string; url?: string }) => {
      if (m.type === "ready") resolve({ child, url: m.url! });
    });
  });
}

/** Runs `fn` in a tight loop for `seconds`; evaluations per second. */
async function loop(seconds: number, fn: (i: number) => unknown | Promise<unknown>): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const start = performance.now();
  while (performance.now() < end) {
    for (let k = 0; k < 1000; k++) await fn(n++);
  }
  return n / ((performance.now() - start) / 1000);
}

function loopSync(seconds: number, fn: (i: number) => unknown): number {
  const start = performance.now();
  const end = start + seconds * 1000;
  let n = 0;
  while (performance.now() < end) for (let k = 0; k < 1000; k++) fn(n++);
  return n / ((performance.now() - start) / 1000);
}

async function seedThousandFlags(): Promise<string> {
  const env = await createEnvironment("mem");
  // Inserted in chunks outside one transaction (1,000 rows can outlast its timeout on a busy
  // machine); the evaluation server loads the environment only after seeding anyway.
  for (let chunk = 0; chunk < 10; chunk++) {
    await db.flag.createMany({
      data: Array.from({ length: 100 }, (_, j) => chunk * 100 + j).map((i) => ({
        environmentId: env.id,
        key: `mem.${String(i).padStart(4, "0")}`,
        kind: "model" as const,
        variants: MODEL_VARIANTS as object[],
        rules: [
          { conditions: [{ attribute: "tier", operator: "eq", value: "enterprise" }], serve: { variant: "claude" } },
          {
            conditions: [{ attribute: "region", operator: "in", value: ["eu", "uk"] }],
            serve: {
              split: [
                { variant: "gpt-4o", weight: 5000 },
                { variant: "claude", weight: 5000 },
              ],
            },
          },
        ] as object[],
        defaultVariant: "gpt-4o",
        fallbackVariant: "safe",
        stickiness: "userId",
        salt: randomBytes(6).toString("hex"),
      })),
    });
  }
  await commitConfigChange(env.id, async () => ({}));
  return (await createApiKey(env.id, { scopes: ["evaluate"], rateLimitPerSecond: 1000 })).key;
}

async function main() {
  console.log(`SDK benchmark — ${os.cpus().length} CPUs, node ${process.version}, ${ROUNDS} rounds × ${DURATION} s, HTTP with ${CONNECTIONS} connections`);
  const build = spawnSync(process.execPath, [path.join(root, "packages/sdk/build.mjs")], { stdio: "inherit" });
  if (build.status !== 0) throw new Error("cannot build packages/sdk");
  const { RollgateProvider } = await import("@rollgate/sdk");

  const database = await createFreshDatabase("rollgate_bench_sdk");
  let server: ChildProcess | undefined;
  try {
    await migrateDatabase({ databaseUrl: database.url, migrationsDir: path.join(root, "prisma/migrations") });
    process.env.DATABASE_URL = database.url;
    resetEnvCache();
    const { apiKey } = await seedBenchmark();
    const memKey = await seedThousandFlags();
    const started = await startServer(database.url);
    server = started.child;
    const url = started.url;

    const provider = new RollgateProvider({ baseUrl: url, apiKey, flushIntervalMs: 0 });
    await OpenFeature.setProviderAndWait("bench", provider);
    const client = OpenFeature.getClient("bench");
    const body = JSON.stringify({ context: contexts[0], flags: [ROLLOUT_FLAG] });

    const http = async (duration: number) => {
      const r = await autocannon({
        url: `${url}/api/v1/evaluate`,
        method: "POST",
        connections: CONNECTIONS,
        duration,
        headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
        body,
      });
      if (r.non2xx || r.errors) throw new Error(`HTTP path failed: ${r.non2xx} non-2xx, ${r.errors} errors`);
      return r.requests.average;
    };
    const native = (seconds: number) => loopSync(seconds, (i) => provider.evaluate(ROLLOUT_FLAG, contexts[i & 1023]));
    const viaOpenFeature = (seconds: number) => loop(seconds, (i) => client.getObjectDetails(ROLLOUT_FLAG, {}, contexts[i & 1023]));

    console.log("warming up…");
    await http(2);
    native(1);
    await viaOpenFeature(1);

    const rounds: { http: number; native: number; openFeature: number }[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      console.log(`round ${r}/${ROUNDS}`);
      const h = await http(DURATION);
      const n = native(DURATION);
      const o = await viaOpenFeature(DURATION);
      rounds.push({ http: h, native: n, openFeature: o });
    }
    const med = (f: (x: (typeof rounds)[number]) => number) => median(rounds.map(f));
    const figures = {
      httpEvaluationsPerSec: Math.round(med((x) => x.http)),
      providerEvaluationsPerSec: Math.round(med((x) => x.native)),
      openFeatureEvaluationsPerSec: Math.round(med((x) => x.openFeature)),
      providerRatio: round(
        med((x) => x.native / x.http),
        0,
      ),
      openFeatureRatio: round(
        med((x) => x.openFeature / x.http),
        0,
      ),
    };
    printTable(`Evaluations per second of one flag from one process (${ROUNDS} rounds × ${DURATION} s, medians; ratio ÷ HTTP of the same round, target ≥ ${TARGET_RATIO}×)`, [
      { path: "POST /api/v1/evaluate (HTTP, keep-alive)", "evals/s": figures.httpEvaluationsPerSec, "× HTTP": 1, rounds: rounds.map((x) => Math.round(x.http)).join(" / ") },
      { path: "RollgateProvider.evaluate (in-process)", "evals/s": figures.providerEvaluationsPerSec, "× HTTP": figures.providerRatio, rounds: rounds.map((x) => Math.round(x.native)).join(" / ") },
      {
        path: "OpenFeature client.getObjectDetails",
        "evals/s": figures.openFeatureEvaluationsPerSec,
        "× HTTP": figures.openFeatureRatio,
        rounds: rounds.map((x) => Math.round(x.openFeature)).join(" / "),
      },
    ]);
    await OpenFeature.close();

    const mem = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", path.join(here, "servers", "sdk-memory.ts")], {
      cwd: root,
      env: { ...process.env, ROLLGATE_URL: url, ROLLGATE_API_KEY: memKey },
      encoding: "utf8",
    });
    if (mem.status !== 0) throw new Error(`memory child failed: ${mem.stderr}`);
    const memory = JSON.parse(mem.stdout.trim().split("\n").pop()!) as { retainedBytes: number; flags: string };
    const snapshotBytes = Number((await fetch(`${url}/api/v1/snapshot`, { headers: { authorization: `Bearer ${memKey}` } })).headers.get("content-length"));
    printTable("SDK memory for 1,000 flags (heap retained after loading, --expose-gc)", [
      {
        "snapshot JSON": `${round(snapshotBytes / 1024, 0)} KiB`,
        "heap retained": `${round(memory.retainedBytes / 1024 / 1024, 2)} MiB`,
        "per flag": `${round(memory.retainedBytes / 1000 / 1024, 2)} KiB`,
        check: memory.flags,
      },
    ]);

    const verdict = figures.providerRatio >= TARGET_RATIO ? "met" : "NOT met";
    console.log(`\nTarget ≥ ${TARGET_RATIO}× the HTTP path: ${verdict} (provider ${figures.providerRatio}×, through OpenFeature ${figures.openFeatureRatio}×).`);
    mkdirSync(path.join(here, "results"), { recursive: true });
    writeFileSync(
      path.join(here, "results", "sdk.json"),
      `${JSON.stringify({ at: new Date().toISOString(), cpus: os.cpus().length, node: process.version, rounds, ...figures, memory: { flags: 1000, retainedBytes: memory.retainedBytes, snapshotBytes } }, null, 2)}\n`,
    );
    console.log("written: bench/results/sdk.json");
  } finally {
    server?.send({ type: "stop" });
    await db.$disconnect().catch(() => {});
    await database.drop().catch(() => {});
  }
}

await main();
