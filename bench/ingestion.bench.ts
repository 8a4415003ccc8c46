/**
 * Ingestion benchmark: POST /api/v1/events sustained for BENCH_SECONDS (default 60) through the
 * real HTTP endpoint — the events fast route as the runtime registers it, on node:http in a
 * child process — with nothing lost: every event sent must be counted in the rollups.
 *
 * Three rates, measured in the same run on the same fresh database:
 *   1. HTTP:       batches of 1,000 events from BENCH_CONNECTIONS (default 4) keep-alive clients;
 *   2. service:    the same batches handed to ingestEvents() in-process (no HTTP, no JSON parse);
 *   3. reference:  plain multi-row INSERTs (1,000 rows each) of events from the same generator
 *                  into a table with the raw-events table's columns and indexes, same
 *                  concurrency — the cost of just storing them, without validation, idempotency
 *                  bookkeeping or rollups.
 * HTTP and the reference alternate in BENCH_ROUNDS (default 3) rounds, so a machine whose load
 * changes during the run weighs on both alike; each rate is over all its rounds.
 * Targets: ≥ 20,000 events/s over HTTP and ≥ 0.6 × the plain INSERT; a miss (or a lost or
 * double-counted event) exits non-zero. Writes bench/results/ingestion.json.
 * BENCH_PROFILE=1 writes a V8 CPU profile of the HTTP server to bench/results/profiles/.
 *
 *   BENCH_SECONDS=60 npx tsx bench/ingestion.bench.ts
 */
import { fork, type ChildProcess } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), "..");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const SERVICE_SECONDS = Math.max(5, Math.round(SECONDS / 3));
const BATCH = 1000;
const TARGET_EVENTS_PER_SECOND = 20_000;
const TARGET_RATIO = 0.6;

// ---------------------------------------------------------------------------------------------
// Child: the HTTP server (the same fast route the runtime registers in front of Next).

