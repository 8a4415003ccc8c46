/**
 * Data factories for the metrics integration tests: an environment, a flag with two variants and
 * a rollout with started stages, written straight to the database (the services that normally
 * create them are tested elsewhere).
 */
import { randomUUID } from "node:crypto";
import { db } from "@/lib/server/db";

export interface RolloutFixture {
  environmentId: string;
  flagKey: string;
  rolloutId: string;
  control: string;
  treatment: string;
}

export interface StageFixture {
  trafficBasisPoints: number;
  shadowSampleBasisPoints?: number;
  minSamplesPerArm?: number;
  startedAt?: Date | null;
  endedAt?: Date | null;
  gates?: unknown[];
}

export async function createEnvironment(): Promise<string> {
  const key = `m-${randomUUID().slice(0, 8)}`;
  return (await db.environment.create({ data: { key, name: key } })).id;
}

export async function createRolloutFixture(
  opts: {
    environmentId?: string;
    strategy?: "shadow" | "canary" | "ab_test" | "blue_green";
    stages?: StageFixture[];
    currentStageIndex?: number;
    startedAt?: Date;
    /** A terminal rollout: its state and when it ended. */
    state?: "running" | "completed" | "rolled_back" | "aborted";
    endedAt?: Date;
  } = {},
): Promise<RolloutFixture> {
  const environmentId = opts.environmentId ?? (await createEnvironment());
  const flagKey = `bot-${randomUUID().slice(0, 8)}.model`;
  const control = "gpt-4o";
  const treatment = "claude-sonnet-4";
  const flag = await db.flag.create({
    data: {
      environmentId,
      key: flagKey,
      kind: "model",
      variants: [
        { key: control, payload: { provider: "openai", model: "gpt-4o" } },
        { key: treatment, payload: { provider: "anthropic", model: "claude-sonnet-4" } },
      ],
      defaultVariant: control,
      fallbackVariant: control,
      salt: randomUUID(),
    },
  });
  const startedAt = opts.startedAt ?? new Date(Date.now() - 3 * 3_600_000);
  const stages = opts.stages ?? [{ trafficBasisPoints: 5000, minSamplesPerArm: 1000, startedAt }];
  const rollout = await db.rollout.create({
    data: {
      environmentId,
      flagId: flag.id,
      strategy: opts.strategy ?? "canary",
      state: opts.state ?? "running",
      endedAt: opts.endedAt ?? null,
      controlVariant: control,
      treatmentVariant: treatment,
      salt: flag.salt,
      currentStageIndex: opts.currentStageIndex ?? 0,
      stageStartedAt: startedAt,
      startedAt,
      createdById: "test",
      stages: {
        create: stages.map((s, index) => ({
          index,
          trafficBasisPoints: s.trafficBasisPoints,
          shadowSampleBasisPoints: s.shadowSampleBasisPoints ?? 0,
          minBakeSeconds: 0,
          minSamplesPerArm: s.minSamplesPerArm ?? 100,
          gates: (s.gates ?? []) as object[],
          startedAt: s.startedAt === undefined ? (index === 0 ? startedAt : null) : s.startedAt,
          endedAt: s.endedAt ?? null,
        })),
      },
    },
  });
  return { environmentId, flagKey, rolloutId: rollout.id, control, treatment };
}

let counter = 0;
/** A valid event for the fixture's rollout; override any field. */
export function event(f: RolloutFixture, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    id: `ev-${randomUUID()}`,
    timestamp: new Date(Date.now() - 60_000).toISOString(),
    flagKey: f.flagKey,
    variant: f.control,
    rolloutId: f.rolloutId,
    arm: "control",
    subjectKey: `user-${counter % 100}`,
    model: "gpt-4o",
    latencyMs: 800,
    inputTokens: 1000,
    outputTokens: 200,
    success: true,
    ...overrides,
  };
}

export const treatmentOf = (f: RolloutFixture) => ({ variant: f.treatment, arm: "treatment", model: "claude-sonnet-4" });

export async function rollupTotals(rolloutId: string) {
  const rows = await db.metricRollup.findMany({ where: { rolloutId } });
  const hourly = await db.metricRollupHourly.findMany({ where: { rolloutId } });
  const sum = (rs: { arm: string; count: number; successes: number; errors: number; latencyCount: number }[], arm: string) =>
    rs
      .filter((r) => r.arm === arm)
      .reduce((a, r) => ({ count: a.count + r.count, successes: a.successes + r.successes, errors: a.errors + r.errors, latency: a.latency + r.latencyCount }), {
        count: 0,
        successes: 0,
        errors: 0,
        latency: 0,
      });
  return {
    control: sum(rows, "control"),
    treatment: sum(rows, "treatment"),
    hourlyControl: sum(hourly, "control"),
    hourlyTreatment: sum(hourly, "treatment"),
    rows,
    hourly,
  };
}
