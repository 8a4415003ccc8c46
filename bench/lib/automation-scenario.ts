/**
 * The moving parts of the automation benchmark, imported once DATABASE_URL points at the bench
 * database: a canary per trial (created and started through the rollout services, default
 * gates), outcome traffic through the ingestion service, the real evaluator loop, and rollups
 * for the tick-time measurement.
 */
import { randomUUID } from "node:crypto";
import { createRolloutRequestSchema } from "@/lib/schemas/rollout-extras";
import { userActor, type Actor } from "@/lib/server/auth/actor";
import { latencyBucketIndex } from "@/lib/domain/stats/histogram";
import { createAutomation, defaultTickDeps, runEvaluatorTick, startFollowingIngestion, type TickReport } from "@/lib/server/automation";
import { createRolloutWatermarks, loadRolloutMarks, type RolloutWatermarks } from "@/lib/server/automation/rollout-watermarks";
import { db } from "@/lib/server/db";
import { getEnv } from "@/lib/env";
import { ingestEvents } from "@/lib/server/services/metrics/ingest-events";
import { createRollout, runRolloutCommand } from "@/lib/server/services/rollouts";
import { MINUTE, minuteFloor } from "@/tests/integration/automation/fixtures";
import { createApiKey, createEnvironment, createFlag } from "@/tests/integration/evaluation/fixtures";

const CONTROL = "gpt-4o";
const TREATMENT = "gpt-4.1";
const VARIANTS = [
  { key: CONTROL, payload: { provider: "openai", model: CONTROL } },
  { key: TREATMENT, payload: { provider: "openai", model: TREATMENT } },
];

export interface Setup {
  environment: { id: string; key: string };
  operator: Actor;
  evaluateKey: string;
}

export interface Trial {
  flagKey: string;
  rolloutId: string;
}

const ctx = () => ({ requestId: `bench-${randomUUID()}` });

export async function setUp(): Promise<Setup> {
  const environment = await createEnvironment("bench-auto");
  const user = await db.user.create({ data: { email: `bench-operator-${randomUUID().slice(0, 8)}@rollgate.test`, name: "bench operator", roles: ["operator"], passwordHash: null } });
  const { key } = await createApiKey(environment.id, { name: "bench evaluate", rateLimitPerSecond: 10_000_000 });
  return { environment, operator: userActor(user), evaluateKey: key };
}

/** A running canary at 5% → 100% with the template's default gates, 100 samples per arm. */
export async function startCanary(setup: Setup, opts: { stageStart?: Date } = {}): Promise<Trial> {
  const flagKey = `bench-${randomUUID().slice(0, 8)}.model`;
  await createFlag(setup.environment.id, { key: flagKey, variants: VARIANTS, defaultVariant: CONTROL, fallbackVariant: CONTROL });
  const request = createRolloutRequestSchema.parse({
    environment: setup.environment.key,
    flagKey,
    strategy: "canary",
    controlVariant: CONTROL,
    treatmentVariant: TREATMENT,
    stages: [
      { trafficBasisPoints: 500, minBakeSeconds: 0, minSamplesPerArm: 100 },
      { trafficBasisPoints: 10_000, minBakeSeconds: 0, minSamplesPerArm: 0 },
    ],
  });
  const rolloutId = await createRollout(setup.operator, request, ctx());
  await runRolloutCommand(setup.operator, { rolloutId, command: "start" }, { ...ctx(), now: opts.stageStart });
  return { flagKey, rolloutId };
}

export async function manualRollback(setup: Setup, rolloutId: string): Promise<void> {
  await runRolloutCommand(setup.operator, { rolloutId, command: "rollback", comment: "bench: a person rolls back" }, ctx());
}

/** Ends every active rollout through the command service (audited like any other). */
export async function abortActive(setup: Setup): Promise<void> {
  const active = await db.rollout.findMany({ where: { state: { in: ["running", "paused", "awaiting_approval"] } }, select: { id: true } });
  for (const r of active) await runRolloutCommand(setup.operator, { rolloutId: r.id, command: "abort", comment: "bench: next measurement" }, ctx());
}

