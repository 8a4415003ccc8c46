import { describe, expect, test } from "vitest";
import { addToHistogram, bucketRepresentativeValue, type LatencyHistogram } from "./histogram";
import { mulberry32 } from "./random";
import { mannWhitneyU, mannWhitneyUHistograms, wilcoxonSignedRank } from "./ranks";
import { expectClose, thrownCode } from "./test-helpers";

describe("mannWhitneyU", () => {
  // R 4.2.2: r <- wilcox.test(b, a, exact = FALSE, correct = TRUE); sprintf("%.17g", c(r$statistic, r$p.value))
  test.each([
    { a: [12.1, 15.3, 9.8, 11.0, 13.7], b: [14.2, 18.9, 16.5, 20.1, 15.0, 17.7], u: 28, p: 0.022478873366125279 },
    // many ties
    { a: [1, 2, 2, 3, 3, 3, 4], b: [2, 3, 3, 4, 4, 5], u: 31, p: 0.15778541051796496 },
    // tiny samples
    { a: [5], b: [1, 2], u: 0, p: 0.54029137460742005 },
    // |U − nA·nB/2| = 0: the continuity correction is not applied, p = 1
    { a: [120, 135, 150, 110, 180, 95, 140, 160, 130, 125], b: [118, 133, 149, 111, 178, 97, 139, 161, 128], u: 45, p: 1 },
    // almost all tied
    { a: [7, 7, 7], b: [7, 7, 8], u: 6, p: 0.50498507509384583 },
  ])("a = $a, b = $b matches wilcox.test(b, a)", ({ a, b, u, p }) => {
    const r = mannWhitneyU(a, b);
    expect(r.u).toBe(u);
    expectClose(r.pValue, p, { absolute: 1e-14, relative: 1e-10 });
  });

  test("z is the continuity-corrected score and points the way b moves", () => {
    // R 4.2.2: qnorm(wilcox.test(b, a, exact = FALSE, correct = TRUE)$p.value / 2, lower.tail = FALSE)
    const a = [12.1, 15.3, 9.8, 11.0, 13.7];
    const b = [14.2, 18.9, 16.5, 20.1, 15.0, 17.7];
    expectClose(mannWhitneyU(a, b).z, 2.2821773229381921);
    expectClose(mannWhitneyU(b, a).z, -2.2821773229381921);
    expect(mannWhitneyU(b, a).u).toBe(a.length * b.length - 28);
  });

  test.each([
    ["an empty sample", [], [1, 2, 3]],
    ["all values tied", [4, 4, 4], [4, 4]],
  ])("%s carries no information", (_, a, b) => {
    const r = mannWhitneyU(a, b);
    expect(r.z).toBe(0);
    expect(r.pValue).toBe(1);
  });

  test("rejects non-finite values", () => {
    expect(thrownCode(() => mannWhitneyU([1, Number.NaN], [2]))).toBe("invalid_input");
  });
});

