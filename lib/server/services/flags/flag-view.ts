/**
 * A flag row as every flags endpoint answers it (FlagView): the flag document, its state
 * (version, kill switch, archived) and the rollout that holds it, if any.
 */
import "server-only";
import { servedSplit, TERMINAL_STATES } from "../../../domain/rollouts";
import type { FlagDocument, TargetingRule } from "../../../schemas/flags";
import type { Prisma } from "../../generated/prisma/client";
import { toMachineState } from "../rollouts/rollout-record";

/** Rollouts not yet ended: draft, running, paused, awaiting approval. */
export const OPEN_ROLLOUT_WHERE = { state: { notIn: [...TERMINAL_STATES] } } satisfies Prisma.RolloutWhereInput;

export const flagViewInclude = {
  environment: { select: { key: true } },
  rollouts: { where: OPEN_ROLLOUT_WHERE, include: { stages: { orderBy: { index: "asc" } } }, orderBy: { updatedAt: "desc" } },
} as const satisfies Prisma.FlagInclude;

export type FlagRow = Prisma.FlagGetPayload<{ include: typeof flagViewInclude }>;
type OpenRollout = FlagRow["rollouts"][number];

export interface FlagActiveRollout {
  id: string;
  strategy: string;
  state: string;
  currentStageIndex: number;
  /** Treatment share evaluation serves now, in basis points (0 for a draft or a shadow rollout). */
  trafficBasisPoints: number;
  controlVariant: string;
  treatmentVariant: string;
}

export type FlagView = FlagDocument & {
  id: string;
  environment: string;
  version: number;
  killSwitch: boolean;
  killSwitchReason: string | null;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  activeRollout: FlagActiveRollout | null;
};

/** The stored flag as a document (what a PATCH merges into and the audit trail compares). */
export function storedDocument(row: FlagRow): FlagDocument {
  return {
    key: row.key,
    description: row.description,
    kind: row.kind,
    variants: (row.variants as FlagDocument["variants"]).map(({ key, payload, description }) => ({ key, payload, ...defined({ description }) })),
    defaultVariant: row.defaultVariant,
    fallbackVariant: row.fallbackVariant,
    stickiness: row.stickiness,
    enabled: row.enabled,
    rules: (row.rules as FlagDocument["rules"]).map(inDocumentOrder),
  };
}

/** A document's fields as the flag row's columns (create and update write the same ones). */
export function documentColumns(doc: Omit<FlagDocument, "key">) {
  return {
    description: doc.description ?? "",
    kind: doc.kind,
    variants: doc.variants as object[],
    rules: doc.rules as object[],
    defaultVariant: doc.defaultVariant,
    fallbackVariant: doc.fallbackVariant,
    stickiness: doc.stickiness,
    enabled: doc.enabled,
  };
}

/** The object without its undefined members. */
export const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** jsonb stores object keys shortest first; answer rules in the order the document is written. */
function inDocumentOrder(rule: TargetingRule): TargetingRule {
  const serve = rule.serve;
  return {
    ...defined({ description: rule.description }),
    conditions: rule.conditions.map(({ attribute, operator, value }) => ({ attribute, operator, ...defined({ value }) })),
    serve: "split" in serve ? { split: serve.split.map(({ variant, weight }) => ({ variant, weight })) } : serve,
  };
}

/** The live rollout (running, paused, awaiting approval) if there is one, else the newest draft. */
export function holdingRollout(row: FlagRow): OpenRollout | null {
  return row.rollouts.find((r) => r.state !== "draft") ?? row.rollouts[0] ?? null;
}

function activeRolloutView(r: OpenRollout): FlagActiveRollout {
  return {
    id: r.id,
    strategy: r.strategy,
    state: r.state,
    currentStageIndex: r.currentStageIndex,
    trafficBasisPoints: servedSplit(toMachineState(r)).trafficBasisPoints,
    controlVariant: r.controlVariant,
    treatmentVariant: r.treatmentVariant,
  };
}

export function toFlagView(row: FlagRow): FlagView {
  const rollout = holdingRollout(row);
  return {
    id: row.id,
    ...storedDocument(row),
    environment: row.environment.key,
    version: row.version,
    killSwitch: row.killSwitch,
    killSwitchReason: row.killSwitchReason,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    activeRollout: rollout ? activeRolloutView(rollout) : null,
  };
}
