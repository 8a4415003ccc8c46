import { describe, expect, test } from "vitest";
import { chiSquareTest, mcnemarTest } from "./chisquare";
import { expectClose, thrownCode } from "./test-helpers";

describe("chiSquareTest", () => {
  // R 4.2.2: r <- chisq.test(matrix(v, nrow = nr, byrow = TRUE), correct = yates)
  //          sprintf("%.17g", c(r$statistic, r$p.value)); r$parameter
  test.each([
    {
      table: [
        [12, 5],
        [7, 15],
      ],
      yates: true,
      statistic: 4.3221203912186867,
      p: 0.037620016634840062,
      dof: 1,
    },
    {
      table: [
        [12, 5],
        [7, 15],
      ],
      yates: false,
      statistic: 5.7695961159583433,
      p: 0.01630578158465017,
      dof: 1,
    },
    // |observed − expected| < 0.5 everywhere: Yates (as R does it) removes the whole deviation
    {
      table: [
        [20, 21],
        [20, 20],
      ],
      yates: true,
      statistic: 0,
      p: 1,
      dof: 1,
    },
    {
      table: [
        [20, 21],
        [20, 20],
      ],
      yates: false,
      statistic: 0.012046400951814504,
      p: 0.91260280968685215,
      dof: 1,
    },
    // tiny counts with empty cells
    {
      table: [
        [3, 0],
        [0, 4],
      ],
      yates: true,
      statistic: 3.5121527777777777,
      p: 0.060920247665790732,
      dof: 1,
    },
    // 2×3: Yates is asked for but only applies to 2×2
    {
      table: [
        [30, 25, 45],
        [20, 35, 15],
      ],
      yates: false,
      statistic: 13.80238095238095,
      p: 0.0010065863983404844,
      dof: 2,
    },
    {
      table: [
        [30, 25, 45],
        [20, 35, 15],
      ],
      yates: true,
      statistic: 13.80238095238095,
      p: 0.0010065863983404844,
      dof: 2,
    },
    {
      table: [
        [10, 20, 30],
        [15, 25, 5],
        [40, 10, 12],
      ],
      yates: false,
      statistic: 47.266878168731289,
      p: 1.3416921084774627e-9,
      dof: 4,
    },
  ])("$table (yates: $yates) matches chisq.test", ({ table, yates, statistic, p, dof }) => {
    const r = chiSquareTest(table, { yates });
    expectClose(r.statistic, statistic);
    expectClose(r.pValue, p, { absolute: 1e-14, relative: 1e-10 });
    expect(r.dof).toBe(dof);
  });

  test("Yates is off by default", () => {
    expectClose(
      chiSquareTest([
        [12, 5],
        [7, 15],
      ]).statistic,
      5.7695961159583433,
    );
  });

  test("empty rows and columns are dropped (R would give NaN), including for the 2×2 Yates rule", () => {
    const padded = chiSquareTest(
      [
        [12, 0, 5],
        [0, 0, 0],
        [7, 0, 15],
      ],
      { yates: true },
    );
    expect(padded).toEqual(
      chiSquareTest(
        [
          [12, 5],
          [7, 15],
        ],
        { yates: true },
      ),
    );
  });

  test.each([
    [[]],
    [
      [
        [0, 0],
        [0, 0],
      ],
    ],
    [[[5, 7]]],
    [
      [
        [5, 0],
        [7, 0],
      ],
    ],
  ])("no information in %j", (table) => {
    expect(chiSquareTest(table)).toEqual({ statistic: 0, pValue: 1, dof: 0 });
  });

  test("rejects ragged tables and negative counts", () => {
    expect(thrownCode(() => chiSquareTest([[1, 2], [3]]))).toBe("invalid_input");
    expect(
      thrownCode(() =>
        chiSquareTest([
          [1, -2],
          [3, 4],
        ]),
      ),
    ).toBe("invalid_input");
  });
});

describe("mcnemarTest", () => {
  // R 4.2.2: r <- mcnemar.test(matrix(c(50, b, c, 30), 2, byrow = TRUE), correct = continuity)
  //          sprintf("%.17g", c(r$statistic, r$p.value))
  // (the concordant counts 50 and 30 do not enter the test)
  test.each([
    { b: 15, c: 5, continuity: true, statistic: 4.0499999999999998, p: 0.044171344908442683 },
    { b: 5, c: 15, continuity: true, statistic: 4.0499999999999998, p: 0.044171344908442683 },
    { b: 3, c: 4, continuity: true, statistic: 0, p: 1 },
    { b: 4, c: 4, continuity: true, statistic: 0, p: 1 },
    { b: 0, c: 7, continuity: true, statistic: 5.1428571428571432, p: 0.023342202012890875 },
    { b: 15, c: 5, continuity: false, statistic: 5, p: 0.025347318677468304 },
    { b: 100, c: 130, continuity: true, statistic: 3.6565217391304348, p: 0.055850113675743614 },
  ])("b = $b, c = $c, continuity $continuity matches mcnemar.test", ({ b, c, continuity, statistic, p }) => {
    const r = mcnemarTest({ onlyAFailed: b, onlyBFailed: c, continuity });
    expectClose(r.statistic, statistic);
    expectClose(r.pValue, p, { absolute: 1e-14, relative: 1e-10 });
  });

  test("continuity correction is on by default; no discordant pairs means no information", () => {
    expect(mcnemarTest({ onlyAFailed: 15, onlyBFailed: 5 }).statistic).toBeCloseTo(4.05, 12);
    expect(mcnemarTest({ onlyAFailed: 0, onlyBFailed: 0 })).toEqual({ statistic: 0, pValue: 1 });
    expect(thrownCode(() => mcnemarTest({ onlyAFailed: -1, onlyBFailed: 0 }))).toBe("invalid_input");
  });
});
