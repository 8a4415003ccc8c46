/**
 * Wire shapes of an evaluation result: the native `/api/v1/evaluate` form and OFREP's.
 */
import "server-only";
import type { EvaluationReason, EvaluationResult } from "../../domain/flags";

/** Per-flag error codes of the native endpoint (the flag key is the map key). */
export type NativeFlagError = "FLAG_NOT_FOUND" | "GENERAL";

export interface NativeFlagResult {
  variant: string;
  value: Record<string, unknown>;
  reason: EvaluationReason;
  /** Only "random": the context had neither the stickiness attribute nor targetingKey. */
  stickiness?: "random";
  rollout?: { id: string; stage: number; arm: "control" | "treatment" };
  shadow?: { variant: string; value: Record<string, unknown> };
}

export function toNativeResult(r: EvaluationResult): NativeFlagResult {
  const out: NativeFlagResult = { variant: r.variant, value: r.payload, reason: r.reason };
  if (r.stickiness === "random") out.stickiness = "random";
  if (r.rollout) out.rollout = { id: r.rollout.id, stage: r.rollout.stage, arm: r.rollout.arm };
  if (r.shadow) out.shadow = { variant: r.shadow.variant, value: r.shadow.payload };
  return out;
}

/** Our reasons on the OFREP wire; the kill switch is OpenFeature's STATIC. */
export const OFREP_REASONS: Record<EvaluationReason, string> = {
  DISABLED: "DISABLED",
  KILL_SWITCH: "STATIC",
  TARGETING_MATCH: "TARGETING_MATCH",
  SPLIT: "SPLIT",
  DEFAULT: "DEFAULT",
};

export type OfrepErrorCode = "PARSE_ERROR" | "TARGETING_KEY_MISSING" | "INVALID_CONTEXT" | "GENERAL" | "FLAG_NOT_FOUND";

export interface OfrepSuccess {
  key: string;
  value: Record<string, unknown>;
  reason: string;
  variant: string;
  /** Flat primitives only (OFREP/OpenFeature flag metadata). */
  metadata: Record<string, string | number | boolean>;
}

export interface OfrepFailure {
  key?: string;
  errorCode: OfrepErrorCode;
  errorDetails: string;
}

/**
 * OFREP success object. Rollout and shadow details go to `metadata`: rolloutId, rolloutStage,
 * rolloutArm, and for sampled shadow requests shadowVariant plus shadowPayload (the treatment's
 * payload as a JSON string, since metadata values must be primitives).
 */
export function toOfrepSuccess(r: EvaluationResult, version: string): OfrepSuccess {
  const metadata: Record<string, string | number | boolean> = { configVersion: version };
  if (r.rollout) {
    metadata.rolloutId = r.rollout.id;
    metadata.rolloutStage = r.rollout.stage;
    metadata.rolloutArm = r.rollout.arm;
  }
  if (r.shadow) {
    metadata.shadowVariant = r.shadow.variant;
    metadata.shadowPayload = JSON.stringify(r.shadow.payload);
  }
  return { key: r.flagKey, value: r.payload, reason: OFREP_REASONS[r.reason], variant: r.variant, metadata };
}

/**
 * OFREP asks for a targeting key when the decision needed a stickiness value and there was none
 * (the engine then drew a random bucket). Fixed variants, disabled and killed flags never need one.
 */
export function needsTargetingKey(r: EvaluationResult): boolean {
  return r.stickiness === "random";
}

export function targetingKeyMissing(flagKey: string, stickiness: string): OfrepFailure {
  return {
    key: flagKey,
    errorCode: "TARGETING_KEY_MISSING",
    errorDetails: `Flag "${flagKey}" assigns by "${stickiness}": send context.${stickiness} or context.targetingKey.`,
  };
}
