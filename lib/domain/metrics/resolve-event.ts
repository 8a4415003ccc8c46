/**
 * Checks a schema-valid event against what ingestion knows (clock, retention, the rollout it
 * names, the price table) and resolves its arm, stage and cost. Returns the reasons when the
 * event cannot be accepted; never throws for a bad event.
 */
import type { OutcomeEvent } from "./outcome-event";
import type { AcceptedEvent, Arm } from "./types";

/** How far in the future an event's timestamp may be (clock skew between services): 5 minutes. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

export interface StageWindow {
  index: number;
  /** When the stage began; null if it never ran. */
  startedAt: number | null;
  /** When the stage ended (promotion, completion, rollback, abort); null while it runs. */
  endedAt?: number | null;
}

/** What ingestion needs to know about a rollout an event names. */
export interface RolloutForIngestion {
  id: string;
  flagKey: string;
  controlVariant: string;
  treatmentVariant: string;
  currentStageIndex: number;
  stages: readonly StageWindow[];
  /** When the rollout ended (completed, rolled back, aborted); null while it runs. */
  endedAt?: number | null;
}

/** Stage index of outcomes reported (by timestamp) at or after the rollout's end. */
export const STAGE_AFTER_END = -1;
/** Stage index of outcomes that belong to no stage that ran (before the start, or a stage that never ran). */
export const STAGE_UNKNOWN = -2;

/**
 * The stage that served an outcome (docs/architecture.md, "Per-stage attribution"):
 * - echoed: the `stage` the evaluation answer named, as the service sent it back — exact
 *   whatever the clocks say; STAGE_UNKNOWN when that stage never ran;
 * - not echoed: the stage whose [startedAt, endedAt) holds the timestamp, to the millisecond;
 *   at or after the rollout's end STAGE_AFTER_END, before its start STAGE_UNKNOWN.
 */
export function attributeStage(rollout: Pick<RolloutForIngestion, "stages" | "endedAt">, t: number, echoed?: number | null): number {
  if (echoed != null) {
    const stage = rollout.stages.find((s) => s.index === echoed);
    return stage?.startedAt != null ? echoed : STAGE_UNKNOWN;
  }
  if (rollout.endedAt != null && t >= rollout.endedAt) return STAGE_AFTER_END;
  for (const s of rollout.stages) {
    if (s.startedAt == null || t < s.startedAt) continue;
    if (s.endedAt == null || t < s.endedAt) return s.index;
  }
  return STAGE_UNKNOWN;
}

export interface ResolveContext {
  now: number;
  retentionDays: number;
  /** undefined → no rollout with that id in the key's environment. */
  rollout(id: string): RolloutForIngestion | undefined;
  /** Cost of a call from the price table; null when the model is unknown or tokens are missing. */
  costOf(model: string, inputTokens: number, outputTokens: number): number | null;
}

export type Resolution = { ok: true; event: AcceptedEvent } | { ok: false; errors: string[] };

/** Epoch ms of an ISO 8601 string or epoch-ms number (already schema-checked). */
export function timestampMs(ts: string | number): number {
  return typeof ts === "number" ? ts : Date.parse(ts);
}

/**
 * Events older than the retention window are refused: their raw row would be pruned at once,
 * and without it a replay could no longer be recognised as a duplicate.
 */
export function timestampProblem(t: number, now: number, retentionDays: number): string | null {
  if (!Number.isFinite(t)) return "timestamp: not a valid date";
  if (t > now + MAX_FUTURE_SKEW_MS) return "timestamp: more than 5 minutes in the future";
  if (t < now - retentionDays * DAY_MS) return `timestamp: older than the ${retentionDays}-day retention window`;
  return null;
}

function armOf(rollout: RolloutForIngestion, variant: string, arm: Arm | null | undefined): { arm?: Arm; error?: string } {
  const variantArm: Arm | null = variant === rollout.controlVariant ? "control" : variant === rollout.treatmentVariant ? "treatment" : null;
  if (!variantArm) {
    return { error: `variant: "${variant}" is neither the rollout's control ("${rollout.controlVariant}") nor its treatment ("${rollout.treatmentVariant}")` };
  }
  if (arm && arm !== variantArm) return { error: `arm: "${arm}" does not match variant "${variant}", which is the rollout's ${variantArm}` };
  return { arm: variantArm };
}

export function resolveEvent(e: OutcomeEvent, ctx: ResolveContext): Resolution {
  const errors: string[] = [];
  const occurredAt = timestampMs(e.timestamp);
  const timeProblem = timestampProblem(occurredAt, ctx.now, ctx.retentionDays);
  if (timeProblem) errors.push(timeProblem);

  let arm: Arm | null = null;
  let stageIndex = 0;
  if (e.rolloutId) {
    const rollout = ctx.rollout(e.rolloutId);
    if (!rollout) errors.push(`rolloutId: no rollout "${e.rolloutId}" in this API key's environment`);
    else {
      if (rollout.flagKey !== e.flagKey) errors.push(`flagKey: rollout "${e.rolloutId}" belongs to flag "${rollout.flagKey}", not "${e.flagKey}"`);
      const resolved = armOf(rollout, e.variant, e.arm);
      if (resolved.error) errors.push(resolved.error);
      arm = resolved.arm ?? null;
      if (e.stage != null && !rollout.stages.some((s) => s.index === e.stage)) {
        errors.push(`stage: rollout "${e.rolloutId}" has no stage ${e.stage} (stages are 0-based, up to ${rollout.stages.length - 1})`);
      }
      stageIndex = attributeStage(rollout, occurredAt, e.stage);
    }
  } else {
    if (e.arm) errors.push("arm: only meaningful with a rolloutId");
    if (e.stage != null) errors.push("stage: only meaningful with a rolloutId");
  }
  if (errors.length > 0) return { ok: false, errors };

  let costUsd = e.costUsd ?? null;
  if (costUsd == null && e.model && (e.inputTokens != null || e.outputTokens != null)) {
    costUsd = ctx.costOf(e.model, e.inputTokens ?? 0, e.outputTokens ?? 0);
  }
  return {
    ok: true,
    event: {
      id: e.id,
      occurredAt,
      flagKey: e.flagKey,
      variant: e.variant,
      rolloutId: e.rolloutId ?? null,
      arm,
      stageIndex,
      latencyMs: e.latencyMs ?? null,
      inputTokens: e.inputTokens ?? null,
      outputTokens: e.outputTokens ?? null,
      costUsd,
      success: e.success,
      errorType: e.errorType ?? null,
      feedback: e.feedback ?? null,
      retried: e.retried ?? false,
      qualityScore: e.qualityScore ?? null,
    },
  };
}
