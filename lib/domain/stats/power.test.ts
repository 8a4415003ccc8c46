import { describe, expect, test } from "vitest";
import { daysToReachSample, sampleSizeTwoProportions } from "./power";
import { thrownCode } from "./test-helpers";

describe("sampleSizeTwoProportions", () => {
  // R 4.2.2: ceiling(power.prop.test(p1 = p1, p2 = p2, sig.level = alpha, power = power)$n)
  // R's n (solved numerically) agrees with our closed form to 1e-6 in every row.
  test.each([
    { baseline: 0.1, mde: 0.02, alpha: 0.05, power: 0.8, n: 3841 }, // R n = 3840.847482
    { baseline: 0.5, mde: -0.05, alpha: 0.05, power: 0.8, n: 1565 }, // R n = 1564.672053
    { baseline: 0.01, mde: 0.005, alpha: 0.01, power: 0.9, n: 14691 }, // R n = 14690.9229
    { baseline: 0.9, mde: 0.05, alpha: 0.05, power: 0.8, n: 435 }, // R n = 434.4320228
    { baseline: 0.2, mde: 0.3, alpha: 0.1, power: 0.95, n: 52 }, // R n = 51.97134649
  ])("baseline $baseline, mde $mde, α $alpha, power $power → $n per arm (power.prop.test)", (input) => {
    const { n, ...rest } = input;
    expect(sampleSizeTwoProportions(rest)).toBe(n);
  });

  test("needs more data for smaller effects and for more power", () => {
    const base = { baseline: 0.1, mde: 0.02, alpha: 0.05, power: 0.8 };
    expect(sampleSizeTwoProportions({ ...base, mde: 0.01 })).toBeGreaterThan(sampleSizeTwoProportions(base));
    expect(sampleSizeTwoProportions({ ...base, power: 0.9 })).toBeGreaterThan(sampleSizeTwoProportions(base));
    expect(sampleSizeTwoProportions({ ...base, alpha: 0.01 })).toBeGreaterThan(sampleSizeTwoProportions(base));
  });

  test.each([
    [{ baseline: 0.1, mde: 0, alpha: 0.05, power: 0.8 }],
    [{ baseline: 0.95, mde: 0.1, alpha: 0.05, power: 0.8 }],
    [{ baseline: -0.1, mde: 0.1, alpha: 0.05, power: 0.8 }],
    [{ baseline: 0.1, mde: 0.02, alpha: 0, power: 0.8 }],
    [{ baseline: 0.1, mde: 0.02, alpha: 0.05, power: 1 }],
  ])("rejects %o", (input) => {
    expect(thrownCode(() => sampleSizeTwoProportions(input))).toBe("invalid_input");
  });
});

describe("daysToReachSample", () => {
  test.each([
    [{ needed: 3841, perArmPerDay: 500, alreadyHave: 0 }, 8],
    [{ needed: 3841, perArmPerDay: 500, alreadyHave: 1841 }, 4],
    [{ needed: 3841, perArmPerDay: 500, alreadyHave: 3841 }, 0],
    [{ needed: 3841, perArmPerDay: 500, alreadyHave: 9000 }, 0],
    [{ needed: 3841, perArmPerDay: 0, alreadyHave: 100 }, null],
    [{ needed: 3841, perArmPerDay: 0, alreadyHave: 5000 }, 0],
  ])("%o → %s days", (input, days) => {
    expect(daysToReachSample(input)).toBe(days);
  });

  test("rejects negative inputs", () => {
    expect(thrownCode(() => daysToReachSample({ needed: 10, perArmPerDay: -1, alreadyHave: 0 }))).toBe("invalid_input");
  });
});
