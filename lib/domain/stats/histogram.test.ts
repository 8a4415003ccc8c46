import { describe, expect, test } from "vitest";
import {
  addToHistogram,
  bucketRepresentativeValue,
  HISTOGRAM_RELATIVE_ERROR,
  histogramCount,
  histogramPercentile,
  histogramPercentiles,
  latencyBucketIndex,
  type LatencyHistogram,
  mergeHistograms,
  percentileWithInterval,
  quantileRankInterval,
} from "./histogram";
import { mulberry32 } from "./random";
import { thrownCode } from "./test-helpers";

/** Seeded log-uniform latencies between `low` and `high` ms. */
function logUniform(seed: number, count: number, low: number, high: number): number[] {
  const uniform = mulberry32(seed);
  return Array.from({ length: count }, () => low * (high / low) ** uniform());
}

function histogramOf(values: number[]): LatencyHistogram {
  return values.reduce<LatencyHistogram>((h, v) => addToHistogram(h, v), {});
}

describe("bucketing", () => {
  test("every value above 0.1 ms is reported within 2 % (100 000 seeded values, 0.1 ms to 3 hours)", () => {
    expect(HISTOGRAM_RELATIVE_ERROR).toBeLessThanOrEqual(0.02);
    let worst = 0;
    for (const v of logUniform(42, 100_000, 0.1000001, 1e7)) {
      const error = Math.abs(bucketRepresentativeValue(latencyBucketIndex(v)) - v) / v;
      worst = Math.max(worst, error);
    }
    expect(worst).toBeLessThanOrEqual(HISTOGRAM_RELATIVE_ERROR + 1e-12);
    expect(worst).toBeGreaterThan(0.019); // the bound is tight, not vacuous
  });

  test("each bucket's representative value falls back into that bucket", () => {
    for (let i = 0; i < 600; i++) expect(latencyBucketIndex(bucketRepresentativeValue(i))).toBe(i);
  });

  test("indexes never decrease with the value", () => {
    const sorted = logUniform(3, 5_000, 0.01, 1e6).sort((a, b) => a - b);
    sorted.slice(1).forEach((v, i) => expect(latencyBucketIndex(v)).toBeGreaterThanOrEqual(latencyBucketIndex(sorted[i])));
  });

  test.each([
    [0, 0],
    [0.05, 0],
    [0.1, 0],
    [0.1001, 1],
    [1, 59],
    [3_600_000, 444],
  ])("latencyBucketIndex(%d ms) = %d", (ms, index) => {
    expect(latencyBucketIndex(ms)).toBe(index);
  });

  test("rejects negative or non-finite latencies and bad indexes", () => {
    expect(thrownCode(() => latencyBucketIndex(-1))).toBe("invalid_input");
    expect(thrownCode(() => latencyBucketIndex(Number.POSITIVE_INFINITY))).toBe("invalid_input");
    expect(thrownCode(() => bucketRepresentativeValue(1.5))).toBe("invalid_input");
  });
});

describe("histogram values", () => {
  test("add and merge return new objects, sum counts and survive a JSON round trip", () => {
    const empty: LatencyHistogram = {};
    const one = addToHistogram(empty, 120);
    const more = addToHistogram(one, 121, 4); // same bucket as 120 (within 4 %)
    expect(empty).toEqual({});
    expect(one).toEqual({ [String(latencyBucketIndex(120))]: 1 });
    expect(histogramCount(more)).toBe(5);
    const other = histogramOf([5, 120, 900]);
    const merged = mergeHistograms(more, other);
    expect(histogramCount(merged)).toBe(8);
    expect(merged).toEqual(mergeHistograms(other, more));
    expect(JSON.parse(JSON.stringify(merged))).toEqual(merged);
    expect(merged[String(latencyBucketIndex(120))]).toBe(6);
  });

  test("malformed histograms (e.g. a corrupted jsonb value) are rejected", () => {
    expect(thrownCode(() => histogramCount({ abc: 1 }))).toBe("invalid_input");
    expect(thrownCode(() => histogramCount({ "-1": 1 }))).toBe("invalid_input");
    expect(thrownCode(() => histogramCount({ "2.5": 1 }))).toBe("invalid_input");
    expect(thrownCode(() => histogramCount({ "3": -1 }))).toBe("invalid_input");
    expect(thrownCode(() => addToHistogram({}, 10, 0.5))).toBe("invalid_input");
  });
});

