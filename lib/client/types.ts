/**
 * Shapes of the JSON the dashboard reads from /api/v1. They mirror what the route handlers
 * return (dates arrive as ISO strings); request bodies reuse the zod-inferred types.
 */
import type { Role } from "../domain/auth/permissions";
import type { EvaluationReason, FlagKind, RolloutArm, TargetingRule } from "../domain/flags/types";

export type { Role };
export type { CreateUserBody, UpdateUserBody } from "../schemas/users";

export interface Me {
  id: string;
  email: string;
  roles: Role[];
  permissions: string[];
  /** Server features forms depend on. */
  features: { promql: boolean };
}

export interface Environment {
  id: string;
  key: string;
  name: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  active: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface AuditRecord {
  id: string;
  occurredAt: string;
  actorType: "user" | "api_key" | "system" | string;
  actorId: string;
  actorLabel: string;
  actorRoles: string[];
  action: string;
  resourceType: string;
  resourceId: string;
  /** The resource's key or name (its current one, else the one the record stored); null when unknown. */
  resourceName: string | null;
  environmentId: string | null;
  before: JsonValue | null;
  after: JsonValue | null;
  context: JsonValue | null;
  prevHash: string;
  hash: string;
}

export interface AuditPage {
  records: AuditRecord[];
  nextCursor: string | null;
}

/** Filters of the audit list and export; empty strings mean "not filtered". */
export interface AuditFilters {
  actor?: string;
  action?: string;
  resourceType?: string;
  environment?: string;
  q?: string;
  /** ISO-8601 timestamps. */
  from?: string;
  to?: string;
}

export type { ChainVerification as AuditVerification } from "../server/services/audit";

// ---------- Flags (GET/POST/PATCH /api/v1/flags…) ----------

export type { Condition as FlagCondition, ConditionOperator, EvaluationReason, FlagKind, Serve as FlagServe, SplitEntry, TargetingRule as FlagRule } from "../domain/flags/types";

export interface FlagVariant {
  key: string;
  payload: Record<string, unknown>;
  description?: string;
}

/** The flag document: what POST /flags takes and PATCH merges into. */
export interface FlagDocument {
  key: string;
  description?: string;
  kind: FlagKind;
  variants: FlagVariant[];
  defaultVariant: string;
  fallbackVariant: string;
  stickiness: string;
  enabled: boolean;
  rules: TargetingRule[];
}

/** The flag's one active rollout, as the flag endpoints describe it. */
export interface FlagActiveRollout {
  id: string;
  strategy: string;
  state: string;
  currentStageIndex: number;
  trafficBasisPoints: number;
  controlVariant: string;
  treatmentVariant: string;
}

/** What every flag endpoint returns for a flag. */
export interface FlagView extends FlagDocument {
  id: string;
  environment: string;
  version: number;
  killSwitch: boolean;
  killSwitchReason: string | null;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  activeRollout: FlagActiveRollout | null;
}

/** A PATCH body: any document field but the key, plus the version the screen showed. */
export type FlagPatchBody = Partial<Omit<FlagDocument, "key">> & { expectedVersion?: number };

export type FlagContextValue = string | number | boolean;

/** Answer of the "what would this context get?" tester (POST /flags/{key}/evaluate). */
export interface FlagTestResult {
  result: {
    variant: string;
    value: Record<string, unknown>;
    reason: EvaluationReason;
    bucket?: number;
    ruleIndex?: number;
    stickiness?: string;
    rollout?: { id: string; stage: number; arm: RolloutArm };
    shadow?: { variant: string; value: Record<string, unknown> };
  };
  configVersion: string;
}
