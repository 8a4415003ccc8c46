/**
 * OpenTelemetry spans as outcome events (docs/otlp.md has the table). A span becomes an event
 * when it carries GenAI semantic-convention attributes (any `gen_ai.*`) AND a Rollgate assignment
 * (`rollgate.flag` or OpenFeature's `feature_flag.key`); every other span is ignored (counted,
 * not an error). A span that has both but cannot be attributed (no variant, a bad arm or stage)
 * is rejected with the reason. The event then goes through the same validation as
 * POST /api/v1/events, so an OTLP outcome and a native one count alike.
 */

/** An attribute value after OTLP decoding (arrays and maps are kept but never mapped). */
export type SpanAttributeValue = string | number | boolean | null | SpanAttributeValue[] | { [key: string]: SpanAttributeValue };

/** A decoded span, the same for OTLP/JSON and OTLP/protobuf. */
export interface OtlpSpan {
  /** Lower-case hex. */
  traceId: string;
  spanId: string;
  name: string;
  /** Epoch nanoseconds as decimal strings (they exceed 2^53). */
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  /** 0 unset, 1 ok, 2 error (OTLP StatusCode). */
  statusCode: number;
  statusMessage: string;
  attributes: Record<string, SpanAttributeValue>;
  resource: Record<string, SpanAttributeValue>;
}

export type SpanMapping = { kind: "event"; event: Record<string, unknown> } | { kind: "ignored" } | { kind: "rejected"; reason: string };

export const STATUS_CODE_ERROR = 2;

const text = (v: SpanAttributeValue | undefined): string | undefined => {
  if (typeof v === "string" && v.length > 0) return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
};

const integer = (v: SpanAttributeValue | undefined): number | undefined => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isSafeInteger(n) ? n : undefined;
};

function first(attrs: Record<string, SpanAttributeValue>, keys: readonly string[]): SpanAttributeValue | undefined {
  for (const k of keys) if (attrs[k] !== undefined && attrs[k] !== null) return attrs[k];
  return undefined;
}

/** Attribute keys read for each event field, in order of precedence. */
export const SPAN_FIELDS = {
  flagKey: ["rollgate.flag", "feature_flag.key"],
  variant: ["rollgate.variant", "feature_flag.result.variant", "feature_flag.variant"],
  rolloutId: ["rollgate.rollout.id"],
  stage: ["rollgate.stage"],
  arm: ["rollgate.arm"],
  pairId: ["rollgate.pair.id"],
  subjectKey: ["rollgate.subject", "feature_flag.context.id", "enduser.id"],
  model: ["gen_ai.response.model", "gen_ai.request.model"],
  inputTokens: ["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"],
  outputTokens: ["gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"],
  errorType: ["error.type"],
  requestId: ["gen_ai.response.id"],
} as const;

/** Nanoseconds (decimal string) → milliseconds, keeping the sub-millisecond part. */
function nanosToMs(ns: string): number | null {
  if (!/^\d{1,20}$/.test(ns)) return null;
  const big = BigInt(ns);
  return Number(big / 1_000_000n) + Number(big % 1_000_000n) / 1e6;
}

export function spanToOutcomeEvent(span: OtlpSpan): SpanMapping {
  const a = span.attributes;
  const hasGenAi = Object.keys(a).some((k) => k.startsWith("gen_ai."));
  const flagKey = text(first(a, SPAN_FIELDS.flagKey));
  if (!hasGenAi || !flagKey) return { kind: "ignored" };

  const variant = text(first(a, SPAN_FIELDS.variant));
  if (!variant) return { kind: "rejected", reason: `flag "${flagKey}" without a variant: set rollgate.variant or feature_flag.result.variant` };
  const start = nanosToMs(span.startTimeUnixNano);
  const end = nanosToMs(span.endTimeUnixNano);
  if (start === null || end === null || end === 0) return { kind: "rejected", reason: "startTimeUnixNano/endTimeUnixNano missing or invalid" };
  if (end < start) return { kind: "rejected", reason: "endTimeUnixNano is before startTimeUnixNano" };

  const event: Record<string, unknown> = {
    id: `otlp-${span.traceId}-${span.spanId}`,
    timestamp: Math.floor(end),
    flagKey,
    variant,
    latencyMs: end - start,
    requestId: text(first(a, SPAN_FIELDS.requestId)) ?? span.traceId,
    attributes: { source: "otlp", traceId: span.traceId, spanId: span.spanId, span: span.name.slice(0, 200), service: text(span.resource["service.name"]) ?? null },
  };

  const rolloutId = text(first(a, SPAN_FIELDS.rolloutId));
  const stageValue = first(a, SPAN_FIELDS.stage);
  const armValue = first(a, SPAN_FIELDS.arm);
  if (rolloutId) event.rolloutId = rolloutId;
  if (stageValue !== undefined) {
    const stage = integer(stageValue);
    if (stage === undefined || stage < 0) return { kind: "rejected", reason: `rollgate.stage must be a non-negative integer, got ${JSON.stringify(stageValue)}` };
    event.stage = stage;
  }
  if (armValue !== undefined) {
    if (armValue !== "control" && armValue !== "treatment") return { kind: "rejected", reason: `rollgate.arm must be "control" or "treatment", got ${JSON.stringify(armValue)}` };
    event.arm = armValue;
  }

  const optional: Array<[string, unknown]> = [
    ["pairId", text(first(a, SPAN_FIELDS.pairId))],
    ["subjectKey", text(first(a, SPAN_FIELDS.subjectKey))],
    ["model", text(first(a, SPAN_FIELDS.model))],
    ["inputTokens", integer(first(a, SPAN_FIELDS.inputTokens))],
    ["outputTokens", integer(first(a, SPAN_FIELDS.outputTokens))],
  ];
  for (const [k, v] of optional) if (v !== undefined) event[k] = v;

  const errorType = text(first(a, SPAN_FIELDS.errorType));
  const failed = span.statusCode === STATUS_CODE_ERROR || errorType !== undefined;
  event.success = !failed;
  if (failed) event.errorType = (errorType ?? "span_status_error").slice(0, 100);
  return { kind: "event", event };
}