async function serve(): Promise<void> {
  const { eventsFastRoute } = await import("../lib/server/services/metrics/events-endpoint");
  const server = createServer(async (req, res) => {
    try {
      if (await eventsFastRoute(req, res)) return;
      res.writeHead(404).end();
    } catch (error) {
      console.error(error);
      if (!res.headersSent) res.writeHead(500).end();
    }
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, "127.0.0.1", () => process.send!({ type: "ready", url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  process.on("message", (m: { type: string }) => {
    if (m.type === "cpu") process.send!({ type: "cpu", usage: process.cpuUsage() });
    if (m.type === "stop") {
      server.closeAllConnections();
      server.close(() => process.exit(0));
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Parent: data, load, checks, reference.

interface Setup {
  environmentId: string;
  /** Per rollout: one flag each (a flag has at most one active rollout). */
  flagKeys: Record<string, string>;
  rolloutIds: string[];
  apiKey: string;
}

async function seed(client: pg.Client): Promise<Setup> {
  const environmentId = (await client.query<{ id: string }>(`INSERT INTO environments (id, key, name) VALUES (gen_random_uuid(), 'bench', 'Bench') RETURNING id`)).rows[0].id;
  const started = new Date(Date.now() - 2 * 3_600_000);
  const rolloutIds: string[] = [];
  const flagKeys: Record<string, string> = {};
  // One rollout (and flag) per phase — HTTP, service — so each phase's totals are checked on their own.
  for (const phase of ["http", "service"]) {
    const flagKey = `support-bot-${phase}.model`;
    const flagId = (
      await client.query<{ id: string }>(
        `INSERT INTO flags (id, environment_id, key, kind, variants, default_variant, fallback_variant, salt, updated_at)
         VALUES (gen_random_uuid(), $1, $2, 'model', '[{"key":"gpt-4o","payload":{"model":"gpt-4o"}},{"key":"claude","payload":{"model":"claude-sonnet-4"}}]', 'gpt-4o', 'gpt-4o', 's1', now())
         RETURNING id`,
        [environmentId, flagKey],
      )
    ).rows[0].id;
    const id = randomUUID();
    await client.query(
      `INSERT INTO rollouts (id, environment_id, flag_id, strategy, state, control_variant, treatment_variant, salt, current_stage_index, stage_started_at, started_at, created_by_id, updated_at)
       VALUES ($1, $2, $3, 'canary', 'running', 'gpt-4o', 'claude', 's1', 0, $4, $4, 'bench', now())`,
      [id, environmentId, flagId, started],
    );
    await client.query(
      `INSERT INTO rollout_stages (id, rollout_id, index, traffic_basis_points, min_bake_seconds, min_samples_per_arm, started_at) VALUES (gen_random_uuid(), $1, 0, 5000, 0, 1000, $2)`,
      [id, started],
    );
    rolloutIds.push(id);
    flagKeys[id] = flagKey;
  }
  const apiKey = `rg_${randomBytes(24).toString("base64url")}`;
  await client.query(`INSERT INTO api_keys (id, environment_id, name, prefix, key_hash, scopes, rate_limit_per_second) VALUES (gen_random_uuid(), $1, 'bench ingest', $2, $3, '{ingest}', 1000000)`, [
    environmentId,
    apiKey.slice(0, 10),
    createHash("sha256").update(apiKey).digest("hex"),
  ]);
  return { environmentId, flagKeys, rolloutIds, apiKey };
}

/** A realistic batch: both arms, a spread of minutes over the last hour, models, tokens, errors, feedback. */
function makeBatch(setup: Setup, rolloutId: string, batchNo: number, now: number): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < BATCH; i++) {
    const treatment = i % 2 === 1;
    const failed = i % 37 === 0;
    const event: Record<string, unknown> = {
      id: `${rolloutId.slice(0, 8)}-${batchNo}-${i}`,
      timestamp: now - ((batchNo * 7 + i) % 3_600) * 1000,
      flagKey: setup.flagKeys[rolloutId],
      variant: treatment ? "claude" : "gpt-4o",
      rolloutId,
      arm: treatment ? "treatment" : "control",
      subjectKey: `user-${(batchNo * 31 + i) % 5000}`,
      requestId: `req-${batchNo}-${i}`,
      model: treatment ? "anthropic/claude-sonnet-4" : "gpt-4o",
      latencyMs: 300 + ((i * 7919 + batchNo) % 2500),
      inputTokens: 600 + (i % 400),
      outputTokens: failed ? 0 : 150 + (i % 250),
      success: !failed,
    };
    if (failed) event.errorType = i % 2 ? "timeout" : "rate_limited";
    if (i % 7 === 0) event.feedback = i % 3 ? 1 : -1;
    if (i % 2 === 0) event.qualityScore = ((i % 100) + 0.5) / 101;
    if (i % 50 === 0) event.retried = true;
    events.push(event);
  }
  return events;
}

async function rolloutCount(client: pg.Client, rolloutId: string): Promise<{ minute: number; hourly: number; raw: number; histogram: number }> {
  const minute = await client.query(`SELECT COALESCE(sum(count), 0)::float8 AS n, COALESCE(sum(latency_count), 0)::float8 AS l FROM metric_rollups WHERE rollout_id = $1`, [rolloutId]);
  const hourly = await client.query(`SELECT COALESCE(sum(count), 0)::float8 AS n FROM metric_rollups_hourly WHERE rollout_id = $1`, [rolloutId]);
  const raw = await client.query(`SELECT count(*)::float8 AS n FROM metric_events WHERE rollout_id = $1`, [rolloutId]);
  const hist = await client.query(`SELECT COALESCE(sum(value::bigint), 0)::float8 AS n FROM metric_rollups, jsonb_each_text(latency_histogram) WHERE rollout_id = $1`, [rolloutId]);
  return { minute: Number(minute.rows[0].n), hourly: Number(hourly.rows[0].n), raw: Number(raw.rows[0].n), histogram: Number(hist.rows[0].n) };
}

/**
 * CPU seconds the database's backends have used so far, per backend pid, from /proc (Postgres on
 * this machine; an empty map when it is elsewhere). Differences between two readings are the
 * database's CPU cost of what ran in between, whatever else loads the machine.
 */
async function databaseCpu(client: pg.Client): Promise<Map<number, number>> {
  const { rows } = await client.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      out.set(pid, (Number(fields[11]) + Number(fields[12])) / 100); // utime + stime, in USER_HZ (100) ticks
    } catch {
      // not on this machine, or gone
    }
  }
  return out;
}

function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, t] of after) total += t - (before.get(pid) ?? 0);
  return total;
}

interface Tally {
  events: number;
  seconds: number;
  batches: number;
}

/**
 * Runs `worker` on `connections` loops until `seconds` pass, adding to `tally` (events done,
 * elapsed seconds, batches started: batch numbers continue from `tally.batches`, so rounds of
 * the same tally never reuse an event id).
 */
async function sustained(seconds: number, connections: number, worker: (batchNo: number) => Promise<number>, tally: Tally = { events: 0, seconds: 0, batches: 0 }): Promise<Tally> {
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const done = await worker(tally.batches++); // not `tally.events += await …`: that reads it before awaiting
        tally.events += done;
      }
    }),
  );
  tally.seconds += (performance.now() - start) / 1000;
  return tally;
}

