import { expect, test } from "vitest";
import { formatBasisPoints, formatDuration } from "./format";

test.each([
  [0, "0%"],
  [1, "0.01%"],
  [10, "0.1%"],
  [50, "0.5%"],
  [100, "1%"],
  [1234, "12.34%"],
  [2500, "25%"],
  [9999, "99.99%"],
  [10_000, "100%"],
])("formatBasisPoints(%d) = %s", (bp, text) => {
  expect(formatBasisPoints(bp)).toBe(text);
});

test.each([
  [0, "0 s"],
  [0.2, "1 s"],
  [45, "45 s"],
  [90, "1 min 30 s"],
  [600, "10 min"],
  [3600, "1 h"],
  [5400, "1 h 30 min"],
  [86_400, "24 h"],
  [2 * 86_400, "2 d"],
  [7 * 86_400 + 3 * 3600, "7 d 3 h"],
  [-5, "0 s"],
])("formatDuration(%d) = %s", (seconds, text) => {
  expect(formatDuration(seconds)).toBe(text);
});
