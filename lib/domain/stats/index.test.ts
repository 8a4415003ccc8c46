import { describe, expect, test } from "vitest";
import * as stats from "./index";

describe("public entry point", () => {
  test.each([
    "twoProportionTest",
    "chiSquareTest",
    "welchTTest",
    "mannWhitneyU",
    "mannWhitneyUHistograms",
    "wilcoxonSignedRank",
    "mcnemarTest",
    "srmTest",
    "wilsonInterval",
    "holmAdjust",
    "benjaminiHochbergAdjust",
    "sampleSizeTwoProportions",
    "daysToReachSample",
    "sequentialTest",
    "sequentialTwoProportion",
    "sequentialMeans",
    "latencyBucketIndex",
    "bucketRepresentativeValue",
    "addToHistogram",
    "mergeHistograms",
    "histogramCount",
    "histogramPercentile",
    "percentileWithInterval",
    "normalCdf",
    "normalQuantile",
    "chiSquareCdf",
    "studentTCdf",
  ])("exports %s", (name) => {
    expect(typeof (stats as Record<string, unknown>)[name]).toBe("function");
  });

  test("results are plain JSON-friendly objects with the documented fields", () => {
    const r = stats.twoProportionTest({ successesA: 45, totalA: 500, successesB: 60, totalB: 500 });
    expect(Object.keys(r).sort()).toEqual(["ciHigh", "ciLow", "diff", "pValue", "relativeLift", "z"]);
    expect(
      Object.keys(
        stats.chiSquareTest([
          [1, 2],
          [3, 4],
        ]),
      ).sort(),
    ).toEqual(["dof", "pValue", "statistic"]);
    expect(Object.keys(stats.mannWhitneyU([1, 2], [3, 4])).sort()).toEqual(["pValue", "u", "z"]);
    expect(Object.keys(stats.wilcoxonSignedRank([1, 2], [3, 5])).sort()).toEqual(["pValue", "statistic", "z"]);
    expect(Object.keys(stats.percentileWithInterval({ "3": 2 }, 0.5)).sort()).toEqual(["estimate", "high", "low", "n"]);
  });
});
