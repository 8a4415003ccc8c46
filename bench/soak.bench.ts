/**
 * Soak benchmark: does an instance stay as fast and as small under sustained load? The lean
 * evaluation layer (bench/servers/evaluation-server.ts: the runtime's hot path, exposure flusher
 * and key-usage writer included) serves ten rounds of POST /api/v1/evaluate for one flag under a
 * 25% canary — the path that counts exposures and key use on every request — from a load
 * generator in its own process. Each round reports req/s and the server's RSS and heap.
 *
 * Targets: the last round's throughput within 5% of the first's; RSS stable after warm-up (the
 * last round's within 10% of round 3's). Reference in the same run: a bare node:http server
 * answering the same bytes, one round before and one after, so drift of the shared machine shows.
 * Env: SOAK_ROUNDS (default 10), SOAK_SECONDS (default 8), BENCH_CONNECTIONS (default 50).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { resetEnvCache } from "@/lib/env";
import { migrateDatabase } from "@/lib/server/db/migrate";
import { createFreshDatabase } from "@/scripts/lib/test-db";
import { startChild, type Child } from "./lib/child";
import { startLoadProcess } from "./lib/load-process";
import { printTable, round } from "./lib/report";
import { ROLLOUT_FLAG, seedBenchmark } from "./lib/seed";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const ROUNDS = Number(process.env.SOAK_ROUNDS ?? 10);
const SECONDS = Number(process.env.SOAK_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TARGETS = { lastVsFirst: 0.05, rssGrowthAfterWarmup: 0.1 };

interface Memory {
  rss: number;
  heapUsed: number;
}

async function main() {
  console.log(`Soak benchmark — ${os.cpus().length} CPUs, node ${process.version}, ${ROUNDS} rounds × ${SECONDS} s, ${CONNECTIONS} connections`);
  const database = await createFreshDatabase("rollgate_bench");
  const children: Child[] = [];
  const generator = await startLoadProcess();
  try {
    await migrateDatabase({ databaseUrl: database.url, migrationsDir: path.join(root, "prisma/migrations") });
    process.env.DATABASE_URL = database.url;
    resetEnvCache();
    const { apiKey } = await seedBenchmark();
    const headers = { authorization: `Bearer ${apiKey}` };
    const app = await startChild("evaluation-server.ts", { DATABASE_URL: database.url });
    children.push(app);
    let user = 0;
    const body = () => JSON.stringify({ context: { userId: `soak-${user++}` }, flags: [ROLLOUT_FLAG] });
    const sample = await fetch(`${app.url}/api/v1/evaluate`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: body() });
    const sampleText = await sample.text();
    if (sample.status !== 200 || !sampleText.includes('"rollout"')) throw new Error(`unexpected evaluate answer ${sample.status}: ${sampleText.slice(0, 300)}`);
    const bare = await startChild("bare-server.ts", { BENCH_BARE_BODY: sampleText });
    children.push(bare);

    const bareRound = async () => (await generator.peak({ target: "bare", url: bare.url, body: body(), connections: CONNECTIONS, duration: SECONDS })).reqPerSec;
    const bareBefore = await bareRound();
    const rows: { round: number; reqPerSec: number; p99Ms: number; rssMb: number; heapMb: number; failed: number }[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      const figures = await generator.peak({ target: "evaluate", url: `${app.url}/api/v1/evaluate`, body: body(), headers, connections: CONNECTIONS, duration: SECONDS });
      const memory = await app.request<Memory>({ type: "memory" });
      rows.push({ round: r, reqPerSec: figures.reqPerSec, p99Ms: figures.p99Ms, rssMb: round(memory.rss / 2 ** 20), heapMb: round(memory.heapUsed / 2 ** 20), failed: figures.non2xx + figures.errors });
      console.log(`round ${r}: ${figures.reqPerSec} req/s, RSS ${round(memory.rss / 2 ** 20)} MB`);
    }
    const bareAfter = await bareRound();
    printTable(`Soak: POST /api/v1/evaluate (1 flag under a canary), ${ROUNDS} rounds × ${SECONDS} s`, rows.map((r) => ({
      round: r.round,
      "req/s": r.reqPerSec,
      "p99 ms": r.p99Ms,
      "RSS MB": r.rssMb,
      "heap MB": r.heapMb,
      "non2xx+err": r.failed,
    })));
    const first = rows[0];
    const last = rows[rows.length - 1];
    const warm = rows[Math.min(2, rows.length - 1)];
    const change = last.reqPerSec / first.reqPerSec - 1;
    const rssGrowth = last.rssMb / warm.rssMb - 1;
    printTable("Reference and targets", [
      { figure: "bare node:http before / after (req/s)", value: `${bareBefore} / ${bareAfter}`, target: "—" },
      { figure: "evaluate ÷ bare, first round", value: round(first.reqPerSec / bareBefore, 3), target: "—" },
      { figure: "last round vs first (req/s)", value: `${round(change * 100)}%`, target: `within ±${TARGETS.lastVsFirst * 100}%` },
      { figure: "RSS, last round vs round 3", value: `${round(rssGrowth * 100)}%`, target: `≤ +${TARGETS.rssGrowthAfterWarmup * 100}%` },
    ]);
    const verdicts = { flatThroughput: Math.abs(change) <= TARGETS.lastVsFirst, stableMemory: rssGrowth <= TARGETS.rssGrowthAfterWarmup };
    printTable("Targets", Object.entries(verdicts).map(([check, ok]) => ({ check, result: ok ? "met" : "MISSED" })));
    mkdirSync(path.join(here, "results"), { recursive: true });
    writeFileSync(
      path.join(here, "results", "soak.json"),
      `${JSON.stringify({ at: new Date().toISOString(), machine: { cpus: os.cpus().length, node: process.version }, rounds: rows, bare: { before: bareBefore, after: bareAfter }, targets: TARGETS, verdicts }, null, 2)}\n`,
    );
    console.log("\nwritten: bench/results/soak.json");
    if (!Object.values(verdicts).every(Boolean)) process.exitCode = 1;
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
