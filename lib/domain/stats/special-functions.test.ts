import { describe, expect, test } from "vitest";
import { logBeta, logGamma, regularizedBeta, regularizedGammaP, regularizedGammaQ } from "./special-functions";
import { expectClose } from "./test-helpers";

// Reference values: R 4.2.2 (Debian r-base-core), printed with sprintf("%.17g", ...).

describe("special functions", () => {
  // R 4.2.2: pgamma(c(0.5, 10, 30, 1e-3), c(2, 3.5, 40, 0.1))
  test.each([
    [0.5, 2, 0.090204010431049877],
    [10, 3.5, 0.99443031692705441],
    [30, 40, 0.046253037645842036],
    [1e-3, 0.1, 0.52676856839244501],
  ])("regularized gamma P(a, x) at x = %d, a = %d matches pgamma", (x, a, expected) => {
    expectClose(regularizedGammaP(a, x), expected, { absolute: 0, relative: 1e-11 });
    expectClose(regularizedGammaQ(a, x), 1 - expected, { absolute: 1e-15, relative: 1e-10 });
  });

  // R 4.2.2: pbeta(c(0.3, 0.999, 0.5, 0.01, 0.7), c(2, 0.5, 100, 3, 2000), c(5, 0.5, 120, 0.2, 900))
  test.each([
    [0.3, 2, 5, 0.57982500000000015],
    [0.999, 0.5, 0.5, 0.97986495836662257],
    [0.5, 100, 120, 0.91179606279498171],
    [0.01, 3, 0.2, 8.8531831410808012e-8],
    [0.7, 2000, 900, 0.88620007492219899],
  ])("regularizedBeta(%d, %d, %d) matches pbeta", (x, a, b, expected) => {
    expectClose(regularizedBeta(x, a, b), expected, { absolute: 0, relative: 1e-10 });
  });

  // R 4.2.2: lgamma(c(0.5, 1e-5, 3, 100, 1e6))
  test.each([
    [0.5, 0.57236494292470008],
    [1e-5, 11.512919692895826],
    [3, 0.69314718055994529],
    [100, 359.1342053695754],
    [1e6, 12815504.569147611],
  ])("logGamma(%d) matches lgamma", (x, expected) => {
    expectClose(logGamma(x), expected, { absolute: 1e-13, relative: 1e-13 });
  });

  // R 4.2.2: lbeta(c(5e5, 1e4, 3, 0.2), c(0.5, 2e4, 15, 0.7))
  test.each([
    [5e5, 0.5, -5.9888164957774643], // t distribution with 1e6 degrees of freedom
    [1e4, 2e4, -19098.908538220894],
    [3, 15, -7.6207050868382602],
    [0.2, 0.7, 1.718554829227708],
  ])("logBeta(%d, %d) matches lbeta, without cancellation for large arguments", (a, b, expected) => {
    expectClose(logBeta(a, b), expected, { absolute: 1e-12, relative: 1e-13 });
  });

  test("edge values: invalid arguments give NaN, the ends of [0, 1] give 0 and 1", () => {
    expect(logGamma(0)).toBeNaN();
    expect(logBeta(-1, 2)).toBeNaN();
    expect(regularizedGammaP(-1, 2)).toBeNaN();
    expect(regularizedGammaP(2, 0)).toBe(0);
    expect(regularizedGammaQ(2, Infinity)).toBe(0);
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
    expect(regularizedBeta(1.2, 2, 3)).toBeNaN();
  });
});
