import { describe, expect, test } from "vitest";
import { describeBudget, errorBudget } from "./error-budget";
import { NOW, minutesAgo, steady } from "./test-fixtures";
import type { MinuteCount } from "./types";

const DAY = 24 * 60;
const slo28 = { successRateTarget: 0.999, windowDays: 28 as const };
const slo7 = { successRateTarget: 0.999, windowDays: 7 as const };

/** One bucket an hour ago holding the whole window's counts. */
const single = (total: number, failures: number): MinuteCount[] => [{ minute: minutesAgo(60), total, failures }];

describe("errorBudget", () => {
  test.each([
    { name: "zero traffic: untouched", total: 0, failures: 0, allowed: 0, remaining: 0, fraction: 1, exhausted: false },
    { name: "no failures", total: 1_000_000, failures: 0, allowed: 1000, remaining: 1000, fraction: 1, exhausted: false },
    { name: "half spent", total: 1_000_000, failures: 500, allowed: 1000, remaining: 500, fraction: 0.5, exhausted: false },
    { name: "one failure left", total: 1_000_000, failures: 999, allowed: 1000, remaining: 1, fraction: 0.001, exhausted: false },
    { name: "spent exactly: exhausted", total: 1_000_000, failures: 1000, allowed: 1000, remaining: 0, fraction: 0, exhausted: true },
    { name: "overspent", total: 1_000_000, failures: 1240, allowed: 1000, remaining: -240, fraction: -0.24, exhausted: true },
    { name: "fractional allowance", total: 1500, failures: 1, allowed: 1.5, remaining: 0.5, fraction: 1 / 3, exhausted: false },
  ])("$name", ({ total, failures, allowed, remaining, fraction, exhausted }) => {
    const budget = errorBudget(slo28, single(total, failures), NOW);
    expect(budget.windowTotal).toBe(total);
    expect(budget.windowFailures).toBe(failures);
    expect(budget.allowedFailures).toBeCloseTo(allowed, 9);
    expect(budget.remainingFailures).toBeCloseTo(remaining, 9);
    expect(budget.remainingFraction).toBeCloseTo(fraction, 9);
    expect(budget.exhausted).toBe(exhausted);
  });

  test("spending exactly the allowance is exhausted despite 1 − 0.999 not being exact in floating point", () => {
    const budget = errorBudget(slo28, single(1_000_000, 1000), NOW);
    expect(budget.allowedFailures).toBe(1000);
    expect(budget.remainingFraction).toBe(0);
    expect(budget.exhausted).toBe(true);
  });

  test.each([
    { slo: slo7, daysAgo: 7, counted: false },
    { slo: slo7, daysAgo: 6.999, counted: true },
    { slo: slo28, daysAgo: 7, counted: true },
    { slo: slo28, daysAgo: 28, counted: false },
  ])("a bucket $daysAgo days old is counted by a $slo.windowDays-day SLO: $counted", ({ slo, daysAgo, counted }) => {
    const series = [{ minute: minutesAgo(daysAgo * DAY), total: 100, failures: 100 }];
    expect(errorBudget(slo, series, NOW).windowTotal).toBe(counted ? 100 : 0);
  });

  test("a 7-day budget spent long ago recovers", () => {
    const oldOutage = steady(60, { total: 1000, failures: 1000 }, minutesAgo(8 * DAY));
    const recent = steady(60, { total: 1000, failures: 0 });
    const budget = errorBudget(slo7, [...oldOutage, ...recent], NOW);
    expect(budget).toMatchObject({ windowTotal: 60_000, windowFailures: 0, remainingFraction: 1, exhausted: false });
    expect(errorBudget(slo28, [...oldOutage, ...recent], NOW).exhausted).toBe(true);
  });

  test.each([0, 1, 1.5, -0.1, Number.NaN])("target %s is refused", (target) => {
    expect(() => errorBudget({ successRateTarget: target, windowDays: 28 }, [], NOW)).toThrow(/strictly between 0 and 1/);
  });
});

describe("describeBudget", () => {
  test("states failures, allowance, window and target", () => {
    const budget = errorBudget(slo28, single(1_000_000, 1240), NOW);
    expect(describeBudget(slo28, budget)).toBe("1,240 failures vs 1,000 allowed over 28 days (99.9% target)");
  });

  test("keeps one decimal of a fractional allowance", () => {
    const slo = { successRateTarget: 0.9995, windowDays: 7 as const };
    const budget = errorBudget(slo, single(3000, 2), NOW);
    expect(describeBudget(slo, budget)).toBe("2 failures vs 1.5 allowed over 7 days (99.95% target)");
  });
});
