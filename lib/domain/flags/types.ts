/**
 * Types of the pure flag-evaluation engine. They describe the in-memory snapshot
 * an app instance evaluates against, not the database rows.
 */

/** Every condition operator, in the order the docs list them. Single source for the schema. */
export const CONDITION_OPERATORS = ["eq", "neq", "in", "not_in", "contains", "starts_with", "ends_with", "lt", "lte", "gt", "gte", "semver_gt", "semver_lt", "exists"] as const;

export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** A JSON primitive a condition may compare against (null is never a condition value). */
export type ConditionPrimitive = string | number | boolean;

/** A check on one context attribute. `value` depends on the operator (see conditions.ts). */
export type Condition = {
  attribute: string;
  operator: ConditionOperator;
  value?: ConditionPrimitive | ConditionPrimitive[];
};

/** One entry of a percentage split; `weight` is in basis points (all entries sum to 10000). */
export type SplitEntry = { variant: string; weight: number };

/** What a matching rule serves: a fixed variant, a percentage split, or the active rollout's decision. */
export type Serve = { variant: string } | { split: SplitEntry[] } | { rollout: true };

export type TargetingRule = {
  description?: string;
  /** ANDed; an empty list matches every context. */
  conditions: Condition[];
  serve: Serve;
};

export type FlagKind = "model" | "prompt" | "json";

export type VariantPayload = Record<string, unknown>;

export type SnapshotVariant = { key: string; payload: VariantPayload };

export type RolloutStrategy = "shadow" | "canary" | "ab_test" | "blue_green";

/** The one active rollout of a flag, as evaluation needs it. Completed/aborted rollouts are not in the snapshot. */
export type ActiveRolloutSnapshot = {
  id: string;
  strategy: RolloutStrategy;
  state: "running" | "paused" | "awaiting_approval";
  /** Salt of the rollout's bucketing; kept across stages so ramps are monotonic. */
  salt: string;
  controlVariant: string;
  treatmentVariant: string;
  stageIndex: number;
  /** Treatment share in basis points, 0..10000. Ignored by the shadow strategy (users always get control). */
  trafficBasisPoints: number;
  /** Shadow strategy only: share of requests, 0..10000 basis points, that also call the treatment. */
  shadowSampleBasisPoints: number;
};

export type FlagSnapshot = {
  key: string;
  kind: FlagKind;
  variants: SnapshotVariant[];
  defaultVariant: string;
  fallbackVariant: string;
  /** Context attribute whose value keeps a user in the same bucket, e.g. "userId". */
  stickiness: string;
  enabled: boolean;
  killSwitch: boolean;
  /** Salt of the flag's own rule splits. */
  salt: string;
  rules: TargetingRule[];
  rollout: ActiveRolloutSnapshot | null;
};

/** Attributes of the caller. OpenFeature's `targetingKey` may be present. */
export type EvaluationContext = Record<string, unknown>;

export type EvaluationReason = "DISABLED" | "KILL_SWITCH" | "TARGETING_MATCH" | "DEFAULT" | "SPLIT";

/** Where the bucket's input came from: the flag's stickiness attribute, `targetingKey`, or the injected rng. */
export type StickinessSource = "attribute" | "targetingKey" | "random";

export type RolloutArm = "control" | "treatment";

export type EvaluationResult = {
  flagKey: string;
  variant: string;
  payload: VariantPayload;
  reason: EvaluationReason;
  /** Index of the rule that matched (TARGETING_MATCH only). */
  ruleIndex?: number;
  /** Bucket in [0, 10000) when a percentage decision was made. */
  bucket?: number;
  stickiness?: StickinessSource;
  /** Set when the active rollout decided; `arm` is the arm actually served. */
  rollout?: { id: string; stage: number; arm: RolloutArm };
  /** Shadow strategy, sampled requests only: also call this variant and discard its answer. */
  shadow?: { variant: string; payload: VariantPayload };
};

export type EvaluateOptions = {
  /** Uniform in [0, 1). Used only for random buckets (no stickiness value) and shadow sampling. */
  rng: () => number;
};
