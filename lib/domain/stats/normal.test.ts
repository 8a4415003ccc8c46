import { describe, expect, test } from "vitest";
import { normalCdf, normalQuantile, normalTwoSidedP } from "./normal";
import { expectClose } from "./test-helpers";

// Reference values: R 4.2.2 (Debian r-base-core), printed with sprintf("%.17g", ...).

describe("normal distribution", () => {
  // R 4.2.2: pnorm(c(-37, -10, -5, -1.96, -0.5, 0, 0.3, 1, 2.5, 8))
  test.each([
    [-37, 5.7255712225245771e-300],
    [-10, 7.6198530241605269e-24],
    [-5, 2.8665157187919391e-7],
    [-1.96, 0.024997895148220428],
    [-0.5, 0.30853753872598694],
    [0, 0.5],
    [0.3, 0.61791142218895267],
    [1, 0.84134474606854293],
    [2.5, 0.99379033467422384],
    [8, 0.99999999999999933],
  ])("normalCdf(%d) matches pnorm, relative error ≤ 1e-12 even deep in the tail", (z, expected) => {
    expectClose(normalCdf(z), expected, { absolute: 0, relative: 1e-12 });
  });

  // R 4.2.2: qnorm(c(1e-300, 1e-10, 0.001, 0.025, 0.3, 0.5, 0.7, 0.975, 0.999999))
  test.each([
    [1e-300, -37.047096299361201],
    [1e-10, -6.3613409024040557],
    [0.001, -3.0902323061678132],
    [0.025, -1.9599639845400538],
    [0.3, -0.52440051270804067],
    [0.5, 0],
    [0.7, 0.52440051270804067],
    [0.975, 1.9599639845400536],
    [0.999999, 4.7534243088170891],
  ])("normalQuantile(%d) matches qnorm (AS 241)", (p, expected) => {
    expectClose(normalQuantile(p), expected, { absolute: 1e-15, relative: 1e-13 });
  });

  // Above z ≈ 4, Φ(z) is 1 − tiny and a double cannot hold enough of the tiny part to invert.
  test("quantile and CDF invert each other from the far lower tail to z = 4", () => {
    for (let z = -30; z <= 4; z += 0.37) {
      expectClose(normalQuantile(normalCdf(z)), z, { absolute: 1e-9, relative: 1e-9 });
    }
  });

  test("edge values: p = 0 and 1 give infinities, invalid p gives NaN, two-sided p of 0 is 1", () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.2)).toBeNaN();
    expect(normalQuantile(Number.NaN)).toBeNaN();
    expect(normalTwoSidedP(0)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expectClose(normalTwoSidedP(-1.96), 2 * 0.024997895148220428);
  });
});
