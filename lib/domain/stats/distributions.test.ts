import { describe, expect, test } from "vitest";
import { chiSquareCdf, chiSquareSurvival, normalTwoSidedP, studentTCdf, studentTQuantile, studentTTwoSidedP } from "./distributions";
import { expectClose } from "./test-helpers";

// Reference values: R 4.2.2 (Debian r-base-core), printed with sprintf("%.17g", ...).

describe("chi-square distribution", () => {
  // R 4.2.2: pchisq(c(0.001, 3.84, 10, 200, 7.5, 0.5), c(1, 1, 3, 2, 12, 7), lower.tail = FALSE)
  // and the same call without lower.tail = FALSE for the CDF column.
  test.each([
    [0.001, 1, 0.97477287936996038, 0.025227120630039609],
    [3.84, 1, 0.050043521248705224, 0.94995647875129474],
    [10, 3, 0.018566135463043233, 0.9814338645369568],
    [200, 2, 3.7200759760208361e-44, 1],
    [7.5, 12, 0.82288282701768589, 0.17711717298231408],
    [0.5, 7, 0.99944648139042513, 0.00055351860957503435],
  ])("x = %d, dof = %d: survival and CDF match pchisq", (x, dof, upper, lower) => {
    expectClose(chiSquareSurvival(x, dof), upper, { absolute: 0, relative: 1e-11 });
    expectClose(chiSquareCdf(x, dof), lower, { absolute: 1e-15, relative: 1e-11 });
  });

  test("x ≤ 0 is the whole distribution; a non-positive dof is NaN", () => {
    expect(chiSquareSurvival(0, 3)).toBe(1);
    expect(chiSquareCdf(0, 3)).toBe(0);
    expect(chiSquareSurvival(1, 0)).toBeNaN();
  });
});

describe("Student t distribution", () => {
  // R 4.2.2: pt(c(-2, 1.5, -2.5, 0.1, -40, 3, -1.2), c(5, 1, 1e6, 2.5, 3, 30.7, 0.5))
  test.each([
    [-2, 5, 0.05096973941492914],
    [1.5, 1, 0.81283295818900125],
    [-2.5, 1e6, 0.0062097447510816167],
    [0.1, 2.5, 0.53609672796875518],
    [-40, 3, 1.719034039457927e-5],
    [3, 30.7, 0.99734083859186284],
    [-1.2, 0.5, 0.27962896306568225],
  ])("studentTCdf(%d, df = %d) matches pt", (t, df, expected) => {
    expectClose(studentTCdf(t, df), expected, { absolute: 0, relative: 1e-10 });
  });

  // R 4.2.2: qt(c(0.975, 0.975, 0.025, 1e-8, 0.9, 0.995, 0.6), c(3, 1, 12.7, 2.5, 1e5, 200, 0.5))
  test.each([
    [0.975, 3, 3.1824463052837078],
    [0.975, 1, 12.706204736174694],
    [0.025, 12.7, -2.1655677313687254],
    [1e-8, 2.5, -1389.2275830275426],
    [0.9, 1e5, 1.2815600314493614],
    [0.995, 200, 2.6006344361915481],
    [0.6, 0.5, 0.39797542678478237],
  ])("studentTQuantile(%d, df = %d) matches qt", (p, df, expected) => {
    expectClose(studentTQuantile(p, df), expected, { absolute: 1e-12, relative: 1e-10 });
  });

  test("two-sided p-value is 2·pt(−|t|) and reduces to the normal for huge df", () => {
    expectClose(studentTTwoSidedP(2, 5), 2 * 0.05096973941492914);
    expectClose(studentTTwoSidedP(-2, 5), 2 * 0.05096973941492914);
    expect(studentTTwoSidedP(0, 5)).toBe(1);
    expectClose(studentTTwoSidedP(1.96, 1e9), normalTwoSidedP(1.96));
    expect(studentTCdf(1, 0)).toBeNaN();
    expect(studentTQuantile(0, 4)).toBe(-Infinity);
    expect(studentTQuantile(1, 4)).toBe(Infinity);
  });
});
