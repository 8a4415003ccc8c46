/**
 * Request shapes of the evaluation endpoints and their validation. The native endpoint answers
 * shape errors as problem+json listing every field problem; OFREP answers with its own error
 * codes (PARSE_ERROR for unreadable JSON, INVALID_CONTEXT for a context that is not an object or
 * has a non-string targetingKey).
 */
import "server-only";
import { z } from "zod";
import type { EvaluationContext } from "../../domain/flags";
import { zodProblem } from "../http/zod-problem";

/** Flag keys one native request may name. */
export const MAX_REQUESTED_FLAGS = 1000;

export const evaluationContextSchema = z.record(z.string(), z.unknown());

/** `POST /api/v1/evaluate` body: `{"context":{…},"flags":["key",…]?}`; other top-level members are refused. */
export const evaluateBodySchema = z
  .object({
    context: evaluationContextSchema,
    flags: z.array(z.string().min(1, "flag keys are non-empty strings")).max(MAX_REQUESTED_FLAGS).optional(),
  })
  .strict();

export type EvaluateBody = z.infer<typeof evaluateBodySchema>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The same acceptance as `evaluateBodySchema`, as plain checks (≈20× cheaper than zod): null
 * means "not obviously valid", and the caller lets zod decide and explain.
 */
export function acceptEvaluateBody(value: unknown): EvaluateBody | null {
  if (!isObject(value)) return null;
  for (const key in value) if (key !== "context" && key !== "flags") return null;
  if (!isObject(value.context)) return null;
  const flags = value.flags;
  if (flags !== undefined) {
    if (!Array.isArray(flags) || flags.length > MAX_REQUESTED_FLAGS) return null;
    for (const f of flags) if (typeof f !== "string" || f.length === 0) return null;
  }
  return value as EvaluateBody;
}

/** Validates a parsed native body; throws invalid_input with every field error. */
export function parseEvaluateBody(value: unknown): EvaluateBody {
  const fast = acceptEvaluateBody(value);
  if (fast) return fast;
  const result = evaluateBodySchema.safeParse(value ?? {});
  if (!result.success) throw zodProblem(result.error, "body");
  return result.data;
}

export type OfrepContextResult = { ok: true; context: EvaluationContext } | { ok: false; details: string };

/**
 * The OFREP request's context: `{}` when the body or its `context` is absent; an error when the
 * body is not an object, `context` is not an object, or `targetingKey` is present but not a string.
 */
export function ofrepContextOf(body: unknown): OfrepContextResult {
  if (body === undefined) return { ok: true, context: {} };
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, details: 'The request body must be a JSON object like {"context":{…}}.' };
  }
  const context = (body as { context?: unknown }).context;
  if (context === undefined) return { ok: true, context: {} };
  if (typeof context !== "object" || context === null || Array.isArray(context)) {
    return { ok: false, details: "`context` must be a JSON object of attributes." };
  }
  const targetingKey = (context as { targetingKey?: unknown }).targetingKey;
  if (targetingKey !== undefined && typeof targetingKey !== "string") {
    return { ok: false, details: "`context.targetingKey` must be a string." };
  }
  return { ok: true, context: context as EvaluationContext };
}
