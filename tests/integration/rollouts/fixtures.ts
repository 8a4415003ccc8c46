/**
 * Data factories for rollout and webhook tests: each test file works in its own fresh
 * environment, so rows of other files never match its queries.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { permissionsForScopes } from "@/lib/domain/auth/permissions";
import type { StagePlan } from "@/lib/domain/rollouts";
import type { Actor } from "@/lib/server/auth/actor";
import { db } from "@/lib/server/db";
import { createRollout } from "@/lib/server/services/rollouts";

export async function createTestEnvironment(prefix = "env") {
  const key = `${prefix}-${randomBytes(4).toString("hex")}`;
  return db.environment.create({ data: { key, name: key } });
}

export const MODEL_VARIANTS = [
  { key: "gpt-4o", payload: { provider: "openai", model: "gpt-4o" } },
  { key: "gpt-4.1", payload: { provider: "openai", model: "gpt-4.1" } },
  { key: "safe", payload: { provider: "openai", model: "gpt-4o-mini" } },
];

/** A model flag serving gpt-4o by default, with gpt-4.1 as the candidate. */
export async function createTestFlag(environmentId: string, key = `bot-${randomBytes(3).toString("hex")}.model`) {
  return db.flag.create({
    data: {
      environmentId,
      key,
      kind: "model",
      variants: MODEL_VARIANTS,
      defaultVariant: "gpt-4o",
      fallbackVariant: "safe",
      salt: randomBytes(8).toString("hex"),
    },
  });
}

export function stage(fields: Partial<StagePlan> & Pick<StagePlan, "trafficBasisPoints">): StagePlan {
  return { shadowSampleBasisPoints: 0, minBakeSeconds: 0, minSamplesPerArm: 0, requiresApproval: false, gates: [], ...fields };
}

/** 1% → 5% → 25% (needs approval) → 100%, no bake, no minimum samples. */
export const QUICK_CANARY: StagePlan[] = [
  stage({ trafficBasisPoints: 100 }),
  stage({ trafficBasisPoints: 500 }),
  stage({ trafficBasisPoints: 2500, requiresApproval: true }),
  stage({ trafficBasisPoints: 10_000 }),
];

export const ctx = () => ({ requestId: randomUUID() });

export async function createQuickCanary(
  actor: Actor,
  environmentKey: string,
  flagKey: string,
  overrides: { stages?: StagePlan[]; requiredApprovals?: number; strategy?: "canary" | "shadow" | "ab_test" | "blue_green" } = {},
) {
  return createRollout(
    actor,
    {
      environment: environmentKey,
      flagKey,
      strategy: overrides.strategy ?? "canary",
      controlVariant: "gpt-4o",
      treatmentVariant: "gpt-4.1",
      stages: overrides.stages ?? QUICK_CANARY,
      autoAdvance: false,
      newSalt: false,
      ...(overrides.requiredApprovals ? { requiredApprovals: overrides.requiredApprovals } : {}),
    },
    ctx(),
  );
}

/** An API key actor of scope `manage`, bound to `environmentId` (no row needed for services). */
export async function createManageKeyActor(environmentId: string): Promise<Actor> {
  const key = await db.apiKey.create({
    data: { environmentId, name: `manage-${randomBytes(3).toString("hex")}`, prefix: "rg_test", keyHash: randomBytes(32).toString("hex"), scopes: ["manage"] },
  });
  return { type: "api_key", id: key.id, label: key.name, roles: ["scope:manage"], permissions: permissionsForScopes(["manage"]), environmentId };
}

export async function auditCount(resourceId: string, action?: string): Promise<number> {
  return db.auditRecord.count({ where: { resourceId, ...(action ? { action } : {}) } });
}
