/**
 * OTLP spans → outcome events, through the same ingestion as POST /api/v1/events
 * (ingestEvents: validation, rollout/arm/stage resolution, idempotent storage by event id, the
 * rollups). Event ids derive from trace and span ids, so an exporter's retry counts once.
 */
import "server-only";
import { spanToOutcomeEvent, type OtlpSpan } from "../../../domain/metrics/otlp-span";
import { MAX_EVENTS_PER_BATCH } from "../../../schemas/events";
import { ingestEvents } from "./ingest-events";

export interface OtlpIngestResult {
  /** Spans stored as new outcome events. */
  accepted: number;
  /** Spans already stored (an exporter's retry): counted once. */
  duplicates: number;
  /** Spans without GenAI attributes or without an assignment. */
  ignored: number;
  rejected: { span: string; reason: string }[];
}

export async function ingestOtlpSpans(input: { environmentId: string; spans: OtlpSpan[]; now?: Date }): Promise<OtlpIngestResult> {
  const result: OtlpIngestResult = { accepted: 0, duplicates: 0, ignored: 0, rejected: [] };
  const events: Record<string, unknown>[] = [];
  const names: string[] = [];
  for (const span of input.spans) {
    const name = `${span.traceId}/${span.spanId}`;
    const mapped = spanToOutcomeEvent(span);
    if (mapped.kind === "ignored") result.ignored += 1;
    else if (mapped.kind === "rejected") result.rejected.push({ span: name, reason: mapped.reason });
    else {
      events.push(mapped.event);
      names.push(name);
    }
  }
  for (let i = 0; i < events.length; i += MAX_EVENTS_PER_BATCH) {
    const chunk = events.slice(i, i + MAX_EVENTS_PER_BATCH);
    const answer = await ingestEvents({ environmentId: input.environmentId, events: chunk, now: input.now });
    result.accepted += answer.accepted;
    result.duplicates += answer.duplicates;
    for (const r of answer.rejected) result.rejected.push({ span: names[i + r.index], reason: r.errors.join("; ") });
  }
  return result;
}

/** OTLP's partial-success message: the first few reasons, and the ignored count as a warning. */
export function partialSuccessOf(result: OtlpIngestResult): { rejectedSpans: number; errorMessage: string } | null {
  const parts: string[] = [];
  if (result.rejected.length) {
    const shown = result.rejected.slice(0, 5).map((r) => `span ${r.span}: ${r.reason}`);
    parts.push(`${result.rejected.length} span(s) rejected: ${shown.join(" | ")}${result.rejected.length > 5 ? " | …" : ""}`);
  }
  if (result.ignored) parts.push(`${result.ignored} span(s) ignored: no gen_ai.* attributes or no rollgate.flag/feature_flag.key`);
  return parts.length ? { rejectedSpans: result.rejected.length, errorMessage: parts.join(". ") } : null;
}