/** Variant served to each user by the evaluation API at `url`. */
export async function servedToAll(url: string, key: string, flagKey: string, users: string[]): Promise<string[]> {
  return Promise.all(
    users.map(async (userId) => {
      const res = await fetch(`${url}/api/v1/evaluate`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ context: { userId }, flags: [flagKey] }),
      });
      const body = (await res.json()) as { flags: Record<string, { variant: string }> };
      return body.flags[flagKey]?.variant ?? "";
    }),
  );
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, pauseMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}

/** Polls the rollout's state; returns when it was first seen in `state` (ms since epoch). */
export async function waitForState(rolloutId: string, state: string, timeoutMs: number): Promise<number> {
  let seenAt = 0;
  await waitFor(
    async () => {
      const row = await db.rollout.findUniqueOrThrow({ where: { id: rolloutId }, select: { state: true } });
      seenAt = Date.now();
      return row.state === state;
    },
    timeoutMs,
    20,
  );
  return seenAt;
}

/** The evaluator as the runtime starts it: the interval loop plus event-driven re-checks. */
export function startEvaluator(): { stop(): Promise<void> } {
  return startFollowingIngestion(createAutomation());
}

/** Events per ingestion batch at most (the API's batch limit is far above). */
const MAX_BATCH_EVENTS = 1_000;

/**
 * Outcome events of the flag at `rps`, in a batch every `batchMs`, `treatmentShare` of them to
 * the treatment, which fails `treatmentErrorRate` of its calls; control fails 1%.
 */
