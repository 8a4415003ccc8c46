/**
 * Data builders for the evaluation tests and the benchmark (no vitest imports here, so
 * bench/ can use them too). Every config change goes through `commitConfigChange`, which does
 * what the services do: change rows, bump the environment's config version in the same
 * transaction, and (optionally) announce the change in this process after commit.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { ApiKeyScope } from "@/lib/domain/auth/permissions";
import type { TargetingRule } from "@/lib/domain/flags";
import { generateApiKey } from "@/lib/server/auth/api-keys";
import { db, type Tx } from "@/lib/server/db";
import { emitConfigChanged } from "@/lib/server/evaluation/config-events";
import { bumpConfigVersion } from "@/lib/server/services/environments";

export const MODEL_VARIANTS = [
  { key: "gpt-4o", payload: { provider: "openai", model: "gpt-4o", params: { temperature: 0.2 } } },
  { key: "claude", payload: { provider: "anthropic", model: "claude-sonnet-4", params: { temperature: 0.2 } } },
  { key: "safe", payload: { provider: "openai", model: "gpt-4o-mini", params: { temperature: 0 } } },
];

export async function createEnvironment(prefix = "eval") {
  const key = `${prefix}-${randomBytes(4).toString("hex")}`;
  return db.environment.create({ data: { key, name: key } });
}

export async function createApiKey(environmentId: string, opts: { scopes?: ApiKeyScope[]; rateLimitPerSecond?: number; name?: string } = {}): Promise<{ id: string; key: string }> {
  const { key, prefix, keyHash } = generateApiKey();
  const row = await commitConfigChange(environmentId, (tx) =>
    tx.apiKey.create({
      data: {
        environmentId,
        name: opts.name ?? "test key",
        prefix,
        keyHash,
        scopes: opts.scopes ?? ["evaluate"],
        rateLimitPerSecond: opts.rateLimitPerSecond ?? 100_000,
      },
    }),
  );
  return { id: row.id, key };
}

export async function revokeApiKey(environmentId: string, id: string): Promise<void> {
  await commitConfigChange(environmentId, (tx) => tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } }));
}

/** Runs `change` and bumps the config version in one transaction; then emits in-process unless `emit: false`. */
export async function commitConfigChange<T>(environmentId: string, change: (tx: Tx) => Promise<T>, opts: { emit?: boolean } = {}): Promise<T & { configVersion: string }> {
  const { result, version } = await db.$transaction(async (tx) => {
    const result = await change(tx);
    const version = await bumpConfigVersion(tx, environmentId);
    return { result, version };
  });
  if (opts.emit ?? true) await emitConfigChanged({ environmentId, version: version.toString() });
  return Object.assign(result as object, { configVersion: version.toString() }) as T & { configVersion: string };
}

export interface FlagSpec {
  key: string;
  variants?: { key: string; payload: Record<string, unknown> }[];
  defaultVariant?: string;
  fallbackVariant?: string;
  stickiness?: string;
  enabled?: boolean;
  killSwitch?: boolean;
  rules?: TargetingRule[];
  salt?: string;
}

export async function createFlag(environmentId: string, spec: FlagSpec, opts: { emit?: boolean } = {}) {
  return commitConfigChange(
    environmentId,
    (tx) =>
      tx.flag.create({
        data: {
          environmentId,
          key: spec.key,
          kind: "model",
          variants: (spec.variants ?? MODEL_VARIANTS) as object[],
          rules: (spec.rules ?? []) as object[],
          defaultVariant: spec.defaultVariant ?? "gpt-4o",
          fallbackVariant: spec.fallbackVariant ?? "safe",
          stickiness: spec.stickiness ?? "userId",
          enabled: spec.enabled ?? true,
          killSwitch: spec.killSwitch ?? false,
          salt: spec.salt ?? randomBytes(6).toString("hex"),
        },
      }),
    opts,
  );
}

export async function setKillSwitch(environmentId: string, flagKey: string, enabled: boolean, opts: { emit?: boolean } = {}) {
  return commitConfigChange(
    environmentId,
    (tx) =>
      tx.flag.update({
        where: { environmentId_key: { environmentId, key: flagKey } },
        data: { killSwitch: enabled, killSwitchReason: enabled ? "test" : null },
      }),
    opts,
  );
}

async function rolloutOwner(): Promise<string> {
  const email = `rollout-owner-${randomUUID().slice(0, 8)}@rollgate.test`;
  const user = await db.user.create({ data: { email, name: "owner", roles: ["operator"], passwordHash: null } });
  return user.id;
}

/** A running rollout of `flagKey` at one stage (canary by default, control gpt-4o → treatment claude). */
export async function createRunningRollout(
  environmentId: string,
  flagKey: string,
  opts: { strategy?: "canary" | "shadow" | "ab_test" | "blue_green"; trafficBasisPoints?: number; shadowSampleBasisPoints?: number; salt?: string } = {},
) {
  const createdById = await rolloutOwner();
  return commitConfigChange(environmentId, async (tx) => {
    const flag = await tx.flag.findUniqueOrThrow({ where: { environmentId_key: { environmentId, key: flagKey } } });
    return tx.rollout.create({
      data: {
        environmentId,
        flagId: flag.id,
        strategy: opts.strategy ?? "canary",
        state: "running",
        controlVariant: "gpt-4o",
        treatmentVariant: "claude",
        salt: opts.salt ?? randomBytes(6).toString("hex"),
        currentStageIndex: 0,
        startedAt: new Date(),
        stageStartedAt: new Date(),
        createdById,
        stages: {
          create: [
            {
              index: 0,
              trafficBasisPoints: opts.trafficBasisPoints ?? 2500,
              shadowSampleBasisPoints: opts.shadowSampleBasisPoints ?? 0,
              minBakeSeconds: 60,
              minSamplesPerArm: 100,
              startedAt: new Date(),
            },
          ],
        },
      },
    });
  });
}
