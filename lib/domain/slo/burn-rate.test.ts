import { describe, expect, test } from "vitest";
import { BURN_RATE_ALERT_RULES, burnRate, burnRateAlerts, burnRateSeries } from "./burn-rate";
import { NOW, minutesAgo, steady } from "./test-fixtures";

const TARGET = 0.999; // budget ratio 0.001: a burn rate of b means b failures per 1,000 requests
const PER_MINUTE = 100_000; // so b× burn = b × 100 failures a minute

/** A steady burn of `burn`× for the last `minutes` minutes. */
const burning = (burn: number, minutes: number, end = NOW) => steady(minutes, { total: PER_MINUTE, failures: Math.round(burn * 100) }, end);

const rule = (severity: string, longWindowMinutes: number) => {
  const found = BURN_RATE_ALERT_RULES.find((r) => r.severity === severity && r.longWindowMinutes === longWindowMinutes);
  if (!found) throw new Error("no such rule");
  return found;
};

describe("burnRate", () => {
  test.each([
    { name: "no traffic", failures: 0, total: 0, target: 0.999, expected: 0 },
    { name: "no failures", failures: 0, total: 1000, target: 0.999, expected: 0 },
    { name: "spending exactly the budget", failures: 1, total: 1000, target: 0.999, expected: 1 },
    { name: "14.4× at 99.9%", failures: 144, total: 10_000, target: 0.999, expected: 14.4 },
    { name: "14.4× at 99.95%", failures: 72, total: 10_000, target: 0.9995, expected: 14.4 },
    { name: "6× at 99%", failures: 6, total: 100, target: 0.99, expected: 6 },
    { name: "everything failing at 99%", failures: 50, total: 50, target: 0.99, expected: 100 },
  ])("$name → $expected", ({ failures, total, target, expected }) => {
    expect(burnRate([{ minute: NOW, total, failures }], NOW, 60, target)).toBe(expected);
  });

  test("only the window's minutes count", () => {
    const series = [
      { minute: minutesAgo(90), total: 1000, failures: 1000 },
      { minute: minutesAgo(10), total: 1000, failures: 2 },
    ];
    expect(burnRate(series, NOW, 60, TARGET)).toBe(2);
    expect(burnRate(series, NOW, 5, TARGET)).toBe(0);
  });

  test("refuses a target outside (0, 1)", () => {
    expect(() => burnRate([], NOW, 60, 1)).toThrow(/strictly between 0 and 1/);
  });
});

describe("BURN_RATE_ALERT_RULES", () => {
  test("is the SRE workbook table", () => {
    expect(BURN_RATE_ALERT_RULES.map((r) => [r.severity, r.longWindowMinutes, r.shortWindowMinutes, r.threshold])).toEqual([
      ["page", 60, 5, 14.4],
      ["page", 360, 30, 6],
      ["ticket", 1440, 120, 3],
      ["ticket", 4320, 360, 1],
    ]);
  });
});

