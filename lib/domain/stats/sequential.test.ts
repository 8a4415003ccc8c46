import { beforeAll, describe, expect, test } from "vitest";
import { normalQuantile } from "./distributions";
import { twoProportionTest } from "./proportions";
import { mulberry32 } from "./random";
import { DEFAULT_SEQUENTIAL_TUNING, sequentialMeans, sequentialTest, sequentialTwoProportion } from "./sequential";
import { expectClose, thrownCode } from "./test-helpers";

describe("sequentialTest", () => {
  // Independent evaluation of Waudby-Smith et al. (2023) eq. 9 in R 4.2.2:
  //   hw <- function(se, n, N, a) { rho <- sqrt((-2*log(a) + log(-2*log(a) + 1))/N)
  //     sqrt(se^2*n) * sqrt(2*(n*rho^2 + 1)/(n^2*rho^2) * log(sqrt(n*rho^2 + 1)/a)) }
  //   ci: d + c(-1, 1)*hw(se, n, N, alpha)
  //   p:  exp(uniroot(function(la) hw(se, n, N, exp(la)) - abs(d), c(-700, -1e-12), tol = 1e-14)$root)
  test.each([
    { diff: 0.01, se: 0.004, n: 10_000, tuning: 5000, confidence: 0.95, ci: [-0.0022459088754696686, 0.022245908875469671], p: 0.19181136009961647 },
    // |diff| ≤ SE·√(1 + N*/(2n)): no α excludes 0 (uniroot finds no root), p = 1
    { diff: -0.3, se: 0.1, n: 200, tuning: 5000, confidence: 0.95, ci: [-0.80999599698974434, 0.20999599698974442], p: 1 },
    { diff: 2.5, se: 0.5, n: 1e6, tuning: 5000, confidence: 0.99, ci: [0.44076969331465587, 4.5592303066853441], p: 0.00023406754573244818 },
    { diff: 0.02, se: 0.005, n: 3000, tuning: 20_000, confidence: 0.9, ci: [0.0035479923752724657, 0.036452007624727535], p: 0.010549218929176577 },
  ])("diff $diff, SE $se, n $n, N* $tuning matches the formula", ({ diff, se, n, tuning, confidence, ci, p }) => {
    const r = sequentialTest({ diff, standardError: se, n, tuning, confidence });
    expectClose(r.ciLow, ci[0]);
    expectClose(r.ciHigh, ci[1]);
    expectClose(r.pValue, p, { absolute: 1e-12, relative: 1e-9 });
  });

  test("is always wider than the fixed-horizon interval", () => {
    for (const confidence of [0.8, 0.9, 0.95, 0.99]) {
      const z = normalQuantile((1 + confidence) / 2);
      for (const n of [10, 100, 1000, 5000, 20_000, 1e6]) {
        for (const tuning of [100, DEFAULT_SEQUENTIAL_TUNING, 1e5]) {
          const r = sequentialTest({ diff: 0, standardError: 1, n, tuning, confidence });
          expect(r.ciHigh).toBeGreaterThan(z);
          expect(r.ciLow).toBeLessThan(-z);
        }
      }
    }
  });

  test("p ≤ α exactly when the interval excludes 0", () => {
    for (const diff of [0.001, 0.004, 0.008, 0.012, 0.02, 0.05]) {
      for (const confidence of [0.9, 0.95, 0.99]) {
        const r = sequentialTest({ diff, standardError: 0.004, n: 8000, confidence });
        expect(r.pValue <= 1 - confidence).toBe(r.ciLow > 0);
      }
    }
  });

  test("defaults: N* = 5000 and 95 %", () => {
    expect(sequentialTest({ diff: 0.01, standardError: 0.004, n: 10_000 })).toEqual(sequentialTest({ diff: 0.01, standardError: 0.004, n: 10_000, tuning: 5000, confidence: 0.95 }));
  });

  test("no data or zero standard error: no information", () => {
    const none = { ciLow: -Infinity, ciHigh: Infinity, pValue: 1 };
    expect(sequentialTest({ diff: 0.1, standardError: 0.01, n: 0 })).toEqual(none);
    expect(sequentialTest({ diff: 0.1, standardError: 0, n: 100 })).toEqual(none);
  });

  test.each([
    [{ diff: Number.NaN, standardError: 1, n: 10 }],
    [{ diff: 0, standardError: -1, n: 10 }],
    [{ diff: 0, standardError: 1, n: 10, tuning: 0 }],
    [{ diff: 0, standardError: 1, n: 10, confidence: 1.5 }],
  ])("rejects %o", (input) => {
    expect(thrownCode(() => sequentialTest(input))).toBe("invalid_input");
  });
});

