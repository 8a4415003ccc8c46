import { describe, expect, test } from "vitest";
import { NOW, minutesAgo } from "./test-fixtures";
import type { MinuteCount } from "./types";
import { indexMinuteCounts, MINUTE_MS, sumWindow } from "./window";

const at = (ms: number) => new Date(NOW.getTime() + ms);

describe("sumWindow: (now − w, now]", () => {
  test.each([
    { name: "bucket starting at now is in", minute: NOW, counted: true },
    { name: "bucket starting exactly at now − w is out", minute: minutesAgo(5), counted: false },
    { name: "1 ms after now − w is in", minute: at(-5 * MINUTE_MS + 1), counted: true },
    { name: "1 ms after now is out", minute: at(1), counted: false },
    { name: "bucket at now − w + 1 min is in", minute: minutesAgo(4), counted: true },
  ])("$name", ({ minute, counted }) => {
    const sum = sumWindow([{ minute, total: 10, failures: 3 }], NOW, 5);
    expect(sum).toEqual(counted ? { total: 10, failures: 3 } : { total: 0, failures: 0 });
  });

  test("a mid-minute now counts the current bucket and drops the one w minutes back", () => {
    const series = [0, 1, 2, 3, 4, 5].map((m) => ({ minute: minutesAgo(m), total: 1, failures: 0 }));
    // now = 12:00:30: window (11:55:30, 12:00:30] holds 11:56 … 12:00 = 5 buckets.
    expect(sumWindow(series, at(30_000), 5).total).toBe(5);
  });

  test("unsorted input gives the same sums and is left as it was", () => {
    const series: MinuteCount[] = [
      { minute: minutesAgo(1), total: 5, failures: 1 },
      { minute: minutesAgo(10), total: 7, failures: 2 },
      { minute: minutesAgo(0), total: 3, failures: 0 },
    ];
    const before = series.map((p) => p.minute.getTime());
    expect(sumWindow(series, NOW, 2)).toEqual({ total: 8, failures: 1 });
    expect(sumWindow(series, NOW, 60)).toEqual({ total: 15, failures: 3 });
    expect(series.map((p) => p.minute.getTime())).toEqual(before);
  });

  test("several points on the same minute are added", () => {
    const series = [
      { minute: NOW, total: 5, failures: 1 },
      { minute: NOW, total: 5, failures: 2 },
    ];
    expect(sumWindow(series, NOW, 1)).toEqual({ total: 10, failures: 3 });
  });

  test("one index answers many windows", () => {
    const index = indexMinuteCounts([
      { minute: minutesAgo(0), total: 1, failures: 0 },
      { minute: minutesAgo(30), total: 10, failures: 1 },
      { minute: minutesAgo(300), total: 100, failures: 10 },
    ]);
    expect([5, 60, 360].map((w) => index.window(NOW, w).total)).toEqual([1, 11, 111]);
  });
});

describe("invalid input", () => {
  test.each([
    { name: "negative total", point: { minute: NOW, total: -1, failures: 0 }, message: /finite and ≥ 0/ },
    { name: "NaN failures", point: { minute: NOW, total: 1, failures: Number.NaN }, message: /finite and ≥ 0/ },
    { name: "failures above total", point: { minute: NOW, total: 2, failures: 3 }, message: /3 failures exceed 2 requests/ },
    { name: "invalid date", point: { minute: new Date("nope"), total: 1, failures: 0 }, message: /minute must be a valid date/ },
  ])("$name is refused", ({ point, message }) => {
    expect(() => sumWindow([point], NOW, 5)).toThrow(message);
  });

  test.each([0, -5, Number.POSITIVE_INFINITY])("window of %s minutes is refused", (minutes) => {
    expect(() => sumWindow([], NOW, minutes)).toThrow(/positive number of minutes/);
  });

  test("invalid now is refused", () => {
    expect(() => sumWindow([], new Date(Number.NaN), 5)).toThrow(/now must be a valid date/);
  });
});
