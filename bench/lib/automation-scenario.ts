/**
 * The moving parts of the automation benchmark, imported once DATABASE_URL points at the bench
 * database: a canary per trial (created and started through the rollout services, default
 * gates), outcome traffic through the ingestion service, the real evaluator loop, and rollups
 * for the tick-time measurement.
 */
import { randomUUID } from "node:crypto";
import { createRolloutRequestSchema } from "@/lib/schemas/rollout-extras";
import { userActor, type Actor } from "@/lib/server/auth/actor";
import { createAutomation, defaultTickDeps, runEvaluatorTick, startFollowingIngestion } from "@/lib/server/automation";
import { db } from "@/lib/server/db";
import { getEnv } from "@/lib/env";
import { ingestEvents } from "@/lib/server/services/metrics/ingest-events";
import { createRollout, runRolloutCommand } from "@/lib/server/services/rollouts";
import { addTraffic, MINUTE, minuteFloor } from "@/tests/integration/automation/fixtures";
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
  const perBatch = Math.round((opts.rps * opts.batchMs) / 1000);
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      const events = Array.from({ length: perBatch }, () => {
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

/** `count` running canaries with 30 healthy minutes each, then `ticks` evaluator ticks timed. */
export async function measureTicks(setup: Setup, count: number, ticks: number): Promise<number[]> {
  const stageStart = new Date(minuteFloor(Date.now()).getTime() - 31 * MINUTE);
  for (let i = 0; i < count; i++) {
    const trial = await startCanary(setup, { stageStart });
    await addTraffic(trial.rolloutId, new Date(stageStart.getTime() + MINUTE), 30, { count: 190, successes: 188, latencyMs: 800, costUsd: 0.004 }, { count: 10, successes: 10, latencyMs: 820, costUsd: 0.0035 });
  }
  const deps = defaultTickDeps(getEnv());
  const durations: number[] = [];
  for (let t = 0; t < ticks; t++) {
    const report = await runEvaluatorTick(deps, new Date());
    if (report.rollouts.length < count) throw new Error(`tick evaluated ${report.rollouts.length} rollouts, expected ${count}`);
    durations.push(report.durationMs);
  }
  return durations;
}