describe("mannWhitneyUHistograms", () => {
  // R 4.2.2 on the expanded buckets (bucket indexes as values; ranks only depend on order):
  //   wilcox.test(rep(c(50, 52, 61), c(10, 25, 15)), rep(c(50, 51, 60), c(30, 20, 5)), exact = FALSE, correct = TRUE)
  test("matches wilcox.test on the expanded buckets", () => {
    const r = mannWhitneyUHistograms({ "50": 30, "51": 20, "60": 5 }, { "50": 10, "52": 25, "61": 15 });
    expect(r.u).toBe(2225);
    expectClose(r.pValue, 1.3603773697144503e-8, { absolute: 0, relative: 1e-9 });
  });

  // R 4.2.2: wilcox.test(rep(c(100, 101, 102, 103, 104), c(3000, 5000, 1500, 400, 100)),
  //   rep(c(99, 100, 101, 102, 103), c(500, 3500, 4500, 1200, 300)), exact = FALSE, correct = TRUE)
  test("large counts with heavy ties (10 000 per arm)", () => {
    const histA = { "99": 500, "100": 3500, "101": 4500, "102": 1200, "103": 300 };
    const histB = { "100": 3000, "101": 5000, "102": 1500, "103": 400, "104": 100 };
    const r = mannWhitneyUHistograms(histA, histB);
    expect(r.u).toBe(56590000);
    expectClose(r.pValue, 3.63476573098562e-68, { absolute: 0, relative: 1e-8 });
  });

  test("equals mannWhitneyU on the expanded bucket values (property, seeded)", () => {
    const uniform = mulberry32(7);
    for (let trial = 0; trial < 20; trial++) {
      let histA: LatencyHistogram = {};
      let histB: LatencyHistogram = {};
      for (let i = 0; i < 60; i++) histA = addToHistogram(histA, 50 + 200 * uniform());
      for (let i = 0; i < 45; i++) histB = addToHistogram(histB, 60 + 200 * uniform());
      const expand = (h: LatencyHistogram) => Object.entries(h).flatMap(([index, count]) => Array<number>(count).fill(bucketRepresentativeValue(Number(index))));
      const direct = mannWhitneyU(expand(histA), expand(histB));
      const fromHistograms = mannWhitneyUHistograms(histA, histB);
      expectClose(fromHistograms.u, direct.u);
      expectClose(fromHistograms.z, direct.z);
      expectClose(fromHistograms.pValue, direct.pValue);
    }
  });

  test("an empty histogram carries no information", () => {
    expect(mannWhitneyUHistograms({}, { "10": 5 })).toEqual({ u: 0, z: 0, pValue: 1 });
    expect(mannWhitneyUHistograms({ "10": 3 }, { "10": 5 }).pValue).toBe(1);
  });
});

describe("wilcoxonSignedRank", () => {
  // R 4.2.2: r <- wilcox.test(b, a, paired = TRUE, exact = FALSE, correct = FALSE)
  //          sprintf("%.17g", c(r$statistic, r$p.value))
  test.each([
    { a: [210, 180, 250, 300, 190, 220, 205, 260], b: [200, 170, 260, 280, 185, 215, 190, 240], v: 4, p: 0.048271810851710388 },
    // a zero difference (dropped) and tied |differences|
    { a: [10, 12, 14, 16, 18, 20, 22], b: [11, 12, 15, 14, 20, 21, 20], v: 11, p: 0.91462138789968739 },
    // n = 3, all positive
    { a: [1, 2, 3], b: [2, 4, 6], v: 6, p: 0.10880943004054568 },
    // all |differences| tied in pairs, one zero
    { a: [5, 5, 5, 5, 5, 5], b: [6, 4, 6, 4, 7, 5], v: 10, p: 0.47950012218695348 },
  ])("a = $a, b = $b matches wilcox.test(b, a, paired = TRUE)", ({ a, b, v, p }) => {
    const r = wilcoxonSignedRank(a, b);
    expect(r.statistic).toBe(v);
    expectClose(r.pValue, p, { absolute: 1e-14, relative: 1e-10 });
  });

  test("z has no continuity correction", () => {
    // R 4.2.2: qnorm(wilcox.test(b, a, paired = TRUE, exact = FALSE, correct = FALSE)$p.value / 2)
    const r = wilcoxonSignedRank([210, 180, 250, 300, 190, 220, 205, 260], [200, 170, 260, 280, 185, 215, 190, 240]);
    expectClose(r.z, -1.9749677244040749);
  });

  test("no pairs or only zero differences carry no information; unequal lengths throw", () => {
    expect(wilcoxonSignedRank([], [])).toEqual({ statistic: 0, z: 0, pValue: 1 });
    expect(wilcoxonSignedRank([3, 4], [3, 4])).toEqual({ statistic: 0, z: 0, pValue: 1 });
    expect(thrownCode(() => wilcoxonSignedRank([1, 2], [1]))).toBe("invalid_input");
  });
});
