import { describe, expect, test } from "vitest";
import { spanToOutcomeEvent } from "../domain/metrics/otlp-span";
import { outcomeEventSchema } from "./events";

describe("outcome events", () => {
  test("an event mapped from a GenAI span (OTLP ingestion) passes the events schema", () => {
    const m = spanToOutcomeEvent({
      traceId: "0af7651916cd43dd8448eb211c80319c",
      spanId: "b7ad6b7169203331",
      name: "chat gpt-4o",
      startTimeUnixNano: "1764756000000000000",
      endTimeUnixNano: "1764756000250500000",
      statusCode: 0,
      statusMessage: "",
      attributes: {
        "gen_ai.response.model": "gpt-4o-2024-08-06",
        "gen_ai.usage.input_tokens": 120,
        "gen_ai.usage.output_tokens": "45",
        "rollgate.flag": "support-bot.model",
        "rollgate.variant": "claude",
        "rollgate.rollout.id": "r1",
        "rollgate.stage": 2,
        "rollgate.arm": "treatment",
        "rollgate.subject": "u-7",
      },
      resource: { "service.name": "support-bot" },
    });
    expect(m.kind).toBe("event");
    if (m.kind !== "event") return;
    const parsed = outcomeEventSchema.safeParse(m.event);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data).toEqual(m.event);
  });
});
