/**
 * Automation benchmark, on a fresh migrated database:
 *
 * 1. Time to stop a bad release, 10 trials with default settings (the 30 s evaluator interval;
 *    BENCH_INTERVAL_SECONDS overrides). Each trial starts a 5% canary with the template's default
 *    gates and feeds outcomes as a service would (ingestion service, 300 requests/s of the flag,
 *    5% to the treatment, whose calls fail 30% of the time) until the evaluator (the real loop
 *    and its event-driven re-checks, leader lock and all) rolls it back; target median ≤ 10 s. Measured from
 *    the commit of the first bad event to (a) the rollback commit and (b) the evaluation API of
 *    another process (bench/servers/evaluation-server.ts, fed by NOTIFY) serving control to all
 *    of 200 users. Reference in the same run: a manual rollback (a person clicking), from its
 *    command to (b). The automatic path's extra time is what detection costs.
 * 2. Evaluator tick time with 100 running rollouts, each holding 30 minutes of rollups, against
 *    a tick with 1 running rollout measured in the same run.
 *
 * Env: BENCH_TRIALS (default 10), BENCH_ROLLOUTS (default 100), BENCH_TICKS (default 5).
 * Results also go to bench/results/automation.json.
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getEnv, resetEnvCache } from "@/lib/env";
import { migrateDatabase } from "@/lib/server/db/migrate";
import { createFreshDatabase } from "@/scripts/lib/test-db";
import { median, printTable, round } from "./lib/report";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const TRIALS = Number(process.env.BENCH_TRIALS ?? 10);
const ROLLOUTS = Number(process.env.BENCH_ROLLOUTS ?? 100);
const TICKS = Number(process.env.BENCH_TICKS ?? 5);
/** The default evaluator interval: rollbacks come from the event-driven re-checks, not the tick. */
const INTERVAL_SECONDS = Number(process.env.BENCH_INTERVAL_SECONDS ?? 30);
const REQUESTS_PER_SECOND = 300;
const TREATMENT_SHARE = 0.05;
const TREATMENT_ERROR_RATE = 0.3;
const BATCH_MS = 250;
const USERS = Array.from({ length: 200 }, (_, i) => `user-${i}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startEvaluationServer(databaseUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = fork(path.join(here, "servers", "evaluation-server.ts"), [], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`evaluation server exited with ${code}`)));
    child.on("message", (m: { type: string; url?: string }) => m.type === "ready" && resolve(m.url!));
  });
  child.removeAllListeners("exit");
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.send({ type: "stop" });
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}

async function main() {
  console.log(`Automation benchmark — ${os.cpus().length} CPUs, node ${process.version}; ${TRIALS} trials at a ${INTERVAL_SECONDS} s interval; tick with ${ROLLOUTS} rollouts`);
  const database = await createFreshDatabase("rollgate_bench");
  let server: Awaited<ReturnType<typeof startEvaluationServer>> | null = null;
  try {
    await migrateDatabase({ databaseUrl: database.url, migrationsDir: path.join(root, "prisma/migrations") });
    process.env.DATABASE_URL = database.url;
    process.env.ROLLGATE_EVALUATOR_INTERVAL_SECONDS = String(INTERVAL_SECONDS);
    resetEnvCache();
    // Imported after DATABASE_URL is set: the one Prisma client reads it on first use.
    const scenario = await import("./lib/automation-scenario");
    const setup = await scenario.setUp();
    server = await startEvaluationServer(database.url);

    const served = (flagKey: string) => scenario.servedToAll(server!.url, setup.evaluateKey, flagKey, USERS);

    // 1a. Reference: a person rolls back; time until every user is on control.
    const manual: number[] = [];
    for (let t = 0; t < TRIALS; t++) {
      const trial = await scenario.startCanary(setup);
      await scenario.waitFor(async () => (await served(trial.flagKey)).some((v) => v === "gpt-4.1"), 10_000);
      const at = Date.now();
      await scenario.manualRollback(setup, trial.rolloutId);
      await scenario.waitFor(async () => (await served(trial.flagKey)).every((v) => v === "gpt-4o"), 10_000, 10);
      manual.push(Date.now() - at);
    }

    // 1b. The evaluator stops a bad release on its own.
    const evaluator = scenario.startEvaluator();
    const toRollback: number[] = [];
    const toServed: number[] = [];
    try {
      for (let t = 0; t < TRIALS; t++) {
        const trial = await scenario.startCanary(setup);
        await scenario.waitFor(async () => (await served(trial.flagKey)).some((v) => v === "gpt-4.1"), 10_000);
        // Random phase against the evaluator's 2 s cycle.
        await sleep(Math.random() * INTERVAL_SECONDS * 1000);
        const traffic = scenario.feedTraffic(setup, trial, { rps: REQUESTS_PER_SECOND, treatmentShare: TREATMENT_SHARE, treatmentErrorRate: TREATMENT_ERROR_RATE, batchMs: BATCH_MS });
        const firstBad = await traffic.firstBadCommittedAt;
        const rolledBackAt = await scenario.waitForState(trial.rolloutId, "rolled_back", 120_000);
        await scenario.waitFor(async () => (await served(trial.flagKey)).every((v) => v === "gpt-4o"), 10_000, 10);
        const servedAt = Date.now();
        await traffic.stop();
        toRollback.push(rolledBackAt - firstBad);
        toServed.push(servedAt - firstBad);
        console.log(`  trial ${t + 1}: rollback ${round((rolledBackAt - firstBad) / 1000, 2)} s, control everywhere ${round((servedAt - firstBad) / 1000, 2)} s (${traffic.sent()} events)`);
      }
    } finally {
      await evaluator.stop();
    }

    // 2. Tick time: 1 running rollout, then ROLLOUTS.
    await scenario.abortActive(setup);
    const one = await scenario.measureTicks(setup, 1, TICKS);
    await scenario.abortActive(setup);
    const many = await scenario.measureTicks(setup, ROLLOUTS, TICKS);

    const s = (ms: number) => round(ms / 1000, 2);
    printTable("Stopping a bad release (seconds from the first bad event)", [
      { what: "to rollback commit", median: s(median(toRollback)), max: s(Math.max(...toRollback)), "× manual-rollback propagation (median)": round(median(toRollback) / median(manual), 1), "× interval": round(median(toRollback) / (INTERVAL_SECONDS * 1000), 2) },
      { what: "to control everywhere", median: s(median(toServed)), max: s(Math.max(...toServed)), "× manual-rollback propagation (median)": round(median(toServed) / median(manual), 1), "× interval": round(median(toServed) / (INTERVAL_SECONDS * 1000), 2) },
      { what: "reference: manual rollback → control everywhere", median: s(median(manual)), max: s(Math.max(...manual)), "× manual-rollback propagation (median)": 1, "× interval": round(median(manual) / (INTERVAL_SECONDS * 1000), 2) },
    ]);
    printTable("Evaluator tick time (ms)", [
      { rollouts: 1, median: round(median(one)), max: round(Math.max(...one)), "× 1-rollout tick": 1, "share of the 2 s interval": `${round((median(one) / (INTERVAL_SECONDS * 1000)) * 100)}%` },
      { rollouts: ROLLOUTS, median: round(median(many)), max: round(Math.max(...many)), "× 1-rollout tick": round(median(many) / median(one), 1), "share of the 2 s interval": `${round((median(many) / (INTERVAL_SECONDS * 1000)) * 100)}%` },
    ]);

    const results = {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
      settings: { trials: TRIALS, intervalSeconds: INTERVAL_SECONDS, requestsPerSecond: REQUESTS_PER_SECOND, treatmentShare: TREATMENT_SHARE, treatmentErrorRate: TREATMENT_ERROR_RATE, rollouts: ROLLOUTS, ticks: TICKS },
      stopMs: {
        toRollback: { median: median(toRollback), max: Math.max(...toRollback), samples: toRollback },
        toControlEverywhere: { median: median(toServed), max: Math.max(...toServed), samples: toServed },
        manualRollbackReference: { median: median(manual), max: Math.max(...manual), samples: manual },
      },
      tickMs: { one: { median: median(one), samples: one }, many: { rollouts: ROLLOUTS, median: median(many), samples: many } },
    };
    mkdirSync(path.join(here, "results"), { recursive: true });
    writeFileSync(path.join(here, "results", "automation.json"), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nwritten: bench/results/automation.json (env ${getEnv().ROLLGATE_EVALUATOR_INTERVAL_SECONDS} s interval, run ${randomUUID().slice(0, 8)})`);
  } finally {
    await server?.stop().catch(() => undefined);
    const { db } = await import("@/lib/server/db");
    await db.$disconnect().catch(() => undefined);
    await database.drop().catch((e) => console.error("could not drop the bench database:", e));
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
