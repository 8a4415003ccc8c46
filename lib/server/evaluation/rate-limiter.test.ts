import { describe, expect, test } from "vitest";
import { BURST_FACTOR, RateLimiter } from "./rate-limiter";

describe("RateLimiter", () => {
  test("allows a burst of twice the rate, then refuses with Retry-After", () => {
    const limiter = new RateLimiter();
    const allowed = Array.from({ length: 25 }, () => limiter.take("k", 10, 1_000).allowed).filter(Boolean);
    expect(allowed).toHaveLength(10 * BURST_FACTOR);
    expect(limiter.take("k", 10, 1_000)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  test("refills at the rate: 100 ms at 10/s gives exactly one more request", () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 20; i++) limiter.take("k", 10, 0);
    expect(limiter.take("k", 10, 0).allowed).toBe(false);
    expect(limiter.take("k", 10, 100).allowed).toBe(true);
    expect(limiter.take("k", 10, 100).allowed).toBe(false);
  });

  test.each([
    [1, 1],
    [0.25, 4],
  ])("rate %s/s: an empty bucket waits %s s", (rate, seconds) => {
    const limiter = new RateLimiter();
    while (limiter.take("k", rate, 0).allowed);
    expect(limiter.take("k", rate, 0)).toEqual({ allowed: false, retryAfterSeconds: seconds });
  });

  test("keys have separate buckets, and a zero rate refuses everything", () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 2; i++) limiter.take("a", 1, 0);
    expect(limiter.take("a", 1, 0).allowed).toBe(false);
    expect(limiter.take("b", 1, 0).allowed).toBe(true);
    expect(limiter.take("c", 0, 0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  test("retain forgets buckets of removed keys (a re-created key starts full)", () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 2; i++) limiter.take("a", 1, 0);
    limiter.retain(new Set(["b"]));
    expect(limiter.take("a", 1, 0).allowed).toBe(true);
  });
});
