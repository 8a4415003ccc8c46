import { describe, expect, test } from "vitest";
import { powerPanel, recentRateWindow, stageReadiness, summarize } from "./panels";

const MIN = 60_000;
const HOUR = 60 * MIN;

describe("A/B finish estimate from the rate over real elapsed time", () => {
  test("20 minutes in, the rate is requests over those 20 minutes, not over an hour", () => {
    const start = Date.parse("2026-01-01T10:00:30Z");
    const now = start + 20 * MIN;
    const window = recentRateWindow(start, now);
    expect(window).toEqual({ fromMs: start, elapsedMs: 20 * MIN });
    // 1,000 per arm in 20 minutes = 3,000 an hour; 2,000 left to 3,000 → 40 minutes.
    const p = powerPanel({ targetPerArm: 3000, baseline: 0.9, samples: { control: 1000, treatment: 1050 }, recentPerArm: 1000, recentElapsedMs: window.elapsedMs, now });
    expect(p.perArmPerHour).toBeCloseTo(3000, 9);
    expect(p.hoursToTarget).toBeCloseTo(2 / 3, 9);
    expect(p.estimatedCompletion).toBe(new Date(now + 40 * MIN).toISOString());
    expect(p.rateWindowSeconds).toBe(1200);
  });

  test("after an hour the window is the last hour, from the start of its minute (the rollups' grain)", () => {
    const now = Date.parse("2026-01-01T12:00:20Z");
    expect(recentRateWindow(now - 5 * HOUR, now)).toEqual({ fromMs: now - HOUR, elapsedMs: HOUR + 20_000 });
  });

  test("reached → 0 hours; under a minute of data or no traffic → no estimate", () => {
    const base = { targetPerArm: 100, baseline: 0.9, now: 0 };
    expect(powerPanel({ ...base, samples: { control: 100, treatment: 120 }, recentPerArm: 0, recentElapsedMs: 0 }).hoursToTarget).toBe(0);
    expect(powerPanel({ ...base, samples: { control: 10, treatment: 12 }, recentPerArm: 10, recentElapsedMs: 30_000 }).hoursToTarget).toBeNull();
    expect(powerPanel({ ...base, samples: { control: 10, treatment: 12 }, recentPerArm: 0, recentElapsedMs: HOUR }).estimatedCompletion).toBeNull();
  });
});

describe("stageReadiness: the bars count what the stages did", () => {
  const stage = (over: Partial<Parameters<typeof stageReadiness>[0]["stage"]>) => ({
    index: 1,
    startedAt: "2026-01-01T10:00:00Z",
    endedAt: null,
    minSamplesPerArm: 150,
    samples: { control: 855, treatment: 100 },
    ...over,
  });

  test("a stage not reached is empty, even with a minimum of 0", () => {
    expect(stageReadiness({ stage: stage({ startedAt: null, minSamplesPerArm: 0, samples: { control: 0, treatment: 0 } }), state: "running", currentStageIndex: 0 })).toEqual({
      fraction: 0,
      status: "not_started",
    });
  });
  test("a stage left by promotion is complete, whatever its late counts say", () => {
    expect(stageReadiness({ stage: stage({ index: 0, endedAt: "2026-01-01T10:10:00Z" }), state: "running", currentStageIndex: 1 })).toEqual({ fraction: 1, status: "promoted" });
    expect(stageReadiness({ stage: stage({ endedAt: "2026-01-01T10:10:00Z" }), state: "completed", currentStageIndex: 1 })).toEqual({ fraction: 1, status: "promoted" });
  });
  test("the running stage fills with the smaller arm; the stage a rollback ended keeps what it had", () => {
    expect(stageReadiness({ stage: stage({}), state: "running", currentStageIndex: 1 })).toEqual({ fraction: 100 / 150, status: "collecting" });
    expect(stageReadiness({ stage: stage({ samples: { control: 200, treatment: 150 } }), state: "running", currentStageIndex: 1 })).toEqual({ fraction: 1, status: "reached" });
    expect(stageReadiness({ stage: stage({ endedAt: "2026-01-01T10:10:00Z" }), state: "rolled_back", currentStageIndex: 1 })).toEqual({ fraction: 100 / 150, status: "ended" });
  });
});

describe("summarize", () => {
  test("says 'no detectable difference', never 'no difference'", () => {
    const row = { label: "success rate", verdict: "no_difference" } as Parameters<typeof summarize>[0][number];
    expect(summarize([row], { control: 500, treatment: 500 }, 100)).toBe("No detectable difference between the arms.");
  });
});