describe("histogramPercentile", () => {
  test("is within 2 % of the exact nearest-rank sample quantile (seeded)", () => {
    const values = logUniform(11, 20_000, 5, 30_000);
    const sorted = [...values].sort((a, b) => a - b);
    const h = histogramOf(values);
    for (const q of [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1]) {
      const exact = sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
      const estimate = histogramPercentile(h, q) as number;
      expect(Math.abs(estimate - exact) / exact).toBeLessThanOrEqual(0.02);
    }
  });

  test("uses nearest rank without round-off surprises: p95 of 100 values is the 95th", () => {
    const h: LatencyHistogram = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [String(i + 1), 1]));
    expect(histogramPercentile(h, 0.95)).toBe(bucketRepresentativeValue(95));
    expect(histogramPercentile(h, 0)).toBe(bucketRepresentativeValue(1));
    expect(histogramPercentile(h, 1)).toBe(bucketRepresentativeValue(100));
  });

  test("empty histogram → null; q outside [0, 1] throws", () => {
    expect(histogramPercentile({}, 0.5)).toBeNull();
    expect(thrownCode(() => histogramPercentile({ "1": 1 }, 1.5))).toBe("invalid_input");
  });

  test("histogramPercentiles gives each quantile's histogramPercentile from one sort", () => {
    const h = histogramOf(logUniform(7, 5_000, 5, 30_000));
    const qs = [0.5, 0.95, 0.99, 0, 1];
    expect(histogramPercentiles(h, qs)).toEqual(qs.map((q) => histogramPercentile(h, q)));
    expect(histogramPercentiles({}, [0.5, 0.99])).toEqual([null, null]);
    expect(thrownCode(() => histogramPercentiles({ "1": 1 }, [0.5, -0.1]))).toBe("invalid_input");
  });
});

describe("quantileRankInterval", () => {
  // R 4.2.2: a <- (1 - conf)/2; F <- pbinom(0:(n - 1), n, q)
  //          lower <- max(which(F <= a)); upper <- min(which(F >= 1 - a))   (NA when none)
  test.each([
    [100, 0.5, 0.95, 40, 61], // textbook: the 95 % interval for the median of 100 is [X(40), X(61)]
    [1000, 0.95, 0.95, 936, 964],
    [200, 0.99, 0.95, 195, null],
    [20, 0.9, 0.95, 15, null],
    [100_000, 0.99, 0.95, 98938, 99062],
    [5, 0.5, 0.95, null, null],
    [1_000_000, 0.999, 0.95, 998938, 999062],
    [50, 0.5, 0.99, 16, 35],
    [2000, 0.5, 0.9, 963, 1038],
  ])("n = %d, q = %d, confidence %d → ranks [%s, %s]", (n, q, confidence, lower, upper) => {
    expect(quantileRankInterval(n, q, confidence)).toEqual({ lower, upper });
  });

  test("rejects a fractional n", () => {
    expect(thrownCode(() => quantileRankInterval(10.5, 0.5))).toBe("invalid_input");
  });
});

describe("percentileWithInterval", () => {
  const hundred: LatencyHistogram = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [String(i + 1), 1]));

  test("reports the order statistics' bucket values", () => {
    expect(percentileWithInterval(hundred, 0.5)).toEqual({
      estimate: bucketRepresentativeValue(50),
      low: bucketRepresentativeValue(40),
      high: bucketRepresentativeValue(61),
      n: 100,
    });
  });

  test("says when the data cannot bound the quantile", () => {
    expect(percentileWithInterval(hundred, 0.99)).toMatchObject({ estimate: bucketRepresentativeValue(99), high: null });
    const five = histogramOf([10, 20, 30, 40, 50]);
    expect(percentileWithInterval(five, 0.5)).toMatchObject({ low: 0, high: null, n: 5 });
    expect(percentileWithInterval({}, 0.5)).toEqual({ estimate: null, low: null, high: null, n: 0 });
  });

  test("covers the true median about 95 % of the time (seeded exponential samples)", () => {
    const uniform = mulberry32(2024);
    const trueMedian = 100 * Math.LN2; // exponential with mean 100 ms
    let covered = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const sample = Array.from({ length: 200 }, () => -100 * Math.log(1 - uniform()));
      const { low, high } = percentileWithInterval(histogramOf(sample), 0.5);
      // allow for the 2 % bucket rounding of the bounds
      if ((low as number) <= trueMedian * 1.02 && (high as number) >= trueMedian / 1.02) covered++;
    }
    expect(covered / trials).toBeGreaterThanOrEqual(0.92);
  });
});
