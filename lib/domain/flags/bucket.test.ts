import { describe, expect, test } from "vitest";
import { BUCKETS, bucketFor, bucketInput } from "./bucket";
import { murmur3_x86_32 } from "./murmur3";

/** Chi-square critical value for 99 degrees of freedom at p = 0.999. */
const CHI_SQUARE_99_DOF_P999 = 148.2;

describe("bucketFor", () => {
  test("is murmur3 (seed 0) of the UTF-8 '<flag>:<salt>:<value>' string, mod 10000", () => {
    expect(bucketInput("support-bot.model", "s1", "user-42")).toBe("support-bot.model:s1:user-42");
    // 0xC9129ABA = 3373439674, checked against an independent implementation.
    expect(murmur3_x86_32(new TextEncoder().encode("support-bot.model:s1:user-42"))).toBe(0xc9129aba);
    expect(bucketFor("support-bot.model", "s1", "user-42")).toBe(3373439674 % 10000);
  });

  test("is deterministic", () => {
    for (let i = 0; i < 500; i++) {
      expect(bucketFor("f", "salt", `u${i}`)).toBe(bucketFor("f", "salt", `u${i}`));
    }
  });

  test("stays in [0, 10000) for awkward inputs", () => {
    for (const value of ["", ":", "🚀", "ü".repeat(1000), "\u0000", "\ud800"]) {
      const bucket = bucketFor("f", "", value);
      expect(Number.isInteger(bucket) && bucket >= 0 && bucket < BUCKETS).toBe(true);
    }
  });

  test("hashes only the joined string, so parts that join the same way share a bucket", () => {
    // Documented consequence of joining with ':'; flag keys cannot contain ':', so the flag part is unambiguous.
    expect(bucketFor("a", "b", "c:d")).toBe(bucketFor("a", "b:c", "d"));
    expect(bucketFor("ab", "c", "d")).not.toBe(bucketFor("a", "bc", "d"));
  });

  test("spreads 100,000 users uniformly over 100 bins (chi-square, p = 0.999)", () => {
    const bins = new Array<number>(100).fill(0);
    const users = 100_000;
    for (let i = 0; i < users; i++) bins[Math.floor(bucketFor("support-bot.model", "salt-1", `user-${i}`) / 100)]++;
    const expected = users / bins.length;
    const chiSquare = bins.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(CHI_SQUARE_99_DOF_P999);
    expect(Math.min(...bins)).toBeGreaterThan(0);
  });
});
