/**
 * Soak benchmark: does an instance stay as fast and as small under sustained load? The lean
 * evaluation layer (bench/servers/evaluation-server.ts: the runtime's hot path, exposure flusher
 * and key-usage writer included) serves ten rounds of POST /api/v1/evaluate for one flag under a
 * 25% canary — the path that counts exposures and key use on every request — from a load
 * generator in its own process, a different context every round. Each round reports req/s, p99,
 * the server's RSS and its heap after a full GC (the server runs with --expose-gc: heap used
 * without a GC measures garbage not yet collected, not what is kept), and its worst event-loop delay.
 *
 * Targets: the last round's throughput within 5% of the first's; memory stable after warm-up:
 * RSS and heap of rounds 3–10 each within ±5% of their median, and no steady growth (their
 * least-squares slope under 0.5% of the median per round). Reference in the same run: a bare
 * node:http server answering the same bytes, one round before and one after, so drift of the
 * shared machine shows. SOAK_HEAP_SNAPSHOTS=1 also writes heap snapshots after round 2 and the
 * last (bench/results/profiles/) and prints what grew between them, by constructor
 * (bench/lib/heap-diff.ts); writing them costs RSS, so the memory verdict then means less.
 * Env: SOAK_ROUNDS (default 10), SOAK_SECONDS (default 8), BENCH_CONNECTIONS (default 50).
 */
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { resetEnvCache } from "@/lib/env";
import { migrateDatabase } from "@/lib/server/db/migrate";
import { createFreshDatabase } from "@/scripts/lib/test-db";
import { startChild, type Child } from "./lib/child";
import { startLoadProcess } from "./lib/load-process";
import { heapGrowth } from "./lib/heap-diff";
import { median, printTable, round, verdictTable, writeResults } from "./lib/report";
import { ROLLOUT_FLAG, seedBenchmark } from "./lib/seed";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const ROUNDS = Number(process.env.SOAK_ROUNDS ?? 10);
const SECONDS = Number(process.env.SOAK_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SNAPSHOTS = process.env.SOAK_HEAP_SNAPSHOTS === "1";
const TARGETS = { lastVsFirst: 0.05, warmRounds: 3, bandAroundMedian: 0.05, maxSlopePerRound: 0.005 };

interface Memory {
  rss: number;
  heapUsed: number;
}

/** Memory after warm-up: every value within ±band of the median, and the least-squares slope per round under maxSlope × median. */
function stable(values: number[]): { ok: boolean; spread: number; slope: number } {
  const m = median(values);
  const spread = Math.max(...values.map((v) => Math.abs(v / m - 1)));
  const n = values.length;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  values.forEach((y, x) => ((num += (x - meanX) * (y - meanY)), (den += (x - meanX) ** 2)));
  const slope = den ? num / den / m : 0;
  return { ok: spread <= TARGETS.bandAroundMedian && slope <= TARGETS.maxSlopePerRound, spread, slope };
}

async function main() {
  console.log(
    `Soak benchmark — ${os.cpus().length} CPUs, node ${process.version}, ${ROUNDS} rounds × ${SECONDS} s, ${CONNECTIONS} connections, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  const database = await createFreshDatabase("rollgate_bench");
  const children: Child[] = [];
  const generator = await startLoadProcess();
  try {
    await migrateDatabase({ databaseUrl: database.url, migrationsDir: path.join(root, "prisma/migrations") });
    process.env.DATABASE_URL = database.url;
    resetEnvCache();
    const { apiKey } = await seedBenchmark();
    const headers = { authorization: `Bearer ${apiKey}` };
    const app = await startChild("evaluation-server.ts", { DATABASE_URL: database.url }, ["--expose-gc"]);
    children.push(app);
    let user = 0;
    const body = () => JSON.stringify({ context: { userId: `soak-${user++}` }, flags: [ROLLOUT_FLAG] });
    // A slow database can leave the server not yet loaded (503) when it says ready: wait for it.
    let sample = await fetch(`${app.url}/api/v1/evaluate`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: body() });
    for (const deadline = Date.now() + 60_000; sample.status === 503 && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 500));
      sample = await fetch(`${app.url}/api/v1/evaluate`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: body() });
    }
    const sampleText = await sample.text();
    if (sample.status !== 200 || !sampleText.includes('"rollout"')) throw new Error(`unexpected evaluate answer ${sample.status}: ${sampleText.slice(0, 300)}`);
    const bare = await startChild("bare-server.ts", { BENCH_BARE_BODY: sampleText });
    children.push(bare);

    const bareRound = async () => (await generator.peak({ target: "bare", url: bare.url, body: body(), connections: CONNECTIONS, duration: SECONDS })).reqPerSec;
    const bareBefore = await bareRound();
    const rows: { round: number; reqPerSec: number; p99Ms: number; rssMb: number; heapMb: number; loopMaxMs: number; failed: number }[] = [];
    const snapshots: string[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      await app.request({ type: "statsReset" });
      const figures = await generator.peak({ target: "evaluate", url: `${app.url}/api/v1/evaluate`, body: body(), headers, connections: CONNECTIONS, duration: SECONDS });
      const stats = await app.request<{ loopMaxMs: number }>({ type: "stats" });
      const memory = await app.request<Memory>({ type: "memory" });
      rows.push({
        round: r,
        reqPerSec: figures.reqPerSec,
        p99Ms: figures.p99Ms,
        rssMb: round(memory.rss / 2 ** 20),
        heapMb: round(memory.heapUsed / 2 ** 20),
        loopMaxMs: stats.loopMaxMs,
        failed: figures.non2xx + figures.errors,
      });
      console.log(`round ${r}: ${figures.reqPerSec} req/s, RSS ${round(memory.rss / 2 ** 20)} MB, heap after GC ${round(memory.heapUsed / 2 ** 20)} MB`);
      if (SNAPSHOTS && (r === 2 || r === ROUNDS)) {
        const file = path.join(here, "results", "profiles", `soak-round-${r}.heapsnapshot`);
        mkdirSync(path.dirname(file), { recursive: true });
        snapshots.push((await app.request<{ file: string }>({ type: "heapSnapshot", file })).file);
      }
    }
    const bareAfter = await bareRound();
    printTable(
      `Soak: POST /api/v1/evaluate (1 flag under a canary), ${ROUNDS} rounds × ${SECONDS} s`,
      rows.map((r) => ({
        round: r.round,
        "req/s": r.reqPerSec,
        "p99 ms": r.p99Ms,
        "RSS MB": r.rssMb,
        "heap after GC MB": r.heapMb,
        "loop max ms": r.loopMaxMs,
        "non2xx+err": r.failed,
      })),
    );
    let growth: ReturnType<typeof heapGrowth> | null = null;
    if (snapshots.length === 2) {
      growth = heapGrowth(snapshots[0], snapshots[1], 10);
      printTable(
        `Reachable heap, round 2 → ${ROUNDS}: ${round(growth.beforeBytes / 2 ** 20, 2)} → ${round(growth.afterBytes / 2 ** 20, 2)} MB; what grew most`,
        growth.growth.map((g) => ({ group: g.group, "added bytes": g.addedBytes, "added objects": g.addedCount, objects: g.count })),
      );
    }
    const first = rows[0];
    const last = rows[rows.length - 1];
    const warm = rows.slice(TARGETS.warmRounds - 1);
    const change = last.reqPerSec / first.reqPerSec - 1;
    const rss = stable(warm.map((r) => r.rssMb));
    const heap = stable(warm.map((r) => r.heapMb));
    const pct = (x: number) => `${round(x * 100)}%`;
    const band = `rounds ${TARGETS.warmRounds}–${ROUNDS} within ±${pct(TARGETS.bandAroundMedian)} of their median, slope ≤ ${pct(TARGETS.maxSlopePerRound)}/round`;
    const verdicts = verdictTable([
      {
        figure: "throughput, last round vs first",
        value: `${first.reqPerSec} → ${last.reqPerSec} req/s (${pct(change)})`,
        reference: `bare before/after ${bareBefore} / ${bareAfter} req/s (${pct(bareAfter / bareBefore - 1)})`,
        target: `within ±${pct(TARGETS.lastVsFirst)}`,
        met: Math.abs(change) <= TARGETS.lastVsFirst,
      },
      {
        figure: "RSS after warm-up",
        value: `${warm[0].rssMb} → ${last.rssMb} MB (spread ${pct(rss.spread)}, slope ${pct(rss.slope)}/round)`,
        reference: `round 1: ${first.rssMb} MB`,
        target: band,
        met: rss.ok,
      },
      {
        figure: "heap after GC, after warm-up",
        value: `${warm[0].heapMb} → ${last.heapMb} MB (spread ${pct(heap.spread)}, slope ${pct(heap.slope)}/round)`,
        reference: `round 1: ${first.heapMb} MB`,
        target: band,
        met: heap.ok,
      },
    ]);
    writeResults("soak", {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, loadavg: os.loadavg() },
      rounds: rows,
      bare: { before: bareBefore, after: bareAfter },
      heapGrowth: growth,
      targets: TARGETS,
      verdicts,
    });
    if (!verdicts.every((v) => v.met)) process.exitCode = 1;
  } finally {
    generator.stop();
    for (const c of children) await c.stop().catch(() => undefined);
    const { db } = await import("@/lib/server/db");
    await db.$disconnect().catch(() => undefined);
    await database.drop().catch((e) => console.error("could not drop the bench database:", e));
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
