import { describe, expect, test } from "vitest";
import { benjaminiHochbergAdjust, holmAdjust } from "./multiple";
import { expectClose, thrownCode } from "./test-helpers";

// R 4.2.2: sprintf("%.17g", p.adjust(p, "holm")) and sprintf("%.17g", p.adjust(p, "BH"))
const CASES = [
  { p: [0.01, 0.04, 0.03, 0.005, 0.5], holm: [0.04, 0.09, 0.09, 0.025, 0.5], bh: [0.025, 0.05, 0.05, 0.025, 0.5] },
  // ties
  { p: [0.02, 0.02, 0.5], holm: [0.06, 0.06, 0.5], bh: [0.03, 0.03, 0.5] },
  // a single metric is left alone
  { p: [0.3], holm: [0.3], bh: [0.3] },
  // capping at 1 (Holm) and step-up minimum (BH)
  { p: [0.9, 0.95, 0.6], holm: [1, 1, 1], bh: [0.95, 0.95, 0.95] },
  // the extremes 0 and 1
  { p: [0, 1, 0.001, 0.04], holm: [0, 1, 0.003, 0.08], bh: [0, 1, 0.002, 0.05333333333333333] },
];

describe("holmAdjust", () => {
  test.each(CASES)("p = $p matches p.adjust(p, 'holm'), in input order", ({ p, holm }) => {
    holmAdjust(p).forEach((value, i) => expectClose(value, holm[i]));
  });
});

describe("benjaminiHochbergAdjust", () => {
  test.each(CASES)("p = $p matches p.adjust(p, 'BH'), in input order", ({ p, bh }) => {
    benjaminiHochbergAdjust(p).forEach((value, i) => expectClose(value, bh[i]));
  });
});

describe("both adjustments", () => {
  test("never lower a p-value, and BH is never stricter than Holm", () => {
    for (const { p } of CASES) {
      const holm = holmAdjust(p);
      const bh = benjaminiHochbergAdjust(p);
      p.forEach((value, i) => {
        expect(bh[i]).toBeGreaterThanOrEqual(value);
        expect(holm[i]).toBeGreaterThanOrEqual(bh[i]);
      });
    }
  });

  test("an empty list stays empty; values outside [0, 1] throw", () => {
    expect(holmAdjust([])).toEqual([]);
    expect(benjaminiHochbergAdjust([])).toEqual([]);
    expect(thrownCode(() => holmAdjust([0.1, 1.5]))).toBe("invalid_input");
    expect(thrownCode(() => benjaminiHochbergAdjust([Number.NaN]))).toBe("invalid_input");
  });

  test("do not modify the input", () => {
    const p = [0.04, 0.01, 0.03];
    holmAdjust(p);
    benjaminiHochbergAdjust(p);
    expect(p).toEqual([0.04, 0.01, 0.03]);
  });
});
