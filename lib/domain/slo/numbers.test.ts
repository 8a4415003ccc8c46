import { expect, test } from "vitest";
import { errorBudgetRatio, formatCount, formatTarget, formatUsd, formatWindow, roundSignificant } from "./numbers";

test.each([
  { target: 0.999, ratio: 0.001 },
  { target: 0.9995, ratio: 0.0005 },
  { target: 0.99, ratio: 0.01 },
  { target: 0.5, ratio: 0.5 },
])("errorBudgetRatio($target) = $ratio exactly", ({ target, ratio }) => {
  expect(errorBudgetRatio(target)).toBe(ratio);
});

test("roundSignificant removes float noise and keeps real differences", () => {
  expect(roundSignificant(0.0144 / 0.001)).toBe(14.4);
  expect(roundSignificant(14.39)).toBe(14.39);
  expect(roundSignificant(0)).toBe(0);
});

test.each([
  [formatCount(1240), "1,240"],
  [formatCount(999.5), "999.5"],
  [formatTarget(0.999), "99.9%"],
  [formatTarget(0.9995), "99.95%"],
  [formatTarget(0.99), "99%"],
  [formatWindow(5), "5 min"],
  [formatWindow(60), "1 h"],
  [formatWindow(90), "90 min"],
  [formatWindow(4320), "3 d"],
  [formatUsd(1234.5), "$1,234.50"],
  [formatUsd(0.0123), "$0.0123"],
  [formatUsd(0.1), "$0.10"],
  [formatUsd(0.01), "$0.01"],
  [formatUsd(0.0000045), "$0.0000045"],
  [formatUsd(0), "$0.00"],
  [formatUsd(-2.5), "-$2.50"],
])("%s = %s", (actual, expected) => {
  expect(actual).toBe(expected);
});