const RAW_COLUMNS = [
  "environment_id",
  "id",
  "occurred_at",
  "flag_key",
  "variant",
  "rollout_id",
  "arm",
  "subject_key",
  "request_id",
  "model",
  "latency_ms",
  "input_tokens",
  "output_tokens",
  "success",
  "error_type",
  "feedback",
  "retried",
  "quality_score",
] as const;

function plainInsert(environmentId: string, events: Record<string, unknown>[]): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const rows = events.map((e) => {
    const row = [
      environmentId,
      e.id,
      new Date(e.timestamp as number),
      e.flagKey,
      e.variant,
      e.rolloutId,
      e.arm,
      e.subjectKey,
      e.requestId,
      e.model,
      e.latencyMs,
      e.inputTokens,
      e.outputTokens,
      e.success,
      e.errorType ?? null,
      e.feedback ?? null,
      e.retried ?? false,
      e.qualityScore ?? null,
    ];
    const base = values.length;
    values.push(...row);
    return `(${row.map((_, j) => `$${base + j + 1}`).join(", ")})`;
  });
  return { text: `INSERT INTO plain_events (${RAW_COLUMNS.join(", ")}) VALUES ${rows.join(", ")}`, values };
}

async function main(): Promise<void> {
  const { createFreshDatabase } = await import("../scripts/lib/test-db");
  const { migrateDatabase } = await import("../lib/server/db/migrate");
  const { printTable, round } = await import("./lib/report");
  const fresh = await createFreshDatabase("rollgate_bench_ingest");
  const admin = new pg.Client({ connectionString: fresh.url });
  let child: ChildProcess | undefined;
  try {
    await migrateDatabase({ databaseUrl: fresh.url, migrationsDir: path.join(root, "prisma/migrations") });
    await admin.connect();
    const setup = await seed(admin);
    await admin.query(`CREATE TABLE plain_events (LIKE metric_events INCLUDING DEFAULTS INCLUDING INDEXES)`);
    const now = Date.now();

    // 1. HTTP, against the fast route in a child process.
    const profile = process.env.BENCH_PROFILE === "1" ? ["--cpu-prof", `--cpu-prof-dir=${path.join(root, "bench/results/profiles")}`] : [];
    child = fork(self, [], { env: { ...process.env, ROLLGATE_BENCH_ROLE: "server", DATABASE_URL: fresh.url, ROLLGATE_DISABLE_WORKERS: "1" }, execArgv: ["--import", "tsx", ...profile] });
    const url = await new Promise<string>((resolve, reject) => {
      child!.once("message", (m: { type: string; url: string }) => (m.type === "ready" ? resolve(m.url) : reject(new Error("bad message"))));
      child!.once("exit", (code) => reject(new Error(`server exited ${code}`)));
    });
    let sent = 0;
    let accepted = 0;
    let refused = 0;
    const httpBatch = async (batchNo: number) => {
      const body = JSON.stringify({ events: makeBatch(setup, setup.rolloutIds[0], batchNo, now) });
      const res = await fetch(`${url}/api/v1/events`, { method: "POST", headers: { authorization: `Bearer ${setup.apiKey}`, "content-type": "application/json" }, body });
      sent += BATCH;
      if (!res.ok) {
        refused += 1;
        if (refused < 3) console.error(`HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
        return 0;
      }
      const r = (await res.json()) as { accepted: number; rejected: unknown[] };
      accepted += r.accepted;
      if (r.rejected.length && refused++ < 3) console.error("rejected:", JSON.stringify(r.rejected.slice(0, 2)));
      return r.accepted;
    };
    await httpBatch(-1); // warm-up: connections, key cache, JIT
    await httpBatch(-2);

    // 1 and 3 alternate: HTTP for a round, then the reference — plain multi-row INSERTs of
    // events from the same generator (batch numbers of its own), same concurrency — for half as long.
    const pool = new pg.Pool({ connectionString: fresh.url, max: CONNECTIONS });
    const referenceBatch = async (n: number) => {
      const { text, values } = plainInsert(setup.environmentId, makeBatch(setup, setup.rolloutIds[0], n, now));
      await pool.query(text, values);
      return BATCH;
    };
    await referenceBatch(-1); // warm-up
    const http: Tally = { events: 0, seconds: 0, batches: 0 };
    const reference: Tally = { events: 0, seconds: 0, batches: 0 };
    const roundSeconds = SECONDS / ROUNDS;
    console.log(`HTTP: ${CONNECTIONS} connections × batches of ${BATCH}, ${ROUNDS} rounds of ${round(roundSeconds)} s against ${url}, each followed by ${round(roundSeconds / 2)} s of plain INSERTs…`);
    const serverCpu = () =>
      new Promise<number>((resolve) => {
        child!.once("message", (m: { usage: { user: number; system: number } }) => resolve((m.usage.user + m.usage.system) / 1e6));
        child!.send({ type: "cpu" });
      });
    const cpu = { httpServer: 0, httpDatabase: 0, referenceDatabase: 0 };
    for (let r = 0; r < ROUNDS; r++) {
      const before = { events: http.events, seconds: http.seconds, refEvents: reference.events, refSeconds: reference.seconds };
      const [server0, db0] = [await serverCpu(), await databaseCpu(admin)];
      await sustained(roundSeconds, CONNECTIONS, httpBatch, http);
      const [server1, db1] = [await serverCpu(), await databaseCpu(admin)];
      await sustained(roundSeconds / 2, CONNECTIONS, referenceBatch, reference);
      const db2 = await databaseCpu(admin);
      cpu.httpServer += server1 - server0;
      cpu.httpDatabase += cpuSince(db0, db1);
      cpu.referenceDatabase += cpuSince(db1, db2);
      const h = (http.events - before.events) / (http.seconds - before.seconds);
      const p = (reference.events - before.refEvents) / (reference.seconds - before.refSeconds);
      console.log(`  round ${r + 1}: HTTP ${Math.round(h)} events/s, plain INSERT ${Math.round(p)} events/s, ratio ${round(h / p, 2)}`);
    }
    await pool.end();
    const httpCounts = await rolloutCount(admin, setup.rolloutIds[0]);
    await new Promise<void>((resolve) => {
      // Wait for the exit: with BENCH_PROFILE=1 the server writes its profile on the way out.
      child!.once("exit", () => resolve());
      child!.send({ type: "stop" });
    });

    // 2. The service in-process (no HTTP).
    process.env.DATABASE_URL = fresh.url;
    const { resetEnvCache } = await import("../lib/env");
    resetEnvCache();
    const { ingestEvents } = await import("../lib/server/services/metrics/ingest-events");
    const { db } = await import("../lib/server/db");
    await ingestEvents({ environmentId: setup.environmentId, events: makeBatch(setup, setup.rolloutIds[1], -1, now) });
    console.log(`service: ingestEvents() in-process, ${CONNECTIONS} concurrent batches for ${SERVICE_SECONDS} s…`);
    const service = await sustained(
      SERVICE_SECONDS,
      CONNECTIONS,
      async (n) => (await ingestEvents({ environmentId: setup.environmentId, events: makeBatch(setup, setup.rolloutIds[1], n, now) })).accepted,
    );
    const serviceCounts = await rolloutCount(admin, setup.rolloutIds[1]);
    await db.$disconnect();

    const httpRate = http.events / http.seconds;
    const serviceRate = service.events / service.seconds;
    const referenceRate = reference.events / reference.seconds;
    const expectedHttp = http.batches * BATCH + 2 * BATCH;
    const nothingLost = refused === 0 && accepted === sent && httpCounts.minute === sent && httpCounts.hourly === sent && httpCounts.raw === sent && httpCounts.histogram === sent;
    printTable("Ingestion (events/s)", [
      { path: "HTTP POST /api/v1/events", events: http.events, seconds: round(http.seconds), "events/s": Math.round(httpRate), "vs plain INSERT": round(httpRate / referenceRate, 2) },
      { path: "ingestEvents() in-process", events: service.events, seconds: round(service.seconds), "events/s": Math.round(serviceRate), "vs plain INSERT": round(serviceRate / referenceRate, 2) },
      { path: "plain multi-row INSERT", events: reference.events, seconds: round(reference.seconds), "events/s": Math.round(referenceRate), "vs plain INSERT": 1 },
    ]);
    // CPU per 1,000 events: what each path costs whatever the machine's load; the load generator is not counted.
    const perK = (seconds: number, events: number) => (events ? round((seconds * 1000 * 1000) / events, 1) : 0);
    const cpuPerK = { httpServer: perK(cpu.httpServer, http.events), httpDatabase: perK(cpu.httpDatabase, http.events), referenceDatabase: perK(cpu.referenceDatabase, reference.events) };
    printTable("CPU ms per 1,000 events (load generator not counted)", [
      { path: "HTTP POST /api/v1/events", server: cpuPerK.httpServer, database: cpuPerK.httpDatabase, total: round(cpuPerK.httpServer + cpuPerK.httpDatabase, 1) },
      { path: "plain multi-row INSERT", server: 0, database: cpuPerK.referenceDatabase, total: cpuPerK.referenceDatabase },
    ]);
    printTable("Nothing lost (HTTP run)", [
      {
        "events sent": sent,
        accepted,
        "in minute rollups": httpCounts.minute,
        "in hourly rollups": httpCounts.hourly,
        "raw rows": httpCounts.raw,
        "histogram total": httpCounts.histogram,
        ok: nothingLost ? "yes" : "NO",
      },
    ]);
    const ratio = httpRate / referenceRate;
    const meetsRate = httpRate >= TARGET_EVENTS_PER_SECOND;
    const meetsRatio = ratio >= TARGET_RATIO;
    console.log(
      `\nHTTP ingestion ${Math.round(httpRate)} events/s (target ≥ ${TARGET_EVENTS_PER_SECOND}: ${meetsRate ? "met" : "MISSED"}); ` +
        `${round(ratio, 2)} × plain INSERT (${Math.round(referenceRate)} events/s; target ≥ ${TARGET_RATIO}: ${meetsRatio ? "met" : "MISSED"}); ` +
        `service in-process ${Math.round(serviceRate)} events/s.`,
    );
    const result = {
      bench: "ingestion",
      at: new Date().toISOString(),
      seconds: SECONDS,
      connections: CONNECTIONS,
      batchSize: BATCH,
      http: { events: http.events, seconds: http.seconds, eventsPerSecond: httpRate, batches: http.batches },
      service: { events: service.events, seconds: service.seconds, eventsPerSecond: serviceRate },
      reference: { what: "plain multi-row INSERT, same generator, columns and indexes, alternating with HTTP", events: reference.events, seconds: reference.seconds, eventsPerSecond: referenceRate },
      rounds: ROUNDS,
      cpuMsPer1000Events: cpuPerK,
      ratios: { httpVsPlainInsert: ratio, serviceVsPlainInsert: serviceRate / referenceRate, httpVsService: httpRate / serviceRate },
      check: { sent, accepted, expected: expectedHttp, ...httpCounts, serviceAccepted: service.events + BATCH, serviceCounted: serviceCounts.minute, nothingLost },
      targetEventsPerSecond: TARGET_EVENTS_PER_SECOND,
      targetRatio: TARGET_RATIO,
      meetsTarget: meetsRate && meetsRatio,
    };
    mkdirSync(path.join(root, "bench/results"), { recursive: true });
    writeFileSync(path.join(root, "bench/results/ingestion.json"), JSON.stringify(result, null, 2) + "\n");
    if (!nothingLost || serviceCounts.minute !== service.events + BATCH) {
      console.error("✖ events were lost or double-counted");
      process.exitCode = 1;
    }
    if (!result.meetsTarget) process.exitCode = 1;
  } finally {
    if (child && child.exitCode === null) child.kill();
    await admin.end().catch(() => undefined);
    await fresh.drop().catch(() => undefined);
  }
}

if (process.env.ROLLGATE_BENCH_ROLE === "server") await serve();
else await main();
