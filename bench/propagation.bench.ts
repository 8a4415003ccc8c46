/**
 * Cross-instance visibility: how long after a write on one instance another instance serves it.
 * Two evaluation server processes (bench/servers/evaluation-server.ts, the runtime's evaluation
 * layer: snapshot store with LISTEN + poll) on one database. Each trial turns a flag's kill switch
 * on or off through HTTP on A (`POST /bench/kill-switch`: the flags service, which commits,
 * audits and answers once A serves the change), while a client polls B's `POST /api/v1/evaluate`
 * back to back and an SSE client follows B's `/api/v1/stream`. B learns of the change only
 * through Postgres NOTIFY (its poll is set to 60 s, so the safety net cannot help).
 *
 * Figures per trial, in ms, all from the commit (A's answer carries the wall-clock time its
 * service announced the commit; both processes share the machine's clock): until B serves the
 * new variant to the polling client, until B's SSE event arrives; and, for reference, until A's
 * answer arrives and the whole write as the client saw it (transaction included; on a loaded
 * machine it dwarfs the propagation). Target: commit → B serves it, p99 ≤ 100 ms.
 * Env: BENCH_TRIALS (default 60).
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { resetEnvCache } from "@/lib/env";
import { migrateDatabase } from "@/lib/server/db/migrate";
import { createFreshDatabase } from "@/scripts/lib/test-db";
import { createApiKey } from "@/tests/integration/evaluation/fixtures";
import { openSse } from "@/tests/integration/evaluation/server";
import { startChild, type Child } from "./lib/child";
import { percentile, printTable, round, verdictTable, writeResults } from "./lib/report";
import { KILL_FLAG, seedBenchmark } from "./lib/seed";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const TRIALS = Number(process.env.BENCH_TRIALS ?? 60);
const TARGET_P99_MS = 100;

const summary = (samples: number[]) => ({
  p50: round(percentile(samples, 50)),
  p99: round(percentile(samples, 99)),
  max: round(Math.max(...samples)),
});

async function main() {
  console.log(
    `Propagation benchmark — ${os.cpus().length} CPUs, node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}, ${TRIALS} trials`,
  );
  const database = await createFreshDatabase("rollgate_bench");
  const children: Child[] = [];
  try {
    await migrateDatabase({ databaseUrl: database.url, migrationsDir: path.join(root, "prisma/migrations") });
    process.env.DATABASE_URL = database.url;
    resetEnvCache();
    const { environmentId, apiKey } = await seedBenchmark();
    const { db } = await import("@/lib/server/db");
    const environment = (await db.environment.findUniqueOrThrow({ where: { id: environmentId } })).key;
    const manage = await createApiKey(environmentId, { scopes: ["manage"], name: "bench writer" });
    // B's version poll far apart: only NOTIFY can bring it the change within a trial.
    const a = await startChild("evaluation-server.ts", { DATABASE_URL: database.url });
    children.push(a);
    const b = await startChild("evaluation-server.ts", { DATABASE_URL: database.url, ROLLGATE_SNAPSHOT_POLL_SECONDS: "60" });
    children.push(b);

    const auth = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
    const evaluateBody = JSON.stringify({ context: { userId: "user-1" }, flags: [KILL_FLAG] });
    const variantOnB = async () => {
      const res = await fetch(`${b.url}/api/v1/evaluate`, { method: "POST", headers: auth, body: evaluateBody });
      return ((await res.json()) as { flags: Record<string, { variant: string }> }).flags[KILL_FLAG]!.variant;
    };
    const write = async (enabled: boolean) => {
      const res = await fetch(`${a.url}/bench/kill-switch`, {
        method: "POST",
        headers: { authorization: `Bearer ${manage.key}`, "content-type": "application/json" },
        body: JSON.stringify({ environment, flag: KILL_FLAG, enabled }),
      });
      if (res.status !== 200) throw new Error(`kill switch write answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as { committedAt: number };
    };
    const stream = await openSse(`${b.url}/api/v1/stream`, { authorization: `Bearer ${apiKey}` });
    await stream.next();

    const toServed: number[] = [];
    const toSse: number[] = [];
    const toAnswer: number[] = [];
    const writeMs: number[] = [];
    const killed = "safe";
    let on = (await variantOnB()) !== killed;
    for (let trial = 0; trial < TRIALS; trial++) {
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
      const wanted = on;
      const sentAt = Date.now();
      const writing = write(wanted).then((answer) => ({ answer, at: Date.now() }));
      const event = stream.next((e) => e.receivedAt >= sentAt, 10_000).catch(() => null);
      let seenAt = 0;
      while (Date.now() < sentAt + 10_000) {
        if (((await variantOnB()) === killed) === wanted) {
          seenAt = Date.now();
          break;
        }
      }
      const written = await writing;
      const pushed = await event;
      if (!seenAt || !pushed) throw new Error(`trial ${trial}: B did not serve the change within 10 s`);
      const committedAt = written.answer.committedAt;
      if (!(committedAt >= sentAt)) throw new Error(`trial ${trial}: A's answer names no commit time`);
      toServed.push(seenAt - committedAt);
      toSse.push(pushed.receivedAt - committedAt);
      toAnswer.push(written.at - committedAt);
      writeMs.push(written.at - sentAt);
      on = !on;
    }
    stream.close();

    const rows = [
      { figure: "commit on A → B serves it (client polling B)", ...summary(toServed) },
      { figure: "commit on A → SSE event from B", ...summary(toSse) },
      { figure: "commit on A → A's answer (A serves it: read-your-writes)", ...summary(toAnswer) },
      { figure: "the write as its client saw it (transaction included)", ...summary(writeMs) },
    ];
    printTable(
      `Cross-instance visibility over Postgres NOTIFY, ${TRIALS} trials (ms)`,
      rows.map((r) => ({ figure: r.figure, p50: r.p50, p99: r.p99, max: r.max })),
    );
    const verdicts = verdictTable([
      {
        figure: "another instance serves a write, p99",
        value: `${rows[0].p99} ms (p50 ${rows[0].p50}, max ${rows[0].max})`,
        reference: `the writing instance: p99 ${rows[2].p99} ms`,
        target: `≤ ${TARGET_P99_MS} ms`,
        met: rows[0].p99 <= TARGET_P99_MS,
      },
    ]);
    writeResults("propagation", {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, loadavg: os.loadavg() },
      trials: TRIALS,
      rows,
      samples: { toServed, toSse, toAnswer, writeMs },
      verdicts,
    });
    if (!verdicts.every((v) => v.met)) process.exitCode = 1;
  } finally {
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
