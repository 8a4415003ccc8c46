import { describe, expect, test } from "vitest";
import { emptyCounters } from "./aggregate";
import { METRIC_DEFINITIONS } from "./catalog";
import { compareMetric } from "./compare";
import { armPoint, clampUnit, differenceAxisDomain, rateAxisDomain, successDifferenceSeries, withoutPartialPoint } from "./series";

describe("rateAxisDomain: rates stay within 0–100%", () => {
  test("a rate near 100% gets room below, never above 1", () => {
    const [low, high] = rateAxisDomain([0.985, 1, 0.99, null]);
    expect(high).toBe(1);
    expect(low).toBeGreaterThanOrEqual(0.98);
    expect(low).toBeLessThan(0.985);
  });
  test("a rate near 0 never goes below 0; no data shows the full scale", () => {
    expect(rateAxisDomain([0, 0.01])[0]).toBe(0);
    expect(rateAxisDomain([])).toEqual([0, 1]);
    expect(rateAxisDomain([null, undefined, Number.NaN])).toEqual([0, 1]);
  });
  test("clampUnit holds any number to [0, 1]", () => {
    expect([clampUnit(1.2), clampUnit(-0.1), clampUnit(0.4)]).toEqual([1, 0, 0.4]);
  });
});

describe("withoutPartialPoint", () => {
  const points = [{ t: "2026-01-01T10:00:00.000Z" }, { t: "2026-01-01T10:01:00.000Z" }, { t: "2026-01-01T10:02:00.000Z" }];
  const to = Date.parse("2026-01-01T10:02:20.000Z");
  test("a live window leaves out the minute still filling up", () => {
    expect(withoutPartialPoint(points, 60, to, true).map((p) => p.t)).toEqual([points[0].t, points[1].t]);
  });
  test("a window ending exactly on a step keeps every point; an ended rollout keeps its last point; a lone point stays", () => {
    expect(withoutPartialPoint(points, 60, Date.parse("2026-01-01T10:03:00.000Z"), true)).toHaveLength(3);
    expect(withoutPartialPoint(points, 60, to, false)).toHaveLength(3);
    expect(withoutPartialPoint(points.slice(2), 60, to, true)).toHaveLength(1);
  });
});

describe("successDifferenceSeries", () => {
  function counters(count: number, successes: number) {
    const c = emptyCounters();
    c.count = count;
    c.successes = successes;
    c.errors = count - successes;
    return c;
  }
  const steps = [
    { control: counters(100, 99), treatment: counters(100, 90) },
    { control: counters(0, 0), treatment: counters(0, 0) },
    { control: counters(300, 296), treatment: counters(300, 270) },
  ];
  const points = steps.map((s, i) => ({ t: new Date(Date.UTC(2026, 0, 1, 10, i)).toISOString(), control: armPoint(s.control), treatment: armPoint(s.treatment) }));
  const options = { confidence: 0.95, tuning: 5000 };

  test("is cumulative, carries over empty points, and ends at the success-rate row's always-valid interval", () => {
    const d = successDifferenceSeries(points, options);
    expect(d).toHaveLength(3);
    expect(d[0].estimate).toBeCloseTo(0.9 - 0.99, 12);
    expect(d[1]).toMatchObject({ estimate: d[0].estimate, low: d[0].low, high: d[0].high });
    const row = compareMetric(METRIC_DEFINITIONS[0], counters(400, 395), counters(400, 360), options);
    expect(d[2].estimate).toBeCloseTo(row.difference!.estimate, 12);
    expect(d[2].low).toBeCloseTo(row.sequentialInterval!.low, 12);
    expect(d[2].high).toBeCloseTo(row.sequentialInterval!.high, 12);
    // More data narrows the band.
    expect(d[2].high - d[2].low).toBeLessThan(d[0].high - d[0].low);
  });

  test("starts once both arms have outcomes", () => {
    const onlyControl = [{ t: points[0].t, control: armPoint(counters(10, 9)), treatment: armPoint(undefined) }, points[2]];
    expect(successDifferenceSeries(onlyControl, options).map((p) => p.t)).toEqual([points[2].t]);
  });
});

describe("differenceAxisDomain", () => {
  test("follows the later band, keeps 0 in view, ignores the first wide points", () => {
    const pts = [
      { estimate: 0, low: -1, high: 1 },
      { estimate: -0.05, low: -0.1, high: 0.02 },
      { estimate: -0.05, low: -0.08, high: -0.02 },
      { estimate: -0.05, low: -0.07, high: -0.03 },
      { estimate: -0.05, low: -0.065, high: -0.035 },
    ];
    const [low, high] = differenceAxisDomain(pts);
    expect(low).toBeCloseTo(-0.1 - 0.012, 12);
    expect(high).toBeCloseTo(0.02 + 0.012, 12);
    expect(differenceAxisDomain([])).toEqual([-0.01, 0.01]);
  });
});
