import { describe, expect, test } from "vitest";
import { twoProportionTest, wilsonInterval } from "./proportions";
import { expectClose, thrownCode } from "./test-helpers";

describe("twoProportionTest", () => {
  // R 4.2.2: r <- prop.test(c(sB, sA), c(nB, nA), correct = FALSE, conf.level = conf)
  //          sprintf("%.17g", c(r$statistic, r$p.value, r$conf.int))
  // R's X-squared is z², and with B first its interval is on pB − pA.
  test.each([
    { sA: 45, nA: 500, sB: 60, nB: 500, conf: 0.95, x2: 2.3942537909018355, p: 0.12178184842585615, ci: [-0.0079545393564497968, 0.067954539356449795] },
    // small n, zero successes in A (R warns the approximation may be poor)
    { sA: 0, nA: 20, sB: 3, nB: 20, conf: 0.95, x2: 3.2432432432432434, p: 0.0717185365084341, ci: [-0.0064905747383050549, 0.30649057473830504] },
    // extreme p near 1
    { sA: 990, nA: 1000, sB: 999, nB: 1000, conf: 0.95, x2: 7.404360345536884, p: 0.0065065974836375816, ci: [0.0025294467248352555, 0.015470553275164761] },
    // unequal arm sizes
    { sA: 120, nA: 2000, sB: 80, nB: 1500, conf: 0.95, x2: 0.70707070707070796, p: 0.40041798467382561, ci: [-0.022081912273632709, 0.0087485789402993886] },
    // B worse, 90 % interval
    { sA: 30, nA: 40, sB: 10, nB: 35, conf: 0.9, x2: 16.167091836734699, p: 5.7992896797551079e-5, ci: [-0.63298070093855907, -0.29559072763286948] },
  ])("$sA/$nA vs $sB/$nB at $conf matches prop.test", ({ sA, nA, sB, nB, conf, x2, p, ci }) => {
    const r = twoProportionTest({ successesA: sA, totalA: nA, successesB: sB, totalB: nB, confidence: conf });
    const diff = sB / nB - sA / nA;
    expectClose(r.diff, diff);
    expectClose(r.z, Math.sign(diff) * Math.sqrt(x2));
    expectClose(r.pValue, p, { absolute: 1e-14, relative: 1e-10 });
    expectClose(r.ciLow, ci[0]);
    expectClose(r.ciHigh, ci[1]);
    expect(r.relativeLift).toBe(sA === 0 ? null : diff / (sA / nA));
  });

  test("confidence defaults to 0.95", () => {
    const r = twoProportionTest({ successesA: 45, totalA: 500, successesB: 60, totalB: 500 });
    expectClose(r.ciHigh, 0.067954539356449795);
  });

  test("an empty arm carries no information", () => {
    expect(twoProportionTest({ successesA: 0, totalA: 0, successesB: 5, totalB: 10 })).toEqual({
      z: 0,
      pValue: 1,
      diff: 0,
      ciLow: -1,
      ciHigh: 1,
      relativeLift: null,
    });
  });

  test("identical all-success arms: no evidence, zero-width interval, lift 0", () => {
    const r = twoProportionTest({ successesA: 50, totalA: 50, successesB: 80, totalB: 80 });
    expect(r).toEqual({ z: 0, pValue: 1, diff: 0, ciLow: 0, ciHigh: 0, relativeLift: 0 });
  });

  test.each([
    [{ successesA: -1, totalA: 10, successesB: 1, totalB: 10 }],
    [{ successesA: 11, totalA: 10, successesB: 1, totalB: 10 }],
    [{ successesA: 1, totalA: 10, successesB: 1, totalB: Number.NaN }],
    [{ successesA: 1, totalA: 10, successesB: 1, totalB: 10, confidence: 1 }],
  ])("rejects invalid input %o", (input) => {
    expect(thrownCode(() => twoProportionTest(input))).toBe("invalid_input");
  });
});

describe("wilsonInterval", () => {
  // R 4.2.2: sprintf("%.17g", prop.test(x, n, correct = FALSE, conf.level = conf)$conf.int)
  test.each([
    [3, 10, 0.95, 0.10779126740630104, 0.60322185253885452],
    [0, 10, 0.95, 0, 0.27753279986288915],
    [10, 10, 0.95, 0.72246720013711085, 1],
    [45, 500, 0.95, 0.067942547889139421, 0.11830941128933344],
    [1, 1000, 0.99, 0.00011741635361832181, 0.0084605662199816918],
    [1, 1, 0.95, 0.2065493143772375, 1],
  ])("%d of %d at %d matches prop.test", (x, n, conf, low, high) => {
    const r = wilsonInterval(x, n, conf);
    expectClose(r.low, low);
    expectClose(r.high, high);
  });

  test("n = 0 is the whole unit interval; invalid counts throw", () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
    expect(thrownCode(() => wilsonInterval(5, 4))).toBe("invalid_input");
    expect(thrownCode(() => wilsonInterval(-1, 4))).toBe("invalid_input");
  });
});
