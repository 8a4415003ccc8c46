/**
 * The serving path's per-request state stays bounded however many distinct keys, contexts and
 * idempotency keys arrive: what a soak could otherwise see growing round after round.
 */
import { describe, expect, test } from "vitest";
import { ExposureCounter } from "./exposures";
import { KeyUsage } from "./key-usage";
import { RateLimiter } from "./rate-limiter";
import { RecentBatches } from "./sdk-exposures";

const answer = { accepted: 1, rejected: [] };

describe("bounded serving state", () => {
  test("remembered exposure batches stop at their maximum under 50,000 distinct idempotency keys", () => {
    const batches = new RecentBatches(10 * 60_000, 1_000);
    for (let i = 0; i < 50_000; i++) batches.remember(`key-${i % 7}`, `idem-${i}`, answer, 1_000 + i);
    expect(batches.size).toBeLessThanOrEqual(1_000);
    // The newest answers are the ones kept.
    expect(batches.get("key-5", "idem-49999", 60_000)).toEqual(answer);
  });

  test("expired batch answers are not served", () => {
    const batches = new RecentBatches(1_000, 10);
    batches.remember("k", "a", answer, 0);
    expect(batches.get("k", "a", 999)).toEqual(answer);
    expect(batches.get("k", "a", 1_000)).toBeUndefined();
  });

  test("exposure cells of many rollouts, stages and minutes stop at the cell limit", () => {
    const counter = new ExposureCounter(500);
    for (let i = 0; i < 20_000; i++) counter.record(`rollout-${i % 300}`, i % 3, i % 2 ? "control" : "treatment", i * 60_000);
    expect(counter.pendingCells().length).toBe(500);
    expect(counter.dropped).toBe(20_000 - 500);
  });

  test("rate-limit buckets exist only for live keys once the key set changes", () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 5_000; i++) limiter.take(`key-${i}`, 10, 0);
    limiter.retain(new Set(["key-1", "key-2"]));
    // A retained key keeps its spent bucket; a dropped one starts full again.
    for (let i = 0; i < 19; i++) limiter.take("key-1", 10, 0);
    expect(limiter.take("key-1", 10, 0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take("key-3", 10, 0)).toEqual({ allowed: true });
  });

  test("key usage holds one time per key, whatever the number of requests", () => {
    const usage = new KeyUsage();
    for (let i = 0; i < 100_000; i++) usage.touch(`key-${i % 3}`, i);
    expect((usage as unknown as { pending: Map<string, number> }).pending.size).toBe(3);
  });
});
