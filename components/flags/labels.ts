import type { BadgeTone } from "../ui/badge";
import type { ConditionOperator, EvaluationReason, FlagKind } from "@/lib/client/types";

export const KIND_LABELS: Record<FlagKind, string> = { model: "Model", prompt: "Prompt", json: "JSON" };

/** Every targeting operator, in the order docs/api-management.md lists them, as the operator select shows it. */
export const OPERATOR_LABELS: Record<ConditionOperator, string> = {
  eq: "equals",
  neq: "does not equal",
  in: "is one of",
  not_in: "is not one of",
  contains: "contains",
  starts_with: "starts with",
  ends_with: "ends with",
  lt: "< less than",
  lte: "≤ at most",
  gt: "> greater than",
  gte: "≥ at least",
  semver_gt: "version after",
  semver_lt: "version before",
  exists: "exists",
};

export const REASON_TEXT: Record<EvaluationReason, string> = {
  DISABLED: "The flag is disabled: everyone gets the fallback variant.",
  KILL_SWITCH: "The kill switch is on: everyone gets the fallback variant.",
  TARGETING_MATCH: "A targeting rule matched.",
  DEFAULT: "No rule matched: the default variant is served.",
  SPLIT: "No rule matched: the active rollout decided.",
};

export const REASON_TONE: Record<EvaluationReason, BadgeTone> = {
  DISABLED: "neutral",
  KILL_SWITCH: "danger",
  TARGETING_MATCH: "info",
  DEFAULT: "neutral",
  SPLIT: "accent",
};

export const NEEDS_WRITE = "Needs the operator or admin role.";
