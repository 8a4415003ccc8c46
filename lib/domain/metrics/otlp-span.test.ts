import { describe, expect, test } from "vitest";
import { spanToOutcomeEvent, type OtlpSpan } from "./otlp-span";

const span = (attributes: OtlpSpan["attributes"], over: Partial<OtlpSpan> = {}): OtlpSpan => ({
  traceId: "0af7651916cd43dd8448eb211c80319c",
  spanId: "b7ad6b7169203331",
  name: "chat gpt-4o",
  startTimeUnixNano: "1764756000000000000",
  endTimeUnixNano: "1764756000250500000",
  statusCode: 0,
  statusMessage: "",
  attributes,
  resource: { "service.name": "support-bot" },
  ...over,
});

describe("spanToOutcomeEvent", () => {
  test("a GenAI span with Rollgate's assignment maps every field", () => {
    const m = spanToOutcomeEvent(
      span({
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.response.model": "gpt-4o-2024-08-06",
        "gen_ai.usage.input_tokens": 120,
        "gen_ai.usage.output_tokens": "45",
        "rollgate.flag": "support-bot.model",
        "rollgate.variant": "claude",
        "rollgate.rollout.id": "r1",
        "rollgate.stage": 2,
        "rollgate.arm": "treatment",
        "rollgate.subject": "u-7",
      }),
    );
    expect(m.kind).toBe("event");
    if (m.kind !== "event") return;
    expect(m.event).toMatchObject({
      id: "otlp-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331",
      timestamp: 1764756000250,
      flagKey: "support-bot.model",
      variant: "claude",
      rolloutId: "r1",
      stage: 2,
      arm: "treatment",
      model: "gpt-4o-2024-08-06",
      inputTokens: 120,
      outputTokens: 45,
      subjectKey: "u-7",
      success: true,
    });
    expect(m.event.latencyMs).toBeCloseTo(250.5, 6);
  });

  test("OpenFeature's feature_flag.* attributes attribute the span; an error status or error.type fails it", () => {
    const m = spanToOutcomeEvent(
      span({ "gen_ai.request.model": "gpt-4o", "feature_flag.key": "f", "feature_flag.result.variant": "gpt-4o", "feature_flag.context.id": "u-1" }, { statusCode: 2, statusMessage: "boom" }),
    );
    expect(m).toMatchObject({ kind: "event", event: { flagKey: "f", variant: "gpt-4o", subjectKey: "u-1", success: false, errorType: "span_status_error", model: "gpt-4o" } });
    const typed = spanToOutcomeEvent(span({ "gen_ai.request.model": "m", "rollgate.flag": "f", "rollgate.variant": "v", "error.type": "timeout" }));
    expect(typed).toMatchObject({ kind: "event", event: { success: false, errorType: "timeout" } });
  });

  test("spans without GenAI attributes or without an assignment are ignored", () => {
    expect(spanToOutcomeEvent(span({ "http.method": "GET", "rollgate.flag": "f", "rollgate.variant": "v" })).kind).toBe("ignored");
    expect(spanToOutcomeEvent(span({ "gen_ai.request.model": "gpt-4o" })).kind).toBe("ignored");
  });

  test("unattributable spans are rejected with the reason", () => {
    expect(spanToOutcomeEvent(span({ "gen_ai.request.model": "m", "rollgate.flag": "f" }))).toMatchObject({ kind: "rejected", reason: expect.stringContaining("variant") });
    expect(spanToOutcomeEvent(span({ "gen_ai.request.model": "m", "rollgate.flag": "f", "rollgate.variant": "v", "rollgate.arm": "blue" }))).toMatchObject({
      kind: "rejected",
      reason: expect.stringContaining("rollgate.arm"),
    });
    expect(spanToOutcomeEvent(span({ "gen_ai.request.model": "m", "rollgate.flag": "f", "rollgate.variant": "v", "rollgate.stage": 1.5 }))).toMatchObject({
      kind: "rejected",
      reason: expect.stringContaining("rollgate.stage"),
    });
    expect(spanToOutcomeEvent(span({ "gen_ai.request.model": "m", "rollgate.flag": "f", "rollgate.variant": "v" }, { endTimeUnixNano: "1" }))).toMatchObject({
      kind: "rejected",
    });
  });
});