describe("burnRateAlerts", () => {
  const cases = BURN_RATE_ALERT_RULES.flatMap((r) => [
    { ...r, burn: r.threshold, firing: true, edge: "exactly at" },
    { ...r, burn: r.threshold - 0.01, firing: false, edge: "0.01 below" },
  ]);

  test.each(cases)("$severity $longWindowMinutes/$shortWindowMinutes min: burn $edge $threshold× → firing $firing", ({ severity, longWindowMinutes, burn, firing }) => {
    const alerts = burnRateAlerts(burning(burn, longWindowMinutes), NOW, TARGET);
    const alert = alerts.find((a) => a.severity === severity && a.longWindowMinutes === longWindowMinutes);
    expect(alert?.longBurn).toBe(burn);
    expect(alert?.shortBurn).toBe(burn);
    expect(alert?.firing).toBe(firing);
  });

  test("14.39× does not page, 14.4× does", () => {
    const fast = rule("page", 60);
    const at = (burn: number) => burnRateAlerts(burning(burn, 60), NOW, TARGET)[0];
    expect(at(14.39)).toMatchObject({ ...fast, longBurn: 14.39, shortBurn: 14.39, firing: false });
    expect(at(14.4)).toMatchObject({ ...fast, longBurn: 14.4, shortBurn: 14.4, firing: true });
  });

  test("long window burning but the short one recovered: no alert", () => {
    // 30× for minutes 60..6 ago, clean for the last 5: long = 30 × 55/60 = 27.5, short = 0.
    const series = [...burning(30, 55, minutesAgo(5)), ...burning(0, 5)];
    const fast = burnRateAlerts(series, NOW, TARGET)[0];
    expect(fast.longBurn).toBe(27.5);
    expect(fast.shortBurn).toBe(0);
    expect(fast.firing).toBe(false);
  });

  test("short window burning but the long one below threshold: no alert", () => {
    // 30× for the last 5 minutes only, clean before: short = 30, long = 30 × 5/60 = 2.5.
    const series = [...burning(0, 55, minutesAgo(5)), ...burning(30, 5)];
    const fast = burnRateAlerts(series, NOW, TARGET)[0];
    expect(fast).toMatchObject({ longBurn: 2.5, shortBurn: 30, firing: false });
  });

  test("the bucket at now − 5 min belongs to the long window only", () => {
    // Clean hour except a 100% failure minute starting exactly 5 minutes ago.
    const series = burning(0, 60).map((p) => (p.minute.getTime() === minutesAgo(5).getTime() ? { ...p, failures: PER_MINUTE } : p));
    const fast = burnRateAlerts(series, NOW, TARGET)[0];
    expect(fast.shortBurn).toBe(0);
    expect(fast.longBurn).toBeCloseTo(1000 / 60, 6);
  });

  test("a big burn fires every rule whose windows it covers", () => {
    const alerts = burnRateAlerts(burning(20, 3 * 24 * 60), NOW, TARGET);
    expect(alerts.map((a) => a.firing)).toEqual([true, true, true, true]);
  });

  test("zero traffic fires nothing", () => {
    const alerts = burnRateAlerts([], NOW, TARGET);
    expect(alerts.every((a) => !a.firing && a.longBurn === 0 && a.shortBurn === 0)).toBe(true);
    expect(alerts).toHaveLength(4);
  });
});

describe("burnRateSeries", () => {
  test("points step back from now, oldest first, each over its own window", () => {
    // Clean traffic for 3 hours, then 10× for the last 30 minutes.
    const series = [...burning(0, 150, minutesAgo(30)), ...burning(10, 30)];
    const points = burnRateSeries(series, NOW, 60, 30, 4, TARGET);
    expect(points.map((p) => p.at.toISOString())).toEqual([minutesAgo(90).toISOString(), minutesAgo(60).toISOString(), minutesAgo(30).toISOString(), NOW.toISOString()]);
    expect(points.map((p) => p.burnRate)).toEqual([0, 0, 0, 5]);
    expect(points[3]).toMatchObject({ total: 60 * PER_MINUTE, failures: 30 * 1000 });
  });

  test("windows without traffic read 0", () => {
    const points = burnRateSeries([], NOW, 60, 60, 3, TARGET);
    expect(points.map((p) => p.burnRate)).toEqual([0, 0, 0]);
  });

  test.each([
    { points: 0, step: 5, message: /points must be an integer from 1 to 2000/ },
    { points: 2001, step: 5, message: /points must be an integer from 1 to 2000/ },
    { points: 1.5, step: 5, message: /points must be an integer/ },
    { points: 10, step: 0, message: /step must be a positive number of minutes/ },
  ])("refuses points=$points step=$step", ({ points, step, message }) => {
    expect(() => burnRateSeries([], NOW, 60, step, points, TARGET)).toThrow(message);
  });
});
