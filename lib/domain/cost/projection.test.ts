import { describe, expect, test } from "vitest";
import { rolloutCostProjection, type CostProjectionInput } from "./projection";

// Control $0.0075/request (gpt-4o, 1,000 in / 500 out), treatment $0.006 (gpt-4.1, same tokens),
// 10,000 requests a day: control $75/day, treatment $60/day, savings $15/day.
const base: CostProjectionInput = {
  controlCostPerRequest: 0.0075,
  treatmentCostPerRequest: 0.006,
  dailyRequests: 10_000,
  strategy: "canary",
};

describe("rolloutCostProjection", () => {
  test("monthly costs, delta and percent over 30 days", () => {
    const p = rolloutCostProjection(base);
    expect(p.controlMonthly).toBeCloseTo(2250, 9); // 75 × 30
    expect(p.treatmentMonthlyAt100).toBeCloseTo(1800, 9); // 60 × 30
    expect(p.deltaMonthly).toBeCloseTo(-450, 9);
    expect(p.deltaPercent).toBeCloseTo(-20, 9); // −450 / 2250
    expect(p.dailySavings).toBeCloseTo(15, 9);
    expect(p.breakEvenDays).toBe(0);
  });

  test("a custom month length", () => {
    const p = rolloutCostProjection({ ...base, days: 31 });
    expect(p.controlMonthly).toBeCloseTo(2325, 9);
    expect(p.treatmentMonthlyAt100).toBeCloseTo(1860, 9);
  });

  test.each([
    { strategy: "canary" as const, rate: undefined, perDay: 0 },
    { strategy: "ab_test" as const, rate: undefined, perDay: 0 },
    { strategy: "blue_green" as const, rate: undefined, perDay: 60 }, // 0.006 × 10,000
    { strategy: "shadow" as const, rate: 0.1, perDay: 6 }, // 0.006 × 10,000 × 0.1
    { strategy: "shadow" as const, rate: 0, perDay: 0 },
    { strategy: "shadow" as const, rate: undefined, perDay: 60 }, // default rate 1
  ])("parallel run of $strategy at rate $rate: $$perDay a day", ({ strategy, rate, perDay }) => {
    const p = rolloutCostProjection({ ...base, strategy, shadowSampleRate: rate });
    expect(p.parallelRunCostPerDay).toBeCloseTo(perDay, 9);
  });

  test.each([
    { name: "pays back in 20 days", migration: 300, control: 0.0075, treatment: 0.006, days: 20 }, // 300 / 15
    { name: "fractional days", migration: 100, control: 0.0075, treatment: 0.006, days: 100 / 15 },
    { name: "no savings: null", migration: 300, control: 0.006, treatment: 0.006, days: null },
    { name: "dearer treatment: null", migration: 300, control: 0.006, treatment: 0.0075, days: null },
  ])("break-even: $name", ({ migration, control, treatment, days }) => {
    const p = rolloutCostProjection({
      ...base,
      controlCostPerRequest: control,
      treatmentCostPerRequest: treatment,
      migrationCostUsd: migration,
    });
    if (days === null) expect(p.breakEvenDays).toBeNull();
    else expect(p.breakEvenDays).toBeCloseTo(days, 9);
  });

  test("a dearer treatment shows a positive delta", () => {
    // claude-sonnet-4 vs gpt-4o-mini at 2,000 in / 300 out: 0.0105 vs 0.00048 per request.
    const p = rolloutCostProjection({ ...base, controlCostPerRequest: 0.00048, treatmentCostPerRequest: 0.0105, dailyRequests: 1000 });
    expect(p.controlMonthly).toBeCloseTo(14.4, 9);
    expect(p.treatmentMonthlyAt100).toBeCloseTo(315, 9);
    expect(p.deltaMonthly).toBeCloseTo(300.6, 9);
    expect(p.deltaPercent).toBeCloseTo(2087.5, 6);
  });

  test("a free control has no delta percentage", () => {
    const p = rolloutCostProjection({ ...base, controlCostPerRequest: 0 });
    expect(p.deltaPercent).toBeNull();
    expect(p.deltaMonthly).toBeCloseTo(1800, 9);
  });

  test("no traffic: everything 0, no break-even", () => {
    const p = rolloutCostProjection({ ...base, dailyRequests: 0, strategy: "blue_green" });
    expect(p).toMatchObject({ controlMonthly: 0, treatmentMonthlyAt100: 0, parallelRunCostPerDay: 0, deltaPercent: null, breakEvenDays: null });
  });

  test.each([
    { patch: { dailyRequests: -1 }, message: /dailyRequests must be a finite number ≥ 0/ },
    { patch: { controlCostPerRequest: Number.NaN }, message: /controlCostPerRequest/ },
    { patch: { migrationCostUsd: -5 }, message: /migrationCostUsd/ },
    { patch: { days: 0 }, message: /days must be > 0/ },
    { patch: { strategy: "shadow" as const, shadowSampleRate: 1.5 }, message: /shadowSampleRate must be between 0 and 1/ },
  ])("refuses $patch", ({ patch, message }) => {
    expect(() => rolloutCostProjection({ ...base, ...patch })).toThrow(message);
  });
});
