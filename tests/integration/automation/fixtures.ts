/**
 * Factories for the automation tests: a started rollout whose current stage began at a chosen
 * (minute-aligned) time, synthetic outcome rollups per arm and minute (written to the minute and
 * hourly tables as ingestion would), exposures, per-flag rollups for SLOs, and a webhook.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { GateSpecInput } from "@/lib/domain/gates";
import { gateSpecSchema } from "@/lib/domain/gates";
import type { StagePlan } from "@/lib/domain/rollouts";
import { latencyBucketIndex } from "@/lib/domain/stats/histogram";
import type { Actor } from "@/lib/server/auth/actor";
import { db } from "@/lib/server/db";
import { createRollout, runRolloutCommand } from "@/lib/server/services/rollouts";
import { createTestFlag } from "../rollouts/fixtures";

export const MINUTE = 60_000;

export function minuteFloor(t: Date | number): Date {
  const ms = typeof t === "number" ? t : t.getTime();
  return new Date(Math.floor(ms / MINUTE) * MINUTE);
}

export function gates(...specs: GateSpecInput[]) {
  return specs.map((s) => gateSpecSchema.parse(s));
}

export const SUCCESS_NOT_WORSE: GateSpecInput = { name: "success rate", kind: "comparison", metric: "success_rate", critical: true, minSamples: 100 };
export const P95_RATIO: GateSpecInput = { name: "p95 latency", kind: "comparison", metric: "latency_p95", test: "ratio", margin: 0.2, minSamples: 100 };

export function plan(stages: Partial<StagePlan>[]): StagePlan[] {
  return stages.map((s) => ({
    trafficBasisPoints: 500,
    shadowSampleBasisPoints: 0,
    minBakeSeconds: 0,
    minSamplesPerArm: 0,
    requiresApproval: false,
    gates: [],
    ...s,
  }));
}

/**
 * A running rollout of a fresh flag whose stage 1 started at `stageStart` (default: 10 minutes
 * ago, on a minute boundary, so the analysis counts every minute row written after it).
 */
export async function startedRollout(
  operator: Actor,
  environment: { id: string; key: string },
  stages: StagePlan[],
  opts: { autoAdvance?: boolean; stageStart?: Date; strategy?: "canary" | "ab_test" } = {},
) {
  const flag = await createTestFlag(environment.id);
  const created = await createRollout(
    operator,
    {
      environment: environment.key,
      flagKey: flag.key,
      strategy: opts.strategy ?? "canary",
      controlVariant: "gpt-4o",
      treatmentVariant: "gpt-4.1",
      stages,
      autoAdvance: opts.autoAdvance ?? false,
      requiredApprovals: 1,
      newSalt: false,
    },
    { requestId: randomUUID() },
  );
  const stageStart = opts.stageStart ?? new Date(minuteFloor(Date.now()).getTime() - 10 * MINUTE);
  await runRolloutCommand(operator, { rolloutId: created, command: "start" }, { now: stageStart });
  return { flag, rolloutId: created, stageStart };
}

export interface ArmTraffic {
  count: number;
  successes: number;
  /** Every request at this latency (ms). */
  latencyMs?: number;
  costUsd?: number;
}

