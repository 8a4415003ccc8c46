import { describe, expect, test } from "vitest";
import { srmTest } from "./srm";
import { expectClose, thrownCode } from "./test-helpers";

describe("srmTest", () => {
  // R 4.2.2: r <- chisq.test(x, p = w / sum(w)); sprintf("%.17g", c(r$statistic, r$p.value))
  test.each([
    { observed: [5050, 4950], weights: [50, 50], statistic: 1, p: 0.31731050786291415 },
    { observed: [1000, 2100, 3050], weights: [1, 2, 3], statistic: 2.0325203252032518, p: 0.36194603147214677 },
    // small counts, one arm empty (R warns the approximation may be poor)
    { observed: [10, 0], weights: [1, 1], statistic: 10, p: 0.0015654022580025519 },
    { observed: [50500, 49500], weights: [1, 1], statistic: 10, p: 0.0015654022580025519 },
    { observed: [9000, 1100], weights: [90, 10], statistic: 8.9108910891089117, p: 0.002834749080259393 },
    { observed: [3, 1], weights: [0.5, 0.5], statistic: 1, p: 0.31731050786291415 },
  ])("$observed against $weights matches chisq.test", ({ observed, weights, statistic, p }) => {
    const r = srmTest(observed, weights);
    expectClose(r.statistic, statistic);
    expectClose(r.pValue, p, { absolute: 1e-14, relative: 1e-10 });
  });

  test("weights only matter in proportion", () => {
    expect(srmTest([1000, 2100, 3050], [10, 20, 30])).toEqual(srmTest([1000, 2100, 3050], [1, 2, 3]));
  });

  test("no exposures or a single planned arm: no information", () => {
    expect(srmTest([0, 0], [1, 1])).toEqual({ statistic: 0, pValue: 1 });
    expect(srmTest([40], [1])).toEqual({ statistic: 0, pValue: 1 });
    expect(srmTest([], [])).toEqual({ statistic: 0, pValue: 1 });
  });

  test("an arm planned at 0 % that gets traffic is a certain mismatch; one that gets none is ignored", () => {
    expect(srmTest([10, 10, 3], [1, 1, 0])).toEqual({ statistic: Infinity, pValue: 0 });
    expect(srmTest([5050, 4950, 0], [1, 1, 0])).toEqual(srmTest([5050, 4950], [1, 1]));
  });

  test.each([
    [[1, 2], [1]],
    [
      [1, -2],
      [1, 1],
    ],
    [
      [1, 2],
      [1, -1],
    ],
    [
      [1, 2],
      [0, 0],
    ],
  ])("rejects observed %j with weights %j", (observed, weights) => {
    expect(thrownCode(() => srmTest(observed, weights))).toBe("invalid_input");
  });
});
