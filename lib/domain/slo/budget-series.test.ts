import { describe, expect, test } from "vitest";
import { budgetSeries } from "./budget-series";
import { errorBudget } from "./error-budget";

const HOUR = 3_600_000;
const now = new Date("2026-12-01T12:00:00Z");
const slo = { successRateTarget: 0.99, windowDays: 7 as const };

describe("budgetSeries", () => {
  test("spans the window, ends at now, and each point is the rolling budget at its time", () => {
    // 1,000 requests an hour; 50 failures in the last hour only (allowed: 1% of 168,000).
    const series = Array.from({ length: 14 * 24 }, (_, h) => ({ minute: new Date(now.getTime() - h * HOUR), total: 1000, failures: h === 0 ? 50 : 0 }));
    const points = budgetSeries(slo, series, now, 8);
    expect(points).toHaveLength(8);
    expect(points[0]!.at.toISOString()).toBe("2026-11-24T12:00:00.000Z");
    expect(points[7]!.at).toEqual(now);
    expect(points.slice(0, 7).every((p) => p.remainingFraction === 1)).toBe(true);
    expect(points[7]!.remainingFraction).toBeCloseTo(errorBudget(slo, series, now).remainingFraction, 12);
    expect(points[7]!.remainingFraction).toBeCloseTo(1 - 50 / 1680, 12);
  });

  test("no traffic: untouched budget; bad point counts are refused", () => {
    expect(budgetSeries(slo, [], now, 2).map((p) => p.remainingFraction)).toEqual([1, 1]);
    expect(() => budgetSeries(slo, [], now, 1)).toThrow(/points/);
  });
});
