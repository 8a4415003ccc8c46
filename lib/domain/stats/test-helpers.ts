import { expect } from "vitest";

/**
 * |actual − expected| ≤ absolute + relative·|expected|. Reference values come from R and are
 * quoted with 17 significant digits; the defaults are far tighter than the 1e-6 we promise.
 */
export function expectClose(actual: number | null, expected: number, { absolute = 1e-12, relative = 1e-10 } = {}): void {
  expect(actual).not.toBeNull();
  const tolerance = absolute + relative * Math.abs(expected);
  const error = Math.abs((actual as number) - expected);
  expect(error, `actual ${actual} vs expected ${expected}`).toBeLessThanOrEqual(tolerance);
}

/** Runs `fn` and returns the DomainError code it throws (undefined if it does not throw). */
export function thrownCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}
