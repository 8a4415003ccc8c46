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
 *    A healthy canary (treatment failing 1%, like control) takes the same traffic through all
 *    trials: it must still be running at the end (no false rollback).
 * 2. Evaluator tick time with running rollouts, each holding 30 minutes of rollups: the reference
 *    is a tick with no rollout in the same run (and the one query that reads every rollout's
 *    version and counts). A one-off tick (every rollout evaluated, as before the leader kept
 *    watermarks) at 100 rollouts; then, at BENCH_ROLLOUTS (1,000), the leader's ticks: its first
 *    (every rollout once) and steady ticks where BENCH_NEW_DATA_SHARE (5%) of the rollouts got a
 *    new minute of outcomes since the previous tick. Target: steady tick ≤ 3 s.
 *
 * Env: BENCH_TRIALS (default 10), BENCH_ROLLOUTS (default 1000), BENCH_TICKS (default 5),
 * BENCH_NEW_DATA_SHARE (default 0.05). Results also go to bench/results/automation.json. Exits
 * non-zero when a target is missed.
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
const ROLLOUTS = Number(process.env.BENCH_ROLLOUTS ?? 1000);
const NEW_DATA_SHARE = Number(process.env.BENCH_NEW_DATA_SHARE ?? 0.05);
/** Targets: median first bad event → rollback commit, and the steady tick at ROLLOUTS. */
const ROLLBACK_TARGET_MS = 10_000;
const TICK_TARGET_MS = 3_000;
const TICKS = Number(process.env.BENCH_TICKS ?? 5);
/** The default evaluator interval: rollbacks come from the event-driven re-checks, not the tick. */
const INTERVAL_SECONDS = Number(process.env.BENCH_INTERVAL_SECONDS ?? 30);
const REQUESTS_PER_SECOND = 300;
const TREATMENT_SHARE = 0.05;
const TREATMENT_ERROR_RATE = 0.3;
const BATCH_MS = 250;
const USERS = Array.from({ length: 200 }, (_, i) => `user-${i}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (ms: number) => `${round((ms / (INTERVAL_SECONDS * 1000)) * 100, 1)}%`;
const ratio = (a: number[], b: number[]) => round(median(a) / median(b), 1);

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
    const healthy = await scenario.startCanary(setup);
    const healthyTraffic = scenario.feedTraffic(setup, healthy, { rps: REQUESTS_PER_SECOND, treatmentShare: TREATMENT_SHARE, treatmentErrorRate: 0.01, batchMs: BATCH_MS });
    let healthyState = "running";
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
      await healthyTraffic.stop();
      healthyState = (await scenario.rolloutState(healthy.rolloutId)) ?? "missing";
      await evaluator.stop();
    }
    console.log(`  healthy canary after all trials (${healthyTraffic.sent()} events): ${healthyState}`);

    // 2. Tick time.
    await scenario.abortActive(setup);
    const timed = async (n: number, fn: () => Promise<unknown>) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const began = performance.now();
        await fn();
        out.push(performance.now() - began);
      }
      return out;
    };
    const zero = await timed(TICKS, () => scenario.timedTick());
    console.log(`  seeding 100 running canaries…`);
    let ids = await scenario.seedRunningCanaries(setup, 100);
    const full100 = await timed(TICKS, async () => {
      const r = await scenario.timedTick();
      if (r.rollouts.length !== 100) throw new Error(`a one-off tick evaluated ${r.rollouts.length} rollouts, expected 100`);
    });
    console.log(`  seeding ${ROLLOUTS - 100} more…`);
    ids = ids.concat(await scenario.seedRunningCanaries(setup, ROLLOUTS - 100));
    const marksQuery = await timed(TICKS, () => scenario.readRolloutMarks());
    const watermarks = scenario.createRolloutWatermarks();
    const firstBegan = performance.now();
    const first = await scenario.timedTick(watermarks);
    const firstMs = performance.now() - firstBegan;
    if (first.rollouts.length !== ROLLOUTS) throw new Error(`the leader's first tick evaluated ${first.rollouts.length} rollouts, expected ${ROLLOUTS}`);
    const withNew = Math.round(ROLLOUTS * NEW_DATA_SHARE);
    const steady: number[] = [];
    for (let t = 0; t < TICKS; t++) {
      const touched = [...ids].sort(() => Math.random() - 0.5).slice(0, withNew);
      await scenario.addHealthyMinutes(touched, new Date(), 1);
      const began = performance.now();
      const report = await scenario.timedTick(watermarks);
      steady.push(performance.now() - began);
      if (report.rollouts.length < withNew) throw new Error(`a steady tick evaluated ${report.rollouts.length} rollouts, expected at least the ${withNew} with new data`);
      console.log(`  steady tick ${t + 1}: ${round(steady.at(-1)!)} ms, ${report.rollouts.length} evaluated, ${report.skipped} skipped`);
    }

    const s = (ms: number) => round(ms / 1000, 2);
    printTable("Stopping a bad release (seconds from the first bad event)", [
      {
        what: "to rollback commit",
        median: s(median(toRollback)),
        max: s(Math.max(...toRollback)),
        "× manual-rollback propagation (median)": round(median(toRollback) / median(manual), 1),
        "× interval": round(median(toRollback) / (INTERVAL_SECONDS * 1000), 2),
      },
      {
        what: "to control everywhere",
        median: s(median(toServed)),
        max: s(Math.max(...toServed)),
        "× manual-rollback propagation (median)": round(median(toServed) / median(manual), 1),
        "× interval": round(median(toServed) / (INTERVAL_SECONDS * 1000), 2),
      },
      {
        what: "reference: manual rollback → control everywhere",
        median: s(median(manual)),
        max: s(Math.max(...manual)),
        "× manual-rollback propagation (median)": 1,
        "× interval": round(median(manual) / (INTERVAL_SECONDS * 1000), 2),
      },
    ]);
    printTable("Evaluator tick time (ms)", [
      { tick: "reference: no running rollout", rollouts: 0, evaluated: 0, median: round(median(zero)), max: round(Math.max(...zero)), "× reference": 1, "share of the interval": pct(median(zero)) },
      {
        tick: "reference: the query reading every rollout's version and counts",
        rollouts: ROLLOUTS,
        evaluated: 0,
        median: round(median(marksQuery)),
        max: round(Math.max(...marksQuery)),
        "× reference": ratio(marksQuery, zero),
        "share of the interval": pct(median(marksQuery)),
      },
      {
        tick: "one-off (every rollout evaluated, as before watermarks)",
        rollouts: 100,
        evaluated: 100,
        median: round(median(full100)),
        max: round(Math.max(...full100)),
        "× reference": ratio(full100, zero),
        "share of the interval": pct(median(full100)),
      },
      {
        tick: "leader's first tick (every rollout evaluated)",
        rollouts: ROLLOUTS,
        evaluated: ROLLOUTS,
        median: round(firstMs),
        max: round(firstMs),
        "× reference": round(firstMs / median(zero), 1),
        "share of the interval": pct(firstMs),
      },
      {
        tick: `leader, steady (${round(NEW_DATA_SHARE * 100)}% with new data)`,
        rollouts: ROLLOUTS,
        evaluated: withNew,
        median: round(median(steady)),
        max: round(Math.max(...steady)),
        "× reference": ratio(steady, zero),
        "share of the interval": pct(median(steady)),
      },
    ]);

    const misses: string[] = [];
    if (!(median(toRollback) <= ROLLBACK_TARGET_MS)) misses.push(`median first bad event → rollback ${s(median(toRollback))} s > ${ROLLBACK_TARGET_MS / 1000} s`);
    if (healthyState !== "running") misses.push(`the healthy canary ended ${healthyState} (false rollback)`);
    if (!(median(steady) <= TICK_TARGET_MS)) misses.push(`steady tick with ${ROLLOUTS} rollouts ${round(median(steady))} ms > ${TICK_TARGET_MS} ms`);

    const results = {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
      settings: {
        trials: TRIALS,
        intervalSeconds: INTERVAL_SECONDS,
        requestsPerSecond: REQUESTS_PER_SECOND,
        treatmentShare: TREATMENT_SHARE,
        treatmentErrorRate: TREATMENT_ERROR_RATE,
        rollouts: ROLLOUTS,
        ticks: TICKS,
      },
      stopMs: {
        toRollback: { median: median(toRollback), max: Math.max(...toRollback), samples: toRollback },
        toControlEverywhere: { median: median(toServed), max: Math.max(...toServed), samples: toServed },
        manualRollbackReference: { median: median(manual), max: Math.max(...manual), samples: manual },
      },
      healthyCanary: { state: healthyState, events: healthyTraffic.sent() },
      tickMs: {
        noRollout: { median: median(zero), samples: zero },
        marksQuery: { rollouts: ROLLOUTS, median: median(marksQuery), samples: marksQuery },
        oneOff100: { rollouts: 100, median: median(full100), samples: full100 },
        leaderFirst: { rollouts: ROLLOUTS, ms: firstMs },
        leaderSteady: { rollouts: ROLLOUTS, withNewData: withNew, median: median(steady), samples: steady },
      },
      targets: { rollbackMedianMs: ROLLBACK_TARGET_MS, steadyTickMs: TICK_TARGET_MS, misses },
    };
    mkdirSync(path.join(here, "results"), { recursive: true });
    writeFileSync(path.join(here, "results", "automation.json"), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nwritten: bench/results/automation.json (env ${getEnv().ROLLGATE_EVALUATOR_INTERVAL_SECONDS} s interval, run ${randomUUID().slice(0, 8)})`);
    if (misses.length) throw new Error(`targets missed:\n- ${misses.join("\n- ")}`);
    console.log("every target met");
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