describe("sequentialTwoProportion and sequentialMeans", () => {
  test("use the unpooled standard error and the total sample size", () => {
    const r = sequentialTwoProportion({ successesA: 1000, totalA: 10_000, successesB: 1100, totalB: 10_000 });
    const se = Math.sqrt((0.1 * 0.9) / 10_000 + (0.11 * 0.89) / 10_000);
    const expected = sequentialTest({ diff: 0.01, standardError: se, n: 20_000 });
    expectClose(r.diff, 0.01);
    expectClose(r.ciLow, expected.ciLow);
    expectClose(r.ciHigh, expected.ciHigh);
    expectClose(r.pValue, expected.pValue);

    const m = sequentialMeans({ meanA: 10, varianceA: 4, nA: 400, meanB: 10.5, varianceB: 9, nB: 600 });
    const mExpected = sequentialTest({ diff: 0.5, standardError: Math.sqrt(4 / 400 + 9 / 600), n: 1000 });
    expect(m).toEqual({ diff: 0.5, ...mExpected });
  });

  test("no information for empty arms; proportions stay within [−1, 1]", () => {
    expect(sequentialTwoProportion({ successesA: 0, totalA: 0, successesB: 1, totalB: 2 })).toEqual({ diff: 0, ciLow: -1, ciHigh: 1, pValue: 1 });
    const small = sequentialTwoProportion({ successesA: 1, totalA: 3, successesB: 2, totalB: 3 });
    expect(small.ciLow).toBe(-1);
    expect(small.ciHigh).toBe(1);
    expect(sequentialMeans({ meanA: 1, varianceA: 0, nA: 1, meanB: 2, varianceB: 1, nB: 5 })).toEqual({
      diff: 1,
      ciLow: -Infinity,
      ciHigh: Infinity,
      pValue: 1,
    });
    expect(thrownCode(() => sequentialTwoProportion({ successesA: 3, totalA: 2, successesB: 1, totalB: 2 }))).toBe("invalid_input");
  });
});

describe("continuous monitoring (seeded simulation of A/A tests)", () => {
  // 1000 A/A experiments at a 10 % success rate, 500 users per arm between looks, 20 looks
  // (10 000 per arm at the end). A false alarm is any look with p < α = 0.05.
  const ALPHA = 0.05;
  const EXPERIMENTS = 1000;
  const LOOKS = 20;
  const PER_LOOK = 500;

  let naiveAlarms = 0;
  let sequentialAlarms = 0;
  beforeAll(() => {
    const uniform = mulberry32(20240601);
    for (let e = 0; e < EXPERIMENTS; e++) {
      let successesA = 0;
      let successesB = 0;
      let naive = false;
      let sequential = false;
      for (let look = 1; look <= LOOKS; look++) {
        for (let i = 0; i < PER_LOOK; i++) {
          if (uniform() < 0.1) successesA++;
          if (uniform() < 0.1) successesB++;
        }
        const counts = { successesA, totalA: look * PER_LOOK, successesB, totalB: look * PER_LOOK };
        naive ||= twoProportionTest(counts).pValue < ALPHA;
        sequential ||= sequentialTwoProportion(counts).pValue < ALPHA;
      }
      if (naive) naiveAlarms++;
      if (sequential) sequentialAlarms++;
    }
  });

  test("peeking at the fixed-horizon test inflates false alarms far beyond α", () => {
    expect(naiveAlarms / EXPERIMENTS).toBeGreaterThan(2 * ALPHA);
  });

  test("the always-valid p-value keeps false alarms at or below α under the same peeking", () => {
    // Binomial noise on 1000 experiments at 5 % is ±0.7 %; allow 1.5 % on top of α.
    expect(sequentialAlarms / EXPERIMENTS).toBeLessThanOrEqual(ALPHA + 0.015);
  });
});
