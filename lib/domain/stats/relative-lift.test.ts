import { describe, expect, test } from "vitest";
import { relativeLiftInterval } from "./relative-lift";
import { expectClose, thrownCode } from "./test-helpers";

describe("relativeLiftInterval (delta method)", () => {
  test("lift = t/c − 1 with SE² = SEt²/c² + t²·SEc²/c⁴, widened by the multiplier", () => {
    const r = relativeLiftInterval({ controlMean: 0.9, controlStandardError: 0.01, treatmentMean: 0.81, treatmentStandardError: 0.02, multiplier: 1.96 })!;
    const se = Math.sqrt(0.02 ** 2 / 0.9 ** 2 + (0.81 ** 2 * 0.01 ** 2) / 0.9 ** 4);
    expectClose(r.estimate, -0.1);
    expectClose(r.low, -0.1 - 1.96 * se);
    expectClose(r.high, -0.1 + 1.96 * se);
  });

  test("a wider basis (always-valid multiplier) gives a wider interval around the same estimate", () => {
    const fixed = relativeLiftInterval({ controlMean: 2, controlStandardError: 0.1, treatmentMean: 2.2, treatmentStandardError: 0.1, multiplier: 1.96 })!;
    const seq = relativeLiftInterval({ controlMean: 2, controlStandardError: 0.1, treatmentMean: 2.2, treatmentStandardError: 0.1, multiplier: 3.1 })!;
    expect(seq.estimate).toBe(fixed.estimate);
    expect(seq.low).toBeLessThan(fixed.low);
    expect(seq.high).toBeGreaterThan(fixed.high);
  });

  test("no relative change from a control of 0; malformed input is refused", () => {
    expect(relativeLiftInterval({ controlMean: 0, controlStandardError: 0, treatmentMean: 1, treatmentStandardError: 0, multiplier: 1.96 })).toBeNull();
    expect(thrownCode(() => relativeLiftInterval({ controlMean: 1, controlStandardError: -1, treatmentMean: 1, treatmentStandardError: 0, multiplier: 1 }))).toBe("invalid_input");
    expect(thrownCode(() => relativeLiftInterval({ controlMean: Number.NaN, controlStandardError: 0, treatmentMean: 1, treatmentStandardError: 0, multiplier: 1 }))).toBe("invalid_input");
  });
});