export function feedTraffic(setup: Setup, trial: Trial, opts: { rps: number; treatmentShare: number; treatmentErrorRate: number; batchMs: number }) {
  let running = true;
  let sent = 0;
  let resolveFirstBad!: (at: number) => void;
  const firstBadCommittedAt = new Promise<number>((r) => (resolveFirstBad = r));
  let badSent = false;
  // A service sends at its own rate whatever ingestion's latency: each batch carries the events of
  // the time since the previous one (more than `batchMs` worth when a batch took longer).
  let last = Date.now() - opts.batchMs;
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      const due = Math.min(MAX_BATCH_EVENTS, Math.round((opts.rps * (started - last)) / 1000));
      last = started;
      const events = Array.from({ length: due }, () => {
        const treatment = Math.random() < opts.treatmentShare;
        const success = Math.random() >= (treatment ? opts.treatmentErrorRate : 0.01);
        return {
          id: randomUUID(),
          timestamp: started,
          flagKey: trial.flagKey,
          variant: treatment ? TREATMENT : CONTROL,
          rolloutId: trial.rolloutId,
          arm: treatment ? "treatment" : "control",
          subjectKey: `user-${Math.floor(Math.random() * 100_000)}`,
          model: treatment ? TREATMENT : CONTROL,
          latencyMs: 600 + Math.random() * 600,
          inputTokens: 850,
          outputTokens: 260,
          success,
          errorType: success ? undefined : "server_error",
        };
      });
      const hasBad = events.some((e) => e.arm === "treatment" && !e.success);
      await ingestEvents({ environmentId: setup.environment.id, events });
      sent += events.length;
      if (hasBad && !badSent) {
        badSent = true;
        resolveFirstBad(Date.now());
      }
      await new Promise((r) => setTimeout(r, Math.max(0, opts.batchMs - (Date.now() - started))));
    }
  })();
  return {
    firstBadCommittedAt,
    sent: () => sent,
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** Healthy traffic per arm and minute in the tick measurement: control 190 (2 failures), treatment 10. */
const ARMS = [
  { arm: "control", count: 190, successes: 188, latencyMs: 800, costUsd: 0.004 },
  { arm: "treatment", count: 10, successes: 10, latencyMs: 820, costUsd: 0.0035 },
] as const;

/**
 * Adds `minutes` minutes from `from` of the healthy traffic to each rollout's stage 0, as
 * ingestion stores it (minute rollups, hourly rollups, exposures), in a few set-based
 * statements: 1,000 rollouts × 30 minutes would take minutes row by row.
 */
export async function addHealthyMinutes(rolloutIds: readonly string[], from: Date, minutes: number): Promise<void> {
  for (const a of ARMS) {
    const errors = a.count - a.successes;
    const args = [rolloutIds, a.arm, minuteFloor(from), minutes, a.count, a.successes, errors, a.costUsd, String(latencyBucketIndex(a.latencyMs))] as const;
    const rows = `FROM unnest($1::text[]) AS r(id), generate_series(0, $4::int - 1) AS m(i),
      (SELECT $5::int AS n, $6::int AS ok, $7::int AS err, $8::float8 AS cost, $9::text AS bucket) p`;
    const minute = `$3::timestamptz + m.i * interval '1 minute'`;
    await db.$executeRawUnsafe(
      `INSERT INTO metric_rollups (rollout_id, arm, minute, stage_index, count, successes, errors, errors_by_type, cost_count, cost_sum, cost_sum_sq, latency_count, latency_histogram)
       SELECT r.id, $2::text::"Arm", ${minute}, 0, p.n, p.ok, p.err, CASE WHEN p.err > 0 THEN jsonb_build_object('timeout', p.err) ELSE '{}'::jsonb END,
              p.n, p.cost * p.n, p.cost * p.cost * p.n, p.n, jsonb_build_object(p.bucket, p.n) ${rows}
       ON CONFLICT (rollout_id, stage_index, arm, minute) DO UPDATE SET count = metric_rollups.count + EXCLUDED.count, successes = metric_rollups.successes + EXCLUDED.successes, errors = metric_rollups.errors + EXCLUDED.errors`,
      ...args,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO metric_rollups_hourly (rollout_id, arm, hour, stage_index, count, successes, errors, errors_by_type, cost_count, cost_sum, cost_sum_sq, latency_count, latency_histogram)
       SELECT r.id, $2::text::"Arm", date_trunc('hour', ${minute}) AS h, 0, sum(p.n), sum(p.ok), sum(p.err), CASE WHEN max(p.err) > 0 THEN jsonb_build_object('timeout', sum(p.err)) ELSE '{}'::jsonb END,
              sum(p.n), sum(p.cost * p.n), sum(p.cost * p.cost * p.n), sum(p.n), jsonb_build_object(max(p.bucket), sum(p.n)) ${rows}
       GROUP BY r.id, h
       ON CONFLICT (rollout_id, stage_index, arm, hour) DO UPDATE SET count = metric_rollups_hourly.count + EXCLUDED.count, successes = metric_rollups_hourly.successes + EXCLUDED.successes,
         errors = metric_rollups_hourly.errors + EXCLUDED.errors, latency_count = metric_rollups_hourly.latency_count + EXCLUDED.latency_count`,
      ...args,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO exposures (rollout_id, stage_index, arm, minute, count) SELECT r.id, 0, $2::text::"Arm", ${minute}, p.n ${rows}
       ON CONFLICT (rollout_id, stage_index, arm, minute) DO UPDATE SET count = exposures.count + EXCLUDED.count`,
      ...args,
    );
  }
}

/** `count` more running canaries whose stage began 31 minutes ago, each with 30 healthy minutes. */
export async function seedRunningCanaries(setup: Setup, count: number): Promise<string[]> {
  const stageStart = new Date(minuteFloor(Date.now()).getTime() - 31 * MINUTE);
  const ids: string[] = [];
  for (let i = 0; i < count; i += 4) {
    const batch = await Promise.all(Array.from({ length: Math.min(4, count - i) }, () => startCanary(setup, { stageStart })));
    ids.push(...batch.map((t) => t.rolloutId));
  }
  await addHealthyMinutes(ids, new Date(stageStart.getTime() + MINUTE), 30);
  return ids;
}

export { createRolloutWatermarks };

/** The tick's first query alone: every active rollout's version and current-stage counts. */
export function readRolloutMarks() {
  return loadRolloutMarks(db);
}

export async function rolloutState(rolloutId: string): Promise<string | null> {
  return (await db.rollout.findUnique({ where: { id: rolloutId }, select: { state: true } }))?.state ?? null;
}

/** One evaluator tick as the leader runs it (with `watermarks`) or as a one-off tick (without). */
export async function timedTick(watermarks?: RolloutWatermarks): Promise<TickReport> {
  return runEvaluatorTick(defaultTickDeps(getEnv()), new Date(), { watermarks });
}
