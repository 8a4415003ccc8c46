import { describe, expect, test } from "vitest";
import { summaryFromSums, welchTTest } from "./ttest";
import { expectClose, thrownCode } from "./test-helpers";

/** Mean and sample variance of raw values, the way the rollups would summarise them. */
function summarise(values: number[]): { mean: number; variance: number; n: number } {
  const n = values.length;
  const mean = values.reduce((s, x) => s + x, 0) / n;
  const variance = values.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  return { mean, variance, n };
}

function welchFromValues(a: number[], b: number[], confidence?: number) {
  const A = summarise(a);
  const B = summarise(b);
  return welchTTest({
    meanA: A.mean,
    varianceA: A.variance,
    nA: A.n,
    meanB: B.mean,
    varianceB: B.variance,
    nB: B.n,
    confidence,
  });
}

describe("welchTTest", () => {
  // R 4.2.2: r <- t.test(b, a, conf.level = conf)   (Welch is R's default)
  //          sprintf("%.17g", c(r$statistic, r$parameter, r$p.value, r$conf.int))
  test.each([
    {
      a: [19.1, 21.3, 20.5, 22.0, 18.7],
      b: [23.4, 24.1, 22.8, 25.0, 21.9, 26.3],
      conf: 0.95,
      t: 3.9913444069307804,
      df: 8.9308437720224809,
      p: 0.0032005542973839616,
      ci: [1.5557905925635969, 5.6375427407697387],
    },
    // the smallest samples that allow a variance: df ≈ 1.12, very wide interval
    {
      a: [1, 3],
      b: [2, 10],
      conf: 0.95,
      t: 0.97014250014533188,
      df: 1.1245136186770428,
      p: 0.49488094586394793,
      ci: [-36.486757813977505, 44.486757813977505],
    },
    // one arm has zero variance: df = nB − 1 exactly
    {
      a: [5, 5, 5, 5],
      b: [5.5, 6, 4.8, 7],
      conf: 0.95,
      t: 1.7835666595928776,
      df: 3,
      p: 0.17249878614907205,
      ci: [-0.64706059708380503, 2.2970605970838052],
    },
    {
      a: [0.2, 0.35, 0.1, 0.4, 0.25, 0.3, 0.15],
      b: [0.22, 0.3, 0.28, 0.31],
      conf: 0.9,
      t: 0.60400672231608121,
      df: 8.2957195726555408,
      p: 0.56198937662740422,
      ci: [-0.056774307590096253, 0.11177430759009629],
    },
  ])("matches t.test(b, a) for a = $a, b = $b", ({ a, b, conf, t, df, p, ci }) => {
    const r = welchFromValues(a, b, conf);
    expectClose(r.t, t, { absolute: 1e-12, relative: 1e-10 });
    expectClose(r.df, df, { absolute: 1e-12, relative: 1e-10 });
    expectClose(r.pValue, p, { absolute: 1e-13, relative: 1e-9 });
    expectClose(r.ciLow, ci[0], { absolute: 1e-12, relative: 1e-9 });
    expectClose(r.ciHigh, ci[1], { absolute: 1e-12, relative: 1e-9 });
    expectClose(r.diff, summarise(b).mean - summarise(a).mean);
  });

  test("large samples from summary statistics (cost per request)", () => {
    // R 4.2.2: mA <- 0.0123; vA <- 4e-5; nA <- 50000; mB <- 0.0125; vB <- 5e-5; nB <- 48000
    //   se <- sqrt(vA/nA + vB/nB); t <- (mB - mA)/se; df <- se^4/((vA/nA)^2/(nA-1) + (vB/nB)^2/(nB-1))
    //   c(t, df, 2*pt(-abs(t), df), mB - mA + c(-1, 1)*qt(0.975, df)*se)
    const r = welchTTest({ meanA: 0.0123, varianceA: 4e-5, nA: 50000, meanB: 0.0125, varianceB: 5e-5, nB: 48000 });
    expectClose(r.t, 4.660413824283717, { absolute: 0, relative: 1e-9 });
    expectClose(r.df, 95794.597059234584, { absolute: 0, relative: 1e-9 });
    expectClose(r.pValue, 3.1599817032853913e-6, { absolute: 0, relative: 1e-8 });
    expectClose(r.ciLow, 0.00011588778066105647, { absolute: 0, relative: 1e-8 });
    expectClose(r.ciHigh, 0.00028411221933894457, { absolute: 0, relative: 1e-8 });
  });

  test.each([
    ["an arm with a single observation", { meanA: 1, varianceA: 0, nA: 1, meanB: 2, varianceB: 1, nB: 10 }, 1],
    ["an empty arm", { meanA: 0, varianceA: 0, nA: 0, meanB: 2, varianceB: 1, nB: 10 }, 0],
    ["both variances zero", { meanA: 3, varianceA: 0, nA: 20, meanB: 3.5, varianceB: 0, nB: 20 }, 0.5],
  ])("no information for %s: t 0, df 0, p 1, unbounded interval", (_, input, diff) => {
    expect(welchTTest(input)).toEqual({ t: 0, df: 0, pValue: 1, diff, ciLow: -Infinity, ciHigh: Infinity });
  });

  test.each([
    [{ meanA: 1, varianceA: -1, nA: 5, meanB: 1, varianceB: 1, nB: 5 }],
    [{ meanA: Number.NaN, varianceA: 1, nA: 5, meanB: 1, varianceB: 1, nB: 5 }],
    [{ meanA: 1, varianceA: 1, nA: -5, meanB: 1, varianceB: 1, nB: 5 }],
    [{ meanA: 1, varianceA: 1, nA: 5, meanB: 1, varianceB: 1, nB: 5, confidence: 0 }],
  ])("rejects %o", (input) => {
    expect(thrownCode(() => welchTTest(input))).toBe("invalid_input");
  });
});

describe("summaryFromSums", () => {
  test("recovers mean and sample variance from count, Σx and Σx²", () => {
    const values = [19.1, 21.3, 20.5, 22.0, 18.7];
    const s = summaryFromSums({
      n: values.length,
      sum: values.reduce((t, x) => t + x, 0),
      sumOfSquares: values.reduce((t, x) => t + x * x, 0),
    });
    const direct = summarise(values);
    expectClose(s.mean, direct.mean);
    expectClose(s.variance, direct.variance, { absolute: 1e-12, relative: 1e-9 });
  });

  test("clamps round-off below zero and handles n < 2", () => {
    // 0.1 repeated three times: Σx² − (Σx)²/n is a tiny negative number in floating point.
    const s = summaryFromSums({ n: 3, sum: 0.1 + 0.1 + 0.1, sumOfSquares: 0.01 + 0.01 + 0.01 });
    expect(s.variance).toBeGreaterThanOrEqual(0);
    expect(s.variance).toBeLessThan(1e-15);
    expect(summaryFromSums({ n: 0, sum: 0, sumOfSquares: 0 })).toEqual({ n: 0, mean: 0, variance: 0 });
    expect(summaryFromSums({ n: 1, sum: 4, sumOfSquares: 16 })).toEqual({ n: 1, mean: 4, variance: 0 });
    expect(thrownCode(() => summaryFromSums({ n: -1, sum: 0, sumOfSquares: 0 }))).toBe("invalid_input");
  });
});
