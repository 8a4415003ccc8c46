/**
 * Evaluation benchmark. On a fresh, migrated database seeded with 20 flags
 * (one under an active canary rollout):
 *
 * 1. Throughput and latency with autocannon (same connections and duration for every target):
 *    a bare node:http server answering a fixed JSON body (the same bytes /api/v1/evaluate
 *    returns), POST /api/v1/evaluate and POST /ofrep/v1/evaluate/flags (all 20 flags each).
 *    Each server runs in its own child process, and so does the load generator
 *    (bench/lib/load-worker.ts), so the bench's own work never shares its event loop. A second
 *    evaluation server that does not count for /metrics (BENCH_COUNT_METRICS=0) measures what
 *    counting costs: the ratio of the counting server's throughput to it, in the same rounds.
 * 2. The same endpoints at half of each one's measured peak: p99 from an evenly paced open-loop
 *    generator (bench/lib/paced-load.ts), next to autocannon's overallRate figure (which sends
 *    each second's quota in a burst, so its p99 is that of a full-speed burst).
 * 3. Kill-switch propagation, 20 trials: commit in the serving process (as the flags service
 *    does) → (a) an SSE subscriber of /api/v1/stream sees the new version, (b) a client polling
 *    /api/v1/evaluate every second sees the fallback variant; plus the cross-instance path
 *    (commit from another process → Postgres NOTIFY → SSE).
 *
 * 0. What counting for /metrics costs per evaluated flag, in process: the served snapshot's 20
 *    flags evaluated for varied contexts with and without the counting calls, in alternating
 *    blocks (medians of ns per flag).
 *
 * Targets: ≥ 50% of bare throughput; p99 ≤ 10 ms at half peak; SSE ≤ 1 s; poll ≤ interval + 1 s.
 * Every figure is printed against its same-run reference with met/MISSED, and a miss makes the
 * bench exit non-zero. Next to req/s, each server's CPU time per request (robust to other
 * processes sharing the cores) and, for the half-load runs, the server's and the generator's
 * event-loop delay and GC pauses (bench/servers/process-stats.ts): the evidence for whose tail it is.
 * Cross-instance visibility from the commit, over HTTP, has its own bench: propagation.bench.ts.
 * Env: BENCH_DURATION (s per peak run, default 5), BENCH_ROUNDS (default 3), BENCH_HALF_DURATION
 * (s, default 10), BENCH_CONNECTIONS (default 50), BENCH_TRIALS (default 20), BENCH_PEAK_ONLY=1
 * (only step 1).
 * Results also go to bench/results/evaluation.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { resetEnvCache } from "@/lib/env";
import { migrateDatabase } from "@/lib/server/db/migrate";
import { createFreshDatabase } from "@/scripts/lib/test-db";
import { setKillSwitch } from "@/tests/integration/evaluation/fixtures";
import { openSse, testStore } from "@/tests/integration/evaluation/server";
import { evaluateFlag } from "@/lib/domain/flags";
import { createLabelCaps } from "@/lib/server/observability/key-cap";
import { ServingCounts } from "@/lib/server/observability/serving-counts";
import { startChild, type Child } from "./lib/child";
import { startLoadProcess, type LoadProcess } from "./lib/load-process";
import type { LoadFigures } from "./lib/load-worker";
import type { PacedResult } from "./lib/paced-load";
import { median, printTable, round, verdictTable } from "./lib/report";
import type { ProcessStats } from "./servers/process-stats";
import { FLAG_COUNT, KILL_FLAG, seedBenchmark } from "./lib/seed";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const HALF_DURATION = Number(process.env.BENCH_HALF_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TRIALS = Number(process.env.BENCH_TRIALS ?? 20);
const PEAK_ONLY = process.env.BENCH_PEAK_ONLY === "1";
const POLL_INTERVAL_MS = 1000;
const TARGETS = { throughputRatio: 0.5, p99AtHalfMs: 10, sseMs: 1000, pollMs: POLL_INTERVAL_MS + 1000 };

const CONTEXT = { userId: "user-1234", tier: "pro", region: "us", appVersion: "2.3.1", orgId: "acme" };

let generator: LoadProcess;

function load(target: string, url: string, opts: { body?: string; headers?: Record<string, string>; duration?: number; overallRate?: number }): Promise<LoadFigures> {
  return generator.peak({ target, url, body: opts.body, headers: opts.headers, connections: CONNECTIONS, duration: opts.duration ?? DURATION, overallRate: opts.overallRate });
}

async function main() {
  console.log(`Evaluation benchmark — ${os.cpus().length} CPUs, node ${process.version}, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${DURATION} s per target`);
  const database = await createFreshDatabase("rollgate_bench");
  const children: Child[] = [];
  generator = await startLoadProcess();
  try {
    await migrateDatabase({ databaseUrl: database.url, migrationsDir: path.join(root, "prisma/migrations") });
    process.env.DATABASE_URL = database.url;
    resetEnvCache();
    const { environmentId, apiKey } = await seedBenchmark();
    const auth = { authorization: `Bearer ${apiKey}` };
    const counting = await measureCountingCost(environmentId);
    printTable("Counting for /metrics, in process (ns per evaluated flag, medians of alternating blocks)", [counting]);

    const app = await startChild("evaluation-server.ts", { DATABASE_URL: database.url });
    children.push(app);
    const evaluateBody = JSON.stringify({ context: CONTEXT });
    const ofrepBody = JSON.stringify({ context: { ...CONTEXT, targetingKey: CONTEXT.userId } });
    const sample = await fetch(`${app.url}/api/v1/evaluate`, { method: "POST", headers: { "content-type": "application/json", ...auth }, body: evaluateBody });
    const sampleText = await sample.text();
    if (sample.status !== 200 || Object.keys(JSON.parse(sampleText).flags).length !== FLAG_COUNT) {
      throw new Error(`unexpected evaluate answer ${sample.status}: ${sampleText.slice(0, 300)}`);
    }
    const bare = await startChild("bare-server.ts", { BENCH_BARE_BODY: sampleText });
    children.push(bare);
    const uncounted = await startChild("evaluation-server.ts", { DATABASE_URL: database.url, BENCH_COUNT_METRICS: "0" });
    children.push(uncounted);

    const targets = [
      { name: "bare node:http (fixed JSON)", server: bare, url: bare.url, body: evaluateBody, headers: {} },
      { name: "POST /api/v1/evaluate", server: app, url: `${app.url}/api/v1/evaluate`, body: evaluateBody, headers: auth },
      { name: "POST /ofrep/v1/evaluate/flags", server: app, url: `${app.url}/ofrep/v1/evaluate/flags`, body: ofrepBody, headers: auth },
      { name: "POST /api/v1/evaluate, no metrics counting", server: uncounted, url: `${uncounted.url}/api/v1/evaluate`, body: evaluateBody, headers: auth },
    ];
    const COUNTED = 1;
    const UNCOUNTED = 3;

    console.log("warming up…");
    for (const t of targets) await load(t.name, t.url, { body: t.body, headers: t.headers, duration: 3 });

    // Rounds interleave the targets so that drift of the shared machine hits all of them alike;
    // each round's ratio compares runs a few seconds apart.
    const rounds: (LoadFigures & { cpuUsPerRequest: number })[][] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const figures: (LoadFigures & { cpuUsPerRequest: number })[] = [];
      // Every other round runs the uncounted server before the counting one, so order biases neither.
      const order = round % 2 === 1 ? targets.map((_, i) => i) : [0, UNCOUNTED, 2, COUNTED];
      for (const i of order) {
        const t = targets[i]!;
        console.log(`peak, round ${round}/${ROUNDS}: ${t.name}`);
        await t.server.request({ type: "statsReset" });
        const run = await load(t.name, t.url, { body: t.body, headers: t.headers });
        const server = await t.server.request<ProcessStats>({ type: "stats" });
        // CPU time per request of the serving process: unlike req/s, it barely depends on how
        // many other processes share the cores.
        figures[i] = { ...run, cpuUsPerRequest: run.reqPerSec ? (server.cpuMs * 1000) / (run.reqPerSec * DURATION) : NaN };
      }
      rounds.push(figures);
    }
    const peak = targets.map((t, i) => {
      const runs = rounds.map((r) => r[i]);
      return {
        target: t.name,
        reqPerSec: Math.round(median(runs.map((r) => r.reqPerSec))),
        p50Ms: median(runs.map((r) => r.p50Ms)),
        p99Ms: median(runs.map((r) => r.p99Ms)),
        ratioToBare: round(median(rounds.map((r) => r[i].reqPerSec / r[0].reqPerSec)), 3),
        cpuUsPerRequest: round(median(runs.map((r) => r.cpuUsPerRequest))),
        cpuRatioToBare: round(median(rounds.map((r) => r[0].cpuUsPerRequest / r[i].cpuUsPerRequest)), 3),
        runsReqPerSec: runs.map((r) => r.reqPerSec),
        non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
        errors: runs.reduce((n, r) => n + r.errors, 0),
      };
    });
    printTable(
      `Peak throughput (${CONNECTIONS} connections, ${ROUNDS} rounds × ${DURATION} s, medians; ratio = req/s ÷ bare req/s of the same round, target ≥ ${TARGETS.throughputRatio})`,
      peak.map((p) => ({
        target: p.target,
        "req/s": p.reqPerSec,
        "p50 ms": p.p50Ms,
        "p99 ms": p.p99Ms,
        ratio: p.ratioToBare,
        "rounds req/s": p.runsReqPerSec.join(" / "),
        "server CPU µs/req": p.cpuUsPerRequest,
        "bare CPU ÷ this": p.cpuRatioToBare,
        "non2xx+err": p.non2xx + p.errors,
      })),
    );
    const countingCost = {
      inProcess: counting,
      ratio: round(median(rounds.map((r) => r[COUNTED].reqPerSec / r[UNCOUNTED].reqPerSec)), 3),
      rounds: rounds.map((r) => round(r[COUNTED].reqPerSec / r[UNCOUNTED].reqPerSec, 3)),
      countedReqPerSec: peak[COUNTED].reqPerSec,
      uncountedReqPerSec: peak[UNCOUNTED].reqPerSec,
    };
    console.log(
      `\nCounting for /metrics: /api/v1/evaluate with counting ÷ without, same rounds: ${countingCost.ratio} (median; rounds ${countingCost.rounds.join(" / ")}); ` +
        `${countingCost.countedReqPerSec} vs ${countingCost.uncountedReqPerSec} req/s, ${FLAG_COUNT} flags counted per request`,
    );
    if (PEAK_ONLY) {
      mkdirSync(path.join(here, "results"), { recursive: true });
      writeFileSync(
        path.join(here, "results", "evaluation-peak.json"),
        `${JSON.stringify({ at: new Date().toISOString(), settings: { connections: CONNECTIONS, durationSeconds: DURATION, rounds: ROUNDS, flags: FLAG_COUNT }, peak, countingCost }, null, 2)}\n`,
      );
      console.log("written: bench/results/evaluation-peak.json");
      if (peak[1].ratioToBare < TARGETS.throughputRatio || peak[2].ratioToBare < TARGETS.throughputRatio) process.exitCode = 1;
      return;
    }

    // Each paced run is bracketed by the server's own event-loop delay and GC pauses, and the
    // generator reports its own: a p99 with no matching stall in the server is not the endpoint's.
    const half: (PacedResult & { server: ProcessStats })[] = [];
    const halfBursty: LoadFigures[] = [];
    for (const [i, t] of targets.slice(0, 3).entries()) {
      const rate = Math.max(1, Math.floor(peak[i].reqPerSec / 2));
      console.log(`half load: ${t.name} at ${rate} req/s`);
      await t.server.request({ type: "statsReset" });
      const paced = await generator.paced({ target: t.name, url: t.url, body: t.body, headers: t.headers, rate, durationSeconds: HALF_DURATION });
      half.push({ ...paced, server: await t.server.request<ProcessStats>({ type: "stats" }) });
      halfBursty.push(await load(t.name, t.url, { body: t.body, headers: t.headers, overallRate: rate, duration: HALF_DURATION }));
    }
    printTable(
      `Half of each peak, ${HALF_DURATION} s (target p99 ≤ ${TARGETS.p99AtHalfMs} ms). Paced: evenly spaced open-loop requests; ` +
        `autocannon overallRate: each connection sends its per-second quota in one burst`,
      half.map((h, i) => ({
        target: h.target,
        "rate req/s": h.rate,
        "paced p50 ms": h.p50Ms,
        "paced p99 ms": h.p99Ms,
        "paced max ms": h.maxMs,
        "autocannon p50 ms": halfBursty[i].p50Ms,
        "autocannon p99 ms": halfBursty[i].p99Ms,
        "non2xx+err": h.non2xx + h.errors + halfBursty[i].non2xx + halfBursty[i].errors,
      })),
    );
    printTable(
      "During each paced run: the server's and the generator's event-loop delay (p99 / max ms) and longest GC pause (ms, major collections)",
      half.map((h) => ({
        target: h.target,
        "server loop p99/max": `${h.server.loopP99Ms} / ${h.server.loopMaxMs}`,
        "server GC max (major)": `${h.server.gcMaxMs} (${h.server.gcMajor})`,
        "generator loop p99/max": h.generator ? `${h.generator.loopP99Ms} / ${h.generator.loopMaxMs}` : "—",
        "generator GC max (major)": h.generator ? `${h.generator.gcMaxMs} (${h.generator.gcMajor})` : "—",
      })),
    );

    const propagation = await measurePropagation(app, environmentId, auth);
    printTable(`Kill-switch propagation over ${TRIALS} trials (ms from commit)`, [
      { path: "same instance → SSE subscriber", median: round(median(propagation.sse)), max: round(Math.max(...propagation.sse)), target: `≤ ${TARGETS.sseMs}` },
      { path: `same instance → client polling every ${POLL_INTERVAL_MS / 1000} s`, median: round(median(propagation.poll)), max: round(Math.max(...propagation.poll)), target: `≤ ${TARGETS.pollMs}` },
      { path: "other instance (NOTIFY) → SSE subscriber", median: round(median(propagation.notify)), max: round(Math.max(...propagation.notify)), target: `≤ ${TARGETS.sseMs}` },
    ]);

    const verdicts = verdictTable([
      ...[1, 2].map((i) => ({
        figure: `${targets[i].name}, peak throughput`,
        value: `${peak[i].reqPerSec} req/s, ratio ${peak[i].ratioToBare} (rounds ${rounds.map((r) => round(r[i].reqPerSec / r[0].reqPerSec, 2)).join(" / ")})`,
        reference: `bare ${peak[0].reqPerSec} req/s; server CPU per request: bare ÷ this ${peak[i].cpuRatioToBare}`,
        target: `≥ ${TARGETS.throughputRatio} × bare`,
        met: peak[i].ratioToBare >= TARGETS.throughputRatio,
      })),
      ...[1, 2].map((i) => ({
        figure: `${targets[i].name}, p99 at half of peak (paced)`,
        value: `${half[i].p99Ms} ms (p50 ${half[i].p50Ms}, ${half[i].rate} req/s)`,
        reference: `server loop max ${half[i].server.loopMaxMs} ms, generator loop max ${half[i].generator?.loopMaxMs ?? "—"} ms`,
        target: `≤ ${TARGETS.p99AtHalfMs} ms`,
        met: half[i].p99Ms <= TARGETS.p99AtHalfMs,
      })),
      {
        figure: "kill switch → SSE, same instance, max",
        value: `${round(Math.max(...propagation.sse))} ms`,
        reference: `median ${round(median(propagation.sse))} ms`,
        target: `≤ ${TARGETS.sseMs} ms`,
        met: Math.max(...propagation.sse) <= TARGETS.sseMs,
      },
      {
        figure: "kill switch → polling client, max",
        value: `${round(Math.max(...propagation.poll))} ms`,
        reference: `poll interval ${POLL_INTERVAL_MS} ms`,
        target: `≤ ${TARGETS.pollMs} ms`,
        met: Math.max(...propagation.poll) <= TARGETS.pollMs,
      },
      {
        figure: "kill switch → other instance's SSE, max",
        value: `${round(Math.max(...propagation.notify))} ms`,
        reference: `median ${round(median(propagation.notify))} ms`,
        target: `≤ ${TARGETS.sseMs} ms`,
        met: Math.max(...propagation.notify) <= TARGETS.sseMs,
      },
    ]);

    const results = {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
      settings: {
        connections: CONNECTIONS,
        durationSeconds: DURATION,
        rounds: ROUNDS,
        halfLoadSeconds: HALF_DURATION,
        trials: TRIALS,
        flags: FLAG_COUNT,
        responseBytes: Buffer.byteLength(sampleText),
      },
      peak,
      countingCost,
      halfLoad: { paced: half, autocannonOverallRate: halfBursty },
      propagationMs: {
        sse: { median: median(propagation.sse), max: Math.max(...propagation.sse), samples: propagation.sse },
        poll: { median: median(propagation.poll), max: Math.max(...propagation.poll), samples: propagation.poll, intervalMs: POLL_INTERVAL_MS },
        notifySse: { median: median(propagation.notify), max: Math.max(...propagation.notify), samples: propagation.notify },
      },
      targets: TARGETS,
      verdicts,
    };
    mkdirSync(path.join(here, "results"), { recursive: true });
    writeFileSync(path.join(here, "results", "evaluation.json"), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nwritten: bench/results/evaluation.json`);
    if (!verdicts.every((v) => v.met)) process.exitCode = 1;
  } finally {
    generator.stop();
    for (const c of children) await c.stop().catch(() => undefined);
    const { db } = await import("@/lib/server/db");
    await db.$disconnect().catch(() => undefined);
    await database.drop().catch((e) => console.error("could not drop the bench database:", e));
  }
}

/** Per evaluated flag: evaluateFlag alone vs evaluateFlag + the lean path's counting calls. */
async function measureCountingCost(environmentId: string) {
  const store = testStore();
  await store.start();
  const snapshot = store.snapshot(environmentId)!;
  await store.stop();
  const counts = new ServingCounts(createLabelCaps(500));
  const contexts = Array.from({ length: 1000 }, (_, i) => ({ ...CONTEXT, userId: `user-${i}` }));
  const env = snapshot.environmentKey;
  let sink = 0;
  const block = (count: boolean, requests: number): number => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < requests; i++) {
      const context = contexts[i % contexts.length]!;
      for (const flag of snapshot.flagList) {
        const r = evaluateFlag(flag, context, { rng: Math.random });
        sink += r.variant.length;
        if (count) {
          counts.evaluation(env, r.flagKey, r.reason);
          if (r.rollout) counts.exposure(env, r.flagKey, r.rollout.id, r.rollout.arm);
        }
      }
    }
    return Number(process.hrtime.bigint() - started) / (requests * snapshot.flagList.length);
  };
  for (let i = 0; i < 5; i++) {
    block(true, 2000);
    block(false, 2000);
  }
  const withNs: number[] = [];
  const withoutNs: number[] = [];
  for (let i = 0; i < 40; i++) {
    if (i % 2) {
      withNs.push(block(true, 1000));
      withoutNs.push(block(false, 1000));
    } else {
      withoutNs.push(block(false, 1000));
      withNs.push(block(true, 1000));
    }
  }
  // The counting calls alone, over precomputed results: an absolute bound on what they add.
  const results = contexts.slice(0, 100).flatMap((context) => snapshot.flagList.map((flag) => evaluateFlag(flag, context, { rng: Math.random })));
  const countingOnly: number[] = [];
  for (let b = 0; b < 20; b++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < 50; i++) {
      for (const r of results) {
        counts.evaluation(env, r.flagKey, r.reason);
        if (r.rollout) counts.exposure(env, r.flagKey, r.rollout.id, r.rollout.arm);
      }
    }
    countingOnly.push(Number(process.hrtime.bigint() - started) / (50 * results.length));
  }
  if (sink < 0) console.log(sink);
  const w = median(withNs);
  const wo = median(withoutNs);
  return {
    flags: snapshot.flagList.length,
    "with counting ns": round(w),
    "without ns": round(wo),
    "added ns": round(w - wo),
    ratio: round(w / wo, 3),
    "counting calls alone ns": round(median(countingOnly), 2),
  };
}

