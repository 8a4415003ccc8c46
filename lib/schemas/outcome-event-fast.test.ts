import { describe, expect, test } from "vitest";
import { outcomeEventSchema } from "./events";
import { textIssues } from "./hygiene";
import { isPlainValidOutcomeEvent } from "./outcome-event-fast";

const base = { id: "e-1", timestamp: 1_764_000_000_000, flagKey: "support-bot.model", variant: "gpt-4o", success: true };

const fullCheck = (raw: unknown) => textIssues(raw).length === 0 && outcomeEventSchema.safeParse(raw).success;

/** Values per field, valid and invalid, to cross with the base event. */
const VARIANTS: Record<string, unknown[]> = {
  id: ["x", "a".repeat(200), "a".repeat(201), "", 5, null, "nul\u0000", "lone\uD800", "pair\uD83D\uDE00"],
  timestamp: [0, 8_640_000_000_000_000, 8_640_000_000_000_001, -1, 1.5, "2026-11-24T10:15:00Z", "yesterday", null, Number.NaN],
  flagKey: ["f", "", 1],
  variant: ["v", "a".repeat(201)],
  rolloutId: [null, undefined, "r", "", "a".repeat(201)],
  arm: ["control", "treatment", "other", null],
  stage: [0, 1000, 1001, -1, 0.5, null],
  subjectKey: ["u", null, ""],
  requestId: ["q", 3],
  pairId: ["p", "\u0000"],
  model: ["gpt-4o", {}],
  latencyMs: [0, 12.5, 3_600_000, 3_600_001, -1, Number.POSITIVE_INFINITY, null, "10"],
  inputTokens: [0, 100_000_000, 100_000_001, 1.5, -1, null],
  outputTokens: [5, -5],
  costUsd: [0, 0.01, 10_000, 10_001, -0.1, null],
  success: [true, false, "true", null, undefined],
  errorType: ["timeout", "a".repeat(100), "a".repeat(101), "", null],
  feedback: [1, -1, 0, 2, null],
  retried: [true, false, null, 1],
  qualityScore: [0, 1, 0.5, 1.01, -0.01, null],
  attributes: [null, {}, { route: "/chat", n: 3, nested: { ok: true } }, [], "x", { bad: "\u0000" }, { "k\uD800": 1 }, { big: "a".repeat(5000) }],
  unknownField: [true],
};

describe("the quick outcome-event check", () => {
  test("says valid only when the full check (text hygiene + schema) does, and is unsure only of string timestamps and surrogate pairs", () => {
    const unsure: string[] = [];
    for (const [field, values] of Object.entries(VARIANTS)) {
      for (const value of values) {
        const event = { ...base, [field]: value };
        const quick = isPlainValidOutcomeEvent(event);
        const full = fullCheck(event);
        if (quick) expect(full, `${field}=${JSON.stringify(value)}`).toBe(true);
        else if (full) unsure.push(`${field}=${JSON.stringify(value)}`);
      }
    }
    expect(unsure).toEqual(['id="pair😀"', 'timestamp="2026-11-24T10:15:00Z"']);
    expect(isPlainValidOutcomeEvent(base)).toBe(true);
    expect(
      isPlainValidOutcomeEvent({
        ...base,
        rolloutId: "r",
        arm: "treatment",
        stage: 1,
        latencyMs: 812.4,
        inputTokens: 900,
        outputTokens: 120,
        model: "gpt-4o",
        feedback: -1,
        qualityScore: 0.7,
        attributes: { a: 1 },
      }),
    ).toBe(true);
  });

  test("a missing required field, a non-object or an inherited shape is left to the full check", () => {
    for (const key of ["id", "timestamp", "flagKey", "variant", "success"]) {
      const { [key]: _dropped, ...rest } = base as Record<string, unknown>;
      expect(isPlainValidOutcomeEvent(rest)).toBe(false);
    }
    for (const raw of [null, "event", 3, [base], Object.assign(Object.create({ inherited: 1 }), base)]) expect(isPlainValidOutcomeEvent(raw)).toBe(false);
  });
});
