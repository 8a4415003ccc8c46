/**
 * Loading a rollout with its plan, and converting between database rows and the pure state
 * machine's RolloutMachineState (pendingApproval is stored as JSON with ISO dates).
 */
import "server-only";
import type { PendingApproval, RolloutMachineState, RolloutState, RolloutStrategy, StagePlan } from "../../../domain/rollouts";
import { DomainError } from "../../../domain/errors";
import type { DbOrTx } from "../../db";

export const rolloutInclude = {
  stages: { orderBy: { index: "asc" } },
  flag: { select: { id: true, key: true, kind: true, variants: true, defaultVariant: true, salt: true, archivedAt: true } },
  environment: { select: { id: true, key: true } },
} as const;

export async function loadRollout(client: DbOrTx, id: string) {
  const rollout = await client.rollout.findUnique({ where: { id }, include: rolloutInclude });
  if (!rollout) throw new DomainError("not_found", "No such rollout.", { rolloutId: id });
  return rollout;
}

export type RolloutRow = Awaited<ReturnType<typeof loadRollout>>;

type StageRow = RolloutRow["stages"][number];

export function toStagePlan(s: StageRow): StagePlan {
  return {
    trafficBasisPoints: s.trafficBasisPoints,
    shadowSampleBasisPoints: s.shadowSampleBasisPoints,
    minBakeSeconds: s.minBakeSeconds,
    minSamplesPerArm: s.minSamplesPerArm,
    requiresApproval: s.requiresApproval,
    gates: Array.isArray(s.gates) ? (s.gates as StagePlan["gates"]) : [],
  };
}

// Type aliases (not interfaces) so they are assignable to Prisma's JSON input type.
type StoredApproval = {
  by: string;
  at: string;
  comment: string | null;
};
type StoredPendingApproval = {
  stageIndex: number;
  requestedBy: string;
  requestedAt: string;
  approvals: StoredApproval[];
};

export function parsePendingApproval(value: unknown): PendingApproval | null {
  if (!value || typeof value !== "object") return null;
  const v = value as StoredPendingApproval;
  return {
    stageIndex: v.stageIndex,
    requestedBy: v.requestedBy,
    requestedAt: new Date(v.requestedAt),
    approvals: (v.approvals ?? []).map((a) => ({ by: a.by, at: new Date(a.at), comment: a.comment ?? null })),
  };
}

export function serializePendingApproval(p: PendingApproval): StoredPendingApproval {
  return {
    stageIndex: p.stageIndex,
    requestedBy: p.requestedBy,
    requestedAt: p.requestedAt.toISOString(),
    approvals: p.approvals.map((a) => ({ by: a.by, at: a.at.toISOString(), comment: a.comment })),
  };
}

export function toMachineState(r: {
  state: string;
  strategy: string;
  stages: StageRow[];
  currentStageIndex: number;
  stageStartedAt: Date | null;
  createdById: string;
  pendingApproval: unknown;
  requiredApprovals: number;
}): RolloutMachineState {
  return {
    state: r.state as RolloutState,
    strategy: r.strategy as RolloutStrategy,
    stages: r.stages.map(toStagePlan),
    currentStageIndex: r.currentStageIndex,
    stageStartedAt: r.stageStartedAt,
    createdBy: r.createdById,
    pendingApproval: parsePendingApproval(r.pendingApproval),
    requiredApprovals: r.requiredApprovals,
  };
}

/** The keys of a flag's variants (the column is JSON [{key, payload, description?}]). */
export function variantKeys(variants: unknown): string[] {
  return Array.isArray(variants) ? variants.map((v) => String((v as { key?: unknown }).key)) : [];
}