/** Adds one minute of outcomes for an arm (minute and hourly rollups, as ingestion does). */
export async function addArmMinute(rolloutId: string, arm: "control" | "treatment", minute: Date, t: ArmTraffic, stageIndex = 0) {
  const histogram = t.latencyMs !== undefined ? { [String(latencyBucketIndex(t.latencyMs))]: t.count } : {};
  const cost = t.costUsd ?? 0;
  const errors = t.count - t.successes;
  const values = {
    stageIndex,
    count: t.count,
    successes: t.successes,
    errors,
    errorsByType: errors > 0 ? { timeout: errors } : {},
    costCount: t.costUsd !== undefined ? t.count : 0,
    costSum: cost * t.count,
    costSumSq: cost * cost * t.count,
    latencyCount: t.latencyMs !== undefined ? t.count : 0,
    latencyHistogram: histogram,
  };
  await db.metricRollup.create({ data: { rolloutId, arm, minute: minuteFloor(minute), ...values } });
  const hour = new Date(Math.floor(minute.getTime() / 3_600_000) * 3_600_000);
  const existing = await db.metricRollupHourly.findUnique({ where: { rolloutId_stageIndex_arm_hour: { rolloutId, stageIndex, arm, hour } } });
  if (!existing) {
    await db.metricRollupHourly.create({ data: { rolloutId, arm, hour, ...values } });
  } else {
    const merged: Record<string, number> = { ...(existing.latencyHistogram as Record<string, number>) };
    for (const [k, v] of Object.entries(histogram)) merged[k] = (merged[k] ?? 0) + v;
    const mergedErrors: Record<string, number> = { ...(existing.errorsByType as Record<string, number>) };
    for (const [k, v] of Object.entries(values.errorsByType)) mergedErrors[k] = (mergedErrors[k] ?? 0) + v;
    await db.metricRollupHourly.update({
      where: { rolloutId_stageIndex_arm_hour: { rolloutId, stageIndex, arm, hour } },
      data: {
        count: { increment: values.count },
        successes: { increment: values.successes },
        errors: { increment: values.errors },
        errorsByType: mergedErrors,
        costCount: { increment: values.costCount },
        costSum: { increment: values.costSum },
        costSumSq: { increment: values.costSumSq },
        latencyCount: { increment: values.latencyCount },
        latencyHistogram: merged,
      },
    });
  }
}

/** Served evaluations per arm in one minute (readiness samples and the SRM check). */
export async function addExposures(rolloutId: string, minute: Date, control: number, treatment: number, stageIndex = 0) {
  await db.exposure.createMany({
    data: [
      { rolloutId, stageIndex, arm: "control", minute: minuteFloor(minute), count: control },
      { rolloutId, stageIndex, arm: "treatment", minute: minuteFloor(minute), count: treatment },
    ],
  });
}

/**
 * `minutes` minutes of traffic starting at `from`: control and treatment per minute, with
 * matching exposures.
 */
export async function addTraffic(rolloutId: string, from: Date, minutes: number, control: ArmTraffic, treatment: ArmTraffic, stageIndex = 0) {
  for (let i = 0; i < minutes; i++) {
    const minute = new Date(minuteFloor(from).getTime() + i * MINUTE);
    await addArmMinute(rolloutId, "control", minute, control, stageIndex);
    await addArmMinute(rolloutId, "treatment", minute, treatment, stageIndex);
    await addExposures(rolloutId, minute, control.count, treatment.count, stageIndex);
  }
}

/** Per-flag outcome minutes (what SLOs read): `total` requests and `failures` in each minute. */
export async function addFlagMinutes(environmentId: string, flagKey: string, variant: string, until: Date, minutes: number, total: number, failures: number, latencyMs = 800) {
  const rows = Array.from({ length: minutes }, (_, i) => ({
    environmentId,
    flagKey,
    variant,
    minute: new Date(minuteFloor(until).getTime() - i * MINUTE),
    count: total,
    successes: total - failures,
    costSum: total * 0.002,
    latencyCount: total,
    latencyHistogram: { [String(latencyBucketIndex(latencyMs))]: total },
  }));
  await db.flagMetricRollup.createMany({ data: rows });
}

export async function createWebhook(environmentId: string, url: string, events: string[]) {
  return db.webhook.create({ data: { environmentId, name: `hook-${randomBytes(3).toString("hex")}`, url, secret: randomBytes(16).toString("hex"), events } });
}

/** A batch of outcomes for one arm, timestamped now (inside the running stage); the first `failures` fail. */
export function outcomes(flagKey: string, rolloutId: string, arm: "control" | "treatment", count: number, failures: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    flagKey,
    variant: arm === "control" ? "gpt-4o" : "gpt-4.1",
    rolloutId,
    arm,
    latencyMs: 800,
    success: i >= failures,
    errorType: i < failures ? "timeout" : null,
  }));
}