/**
 * Trials alternate: kill switch on (measured) then off (waited for, not measured), with a random
 * pause so commits land at random points of the poller's 1-second cycle.
 */
async function measurePropagation(app: Child, environmentId: string, auth: Record<string, string>) {
  const stream = await openSse(`${app.url}/api/v1/stream`, auth);
  await stream.next();
  const seen = { variant: "", at: 0 };
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const started = Date.now();
      const res = await fetch(`${app.url}/api/v1/evaluate`, {
        method: "POST",
        headers: { "content-type": "application/json", ...auth },
        body: JSON.stringify({ context: CONTEXT, flags: [KILL_FLAG] }),
      });
      const variant = ((await res.json()) as { flags: Record<string, { variant: string }> }).flags[KILL_FLAG].variant;
      if (variant !== seen.variant) Object.assign(seen, { variant, at: Date.now() });
      await new Promise((r) => setTimeout(r, Math.max(0, POLL_INTERVAL_MS - (Date.now() - started))));
    }
  })();
  const waitUntil = async (check: () => boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error("propagation trial timed out");
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  const sse: number[] = [];
  const poll: number[] = [];
  const notify: number[] = [];
  try {
    await waitUntil(() => seen.variant !== "");
    for (let trial = 0; trial < TRIALS; trial++) {
      await new Promise((r) => setTimeout(r, Math.random() * POLL_INTERVAL_MS));
      const on = await app.request<{ at: number; version: string }>({ type: "killSwitch", environmentId, flagKey: KILL_FLAG, enabled: true });
      const event = await stream.next((e) => BigInt(e.id ?? "0") >= BigInt(on.version), 5000);
      sse.push(event.receivedAt - on.at);
      await waitUntil(() => seen.variant === "safe");
      poll.push(seen.at - on.at);
      const off = await app.request<{ at: number; version: string }>({ type: "killSwitch", environmentId, flagKey: KILL_FLAG, enabled: false });
      await stream.next((e) => BigInt(e.id ?? "0") >= BigInt(off.version), 5000);
      await waitUntil(() => seen.variant !== "safe");
    }
    // Another instance commits (this process: no in-process event reaches the server) → NOTIFY.
    for (let trial = 0; trial < TRIALS; trial++) {
      const { configVersion } = await setKillSwitch(environmentId, KILL_FLAG, trial % 2 === 0, { emit: false });
      const committedAt = Date.now();
      const event = await stream.next((e) => BigInt(e.id ?? "0") >= BigInt(configVersion), 10_000);
      notify.push(event.receivedAt - committedAt);
    }
  } finally {
    polling = false;
    await poller.catch(() => undefined);
    stream.close();
  }
  return { sse, poll, notify };
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
