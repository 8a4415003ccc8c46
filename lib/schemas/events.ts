/**
 * Outcome events reported by services (docs/api-evaluation.md) and the ingestion response. A batch is parsed in
 * two steps so one bad event never sinks its batch: the envelope (`{"events": [...]}`) first,
 * then every event on its own with `outcomeEventSchema`.
 */
import { z } from "zod";
import type { OutcomeEvent } from "../domain/metrics/outcome-event";
import { agrees } from "./agrees";

export type { OutcomeEvent };

/** Most events one request may carry; more is refused with 413. */
export const MAX_EVENTS_PER_BATCH = 1000;
/** Largest request body accepted by POST /api/v1/events (1 MiB); more is refused with 413. */
export const MAX_EVENTS_BODY_BYTES = 1024 * 1024;
/** Longest identifier-like string (id, flagKey, variant, requestId, pairId, model…). */
export const MAX_EVENT_STRING = 200;
/** Largest serialized `attributes` object, in characters. */
export const MAX_ATTRIBUTES_CHARS = 4096;
/** One hour: a latency above this is a unit mistake (seconds sent as ms), not a measurement. */
export const MAX_LATENCY_MS = 3_600_000;

const shortString = z.string().min(1).max(MAX_EVENT_STRING);
const optionalString = shortString.nullish();
const count = z.number().int().min(0).max(100_000_000);

/** ISO 8601 with a time zone (`2026-11-24T10:15:00Z`) or epoch milliseconds. */
const timestampSchema = z.union([z.iso.datetime({ offset: true }), z.number().int().min(0).max(8_640_000_000_000_000)]);

export const outcomeEventSchema = z
  .object({
    id: shortString,
    timestamp: timestampSchema,
    flagKey: shortString,
    variant: shortString,
    rolloutId: optionalString,
    arm: z.enum(["control", "treatment"]).nullish(),
    /**
     * The stage that served the request: `rollout.stage` of the evaluation answer (OFREP:
     * `metadata.rolloutStage`), 0-based. Optional; without it the event's timestamp decides.
     */
    stage: z.number().int().min(0).max(1000).nullish(),
    subjectKey: optionalString,
    requestId: optionalString,
    pairId: optionalString,
    model: optionalString,
    latencyMs: z.number().min(0).max(MAX_LATENCY_MS).nullish(),
    inputTokens: count.nullish(),
    outputTokens: count.nullish(),
    costUsd: z.number().min(0).max(10_000).nullish(),
    success: z.boolean(),
    errorType: z.string().min(1).max(100).nullish(),
    feedback: z.union([z.literal(1), z.literal(-1)]).nullish(),
    retried: z.boolean().nullish(),
    qualityScore: z.number().min(0).max(1).nullish(),
    attributes: z
      .record(z.string(), z.unknown())
      .nullish()
      .refine((a) => a == null || JSON.stringify(a).length <= MAX_ATTRIBUTES_CHARS, {
        message: `attributes must serialize to at most ${MAX_ATTRIBUTES_CHARS} characters`,
      }),
  })
  .strict();

export type OutcomeEventInput = z.input<typeof outcomeEventSchema>;
agrees<z.output<typeof outcomeEventSchema>, OutcomeEvent>();

/** The envelope only; events are validated one by one. */
export const eventBatchEnvelopeSchema = z.object({ events: z.array(z.unknown()) }).strict();

export const rejectedEventSchema = z.object({ index: z.number().int(), errors: z.array(z.string()) });

export const ingestResponseSchema = z.object({
  /** Events stored and counted for the first time. */
  accepted: z.number().int(),
  /** Valid events whose id was already stored (a replay): changed nothing. */
  duplicates: z.number().int(),
  rejected: z.array(rejectedEventSchema),
});
export type IngestResponse = z.infer<typeof ingestResponseSchema>;
export type RejectedEvent = z.infer<typeof rejectedEventSchema>;

/** "latencyMs: Too big: expected number to be <=3600000" — path, then zod's message. */
export function describeEventIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") return `unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}`;
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}
