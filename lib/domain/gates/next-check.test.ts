import { describe, expect, test } from "vitest";
import { nextTimeBasedCheck } from "./next-check";
import { parseStoredGates } from "./spec";

const start = new Date("2026-01-01T10:00:00Z");
const at = (minutes: number, seconds = 0) => new Date(start.getTime() + minutes * 60_000 + seconds * 1000);
const gate = (extra: Record<string, unknown>) => parseStoredGates([{ name: "success", metric: "success_rate", kind: "comparison", critical: true, ...extra }]).gates;

describe("nextTimeBasedCheck", () => {
  test("nothing pending once the bake time passed and no gate depends on time", () => {
    expect(nextTimeBasedCheck({ stageStartedAt: start, minBakeSeconds: 300, gates: gate({}), now: at(10) })).toBe(Infinity);
  });

  test("the bake time's end, then the earliest deadline still ahead", () => {
    const gates = gate({ deadlineMinutes: 60 });
    expect(nextTimeBasedCheck({ stageStartedAt: start, minBakeSeconds: 300, gates, now: at(1) })).toBe(at(5).getTime());
    expect(nextTimeBasedCheck({ stageStartedAt: start, minBakeSeconds: 300, gates, now: at(5) })).toBe(at(60).getTime());
    expect(nextTimeBasedCheck({ stageStartedAt: start, minBakeSeconds: 300, gates, now: at(60) })).toBe(Infinity);
  });

  test("a gate over the last N minutes changes at each minute boundary", () => {
    expect(nextTimeBasedCheck({ stageStartedAt: start, minBakeSeconds: 0, gates: gate({ windowMinutes: 10 }), now: at(12, 30) })).toBe(at(13).getTime());
  });

  test("an SLO budget or PromQL gate may change at any moment", () => {
    const slo = parseStoredGates([{ name: "budget", metric: "slo_budget", kind: "threshold", operator: ">=", bound: 0.2 }]).gates;
    expect(slo).toHaveLength(1);
    expect(nextTimeBasedCheck({ stageStartedAt: start, minBakeSeconds: 0, gates: slo, now: at(30) })).toBe(at(30).getTime());
  });

  test("before the stage started only window gates are time-based", () => {
    expect(nextTimeBasedCheck({ stageStartedAt: null, minBakeSeconds: 600, gates: gate({ deadlineMinutes: 5 }), now: at(0) })).toBe(Infinity);
  });
});
