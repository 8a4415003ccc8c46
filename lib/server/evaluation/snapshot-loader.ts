/**
 * Builds what evaluation needs from the database: each environment's live flags with their
 * active rollout's current stage, and its API keys. Used by the in-memory snapshot store and
 * by the flag tester, so both evaluate exactly the same configuration.
 */
import "server-only";
import type { ActiveRolloutSnapshot, FlagSnapshot, TargetingRule, SnapshotVariant, FlagKind } from "../../domain/flags";
import type { Db, DbOrTx } from "../db";

export const ACTIVE_ROLLOUT_STATES = ["running", "paused", "awaiting_approval"] as const;

type FlagRow = {
  key: string;
  kind: string;
  variants: unknown;
  rules: unknown;
  defaultVariant: string;
  fallbackVariant: string;
  stickiness: string;
  enabled: boolean;
  killSwitch: boolean;
  salt: string;
};

type RolloutRow = {
  id: string;
  strategy: string;
  state: string;
  salt: string;
  controlVariant: string;
  treatmentVariant: string;
  currentStageIndex: number;
  stages: { index: number; trafficBasisPoints: number; shadowSampleBasisPoints: number }[];
};

export function toActiveRolloutSnapshot(r: RolloutRow): ActiveRolloutSnapshot | null {
  if (!(ACTIVE_ROLLOUT_STATES as readonly string[]).includes(r.state)) return null;
  const stage = r.stages.find((s) => s.index === r.currentStageIndex);
  if (!stage) return null;
  return {
    id: r.id,
    strategy: r.strategy as ActiveRolloutSnapshot["strategy"],
    state: r.state as ActiveRolloutSnapshot["state"],
    salt: r.salt,
    controlVariant: r.controlVariant,
    treatmentVariant: r.treatmentVariant,
    stageIndex: r.currentStageIndex,
    trafficBasisPoints: stage.trafficBasisPoints,
    shadowSampleBasisPoints: stage.shadowSampleBasisPoints,
  };
}

export function toFlagSnapshot(flag: FlagRow, rollout: RolloutRow | null): FlagSnapshot {
  return {
    key: flag.key,
    kind: flag.kind as FlagKind,
    variants: (flag.variants as SnapshotVariant[]).map((v) => ({ key: v.key, payload: v.payload })),
    defaultVariant: flag.defaultVariant,
    fallbackVariant: flag.fallbackVariant,
    stickiness: flag.stickiness,
    enabled: flag.enabled,
    killSwitch: flag.killSwitch,
    salt: flag.salt,
    rules: flag.rules as TargetingRule[],
    rollout: rollout ? toActiveRolloutSnapshot(rollout) : null,
  };
}

const rolloutSelect = {
  id: true,
  strategy: true,
  state: true,
  salt: true,
  controlVariant: true,
  treatmentVariant: true,
  currentStageIndex: true,
  stages: { select: { index: true, trafficBasisPoints: true, shadowSampleBasisPoints: true } },
} as const;

export interface EnvironmentSnapshotData {
  environmentId: string;
  environmentKey: string;
  version: string;
  flags: FlagSnapshot[];
}

/** One consistent read (repeatable-read transaction) of an environment's configuration. */
export async function loadEnvironmentSnapshot(client: Db, environmentId: string): Promise<EnvironmentSnapshotData> {
  const run = async (tx: DbOrTx) => {
    const env = await tx.environment.findUniqueOrThrow({ where: { id: environmentId }, select: { key: true, configVersion: true } });
    const flags = await tx.flag.findMany({
      where: { environmentId, archivedAt: null },
      orderBy: { key: "asc" },
      include: { rollouts: { where: { state: { in: [...ACTIVE_ROLLOUT_STATES] } }, select: rolloutSelect, take: 1 } },
    });
    return {
      environmentId,
      environmentKey: env.key,
      version: env.configVersion.toString(),
      flags: flags.map((f) => toFlagSnapshot(f, f.rollouts[0] ?? null)),
    };
  };
  return client.$transaction(run, { isolationLevel: "RepeatableRead" });
}

/** The flag as evaluation would see it now (for the UI tester); null if missing or archived. */
export async function loadFlagSnapshot(client: DbOrTx, environmentId: string, key: string): Promise<FlagSnapshot | null> {
  const f = await client.flag.findUnique({
    where: { environmentId_key: { environmentId, key } },
    include: { rollouts: { where: { state: { in: [...ACTIVE_ROLLOUT_STATES] } }, select: rolloutSelect, take: 1 } },
  });
  if (!f || f.archivedAt) return null;
  return toFlagSnapshot(f, f.rollouts[0] ?? null);
}
